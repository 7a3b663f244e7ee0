import APModel

/// `ap git setup`, `ap git resolve` and `ap sync`: sharing a repository through git so that
/// no case is ever corrupted (issue 15).
enum GitCommand {
    static let all = [setup, resolve, sync]

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
            let resolved = try session.locked { () -> [(path: String, conflicts: Int)] in
                _ = try session.actor()
                guard git.isRepository, git.merging else { throw APError.refused("no git merge is in progress here") }
                return try git.resolveCases { bytes, path in try FileSystem.writeAtomically(path, bytes) }
            }
            let text =
                resolved.isEmpty
                ? "No conflicted case files.\n"
                : resolved.map {
                    "Resolved \($0.path) (\($0.conflicts) field\($0.conflicts == 1 ? "" : "s") decided)\n"
                }
                .joined() + "Finish the merge with 'git commit --no-edit'.\n"
            return Output(
                text: text,
                json: .array(resolved.map { ["path": .string($0.path), "conflicts": .int($0.conflicts)] }))
        })

    static let sync = Command(
        path: ["sync"], summary: "share this repository with its git remote: fetch, merge, commit, push",
        usage: "[REMOTE]",
        details: """
            Fetches REMOTE (default origin), merges its branch through ap's merge driver,
            resolves any case file git left conflicted, commits and pushes; a push refused
            because the remote moved is tried once more after fetching again. Prints the cases
            changed on each side. With no remote, or a merge that needs a person (a file other
            than a case in conflict), it says so and changes nothing.
            """,
        arguments: 0...1,
        examples: ["ap sync", "ap sync hub --json"],
        run: { inv in
            let repo = try inv.context.repository()
            let session = try inv.context.session()
            let git = Git(root: repo.root)
            let result = try session.locked { () -> SyncResult in
                let actor = try session.actor()
                guard git.isRepository else {
                    throw APError.refused("this repository is not shared through git; 'ap git setup' makes it so")
                }
                guard !git.merging else {
                    throw APError.refused(
                        "a git merge is in progress; finish it with 'ap git resolve' and 'git commit'")
                }
                let remotes = try git.remotes()
                let remote = inv.arguments.first ?? (remotes.contains("origin") ? "origin" : remotes.first ?? "")
                guard !remote.isEmpty, remotes.contains(remote) else {
                    throw APError.refused(
                        remote.isEmpty
                            ? "no git remote to sync with; add one with 'git remote add origin URL'"
                            : "no git remote '\(remote)'; remotes: \(remotes.joined(separator: ", "))")
                }
                if git.driverMissing { try git.configureDriver() }
                var result = try syncOnce(
                    git, remote: remote, identity: Git.identity(actor.user, yot: session.config.yotCode), repo: repo)
                // What the merge left for a manager: decisions in conflict.
                result.review = Set(result.ours + result.theirs).sorted().filter { id in
                    (try? repo.loadCase(id).state.needsReview.isEmpty == false) ?? false
                }
                return result
            }
            var text = "Synced with \(result.remote)"
            text += ": \(result.theirs.count) case\(result.theirs.count == 1 ? "" : "s") changed there"
            text += ", \(result.ours.count) here\n"
            if !result.theirs.isEmpty {
                text += "  from \(result.remote): " + result.theirs.joined(separator: " ") + "\n"
            }
            if !result.ours.isEmpty { text += "  from here: " + result.ours.joined(separator: " ") + "\n" }
            for r in result.resolved { text += "  resolved by ap merge: \(r)\n" }
            if !result.review.isEmpty {
                text += "  needs review (decisions in conflict; 'ap case show', 'ap case resolve'): "
                    + result.review.joined(separator: " ") + "\n"
            }
            return Output(
                text: text,
                json: [
                    "remote": .string(result.remote), "theirs": .array(result.theirs.map(JSONValue.string)),
                    "ours": .array(result.ours.map(JSONValue.string)), "pushed": .bool(result.pushed),
                    "resolved": .array(result.resolved.map(JSONValue.string)),
                    "needsReview": .array(result.review.map(JSONValue.string)),
                ])
        })

    struct SyncResult {
        var remote: String
        var theirs: [String] = []
        var ours: [String] = []
        var resolved: [String] = []
        var review: [String] = []
        var pushed = false
    }

    /// Fetch, merge, push; a refused push is tried once more after fetching again.
    static func syncOnce(_ git: Git, remote: String, identity: [String: String], repo: Repository) throws
        -> SyncResult
    {
        var result = SyncResult(remote: remote)
        let branch = try git.branch()
        for attempt in 0..<2 {
            let fetched = (try? git.run(["fetch", "-q", remote, branch])) != nil
            if fetched {
                let head = try git.run(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
                let base = (try? git.run(["merge-base", "HEAD", "FETCH_HEAD"]))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                if let base {
                    let changed = try git.casesChanged(from: base, to: "FETCH_HEAD")
                    // git takes a case only they changed without the driver: checked here first.
                    try IncomingCheck.fetched(changed, git: git, repo: repo, remote: remote)
                    result.theirs = Array(Set(result.theirs + changed)).sorted()
                    result.ours = Array(Set(result.ours + (try git.casesChanged(from: base, to: head)))).sorted()
                }
                do {
                    try git.run(["merge", "-q", "--no-edit", "FETCH_HEAD"], environment: identity)
                } catch {
                    // Case files left conflicted are merged by ap; anything else needs a person.
                    let resolved = try git.resolveCases { bytes, path in try FileSystem.writeAtomically(path, bytes) }
                    let left = try git.run(["diff", "--name-only", "--diff-filter=U"])
                    guard left.isEmpty else {
                        _ = try? git.run(["merge", "--abort"])
                        throw APError.refused(
                            "the merge with \(remote) needs a person: git conflicts in "
                                + left.split(separator: "\n").joined(separator: ", ") + "; nothing was changed")
                    }
                    try git.run(["commit", "-q", "--no-edit"], environment: identity)
                    result.resolved += resolved.map(\.path)
                }
            }
            do {
                try git.run(["push", "-q", remote, "HEAD:\(branch)"])
                result.pushed = true
                return result
            } catch let e as APError {
                guard attempt == 0 else {
                    throw APError.refused("\(remote) refused the push after fetching again: \(e.message)")
                }
            }
        }
        return result
    }
}
