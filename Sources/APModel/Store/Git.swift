import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// git as the way between sites (issue 6): the seam through which `ap` runs git.
/// Only this file starts git processes.
public struct Git {
    public let root: String

    public init(root: String) { self.root = root }

    /// Whether the repository's root is a git work tree root.
    public var isRepository: Bool { FileSystem.exists(root + "/.git") }

    /// Runs git in the repository; throws with git's own message when it fails.
    @discardableResult
    public func run(_ args: [String], environment extra: [String: String] = [:], input: [UInt8] = []) throws
        -> String
    {
        String(decoding: try runBytes(args, environment: extra, input: input), as: UTF8.self)
    }

    /// Runs git and returns its output as bytes; waited for with waitpid, not Foundation's
    /// 50 ms poll, which was most of a small git step's time.
    public func runBytes(_ args: [String], environment extra: [String: String] = [:], input: [UInt8] = []) throws
        -> [UInt8]
    {
        let git = try program(environment: extra)
        let r = try Subprocess.capture(git.path, ["-C", root] + args, input: input, environment: git.environment)
        guard r.status == 0 else {
            let text = r.errorText
            throw APError.io("git \(args.first ?? "") failed: \(text.isEmpty ? "exit \(r.status)" : text)")
        }
        return r.stdout
    }

