import APModel
import Foundation
import XCTest

/// Runs the built `ap` binary in a temporary repository, as a user would.
final class Harness {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var json: JSONValue? { try? JSONParser.parse(stdout) }
    }

    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["AP_BIN"] { return path }
        // Tests/apTests/Harness.swift → package root → .build/debug/ap
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/ap").path
    }()

    let dir: String
    var now = "2026-11-02T09:00:00.000Z"
    /// With keys, every run signs as its acting user (AP_SIGNING_KEY), unless told otherwise.
    var keys: KeyRing?

    /// A fresh repository for Barnet with an admin, two practitioners, two managers and business support.
    /// `signed`: the repository starts with alex's key (signatures required) and each user
    /// gets a key of their own, made by ssh-keygen.
    init(users: Bool = true, yot: String = "BARNET", yotName: String = "Barnet YJS", signed: Bool = false) throws {
        dir = NSTemporaryDirectory() + "ap-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if signed {
            let ring = try KeyRing(dir + "-keys")
            keys = ring
            try expectOK(["init", "--yot", yot, "--yot-name", yotName, "--admin", "alex",
                          "--admin-key", try ring.publicFile("alex")], as: "alex")
        } else {
            try expectOK(["init", "--yot", yot, "--yot-name", yotName, "--admin", "alex"])
        }
        if users {
            for (id, name, roles) in Harness.staff {
                let key = signed ? ["--key-file", try keys!.publicFile(id)] : []
                try expectOK(["user", "add", id, "--name", name, "--role", roles] + key, as: "alex")
            }
        }
    }

    static let staff = [
        ("pat", "Pat Jones", "practitioner"), ("kim", "Kim Ode", "practitioner"), ("mo", "Mo Khan", "manager"),
        ("lee", "Lee Ray", "manager,practitioner"), ("bo", "Bo Fenn", "business-support"),
    ]

    deinit {
        try? FileManager.default.removeItem(atPath: dir)
        try? FileManager.default.removeItem(atPath: dir + "-cache")
        try? FileManager.default.removeItem(atPath: dir + "-keys")
    }

    @discardableResult
    func run(_ args: [String], as user: String? = nil, env extra: [String: String] = [:], stdin: String? = nil, cwd: String? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Harness.binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd ?? dir)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "AP_USER")
        env.removeValue(forKey: "AP_REPO")
        // The test clock; a repository with signatures required never takes it, so it runs on the machine's.
        if keys == nil {
            env["AP_NOW"] = now
            env["AP_TEST_CLOCK"] = "1"
        } else {
            env.removeValue(forKey: "AP_NOW")
        }
        // git's merge driver runs the `ap` on PATH: this one.
        let bin = URL(fileURLWithPath: Harness.binary).deletingLastPathComponent().path
        env["PATH"] = bin + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["NO_COLOR"] = "1"
        // Signatures found good are remembered outside the repository, per test.
        env["XDG_CACHE_HOME"] = dir + "-cache"
        env.removeValue(forKey: "AP_SIGNING_KEY")
        env.removeValue(forKey: "SSH_AUTH_SOCK")
        if let user { env["AP_USER"] = user }
        if let user, let keys, FileManager.default.fileExists(atPath: keys.dir + "/" + user) {
            env["AP_SIGNING_KEY"] = keys.dir + "/" + user
        }
        for (k, v) in extra { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    @discardableResult
    func expectOK(_ args: [String], as user: String? = nil, env: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let r = try run(args, as: user, env: env)
        XCTAssertEqual(r.status, 0, "ap \(args.joined(separator: " ")) failed: \(r.stderr)", file: file, line: line)
        return r
    }

    /// Runs a command that must fail with `status`, mention `message` on stderr, and change no file.
    @discardableResult
    func expectFailure(_ args: [String], as user: String? = nil, status: Int32, message: String, env: [String: String] = [:],
                       file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let before = try snapshot()
        let r = try run(args, as: user, env: env)
        XCTAssertEqual(r.status, status, "ap \(args.joined(separator: " ")): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(message), "stderr '\(r.stderr)' lacks '\(message)'", file: file, line: line)
        XCTAssertEqual(r.stdout, "", "a failing command printed to stdout", file: file, line: line)
        XCTAssertEqual(try snapshot(), before, "files changed after a refused command", file: file, line: line)
        return r
    }

    /// Every file under the repository with its bytes (the lock file's content aside).
    func snapshot() throws -> [String: Data] {
        var out: [String: Data] = [:]
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: dir) else { return out }
        for case let rel as String in walker where rel != ".ap/lock" {
            var isDir: ObjCBool = false
            let path = dir + "/" + rel
            if fm.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
                out[rel] = fm.contents(atPath: path)
            }
        }
        return out
    }

    /// git as a person at a site runs it: an author, and this build's `ap` first on PATH for
    /// the merge driver. Fails the test when git's status is not `expect`.
    @discardableResult
    /// A bare hub this repository is pushed to, and a clone of it (another site); both are
    /// removed when `test` ends.
    func hubAndClone(_ test: XCTestCase) throws -> (hub: String, clone: String) {
        let hub = dir + "-hub.git", other = dir + "-other"
        test.addTeardownBlock {
            try? FileManager.default.removeItem(atPath: hub)
            try? FileManager.default.removeItem(atPath: other)
        }
        try Harness.git(["init", "-q", "--bare", hub], in: NSTemporaryDirectory())
        try Harness.git(["remote", "add", "origin", hub], in: dir)
        try Harness.git(["push", "-q", "-u", "origin", "HEAD:master"], in: dir)
        try Harness.git(["clone", "-q", hub, other], in: NSTemporaryDirectory())
        return (hub, other)
    }

    static func git(
        _ args: [String], in dir: String, expect: Int32 = 0, author: String = "t", file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> String {
        let bin = URL(fileURLWithPath: binary).deletingLastPathComponent().path
        let env = [
            "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "\(author)@t", "GIT_COMMITTER_NAME": author,
            "GIT_COMMITTER_EMAIL": "\(author)@t",
            "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
        ]
        let (code, text) = try tool("git", args, cwd: dir, env: env)
        XCTAssertEqual(code, expect, "git \(args.joined(separator: " ")): \(text)", file: file, line: line)
        return text
    }

    /// Runs another program (python3, git, bash, ap-bench) and returns its status and its
    /// standard output and error together.
    static func tool(_ executable: String, _ args: [String], cwd: String? = nil, env extra: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        p.arguments = executable.hasPrefix("/") ? args : [executable] + args
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        p.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    func caseFile(_ id: String) -> String { dir + "/" + CaseID.relativePath(id) }

    func loadCase(_ id: String) throws -> CaseFile {
        try CaseFile(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: caseFile(id)))))
    }

    /// A case with a PSR stage owned by pat, ready for answers: a first assessment with its
    /// screening tools answered `no` (001 §4.2), unless `screened` is false.
    func caseWithStage(_ id: String = "YP-0001", kind: String = "psr", screened: Bool = true) throws {
        try expectOK(["case", "new", id, "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
        try expectOK(["stage", "new", id, "--kind", kind], as: "pat")
        if screened, StageRules.screenedKinds.contains(kind) { try screens(id) }
    }

    /// A Review completed and countersigned: the assessment a complete transfer goes with,
    /// completed within the last month (002 §12.6, Appendix A).
    func completedReview(_ id: String = "YP-0001") throws {
        try expectOK(["stage", "new", id, "--kind", "review"], as: "pat")
        try expectOK(["stage", "set", id, "rosh=low", "saw=low", "lor=low", "scaled-approach=standard"], as: "pat")
        try expectOK(["stage", "submit", id], as: "pat")
        try expectOK(["countersign", id], as: "mo")
    }

    /// The four screening tools answered, `no` but for the items `yes` names: a case's first
    /// assessment needs them (001 §4.2).
    func screens(_ id: String = "YP-0001", yes: [String] = [], as user: String = "pat") throws {
        let lines = ShippedCatalogue.questions.filter { $0.screen != nil }
            .map { "\($0.key)=\(yes.contains($0.key) ? "yes" : "no")\n" }.joined()
        let r = try run(["stage", "set", id, "--from", "-"], as: user, stdin: lines)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    /// The entries a high or very-high rating among `answers` rests on (policy rating-evidence):
    /// a future behaviour for RoSH, an adverse outcome for SaW.
    func evidence(for answers: [String], _ id: String = "YP-0001", as user: String = "pat") throws {
        let high = ["high", "very-high"]
        if answers.contains(where: { a in high.contains { a == "rosh=" + $0 } }) {
            try expectOK(["stage", "add", id, "future-behaviours", "behaviour=Fights at school", "victims=Peers",
                          "likelihood=medium", "impact=high"], as: user)
        }
        if answers.contains(where: { a in high.contains { a == "saw=" + $0 } }) {
            try expectOK(["stage", "add", id, "adverse-outcomes", "outcome=Exploited by older peers",
                          "likelihood=high", "impact=high"], as: user)
        }
    }
}

/// Every answer a Transfer YOT to YOT stage needs by default: its questions, and the
/// transfer-in summary with typed values (002 Appendix A).
let transferAnswers = StageKind.transferQuestions.map { "\($0)=answered" } + transferSummary.map { "\($0.0)=\($0.1)" }
let transferSummary = [
    ("transfer.order-type", "Referral order"), ("transfer.order-start", "2026-10-01"),
    ("transfer.order-length", "9 months"), ("transfer.iom", "no"), ("transfer.mappa-category", "n/a"),
    ("transfer.mappa-level", "n/a"), ("transfer.child-protection-plan", "none"), ("transfer.safeguarding", "none"),
    ("transfer.documents", "All attached"),
]

/// OpenSSH keys made by ssh-keygen for a test, one per name, in a folder of their own.
final class KeyRing {
    let dir: String

    init(_ dir: String) throws {
        self.dir = dir
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    /// The private key file for `name`, made on first use (`type`: ed25519 or rsa).
    func privateFile(_ name: String, type: String = "ed25519") throws -> String {
        let path = dir + "/" + name
        if !FileManager.default.fileExists(atPath: path) {
            let bits = type == "rsa" ? ["-b", "2048"] : []
            let args = ["-q", "-t", type] + bits + ["-N", "", "-C", name, "-f", path]
            let (status, text) = try Harness.tool("ssh-keygen", args)
            guard status == 0 else { throw NSError(domain: "ssh-keygen", code: Int(status), userInfo: ["text": text]) }
        }
        return path
    }

    func publicFile(_ name: String, type: String = "ed25519") throws -> String {
        try privateFile(name, type: type) + ".pub"
    }

    func fingerprint(_ name: String) throws -> String {
        let (_, text) = try Harness.tool("ssh-keygen", ["-l", "-E", "sha256", "-f", try publicFile(name)])
        return String(text.split(separator: " ")[1])
    }
}
