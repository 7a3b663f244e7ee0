import APModel
import Foundation

/// `ap sync`: fetch, check what arrived, merge, commit, push (issues 15 and 23). The network
/// steps run without the repository's lock and with a timeout; what git delivers is checked
/// before anything is merged, and a merge that fails a check is undone.
enum SyncCommand {
    static let sync = Command(
        path: ["sync"], summary: "share this repository with its git remote: fetch, check, merge, commit, push",
        usage: "[REMOTE] [--accept-config]",
        details: """
            Fetches REMOTE (default origin) and checks what it brings before merging: no file ap
            keeps for itself (.ap/ other than config.json and identity.json), no link, case files
            only as cases/SHARD/ID.json, each of which must read as a case, with no event more
            than a day ahead, and .gitattributes still routing case files to ap's driver. A
            change to .ap/config.json is shown and refused until an admin runs 'ap sync
            --accept-config'. Then merges with no merge driver: git merges the trees in a
            private index, ap merges the cases changed on both sides as its driver would, and
            the branch moves to the merge commit (a file other than a case changed on both
            sides: git's own merge); a case the remote deleted is kept (and said). Commits and
            pushes; a push refused because the remote moved is tried once more after fetching
            again.
            Fetch and push run without the lock, each stopped after sync-timeout-seconds. A sync
            killed half way is undone (its merge) or finished (its push) by the next one.
            """,
        options: [Opt(long: "accept-config", help: "take the remote's change to .ap/config.json (admins)")],
        arguments: 0...1,
        examples: ["ap sync", "ap sync hub --json", "ap sync --accept-config"],
        run: { inv in try run(inv) })

    struct Result {
        var remote: String
        var theirs: [String] = []
        var ours: [String] = []
        var resolved: [String] = []
        var kept: [String] = []
        var review: [String] = []
        var recovered: String?
        var pushed = false
    }

