#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ap fsck`: checks the whole repository and, with `repair`, rebuilds what is derived.
/// Events are never touched: a case whose events do not load is reported, not changed.
public enum Fsck {
    public struct Finding: Equatable, Sendable {
        public var path: String
        public var problem: String
        /// What `--repair` did about it, if anything.
        public var repaired: String?
        /// Worth knowing but not wrong: nothing to repair, and no failure status.
        public var warning = false
    }

    public static func check(_ repo: Repository, repair: Bool, now: Timestamp) throws -> [Finding] {
        var out: [Finding] = []
        // Warnings: worth knowing, nothing lost (leftovers, modes, a missing driver); the rest
        // is damage: unreadable or inconsistent files, links that lead out.
        func add(_ path: String, _ problem: String, warning: Bool = false, _ fix: (() throws -> String)? = nil) {
            var finding = Finding(path: path, problem: problem, repaired: nil)
            finding.warning = warning
            if repair, let fix {
                do { finding.repaired = try fix() } catch let e as APError { finding.repaired = "not repaired: \(e.message)" } catch {
                    finding.repaired = "not repaired: \(error)"
                }
            }
            out.append(finding)
        }
        func checkMode(_ relative: String, _ want: mode_t) {
            let path = repo.root + "/" + relative
            // chmod follows a link: never change its target, report the link instead.
            if FileSystem.isSymlink(path) {
                return add(relative, "is a symbolic link; ap does not read or write through links in a repository")
            }
            guard let mode = FileSystem.mode(path), mode != want else { return }
            // git keeps no 0640: a clone has the umask's modes.
            add(relative, "mode \(String(mode, radix: 8)), expected \(String(want, radix: 8))", warning: true) {
                guard chmod(path, want) == 0 else { throw APError.io("chmod failed") }
                return "mode set to \(String(want, radix: 8))"
            }
        }

        if FileSystem.exists(repo.root + "/" + Journal.relativePath) {
            let problem = "a batch was interrupted while writing its files; the next command that writes finishes it"
            add(Journal.relativePath, problem, warning: true) {
                try Journal.recover(repo.root)
                return "finished"
            }
        }
        var catalogue: Catalogue?
        do { catalogue = try repo.loadConfig().catalogue } catch let e as APError { add(".ap/config.json", e.message) }
        for relative in [".ap", "cases"] { checkMode(relative, FileSystem.folderMode) }
        checkMode(".ap/config.json", FileSystem.fileMode)

        for folder in [".ap", ".ap/transfers", ".ap/merged-away"] { out += leftovers(repo, folder, repair: repair) }
        if FileSystem.isSymlink(repo.casesPath) { return out }
        for shard in try FileSystem.list(repo.casesPath).sorted() {
            let folder = "cases/\(shard)"
            if FileSystem.isSymlink(repo.root + "/" + folder) {
                add(folder, "is a symbolic link; ap does not read or write through links in a repository")
                continue
            }
            guard shard.utf8.count == 2, FileSystem.isDirectory(repo.root + "/" + folder) else {
                add(folder, "is not a shard folder (two hex digits); ap ignores it", warning: true)
                continue
            }
            checkMode(folder, FileSystem.folderMode)
            for name in try FileSystem.list(repo.root + "/" + folder).sorted() {
                let relative = "\(folder)/\(name)"
                let path = repo.root + "/" + relative
                if name.hasPrefix("."), name.contains(".tmp-") {
                    let problem = "temporary file left by an interrupted write (the case itself is intact)"
                    add(relative, problem, warning: true) {
                        FileSystem.remove(path)
                        return "removed"
                    }
                    continue
                }
                guard CaseIndex.isCaseFileName(name) else {
                    add(relative, "is not a case file; ap ignores it", warning: true)
                    continue
                }
                if FileSystem.isSymlink(path) { add(relative, "is a symbolic link; ap does not follow links in a repository"); continue }
                let id = CaseIndex.caseID(name)
                if (try? CaseID.validate(id)) == nil { add(relative, "file name is not a valid case id"); continue }
                if CaseID.shard(id) != shard { add(relative, "belongs in cases/\(CaseID.shard(id))/; ap will not find it here") }
                checkMode(relative, FileSystem.fileMode)
                do {
                    let file = try repo.loadCase(id)
                    if let catalogue { out += unknownAnswers(file.state, catalogue, relative) }
                    let ahead = FutureEvents.ahead(file, now: now)
                    if let first = ahead.first {
                        add(relative, "\(ahead.count) event\(ahead.count == 1 ? "" : "s") dated more than a day ahead "
                            + "of this machine's clock (\(first.at)); every new event would have to follow") {
                            let fixed = try FutureEvents.redated(file, now: now)
                            try FileSystem.writeAtomically(path, fixed.file.bytes)
                            return "\(fixed.count) dated again after the case's latest event, in their order"
                        }
                    }
                } catch APError.data(let message) where message.contains("stored 'state' disagrees") {
                    add(relative, "stored state disagrees with the events") {
                        let file = try CaseFile(json: try JSONParser.parse(try FileSystem.read(path)), checkState: false)
                        try FileSystem.writeAtomically(path, file.bytes)
                        return "state derived again from the events"
                    }
                } catch let e as APError {
                    add(relative, e.message.replacingOccurrences(of: path + ": ", with: ""))
                }
            }
        }

        // The index: derived, so any doubt is settled by rebuilding it.
        let indexPath = CaseIndex.path(repo)
        if FileSystem.exists(indexPath) {
            let bytes = (try? FileSystem.read(indexPath)) ?? []
            if !bytes.starts(with: CaseIndex.header(repo)) {
                add(".ap/index", "damaged (derived data: rebuilt by the next list)", warning: true) {
                    FileSystem.remove(indexPath)
                    _ = try CaseIndex.summaries(repo)
                    return "rebuilt"
                }
            } else if repair {
                FileSystem.remove(indexPath)
                _ = try CaseIndex.summaries(repo)
            } else {
                // Every file checked against its row: an edit in place leaves its folder's time.
                _ = try? CaseIndex.summaries(repo, verify: true)
            }
        }

        let git = Git(root: repo.root)
        if git.isRepository && FileSystem.exists(repo.root + "/.git/index.lock") {
            add(
                ".git/index.lock",
                "left by a git command that did not finish; ap cannot commit while it is there. "
                    + "If no git command is running, remove it: rm .git/index.lock", warning: true)
        }
        if git.isRepository && repo.gitReadableByOthers {
            add(".git", "other accounts can read it, and with it every case's history ('git show')", warning: true) {
                "modes set for \(try repo.closeGit()) files and folders"
            }
        }
        if git.isRepository && !git.driverConfigured() {
            add(
                ".git",
                "git does not run 'ap merge --git' for case files: two sites' edits would meet in a text merge; "
                    + "run 'ap git setup'", warning: true)
        } else if git.isRepository, let program = git.driverProgramMissing() {
            var finding = Finding(
                path: ".git/config",
                problem: "git's merge driver runs '\(program)', which cannot be found on PATH: put ap on PATH "
                    + "('make install'), or run 'ap git setup'", repaired: nil)
            finding.warning = true
            out.append(finding)
        }
        out += signatureFindings(repo)
        return out
    }

