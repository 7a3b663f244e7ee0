import APModel

/// `ap git setup`, `ap git resolve` and `ap sync`: sharing a repository through git so that
/// no case is ever corrupted (issue 15).
enum GitCommand {
    static let all = [setup, resolve, SyncCommand.sync]

    static let setup = Command(
        path: ["git", "setup"], summary: "make the repository a git repository that merges cases with ap",
        usage: "",
        details: """
            Runs 'git init' if needed, routes case files to the merge driver in .gitattributes
            (cases/**/*.json merge=ap), ignores .ap/index and .ap/lock: changes to tracked files,
            for admins. Then sets the local merge driver, 'ap merge --git %O %A %B %P', running
            the ap found on PATH, and sets the modes a clone loses (0640, 0750): any user may,
            and the first ap command in a fresh clone does it by itself. From then on each ap
            command that writes makes one commit naming the command, the cases and the user.
            """,
        examples: ["ap git setup", "git clone hub barnet-laptop && cd barnet-laptop && ap status"],
        run: { inv in
            let repo = try inv.context.repository()
            let session = try inv.context.session()
            let git = Git(root: repo.root)
            try session.locked {
                if git.needsTrackedChanges {
                    _ = try session.requireRole([.admin], doing: "set up git (it changes tracked files)")
                    try git.setup()
                    // The first commit takes in what the repository already holds.
                    session.noteWritten(Git.tracked)
                } else {
                    _ = try session.actor()
                    try git.configureDriver()
                }
                try repo.restoreModes()
            }
            return .done(
                "git set up in \(repo.root): case files merge with 'ap merge --git'",
                ["root": .string(repo.root), "driver": .string(Git.driverCommand)])
        })

    static let resolve = Command(
        path: ["git", "resolve"], summary: "resolve the conflicted case files of a git merge with ap merge",
        usage: "",
        details: """
            During a merge git could not finish (a case file merged before the driver was set,
            say), merges each conflicted case file from git's two sides by the latest data
            entered, writes it and marks it resolved. Then 'git commit' ends the merge. Files
            other than cases are left to git.
            """,
        examples: ["git pull; ap git resolve && git commit --no-edit"],
        run: { inv in
            let repo = try inv.context.repository()
            let session = try inv.context.session()
            let git = Git(root: repo.root)
            let resolved = try session.locked { () -> [(path: String, conflicts: Int, kept: Bool)] in
                _ = try session.actor()
                guard git.isRepository, git.merging else { throw APError.refused("no git merge is in progress here") }
                return try git.resolveCases { bytes, path in try FileSystem.writeAtomically(path, bytes) }
            }
            let text =
                resolved.isEmpty
                ? "No conflicted case files.\n"
                : resolved.map {
                    $0.kept
                        ? "Kept \($0.path) (deleted on one side, changed on the other)\n"
                        : "Resolved \($0.path) (\($0.conflicts) field\($0.conflicts == 1 ? "" : "s") decided)\n"
                }
                .joined() + "Finish the merge with 'git commit --no-edit'.\n"
            return Output(
                text: text,
                json: .array(resolved.map {
                    ["path": .string($0.path), "conflicts": .int($0.conflicts), "kept": .bool($0.kept)]
                }))
        })
}