    static func run(_ inv: Invocation) throws -> Output {
        let repo = try inv.context.repository()
        let session = try inv.context.session()
        let git = Git(root: repo.root)
        var result = try session.locked { () -> Result in
            _ = try session.actor()
            guard git.isRepository else {
                throw APError.refused("this repository is not shared through git; 'ap git setup' makes it so")
            }
            let recovered = try recoverInterrupted(git)
            guard !git.merging else {
                throw APError.refused("a git merge is in progress; finish it with 'ap git resolve' and 'git commit'")
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
            var result = Result(remote: remote)
            result.recovered = recovered
            return result
        }
        let branch = try git.branch()
        let seconds = session.config.policy.syncTimeoutSeconds
        for attempt in 0..<2 {
            if try fetch(git, remote: result.remote, branch: branch, seconds: seconds) {
                try session.locked {
                    let actor = try session.actor()
                    try merge(
                        git, into: &result, repo: repo, session: session, acceptConfig: inv.flag("accept-config"),
                        identity: Git.identity(actor.user, yot: session.config.yotCode))
                }
            }
            do {
                try git.runTimed(["push", "-q", result.remote, "HEAD:\(branch)"], seconds: seconds)
                result.pushed = true
                break
            } catch let e as APError {
                let moved = e.message.contains("rejected") || e.message.contains("fetch first")
                guard attempt == 0, moved else {
                    guard moved else { throw e }
                    throw APError.refused("\(result.remote) refused the push after fetching again: \(e.message)")
                }
            }
        }
        // What the merge left for a manager: decisions in conflict.
        // Read from each file's stored state only, on all cores: a sync may bring thousands.
        let ids = Set(result.ours + result.theirs).sorted()
        let paths = ids.map(repo.casePath)
        let flagged = parallelMap(paths) { path in
            ((try? CaseSummary.skim(try FileSystem.read(path)))?.needsReview ?? 0) > 0
        }
        result.review = zip(ids, flagged).filter(\.1).map(\.0)
        return output(result)
    }

    /// Fetches the branch; false when the remote has none yet (an empty hub).
    static func fetch(_ git: Git, remote: String, branch: String, seconds: Int) throws -> Bool {
        do {
            try git.runTimed(["fetch", "-q", remote, branch], seconds: seconds)
            return true
        } catch let e as APError where e.message.contains("couldn't find remote ref") {
            return false
        }
    }

    /// Marks a merge as ap's while it runs: the next sync undoes one a kill left behind.
    static func marker(_ git: Git) -> String { git.root + "/.git/ap-sync" }

    /// Undoes the merge of a sync that was killed, or says its commits are pushed now.
    static func recoverInterrupted(_ git: Git) throws -> String? {
        guard FileSystem.exists(marker(git)) else { return nil }
        // git was killed with ap: its lock is stale (ap holds the repository's lock).
        FileSystem.remove(git.root + "/.git/index.lock")
        git.removeTreeMergeLeftovers()
        var said = "the last sync was interrupted before it pushed; its commits are pushed now"
        if git.merging {
            try git.abortMerge()
            said = "the last sync was interrupted during its merge; that merge was undone and is done again now"
        }
        FileSystem.remove(marker(git))
        return said
    }

    /// Checks what FETCH_HEAD brings, then merges it without committing, keeps cases deleted
    /// there, checks every case the merge wrote, and commits; any failure undoes the merge.
    static func merge(
        _ git: Git, into result: inout Result, repo: Repository, session: Session, acceptConfig: Bool,
        identity: [String: String]
    ) throws {
        let remote = result.remote
        let head = try git.run(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let theirs = try git.run(["rev-parse", "FETCH_HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let base = (try? git.run(["merge-base", "HEAD", "FETCH_HEAD"]))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        else { throw APError.refused("\(remote) shares no history with this repository; nothing was merged") }
        result.ours = Array(Set(result.ours + (try git.casesChanged(from: base, to: head)))).sorted()
        guard base != theirs else { return }  // nothing new there
        let tree = try IncomingTree.check(git, base: base, theirs: "FETCH_HEAD", remote: remote)
        if tree.configChanged { try checkConfig(git, base: base, remote: remote, accept: acceptConfig, session) }
        let fetched = try IncomingCheck.fetched(
            tree.casesChanged, git: git, repo: repo, remote: remote, now: session.env.now(),
            keep: base == head ? [] : Set(result.ours))
        result.theirs = Array(Set(result.theirs + tree.casesChanged + tree.casesDeleted)).sorted()
        try FileSystem.writeAtomically(marker(git), Array("pid \(getpid())\n".utf8))
        // Nothing new here: git moves to theirs, each case of which was checked above.
        let fastForward = base == head
        let both = fastForward ? [] : Set(result.ours).intersection(tree.casesChanged).sorted()
        do {
            // Merged from plumbing, with no driver at all: git's merge is the way back for any
            // other file changed on both sides.
            if !fastForward, let merged = try git.treeMerge(
                base: base, ours: head, theirs: theirs, message: "Merge \(remote) (ap sync)", environment: identity,
                isCase: { IncomingTree.caseID($0) != nil }, restore: tree.casesDeleted.map(CaseID.relativePath),
                held: { IncomingTree.caseID($0).map { fetched[$0] != nil } ?? false },
                merge: { try mergeCases($0, parsed: fetched, repo: repo, now: session.env.now()) })
            {
                try git.run(["merge", "-q", "--ff-only", merged.commit])
                result.kept += merged.kept
                FileSystem.remove(marker(git))
                return
            }
            // Git's merge: cases changed on both sides are still merged here, not by git running
            // `ap merge --git` once for each; git is told to keep ours for them.
            let inProcess = try !both.isEmpty && onlyCasesRouted(git, revisions: [head, theirs])
            var conflicted = false
            do {
                let how = fastForward ? "--ff-only" : "--no-commit"
                let keepOurs = inProcess ? ["-c", "merge.ap.driver=true"] : []
                try git.run(keepOurs + ["merge", "-q", how, "FETCH_HEAD"], environment: identity)
            } catch {
                conflicted = true
            }
            if inProcess && git.merging {
                try mergeBoth(both, git: git, head: head, repo: repo, now: session.env.now())
            }
            if conflicted {
                let resolved = try git.resolveCases { bytes, path in try FileSystem.writeAtomically(path, bytes) }
                let left = try git.run(["diff", "--name-only", "--diff-filter=U"])
                guard left.isEmpty else {
                    throw APError.refused(
                        "the merge with \(remote) needs a person: git conflicts in "
                            + left.split(separator: "\n").joined(separator: ", ") + "; nothing was changed")
                }
                result.resolved += resolved.filter { !$0.kept }.map(\.path)
                result.kept += resolved.filter(\.kept).map(\.path)
            }
            // A case deleted there and not changed here: kept, never deleted by a sync.
            var restored: [String] = []
            for id in tree.casesDeleted where !FileSystem.exists(repo.casePath(id)) {
                let path = CaseID.relativePath(id)
                guard (try? git.run(["cat-file", "-e", "\(head):\(path)"])) != nil else { continue }
                try git.run(["checkout", head, "--", path])
                restored.append(path)
            }
            // Each case written is one checked above (theirs) or merged here or by ap's driver,
            // each of which checks what it merges: nothing to read again here.
            result.kept += restored
            if git.merging {
                try git.run(["commit", "-q", "--no-edit", "--no-verify"], environment: identity)
            } else if !restored.isEmpty {
                let cases = "\(restored.count) case\(restored.count == 1 ? "" : "s")"
                let message = "ap sync: keep \(cases) deleted at \(remote)"
                try git.run(["commit", "-q", "--no-verify", "-m", message, "--"] + restored, environment: identity)
            }
        } catch {
            if fastForward {
                _ = try? git.run(["reset", "-q", "--keep", head])
            } else if git.merging {
                // Only a merge git began is undone: the plumbing merge changes nothing until it is
                // whole, and a reset would unstage what the user had staged.
                try? git.abortMerge()
            }
            FileSystem.remove(marker(git))
            throw error
        }
        FileSystem.remove(marker(git))
    }

    /// Whether both sides' .gitattributes send only case files to ap's driver: then keeping
    /// ours for the driver's files and merging them here leaves nothing else unmerged.
    static func onlyCasesRouted(_ git: Git, revisions: [String]) throws -> Bool {
        try git.contents(revisions.map { "\($0):.gitattributes" }).allSatisfy { bytes in
            let lines = String(decoding: bytes ?? [], as: UTF8.self).split(separator: "\n")
            return lines.filter { $0.contains("merge=ap") }.allSatisfy { Git.attributes.contains(String($0)) }
        }
    }

    /// Merges the cases changed on both sides as the driver would (ours and theirs read in one
    /// `git cat-file --batch`, each merge checked like an incoming copy), writes them and
    /// stages them. A case whose sides cannot be merged stops the sync, which is undone.
    static func mergeBoth(_ ids: [String], git: Git, head: String, repo: Repository, now: Timestamp) throws {
        let paths = ids.map(CaseID.relativePath)
        let blobs = try git.contents(paths.flatMap { ["\(head):\($0)", "FETCH_HEAD:\($0)"] })
        var written: [String] = []
        let sides = paths.enumerated().compactMap { n, path -> Git.BothSides? in
            guard let ours = blobs[2 * n], let theirs = blobs[2 * n + 1], ours != theirs else { return nil }
            return Git.BothSides(path: path, ours: ours, theirs: theirs)
        }
        for (side, merged) in zip(sides, try mergeCases(sides, parsed: [:], repo: repo, now: now)) {
            // Not flushed one by one: until the merge is committed, a crash is undone by the
            // next sync (its marker), and git's commit makes it as durable as a git pull.
            try FileSystem.writeAtomically(repo.root + "/" + side.path, merged, syncFolder: false, durable: false)
            written.append(side.path)
        }
        if !written.isEmpty { try git.run(["add", "--"] + written) }
    }

    /// Each case's two sides merged as the driver merges them, on all cores (theirs taken from
    /// `parsed`, by case id, where the incoming check read it already), each result checked like
    /// an incoming copy.
    static func mergeCases(_ sides: [Git.BothSides], parsed: [String: CaseFile], repo: Repository, now: Timestamp)
        throws -> [[UInt8]]
    {
        typealias Merged = (ours: CaseFile, merged: CaseFile, bytes: [UInt8])
        // Written out here too: serialising each merged case was a fifth of a sync's time.
        let merges = parallelMap(sides) { side -> Swift.Result<Merged, APError> in
            Swift.Result {
                let a: CaseFile, b: CaseFile
                do {
                    a = try CaseFile(bytes: side.ours)
                    if let held = IncomingTree.caseID(side.path).flatMap({ parsed[$0] }) {
                        b = held
                    } else if let theirs = side.theirs {
                        b = try CaseFile(bytes: theirs)
                    } else {
                        throw APError.io("their copy was not read")
                    }
                } catch let e as APError {
                    throw APError.data("cannot merge '\(side.path)': \(e.message); nothing was merged")
                }
                guard a.id == b.id else {
                    throw APError.data("cannot merge '\(side.path)': our copy holds case '\(a.id)', theirs '\(b.id)'")
                }
                let merged = try Merge.merge(a, b, into: a.id).file
                return (a, merged, merged.bytes)
            }.mapError { $0 as? APError ?? .io("\($0)") }
        }
        return try zip(sides, merges).map { side, result in
            let (ours, merged, bytes) = try result.get()
            try RepositoryVerification.checkIncoming(merged, ours: ours, repo: repo, source: side.path, now: now)
            return bytes
        }
    }

    /// A change to the config arrives only when an admin accepts it, seeing it first.
    static func checkConfig(_ git: Git, base: String, remote: String, accept: Bool, _ session: Session) throws {
        let diff = try git.run(["diff", base, "FETCH_HEAD", "--", ".ap/config.json"])
        guard accept else {
            throw APError.refused(
                "\(remote) changes .ap/config.json (users, roles, policy or sharing); nothing was merged. "
                    + "The change:\n\(diff)An admin who has read it takes it with 'ap sync --accept-config'")
        }
        _ = try session.requireRole([.admin], doing: "accept a config change from \(remote)")
        let text = try git.run(["show", "FETCH_HEAD:.ap/config.json"])
        do { _ = try Config(json: try JSONParser.parse(Array(text.utf8))) } catch let e as APError {
            throw APError.data("\(remote)'s .ap/config.json: \(e.message); nothing was merged")
        }
    }

    static func output(_ result: Result) -> Output {
        var text = result.recovered.map { "Note: \($0)\n" } ?? ""
        text += "Synced with \(result.remote)"
        text += ": \(result.theirs.count) case\(result.theirs.count == 1 ? "" : "s") changed there"
        text += ", \(result.ours.count) here\n"
        if !result.theirs.isEmpty { text += "  from \(result.remote): " + result.theirs.joined(separator: " ") + "\n" }
        if !result.ours.isEmpty { text += "  from here: " + result.ours.joined(separator: " ") + "\n" }
        for r in result.resolved { text += "  resolved by ap merge: \(r)\n" }
        for k in result.kept { text += "  kept here, deleted on one side: \(k)\n" }
        if !result.review.isEmpty {
            text += "  needs review (decisions in conflict; 'ap case show', 'ap case resolve'): "
                + result.review.joined(separator: " ") + "\n"
        }
        var json: [String: JSONValue] = [
            "remote": .string(result.remote), "theirs": .array(result.theirs.map(JSONValue.string)),
            "ours": .array(result.ours.map(JSONValue.string)), "pushed": .bool(result.pushed),
            "resolved": .array(result.resolved.map(JSONValue.string)),
            "kept": .array(result.kept.map(JSONValue.string)),
            "needsReview": .array(result.review.map(JSONValue.string)),
        ]
        if let r = result.recovered { json["recovered"] = .string(r) }
        return Output(text: text, json: .object(json))
    }
}
