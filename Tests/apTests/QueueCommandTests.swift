import APModel
import Foundation
import XCTest

final class QueueCommandTests: XCTestCase {
    /// Three cases: YP-1 awaiting since long ago, YP-2 awaiting recently, YP-3 in progress.
    func populated() throws -> Harness {
        let h = try Harness()
        h.now = "2026-10-01T09:00:00.000Z"
        // These tests are about the queue and reports: stages submit with the ratings they
        // have. Required ratings are tested in FrameworkCommandTests.
        try h.expectOK(["config", "required-ratings", "psr", "none"], as: "alex")
        try h.expectOK(["config", "required-ratings", "review", "none"], as: "alex")
        try h.expectOK(["config", "countersign-kinds", "none"], as: "alex")
        try h.expectOK(["config", "set", "rating-evidence", "off"], as: "alex")
        try h.expectOK(["config", "set", "first-assessment-screens", "off"], as: "alex")
        for id in ["YP-1", "YP-2", "YP-3"] {
            try h.expectOK(["case", "new", id, "--name", "Person \(id)", "--dob", "2010-01-01"], as: "bo")
        }
        try h.expectOK(["stage", "new", "YP-1", "--kind", "psr"], as: "pat")
        try h.expectOK(["stage", "set", "YP-1", "rosh=high", "saw=low"], as: "pat")
        h.now = "2026-10-02T09:00:00.000Z"
        try h.expectOK(["stage", "submit", "YP-1"], as: "pat")
        h.now = "2026-11-18T09:00:00.000Z"
        try h.expectOK(["stage", "new", "YP-2", "--kind", "review"], as: "kim")
        try h.expectOK(["stage", "set", "YP-2", "scaled-approach=enhanced"], as: "kim")
        try h.expectOK(["stage", "submit", "YP-2"], as: "kim")
        try h.expectOK(["stage", "new", "YP-3", "--kind", "psr"], as: "pat")
        h.now = "2026-11-23T09:00:00.000Z"
        return h
    }

    func testQueueListsAwaitingStagesOldestFirstWithWorkingDays() throws {
        let h = try populated()
        let q = try h.expectOK(["queue", "--json"], as: "mo").json?.arrayValue ?? []
        XCTAssertEqual(q.map { $0["case"]?.stringValue }, ["YP-1", "YP-2"])
        XCTAssertEqual(q[0]["workingDaysElapsed"], 37)
        XCTAssertEqual(q[0]["workingDaysLeft"], -22)
        XCTAssertEqual(q[0]["overdue"], true)
        XCTAssertEqual(q[0]["criteria"], ["rosh", "saw"])
        XCTAssertEqual(q[1]["workingDaysElapsed"], 3)
        XCTAssertEqual(q[1]["due"], "2026-12-09")
        let text = try h.expectOK(["queue"], as: "mo").stdout
        XCTAssertTrue(text.contains("2 stages awaiting countersignature, 1 overdue"), text)
        XCTAssertTrue(text.split(separator: "\n").allSatisfy { $0.count <= 80 }, text)
        XCTAssertFalse(text.contains("\u{1B}["), "no colour when not a terminal")
    }

    func testFilters() throws {
        let h = try populated()
        func cases(_ args: [String], as user: String = "mo") throws -> [String?] {
            (try h.expectOK(["queue", "--json"] + args, as: user).json?.arrayValue ?? []).map { $0["case"]?.stringValue }
        }
        XCTAssertEqual(try cases(["--overdue"]), ["YP-1"])
        XCTAssertEqual(try cases(["--owner", "kim"]), ["YP-2"])
        XCTAssertEqual(try cases(["--kind", "REVIEW"]), ["YP-2"])
        try h.expectFailure(["queue", "--kind", "nope"], status: 64, message: "unknown stage kind")
        try h.expectOK(["countersign", "YP-1", "--return", "more detail"], as: "mo")
        XCTAssertEqual(try cases(["--mine"], as: "pat"), ["YP-1"])
        let mine = try h.expectOK(["queue", "--mine"], as: "pat").stdout
        // The rows are written field by field: the text must be the canonical writer's, a
        // returned stage (returnReason) included.
        let mineJSON = try h.expectOK(["queue", "--mine", "--json"], as: "pat").stdout
        XCTAssertTrue(mineJSON.contains("\"returnReason\""), mineJSON)
        XCTAssertEqual(mineJSON, JSONWriter.prettyString(try JSONParser.parse(mineJSON)))
        XCTAssertTrue(mine.contains("Returned for amendment:\n  YP-1  more detail"), mine)
        XCTAssertEqual(try cases([]), ["YP-2"])
    }

