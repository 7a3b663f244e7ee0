import APModel
import Foundation
import XCTest

final class CaseCommandTests: XCTestCase {
    func testCaseNewWritesAShardedPrivateFileWithEventAndState() throws {
        let h = try Harness()
        let r = try h.expectOK(["case", "new", "yp-0042", "--name", "Jordan Smith", "--dob", "2009-03-14", "--looked-after"], as: "bo")
        XCTAssertEqual(r.stdout, "Created case YP-0042 (Jordan Smith)\n")
        let path = h.caseFile("YP-0042")
        XCTAssertTrue(path.contains("/cases/\(CaseID.shard("YP-0042"))/YP-0042.json"))
        XCTAssertEqual(FileSystem.mode(path), 0o640)
        XCTAssertEqual(FileSystem.mode(FileSystem.parent(path)), 0o750)
        let file = try h.loadCase("YP-0042")
        XCTAssertEqual(file.events.count, 1)
        XCTAssertEqual(file.events[0].type, "case.created")
        XCTAssertEqual(file.events[0].at.description, "2026-11-02T09:00:00.000Z")
        XCTAssertEqual(file.state.name, "Jordan Smith")
        XCTAssertTrue(file.state.lookedAfter)
        // Canonical output: writing the loaded file again gives the same bytes.
        XCTAssertEqual(Data(file.bytes), try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func testCaseNewRefusesDuplicatesBadIdsAndBadDates() throws {
        let h = try Harness()
        try h.expectOK(["case", "new", "YP-1", "--name", "A B", "--dob", "2010-01-01"], as: "bo")
        try h.expectFailure(["case", "new", "yp-1", "--name", "C", "--dob", "2010-01-01"], as: "bo", status: 73, message: "already exists")
        try h.expectFailure(["case", "new", "--name", "C", "--dob", "2010-01-01", "--", "-x"], as: "bo", status: 64, message: "invalid case id")
        for bad in ["../etc", "a/b", "..", String(repeating: "A", count: 33), "YP_1"] {
            try h.expectFailure(["case", "new", bad, "--name", "C", "--dob", "2010-01-01"], as: "bo", status: 64, message: "invalid case id")
        }
        try h.expectFailure(
            ["case", "new", "YP-2", "--name", "C", "--dob", "2010-02-30"], as: "bo", status: 64,
            message: "invalid date of birth")
        try h.expectFailure(
            ["case", "new", "YP-2", "--name", "C", "--dob", "2030-01-01"], as: "bo", status: 64,
            message: "not in the past")
    }

    func testShowListAndUpdate() throws {
        let h = try Harness()
        try h.expectOK(["case", "new", "YP-1", "--name", "Alpha One", "--dob", "2010-01-01"], as: "bo")
        try h.expectOK(["case", "new", "YP-2", "--name", "Beta Two", "--dob", "2011-05-05"], as: "bo")
        h.now = "2026-11-03T10:00:00.000Z"
        try h.expectOK(["case", "update", "YP-1", "looked-after=yes", "name=Alpha A One", "--basis", "section-20",
                        "--reason", "Accommodated by agreement"], as: "mo")
        let show = try h.expectOK(["case", "show", "YP-1"]).stdout
        XCTAssertTrue(show.contains("Alpha A One"), show)
        XCTAssertTrue(show.contains("Looked after:  yes"), show)
        let list = try h.expectOK(["case", "list", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(list.map { $0["id"]?.stringValue }, ["YP-1", "YP-2"])
        XCTAssertEqual(list[0]["lookedAfter"], true)
        let table = try h.expectOK(["case", "list"]).stdout
        XCTAssertTrue(table.split(separator: "\n").allSatisfy { $0.count <= 80 }, table)
        try h.expectFailure(["case", "update", "YP-1", "colour=blue"], as: "pat", status: 64, message: "cannot update 'colour'")
        try h.expectFailure(["case", "update", "YP-1", "looked-after=maybe"], as: "pat", status: 65, message: "allowed: yes, no")
        try h.expectFailure(["case", "update", "YP-9", "name=X"], as: "pat", status: 66, message: "no case 'YP-9'")
    }

    func testLogShowsHistoryOldestFirstWithUsers() throws {
        let h = try Harness()
        try h.caseWithStage(screened: false)
        h.now = "2026-11-03T09:00:00.000Z"
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        let log = try h.expectOK(["log", "YP-0001", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(log.map { $0["type"]?.stringValue }, ["case.created", "stage.started", "stage.answered"])
        XCTAssertEqual(log.map { $0["by"]?.stringValue }, ["bo", "pat", "pat"])
        let text = try h.expectOK(["log", "YP-0001"]).stdout
        XCTAssertTrue(text.split(separator: "\n").contains { $0.contains("pat") && $0.contains("stage.answered") && $0.hasSuffix("rosh") }, text)
    }

    func testEventsStampedAfterTheLatestEvenWhenTheClockIsBehind() throws {
        let h = try Harness()
        try h.caseWithStage()
        h.now = "2026-11-01T21:00:00.000Z"  // a site whose clock is twelve hours behind
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        let events = try h.loadCase("YP-0001").events
        XCTAssertGreaterThan(events[2].at, events[1].at)
        // A month behind: the case's events are more than a day ahead of it, and it says so.
        h.now = "2026-10-01T09:00:00.000Z"
        try h.expectFailure(
            ["stage", "set", "YP-0001", "rosh=medium"], as: "pat", status: 65, message: "more than a day ahead")
    }
}

/// `ap case list --name` and `--status` ask each index row before decoding it (issue 29):
/// the answers are those of a list that decodes every case, warm index or cold.
final class CaseListPrefilterTests: XCTestCase {
    func testANameOrStatusAskedOfTheRowsListsWhatAWholeReadWould() throws {
        let h = try Harness()
        for (id, name) in [("YP-1", "Zoë Ward"), ("YP-2", "Jo Back\\slash\tTabbed"), ("YP-3", "Sam Smith")] {
            try h.expectOK(["case", "new", id, "--name", name, "--dob", "2010-01-01"], as: "bo")
        }
        try h.expectOK(["stage", "new", "YP-3", "--kind", "review"], as: "pat")
        func ids(_ args: [String]) throws -> [String] {
            let listed = try h.expectOK(["case", "list", "--json"] + args).json?.arrayValue ?? []
            return listed.compactMap { $0["id"]?.stringValue }
        }
        try? FileManager.default.removeItem(atPath: h.dir + "/.ap/index")  // cold: no index yet
        let cold = try ids(["--name", "ZOE"])
        XCTAssertEqual(cold, ["YP-1"], "accents and case folded")
        XCTAssertEqual(try ids(["--name", "ZOE"]), cold, "the same from the warm index")
        XCTAssertEqual(try ids(["--name", "back\\slash"]), ["YP-2"], "an escaped name is read unescaped")
        XCTAssertEqual(try ids(["--status", "in-progress"]), ["YP-3"])
        XCTAssertEqual(try ids(["--status", "none"]), ["YP-1", "YP-2"])
        XCTAssertEqual(try ids(["--status", "none", "--name", "smith"]), [])
        XCTAssertEqual(try h.expectOK(["case", "list", "--name", "nobody"]).stdout, "No cases match.\n")
        // A case renamed since the index was written is read again and asked again.
        try h.expectOK(["case", "update", "YP-1", "name=Ann Lee"], as: "mo")
        XCTAssertEqual(try ids(["--name", "zoe"]), [])
        XCTAssertEqual(try ids(["--name", "ann"]), ["YP-1"])
    }
}
