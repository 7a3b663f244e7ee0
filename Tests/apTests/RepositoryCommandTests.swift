import APModel
import Foundation
import XCTest

final class RepositoryCommandTests: XCTestCase {
    func testInitCreatesConfigAndCasesWithPrivateModes() throws {
        let h = try Harness(users: false)
        XCTAssertEqual(FileSystem.mode(h.dir + "/.ap"), 0o750)
        XCTAssertEqual(FileSystem.mode(h.dir + "/cases"), 0o750)
        XCTAssertEqual(FileSystem.mode(h.dir + "/.ap/config.json"), 0o640)
        let config = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: h.dir + "/.ap/config.json"))))
        XCTAssertEqual(config["yot"]?["code"], "BARNET")
        XCTAssertEqual(config["policy"]?["countersign"], "criteria")
        XCTAssertEqual(config["policy"]?["lor-direction"], "higher")
        XCTAssertEqual(config["users"]?["alex"]?["roles"], ["admin"])
        XCTAssertEqual(config["mandatory"]?["transfer-yot-to-yot"]?.arrayValue?.count, 16, "questions and summary")
    }

    func testInitRefusesInsideARepository() throws {
        let h = try Harness(users: false)
        try FileManager.default.createDirectory(atPath: h.dir + "/cases/sub", withIntermediateDirectories: true)
        let r = try h.run(["init", "cases/sub", "--yot", "X", "--yot-name", "X", "--admin", "a"])
        XCTAssertEqual(r.status, 73)
        XCTAssertTrue(r.stderr.contains("inside the ap repository"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: h.dir + "/cases/sub/.ap"))
    }

    func testInitValidatesItsOptions() throws {
        let h = try Harness(users: false)
        let other = h.dir + "-other"
        defer { try? FileManager.default.removeItem(atPath: other) }
        let r = try h.run(["init", other, "--yot", "bad code!", "--yot-name", "X", "--admin", "a"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("invalid YOT code"), r.stderr)
        let missing = try h.run(["init", other, "--yot", "X", "--admin", "a"])
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("--yot-name"), missing.stderr)
    }

    func testRepositoryIsFoundFromASubfolderAndByOptionOrEnvironment() throws {
        let h = try Harness(users: false)
        let sub = h.dir + "/cases"
        XCTAssertEqual(try h.run(["user", "list"], cwd: sub).status, 0)
        let outside = NSTemporaryDirectory()
        let lost = try h.run(["user", "list"], cwd: outside)
        XCTAssertEqual(lost.status, 66)
        XCTAssertTrue(lost.stderr.contains("not an ap repository"), lost.stderr)
        XCTAssertTrue(lost.stderr.contains("AP_REPO"), lost.stderr)
        XCTAssertEqual(try h.run(["-C", h.dir, "user", "list"], cwd: outside).status, 0)
        XCTAssertEqual(try h.run(["user", "list"], env: ["AP_REPO": h.dir], cwd: outside).status, 0)
        let wrong = try h.run(["-C", outside, "user", "list"], cwd: outside)
        XCTAssertEqual(wrong.status, 66)
        XCTAssertTrue(wrong.stderr.contains("is not an ap repository"), wrong.stderr)
    }

    func testUserAddNeedsAnAdminAndValidRoles() throws {
        let h = try Harness()
        try h.expectFailure(["user", "add", "zed", "--name", "Z", "--role", "manager"], as: "pat", status: 77, message: "needs the role admin")
        try h.expectFailure(["user", "add", "zed", "--name", "Z", "--role", "boss"], as: "alex", status: 64, message: "unknown role 'boss'")
        try h.expectFailure(["user", "add", "Bad/Id", "--name", "Z", "--role", "manager"], as: "alex", status: 64, message: "invalid user id")
        let list = try h.expectOK(["user", "list", "--json"])
        let ids = list.json?.arrayValue?.compactMap { $0["id"]?.stringValue }
        XCTAssertEqual(ids, ["alex", "bo", "kim", "lee", "mo", "pat"])
        XCTAssertEqual(list.json?.arrayValue?.first(where: { $0["id"] == "lee" })?["roles"], ["manager", "practitioner"])
    }

    func testActingUserMustBeGivenAndKnown() throws {
        let h = try Harness()
        try h.expectFailure(["case", "new", "YP-1", "--name", "A", "--dob", "2010-01-01"], status: 64, message: "--as USER or set AP_USER")
        try h.expectFailure(["case", "new", "YP-1", "--name", "A", "--dob", "2010-01-01"], as: "nobody", status: 77, message: "unknown user 'nobody'")
        // --as wins over AP_USER
        let r = try h.expectOK(["--as", "pat", "case", "new", "YP-1", "--name", "A", "--dob", "2010-01-01"], as: "nobody")
        XCTAssertTrue(r.stdout.contains("Created case YP-1"))
        let event = try h.loadCase("YP-1").events[0]
        XCTAssertEqual(event.by, "pat")
        XCTAssertFalse(event.osUser.isEmpty)
    }

    func testUsageErrorsSuggestTheNearestCommandAndOption() throws {
        let h = try Harness(users: false)
        let typo = try h.run(["stgae", "new"])
        XCTAssertEqual(typo.status, 64)
        XCTAssertTrue(typo.stderr.contains("did you mean 'ap stage new'"), typo.stderr)
        let opt = try h.run(["stage", "new", "YP-1", "--knd", "psr"])
        XCTAssertEqual(opt.status, 64)
        XCTAssertTrue(opt.stderr.contains("did you mean '--kind'"), opt.stderr)
        let args = try h.run(["case", "show"])
        XCTAssertEqual(args.status, 64)
        XCTAssertTrue(args.stderr.contains("usage: ap case show"), args.stderr)
    }

    func testJSONErrorsGoToStderrAsJSON() throws {
        let h = try Harness()
        let r = try h.run(["case", "show", "YP-404", "--json"])
        XCTAssertEqual(r.status, 66)
        let error = try JSONParser.parse(r.stderr)["error"]
        XCTAssertEqual(error?["kind"], "not-found")
        XCTAssertEqual(error?["exit"], 66)
    }

    func testHelpIsRenderedForEveryCommand() throws {
        let h = try Harness(users: false)
        let overview = try h.expectOK(["help", "--all"]).stdout
        for name in ["init", "user add", "case new", "stage new", "stage set", "stage submit", "stage stop", "countersign", "log"] {
            XCTAssertTrue(overview.contains("  \(name) "), "ap help lacks \(name)")
            let page = try h.expectOK(name.split(separator: " ").map(String.init) + ["--help"]).stdout
            XCTAssertTrue(page.hasPrefix("OVERVIEW: ") && page.contains("\nUSAGE: ap \(name)"), page)
        }
        XCTAssertTrue(try h.expectOK(["--version"]).stdout.hasPrefix("ap "))
    }
}