    func testIndexIsBuiltAndPicksUpAFileChangedByAnotherProcess() throws {
        let h = try populated()
        XCTAssertEqual(try h.expectOK(["queue", "--json"]).json?.arrayValue?.count, 2)
        let index = h.dir + "/.ap/index"
        XCTAssertTrue(FileManager.default.fileExists(atPath: index))
        XCTAssertEqual(FileSystem.mode(index), 0o640)
        // Up to date, the index answers alone: no case file is read (real nanosecond times, 19 digits).
        let repo = Repository(root: h.dir)
        XCTAssertEqual(try CaseIndex.summaries(repo).refreshed, 0)
        XCTAssertEqual(try CaseIndex.summaries(repo).summaries.count, 3)
        // Another process countersigns YP-2 behind the index's back.
        try h.expectOK(["countersign", "YP-2"], as: "mo")
        XCTAssertEqual(try h.expectOK(["queue", "--json"]).json?.arrayValue?.map { $0["case"]?.stringValue }, ["YP-1"])
        // A damaged index is rebuilt.
        try Data("garbage\n1\t2".utf8).write(to: URL(fileURLWithPath: index))
        XCTAssertEqual(try h.expectOK(["queue", "--json"]).json?.arrayValue?.count, 1)
        XCTAssertTrue(try String(contentsOfFile: index, encoding: .utf8).hasPrefix("ap-index\t13\t-\n"))
        // A removed case disappears from lists.
        try FileManager.default.removeItem(atPath: h.caseFile("YP-1"))
        XCTAssertEqual(try h.expectOK(["queue", "--json"]).json?.arrayValue?.count, 0)
        XCTAssertEqual(try h.expectOK(["case", "list", "--json"]).json?.arrayValue?.count, 2)
    }