    /// Runs a network step (fetch, push), given at most `seconds`: then it is stopped, with
    /// the programs it started (ssh), and the error says so. Its messages go to a file in
    /// `.git`, not a pipe that such a program could hold open.
    public func runTimed(_ args: [String], seconds: Int, environment extra: [String: String] = [:]) throws {
        let git = try program(environment: extra)
        let log = root + "/.git/ap-\(args.first ?? "git")-\(getpid()).log"
        defer { unlink(log) }
        let status = try Subprocess.runTimed(
            git.path, ["-C", root] + args, environment: git.environment, log: log, seconds: seconds)
        guard let status else {
            throw APError.io(
                "git \(args.first ?? "") took longer than \(seconds)s and was stopped; "
                    + "raise 'sync-timeout-seconds' with 'ap config set' if the network is slow")
        }
        guard status == 0 else {
            let said = String(decoding: (try? FileSystem.read(log, limit: 1 << 20)) ?? [], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw APError.io("git \(args.first ?? "") failed: \(said.isEmpty ? "exit \(status)" : said)")
        }
    }

    /// The git to run (the absolute path `Git.executable` found) and its environment; callers
    /// pass `-C root`. A FIFO where git reads its attributes or config would hang it: refused first.
    func program(environment extra: [String: String]) throws -> (path: String, environment: [String: String]) {
        for file in [".gitattributes", ".gitignore", ".git/config"] {
            var st = stat()
            guard lstat(root + "/" + file, &st) == 0 else { continue }
            let type = st.st_mode & S_IFMT
            guard type == S_IFREG || type == S_IFLNK || (type == S_IFDIR && file != ".git/config") else {
                throw APError.data("'\(root)/\(file)' is not a regular file (a FIFO or device?); git was not run")
            }
        }
        guard let git = Git.executable(excluding: root) else {
            throw APError.io("cannot run git: no 'git' program on PATH (outside the repository)")
        }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in extra { env[k] = v }
        return (git, env)
    }

    /// The first executable `git` in an absolute PATH folder outside `root`: never one a
    /// repository (or the working directory, PATH's "" or ".") could supply.
    public static func executable(excluding root: String) -> String? {
        Subprocess.executable("git", excluding: root)
    }

    public static let attributes = ["cases/**/*.json merge=ap"]
    /// Files ap keeps for itself, which never travel: what a site's own writes left half
    /// done, its caches, its transfer records and cases merged away, and packages written
    /// into the repository's folder (they hold whole cases for another YOT).
    public static let ignored = [
        ".ap/index", ".ap/lock", ".ap/*.tmp-*", "cases/**/.*.tmp-*", ".ap/journal", ".ap/journal.*",
        ".ap/transfers/", ".ap/merged-away/", "outbox/", "ap-transfer-*.json", "ap-transfer-*.eml",
        "ap-stage-*.json", "ap-stage-*.eml",
    ]
    /// The driver runs the `ap` found on PATH, so a moved or reinstalled binary keeps working.
    public static let driverCommand = "ap merge --git %O %A %B %P"

    /// Makes the repository a git repository whose case files merge through `ap merge --git`:
    /// the tracked files (`needsTrackedChanges`) and the local configuration.
    public func setup(shared: Bool = false) throws {
        if !isRepository { try run(["init", "-q"] + (shared ? ["--shared=group"] : [])) }
        try ensureLines(".gitattributes", Git.attributes)
        try ensureLines(".gitignore", Git.ignored)
        try configureDriver()
    }

    /// Whether `setup` would change tracked files (or create the git repository).
    public var needsTrackedChanges: Bool {
        guard isRepository else { return true }
        return !missingLines(".gitattributes", Git.attributes).isEmpty
            || !missingLines(".gitignore", Git.ignored).isEmpty
    }

    /// The local merge driver, in `.git/config` only: git never copies it into a clone.
    public func configureDriver() throws {
        try run(["config", "merge.ap.name", "ap: merge two copies of a case by the latest data entered"])
        try run(["config", "merge.ap.driver", Git.driverCommand])
    }

    /// Whether `.gitattributes` routes case files to `ap` while this clone's config has no
    /// driver: a fresh clone, where `git pull` would write conflict markers into a case.
    /// Reads the files, not git: every command asks.
    public var driverMissing: Bool {
        guard isRepository, let attributes = try? FileSystem.read(root + "/.gitattributes"),
            String(decoding: attributes, as: UTF8.self).contains("merge=ap")
        else { return false }
        let config = (try? FileSystem.read(root + "/.git/config")).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return !config.contains("[merge \"ap\"]") || !config.contains("merge --git")
    }

    /// The driver's program, if git would run one that cannot be found.
    public func driverProgramMissing() -> String? {
        guard let driver = try? run(["config", "--get", "merge.ap.driver"]),
            let program = driver.split(separator: " ").first.map(String.init)
        else { return nil }
        if program.contains("/") { return FileSystem.exists(program) ? nil : program }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains { FileSystem.exists("\($0)/\(program)") } ? nil : program
    }

    /// Whether git would run `ap` for case files: the attribute and the driver are both set.
    /// (A missing driver makes git silently fall back to a text merge.)
    /// The files first: without the attribute, or with the driver in the repository's own
    /// config as `ap git setup` writes it, no git is started (`ap status` asks every time).
    public func driverConfigured() -> Bool {
        let attributes = (try? FileSystem.read(root + "/.gitattributes")).map { String(decoding: $0, as: UTF8.self) }
        guard attributes?.contains("merge=ap") == true else { return false }
        if !driverMissing { return true }
        guard let driver = try? run(["config", "--get", "merge.ap.driver"]), !driver.isEmpty else { return false }
        return true
    }

    /// Commits, as `author`, the files a command wrote (`only`; added, changed or removed),
    /// and never what another process left staged or changed; with no list, everything `ap`
    /// keeps under version control (`ap init`). Nothing to commit, no commit.
    public static let tracked = [
        "cases", ".ap/config.json", IdentityRecord.relativePath, TravellingTransfer.folder, ".gitattributes",
        ".gitignore",
    ]

    /// The author and committer git records for `author`: `ap`'s user, at the YOT.
    public static func identity(_ author: User, yot: String) -> [String: String] {
        let email = "\(author.id)@\(yot.lowercased()).ap.invalid"
        var env = ["GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": email]
        let current = ProcessInfo.processInfo.environment
        if current["GIT_COMMITTER_NAME"] == nil { env["GIT_COMMITTER_NAME"] = author.name }
        if current["GIT_COMMITTER_EMAIL"] == nil { env["GIT_COMMITTER_EMAIL"] = email }
        return env
    }

    public func commit(message: String, author: User, yot: String, only: [String]? = nil) throws {
        let paths = only ?? Git.tracked.filter { FileSystem.exists(root + "/" + $0) }
        guard !paths.isEmpty else { return }
        if only != nil, try commitFiles(paths, message: message, environment: Git.identity(author, yot: yot)) { return }
        let present = paths.filter { FileSystem.exists(root + "/" + $0) }
        let gone = paths.filter { !FileSystem.exists(root + "/" + $0) }  // a case merged away
        if !present.isEmpty { try run(["add", "-A", "--"] + present) }
        if !gone.isEmpty { try run(["rm", "-q", "--cached", "--ignore-unmatch", "--"] + gone) }
        let staged = try run(["diff", "--cached", "--name-only", "--"] + paths).split(separator: "\n").map(String.init)
        guard !staged.isEmpty else { return }
        try run(
            ["commit", "-q", "--no-verify", "-m", message, "--"] + staged, environment: Git.identity(author, yot: yot))
    }

    func missingLines(_ file: String, _ lines: [String]) -> [String] {
        let text = (try? FileSystem.read(root + "/" + file)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let existing = Set(text.split(separator: "\n").map(String.init))
        return lines.filter { !existing.contains($0) }
    }

    func ensureLines(_ file: String, _ lines: [String]) throws {
        let path = root + "/" + file
        var text = (try? FileSystem.read(path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let missing = missingLines(file, lines)
        guard !missing.isEmpty else { return }
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        text += missing.joined(separator: "\n") + "\n"
        try FileSystem.writeAtomically(path, Array(text.utf8))
    }
}