    /// Temporary files an interrupted write left in `folder` (a config, the index, an
    /// imported package holding a whole case): `--repair` removes them.
    public static func leftovers(_ repo: Repository, _ folder: String, repair: Bool) -> [Finding] {
        Leftovers.names(repo, folder).map { name in
            let path = repo.root + "/" + folder + "/" + name
            var finding = Finding(
                path: folder + "/" + name, problem: "temporary file left by an interrupted write", repaired: nil)
            finding.warning = true
            if repair {
                // A folder is an interrupted print's page and browser profile (`ap case export --pdf`).
                FileSystem.removeTree(path)
                finding.repaired = "removed"
            }
            return finding
        }
    }

    /// Answers under keys the catalogue does not know: kept and shown, but worth a look.
    static func unknownAnswers(_ state: CaseState, _ catalogue: Catalogue, _ relative: String) -> [Finding] {
        state.stages.compactMap { stage in
            let keys = catalogue.unknownKeys(stage)
            guard !keys.isEmpty else { return nil }
            return Finding(
                path: relative,
                problem: "stage \(stage.id) has answers under keys the catalogue does not know: "
                    + keys.joined(separator: ", ") + " (kept; 'ap stage questions' lists the known keys)",
                repaired: nil, warning: true)
        }
    }

    /// Signatures (ap-identity(7)): a warning while they are off; every event that does not
    /// verify is damage, which no repair can undo (restore the case from git or another site).
    static func signatureFindings(_ repo: Repository) -> [Finding] {
        guard (try? repo.identity()) != nil else {
            guard FileSystem.exists(repo.identityPath) else {
                let path = IdentityRecord.relativePath
                return [Finding(path: path, problem: signaturesOffWarning, repaired: nil, warning: true)]
            }
            return []  // an unreadable record is reported with the config
        }
        // A transfer record from another clone that does not verify is never shown: damage.
        let records = repo.travellingFiles().compactMap { file -> Finding? in
            guard case .failure(let e) = file.result else { return nil }
            return Finding(path: file.path, problem: e.message + "; it is not shown as a transfer", repaired: nil)
        }
        guard let v = try? RepositoryVerification.run(repo, cases: [], again: false) else { return records }
        return records + v.configProblems.map { Finding(path: ".ap/config.json", problem: $0, repaired: nil) }
            + v.problems.map {
                Finding(path: CaseID.relativePath($0.caseID),
                        problem: "event \($0.event) (\($0.type) by \($0.by)): \($0.status.rawValue): \($0.detail)",
                        repaired: nil)
            }
    }

    public static let signaturesOffWarning =
        "signatures are off: anyone who can write the folder can act as any user (see ap-identity(7))"
}
