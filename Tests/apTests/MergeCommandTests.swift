import APModel
import Foundation
import XCTest

final class MergeCommandTests: XCTestCase {
    func copy(_ h: Harness, _ id: String, to name: String) throws -> String {
        let path = h.dir + "/../" + name + "-" + UUID().uuidString + ".json"
        try FileManager.default.copyItem(atPath: h.caseFile(id), toPath: path)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testMergeTwoFilesReportsConflictsAndWritesTheResult() throws {
        let h = try Harness()
        try h.caseWithStage()
        let base = try copy(h, "YP-0001", to: "base")
        h.now = "2026-11-03T09:00:00.000Z"
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        let first = try copy(h, "YP-0001", to: "first")
        try FileManager.default.removeItem(atPath: h.caseFile("YP-0001"))
        try FileManager.default.copyItem(atPath: base, toPath: h.caseFile("YP-0001"))
        h.now = "2026-11-04T09:00:00.000Z"
        try h.expectOK(["stage", "set", "YP-0001", "rosh=high", "saw=medium"], as: "mo")
        let second = try copy(h, "YP-0001", to: "second")
        let out = h.dir + "/../merged-\(UUID().uuidString).json"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: out) }

        let r = try h.expectOK(["merge", first, second, "-o", out, "--json"])
        XCTAssertEqual(r.json?["onlyInFirst"], 1)
        XCTAssertEqual(r.json?["onlyInSecond"], 1)
        let conflict = r.json?["conflicts"]?.arrayValue?.first
        XCTAssertEqual(conflict?["first"], "low")
        XCTAssertEqual(conflict?["second"], "high")
        XCTAssertEqual(conflict?["winner"], "high")
        XCTAssertEqual(conflict?["secondAt"], "2026-11-04T09:00:00.000Z")
        let merged = try CaseFile(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: out))))
        XCTAssertEqual(merged.state.stages[0].answers["rosh"]?.value, "high")
        XCTAssertEqual(merged.state.stages[0].answers["saw"]?.value, "medium")
        XCTAssertEqual(FileSystem.mode(out), 0o640)

        // Without -o the document goes to stdout and is a valid case.
        let toStdout = try h.expectOK(["merge", first, second])
        XCTAssertEqual(try CaseFile(bytes: Array(toStdout.stdout.utf8)), merged)
        // --dry-run writes nothing.
        let dry = h.dir + "/../dry-\(UUID().uuidString).json"
        try h.expectOK(["merge", first, second, "-o", dry, "--dry-run"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dry))
    }

    func testDifferentIdsNeedIntoAndBadInputIsRefused() throws {
        let h = try Harness()
        try h.caseWithStage("YP-0001")
        try h.caseWithStage("YP-0002")
        let a = try copy(h, "YP-0001", to: "a"), b = try copy(h, "YP-0002", to: "b")
        try h.expectFailure(["merge", a, b], status: 64, message: "choose the survivor with --into")
        try h.expectFailure(["merge", a, b, "--into", "YP-9"], status: 64, message: "--into must name one of the copies")
        let r = try h.expectOK(["merge", a, b, "--into", "yp-0002", "--json", "--dry-run"])
        XCTAssertEqual(r.json?["case"], "YP-0002")
        let junk = h.dir + "/../junk-\(UUID().uuidString).json"
        try Data("{}".utf8).write(to: URL(fileURLWithPath: junk))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: junk) }
        try h.expectFailure(["merge", a, junk], status: 65, message: "missing field 'format'")
    }

    func testMergeACopyIntoTheRepositoryKeepsTheOtherAsHistory() throws {
        let h = try Harness()
        try h.caseWithStage("YP-0001")
        try h.expectOK(["case", "new", "YP-0002", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
        h.now = "2026-11-05T09:00:00.000Z"
        try h.expectOK(["case", "update", "YP-0002", "looked-after=yes", "--basis", "care-order", "--reason",
                "Order made"], as: "mo")
        try h.expectFailure(["merge", "YP-0001", "--with", h.caseFile("YP-0002")], as: "pat", status: 77, message: "needs the role manager or admin")
        let r = try h.expectOK(["merge", "YP-0001", "--with", h.caseFile("YP-0002"), "--json"], as: "mo")
        XCTAssertEqual(r.json?["onlyInSecond"], 2)
        let merged = try h.loadCase("YP-0001")
        XCTAssertTrue(merged.state.lookedAfter, "the later entry from the other copy wins")
        XCTAssertEqual(merged.events.last?.type, "case.merged")
        XCTAssertEqual(merged.events.last?.payload["from"], "YP-0002")
        XCTAssertFalse(FileManager.default.fileExists(atPath: h.caseFile("YP-0002")))
        XCTAssertTrue(FileManager.default.fileExists(atPath: h.dir + "/.ap/merged-away/YP-0002.json"))
        XCTAssertEqual(try h.expectOK(["case", "list", "--json"]).json?.arrayValue?.count, 1)
    }
}

/// Two clones of one repository change the same case; `git pull` merges through the driver.
final class GitSyncTests: XCTestCase {
    @discardableResult
    func git(_ args: [String], in dir: String) throws -> String { try Harness.git(args, in: dir) }

    func testPullMergesThroughTheDriverAndEqualsApMerge() throws {
        let h = try Harness()
        try h.expectOK(["git", "setup"], as: "alex")
        try h.caseWithStage()
        let log = try git(["log", "--format=%an|%s"], in: h.dir)
        let started = try h.loadCase("YP-0001").state.stages[0].id
        XCTAssertTrue(log.contains("Pat Jones|stage new YP-0001 \(started) (pat)"), log)
        XCTAssertTrue(log.contains("Bo Fenn|case new YP-0001 (bo)"), log)

        let other = h.dir + "-clone"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: other) }
        _ = try git(["clone", "-q", h.dir, other], in: NSTemporaryDirectory())
        try h.expectOK(["-C", other, "git", "setup"], as: "alex")
        try git(["config", "receive.denyCurrentBranch", "ignore"], in: h.dir)

        // Here: a rating. There: an answer, and a later value for the same rating.
        h.now = "2026-11-03T09:00:00.000Z"
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low", "saw=medium"], as: "pat")
        h.now = "2026-11-04T09:00:00.000Z"
        try h.expectOK(["-C", other, "stage", "set", "YP-0001", "rosh=high", "pfs.education=attends"], as: "pat")
        let ours = try Data(contentsOf: URL(fileURLWithPath: h.caseFile("YP-0001")))
        let theirsPath = other + "/" + CaseID.relativePath("YP-0001")

        let expected = try h.expectOK(["merge", h.caseFile("YP-0001"), theirsPath]).stdout
        let pull = try git(["pull", "-q", "--no-rebase", "--no-edit", other, "HEAD"], in: h.dir)
        XCTAssertFalse(pull.contains("CONFLICT"), pull)
        let result = try String(contentsOfFile: h.caseFile("YP-0001"), encoding: .utf8)
        XCTAssertFalse(result.contains("<<<<<<<"))
        XCTAssertEqual(result, expected)
        XCTAssertNotEqual(Data(result.utf8), ours)
        let stage = try h.loadCase("YP-0001").state.stages[0]
        XCTAssertEqual(stage.answers["rosh"]?.value, "high")
        XCTAssertEqual(stage.answers["saw"]?.value, "medium")
        XCTAssertEqual(stage.answers["pfs.education"]?.value, "attends")
        XCTAssertEqual(try git(["status", "--porcelain"], in: h.dir), "", "the merge leaves a clean work tree")
    }

    func testTheDriverRefusesAFileThatIsNotACase() throws {
        let h = try Harness()
        let dir = h.dir
        try Data("not json".utf8).write(to: URL(fileURLWithPath: dir + "/a.json"))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: dir + "/b.json"))
        try Data().write(to: URL(fileURLWithPath: dir + "/o.json"))
        let r = try h.run(["merge", "--git", dir + "/o.json", dir + "/a.json", dir + "/b.json", "cases/x/YP-1.json"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("cannot merge 'cases/x/YP-1.json'"), r.stderr)
        XCTAssertEqual(try String(contentsOfFile: dir + "/a.json", encoding: .utf8), "not json")
    }
}