final class DocumentationTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEveryCommandIsInTheManPageAndInHelp() throws {
        let h = try Harness(users: false)
        let man = try String(contentsOf: DocumentationTests.root.appendingPathComponent("man/ap.1"), encoding: .utf8)
        let commands =
            try h.expectOK(["help", "--json"]).json?.arrayValue?.compactMap { $0["command"]?.stringValue } ?? []
        XCTAssertGreaterThan(commands.count, 15)
        for name in commands {
            XCTAssertTrue(man.contains(".It Nm Cm \(name)"), "man/ap.1 lacks 'ap \(name)'")
        }
    }

    func testManPagesPassMandocLintWhereMandocIsInstalled() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/mandoc") else { throw XCTSkip("mandoc not installed") }
        for page in ["ap.1", "ap-case.5", "ap-config.5", "ap-json.5", "ap-transfer.5", "ap-identity.7"] {
            let (status, text) = try Harness.tool("/usr/bin/mandoc", ["-T", "lint", "-W", "warning", DocumentationTests.root.appendingPathComponent("man/\(page)").path])
            XCTAssertEqual(status, 0, "\(page): \(text)")
        }
    }
}

final class HelpTests: XCTestCase {
    /// Golden text: help is rendered from the declarations, and any change to it shows here.
    func testStageStopHelpGoldenText() throws {
        let h = try Harness(users: false)
        XCTAssertEqual(try h.expectOK(["stage", "stop", "--help"]).stdout, """
            OVERVIEW: stop the open stage (managers only)

            USAGE: ap stage stop CASE --reason TEXT

            ARGUMENTS:
              <CASE>  a case id, e.g. YP-0042 (any case)

            OPTIONS:
                  --reason TEXT  why it is stopped, e.g. re-allocation or an urgent bail
                                 stage
                  -C DIR         use the repository at DIR (else AP_REPO, else the nearest
                                 .ap/ upwards)
                  --as USER      act as USER (else AP_USER)
                  --json         print JSON for scripts instead of text
              -w, --width N      lay text out for N columns (else the terminal's; piped, no
                                 limit)
              -h, --help         show help for this command

            EXAMPLES:
              ap stage stop YP-0042 --reason 'urgent bail stage needed'

            """)
    }

    /// Every positional argument of every command is explained on its page.
    func testEveryPositionalArgumentIsExplained() throws {
        let h = try Harness(users: false)
        let commands =
            try h.expectOK(["help", "--json"]).json?.arrayValue?.compactMap { $0["command"]?.stringValue } ?? []
        for name in commands {
            let page = try h.expectOK(["help"] + name.split(separator: " ").map(String.init)).stdout
            XCTAssertFalse(page.contains("see the overview"), "ap \(name): an argument without its explanation")
        }
        let record = try h.expectOK(["record", "--help"]).stdout
        XCTAssertTrue(record.contains("<CASE>") && record.contains("<EVENT>  a key event's slug"), record)
    }

    /// Every command and alias finds its own page: commands are built by families, each
    /// named by the first words its commands answer to, and a word left out is unknown.
    func testEveryCommandAndAliasFindsItsOwnPage() throws {
        let h = try Harness(users: false)
        let listed = try h.expectOK(["help", "--json"]).json?.arrayValue ?? []
        let commands = listed.compactMap { $0["command"]?.stringValue }
        XCTAssertGreaterThan(commands.count, 60)
        for name in commands where name != "help" {  // `ap help --help` is the overview
            let page = try h.expectOK(name.split(separator: " ").map(String.init) + ["--help"]).stdout
            XCTAssertTrue(page.contains("USAGE: ap \(name)"), "ap \(name) --help: \(page.prefix(200))")
        }
        XCTAssertTrue(try h.expectOK(["cases", "--help"]).stdout.contains("USAGE: ap case list"))
        XCTAssertTrue(try h.expectOK(["stage", "answer", "--help"]).stdout.contains("USAGE: ap stage set"))
        XCTAssertTrue(try h.expectOK(["cases", "--json"]).json?.arrayValue != nil, "an alias runs its command")
    }

    func testEveryHelpPageFitsEightyColumns() throws {
        let h = try Harness(users: false)
        let commands = try h.expectOK(["help", "--json"]).json?.arrayValue?.compactMap { $0["command"]?.stringValue } ?? []
        for name in commands {
            let page = try h.expectOK(name.split(separator: " ").map(String.init) + ["--help"]).stdout
            for line in page.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 80, "ap \(name) --help: \(line)") }
        }
        for line in try h.expectOK(["help"]).stdout.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 80, String(line)) }
    }
}