    func testADamagedCaseIsReportedAndTheRestListed() throws {
        let h = try populated()
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: h.caseFile("YP-2")))
        let r = try h.run(["queue", "--json"])
        XCTAssertEqual(r.status, 65)
        XCTAssertEqual(r.json?.arrayValue?.map { $0["case"]?.stringValue }, ["YP-1"])
        XCTAssertTrue(r.stderr.contains("YP-2.json"), r.stderr)
    }

    func testReports() throws {
        let h = try populated()
        let inProgress = try h.expectOK(["report", "in-progress", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(inProgress.map { $0["case"]?.stringValue }, ["YP-3"])
        XCTAssertEqual(inProgress.first?["workingDays"], .int(3))
        XCTAssertEqual(inProgress.first?["returned"], .bool(false))
        XCTAssertEqual(inProgress.first?["kind"], "psr", "kinds as slugs, not names")
        let overdue = try h.expectOK(["report", "overdue", "--csv"]).stdout
        let header = "case,name,stage,kind,owner,status,started,due,working-days,over-by,due-by,started-at\r\n"
        XCTAssertTrue(overdue.hasPrefix(header), overdue)
        XCTAssertTrue(overdue.contains("YP-1,Person YP-1,"), overdue)
        try h.expectOK(["countersign", "YP-1"], as: "mo")
        // The policy comes back: YP-1 was completed without two of the ratings.
        try h.expectOK(["config", "required-ratings", "psr", "rosh", "saw", "lor", "scaled-approach"], as: "alex")
        let missing = try h.expectOK(["report", "missing-ratings", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(missing.first?["case"], "YP-1")
        XCTAssertEqual(missing.first?["missing"], "lor scaled-approach")
        try h.expectOK(["stage", "set", "YP-3", "pfs.gangs=yet-to-clarify", "pfs.cse=yes",
                "pfs.missing=Yet-To-Clarify", "pfs.ete-concerns=no"], as: "pat")
        let ytc = try h.expectOK(["report", "yet-to-clarify", "--by", "practitioner", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(ytc.first?["owner"], "pat")
        XCTAssertEqual(ytc.first?["yetToClarify"], .int(2))
        try h.expectFailure(["report", "overdue", "--csv", "--json"], status: 64, message: "one at a time")
        for name in ["in-progress", "overdue", "missing-ratings", "yet-to-clarify", "transfers", "caretaking"] {
            let text = try h.expectOK(["report", name, "-w", "80"]).stdout
            XCTAssertTrue(text.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(name):\n\(text)")
        }
        try h.expectFailure(["report", "overdu"], status: 64, message: "did you mean 'overdue'")
        try h.expectFailure(["report", "overdue", "--by", "stage"], status: 64, message: "--by goes with")
    }

    func testConfigSetIsForAdminsAndValidated() throws {
        let h = try populated()
        try h.expectFailure(["config", "set", "countersign", "all"], as: "mo", status: 77, message: "needs the role admin")
        try h.expectFailure(["config", "set", "countersign", "some"], as: "alex", status: 65, message: "allowed: all, criteria")
        try h.expectFailure(["config", "set", "colour", "red"], as: "alex", status: 64, message: "unknown setting")
        try h.expectOK(["config", "set", "countersign", "all"], as: "alex")
        XCTAssertEqual(try h.expectOK(["config", "show", "--json"]).json?["policy"]?["countersign"], "all")
        // With countersign all, a stage with no criteria now awaits countersignature.
        try h.expectOK(["stage", "set", "YP-3", "pfs.health=x"], as: "pat")
        let r = try h.expectOK(["stage", "submit", "YP-3"], as: "pat")
        XCTAssertTrue(r.stdout.contains("all stages are countersigned"), r.stdout)
    }

    func testYetToClarifyShareIsFlaggedToTheManager() throws {
        let h = try populated()
        try h.expectOK(["config", "set", "yet-to-clarify-percent", "40"], as: "alex")
        try h.expectOK(["stage", "set", "YP-3", "rosh=low", "pfs.gangs=yet-to-clarify", "pfs.cse=yet-to-clarify",
                "pfs.missing=no"], as: "pat")
        try h.expectOK(["stage", "submit", "YP-3"], as: "pat")
        let q = try h.expectOK(["queue", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(q.first(where: { $0["case"] == "YP-3" })?["yetToClarifyPercent"], 50)
        XCTAssertNil(q.first(where: { $0["case"] == "YP-1" })?["yetToClarifyPercent"])
        let queue = try h.expectOK(["queue"], env: ["COLUMNS": "200"]).stdout
        XCTAssertTrue(queue.contains("50% yet to clarify (limit 40%)"), queue)
        // Held for a manager whatever its ratings (issue 25; 001 §17): a kind with none.
        try h.expectOK(["case", "new", "YP-9", "--name", "Nine", "--dob", "2010-01-01"], as: "bo")
        try h.expectOK(["stage", "new", "YP-9", "--kind", "transfer-yot-to-yot"], as: "pat")
        // 7 of 16 answers yet to clarify: over the limit of 40%.
        let answers = StageKind.transferQuestions.map { "\($0)=yet-to-clarify" }
            + transferSummary.map { "\($0.0)=\($0.1)" }
        try h.expectOK(["stage", "set", "YP-9"] + answers, as: "pat")
        let held = try h.expectOK(["stage", "submit", "YP-9", "--json"], as: "pat").json
        XCTAssertEqual(held?["status"], "awaiting-countersignature")
        XCTAssertEqual(held?["criteria"], ["yet-to-clarify"])
        try h.expectOK(["config", "set", "yet-to-clarify-percent", "off"], as: "alex")
        try h.expectOK(["countersign", "YP-9", "--return", "clarify"], as: "mo")
        XCTAssertEqual(try h.expectOK(["stage", "submit", "YP-9", "--json"], as: "pat").json?["status"], "completed",
                       "no limit: no hold")
        let text = try h.expectOK(["queue", "--json"]).stdout
        XCTAssertEqual(text, JSONWriter.prettyString(try JSONParser.parse(text)), "canonical, with yetToClarifyPercent")
    }
}
