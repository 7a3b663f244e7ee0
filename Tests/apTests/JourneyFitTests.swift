import APModel
import Foundation
import XCTest

/// Issue 25, "obligations that fit": local times for a rule, a hearing recorded too late to
/// meet its deadline, who updates after a meeting, a breach hearing's Placement Notification.
final class JourneyFitTests: XCTestCase {
    var h: Harness!

    override func setUpWithError() throws {
        h = try Harness()
        h.now = "2026-11-23T09:00:00.000Z"
        try h.expectOK(["org", "add", "YCS", "--name", "YCS Placements Team", "--type", "placements"], as: "alex")
        try h.expectOK(["org", "add", "WETHERBY", "--name", "HMYOI Wetherby", "--type", "establishment"], as: "alex")
        try h.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
    }

    func record(_ event: String, _ date: String, _ extra: [String] = []) throws {
        try h.expectOK(["record", "YP-0001", event, "--date", date] + extra, as: "pat")
    }

    func due(_ rule: String, all: Bool = false) throws -> JSONValue? {
        let entries = try h.expectOK(["due", "--json"] + (all ? ["--all"] : [])).json?.arrayValue
        return entries?.first { $0["rule"]?.stringValue == rule }
    }

    func testARuleTakesTheTimeThisYOTSets_001_11_2_1_against_003_2_1() throws {
        try record("court-hearing", "2026-11-30T10:00", ["--custody-possible"])
        XCTAssertEqual(try due("psr-to-placements")?["due"], "2026-11-29T10:00:00.000Z", "24 hours before (003 §2.1)")
        try h.expectFailure(["config", "obligation", "psr-to-placements", "--within", "2d"], as: "mo", status: 77,
                            message: "admin")
        try h.expectFailure(["config", "obligation", "psr-to-placements", "--within", "2wd"], as: "alex", status: 65,
                            message: "before a hearing")
        try h.expectFailure(["config", "obligation", "psr-to-placements", "--within", "soon"], as: "alex",
                            status: 64, message: "48h, 2d, 5wd")
        try h.expectFailure(["config", "obligation", "psr-to-court", "--within", "2d"], as: "alex", status: 66,
                            message: "unknown obligation rule 'psr-to-court'")
        let set = try h.expectOK(["config", "obligation", "psr-to-placements", "--within", "2d", "--json"], as: "alex")
        XCTAssertEqual(set.json?.arrayValue?.first?["time"], "at least 48 hours before")
        XCTAssertEqual(set.json?.arrayValue?.first?["source"], "local")
        XCTAssertEqual(try due("psr-to-placements")?["due"], "2026-11-28T10:00:00.000Z", "Barnet's two days")
        // A rule that counts after what started it takes working days.
        try h.expectOK(["config", "obligation", "post-release-meeting", "--within", "5wd"], as: "alex")
        let list = try h.expectOK(["config", "obligation"]).stdout
        XCTAssertTrue(list.contains("post-release-meeting") && list.contains("within 5 working days"), list)
        try h.expectOK(["config", "obligation", "psr-to-placements", "--within", "default"], as: "alex")
        XCTAssertEqual(try due("psr-to-placements")?["due"], "2026-11-29T10:00:00.000Z")
    }

    func testAHandEditedObligationTimeIsRefusedByName() throws {
        let path = h.dir + "/.ap/config.json"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let times = "\"obligationTimes\": {\"psr-to-placements\": \"2wd\"},\n  \"timescales\""
        text = text.replacingOccurrences(of: "\"timescales\"", with: times)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try h.expectFailure(["due"], status: 65, message: "obligationTimes")
    }

    func testAHearingRecordedAfterItsDeadlineIsLateNotOverdueFromTheStart_003_2_1() throws {
        // Recorded at 09:00 for 14:00 the same day: the 24 hours before had already gone.
        try record("court-hearing", "2026-11-23T14:00", ["--custody-possible"])
        let late = try due("psr-to-placements")
        XCTAssertEqual(late?["late"], true)
        XCTAssertEqual(late?["overdue"], true, "still owed, and past its time")
        let text = try h.expectOK(["due"]).stdout
        XCTAssertTrue(text.contains("late: recorded after the deadline"), text)
        XCTAssertFalse(text.contains("overdue by"), text)
        // Recorded in good time and then missed: overdue, not late.
        try record("court-hearing", "2026-11-26T10:00", ["--custody-possible"])
        h.now = "2026-11-25T12:00:00.000Z"
        let missed = try h.expectOK(["due", "--json"]).json?.arrayValue?.filter { $0["rule"] == "psr-to-placements" }
        XCTAssertEqual(missed?.map { $0["late"] }, [true, false])
        XCTAssertTrue(try h.expectOK(["due"]).stdout.contains("overdue by"))
        let header = try h.expectOK(["due", "--csv"]).stdout.split(whereSeparator: \.isNewline)[0]
        XCTAssertTrue(header.hasSuffix(",late"), String(header))
    }

    func testAfterAMeetingTheEstablishmentUpdatesUnlessTheYOTAgreedTo_003_4_1() throws {
        try record("planning-meeting", "2026-11-23T10:00", ["--at", "WETHERBY"])
        let theirs = try due("establishment-update-after-meeting")
        XCTAssertEqual(theirs?["party"], "establishment")
        XCTAssertEqual(theirs?["due"]?.stringValue?.prefix(10), "2026-11-30", "five working days")
        XCTAssertNil(try due("review-after-planning-meeting"), "the YOT shares nothing it did not agree to update")
        try record("review-notified", "2026-11-23")
        h.now = "2026-11-23T11:00:00.000Z"
        XCTAssertEqual(try due("establishment-update-after-meeting", all: true)?["dischargedBy"],
                       "review-notified recorded")
        // The next review meeting agreed the YOT updates: its Review stage goes to the establishment.
        try record("planning-meeting", "2026-11-23T10:30", ["--updates-by", "yot"])
        XCTAssertEqual(try due("review-after-planning-meeting")?["party"], "yot")
        try h.expectFailure(
            ["record", "YP-0001", "planning-meeting", "--date", "2026-11-24", "--updates-by", "probation"],
            as: "pat", status: 64, message: "--updates-by takes yot or establishment")
        try h.expectFailure(["record", "YP-0001", "court-hearing", "--date", "2026-11-24", "--updates-by", "yot"],
                            as: "pat", status: 64, message: "--updates-by goes with planning-meeting")
        let shown = try h.expectOK(["case", "show", "YP-0001", "--json"]).json?["keyEvents"]?.arrayValue ?? []
        XCTAssertEqual(shown.compactMap { $0["updatesBy"]?.stringValue }, ["yot"])
    }

    func testABreachHearingIsMetByAPlacementNotificationStage_001_11_2_1() throws {
        try record("court-hearing", "2026-11-27T10:00", ["--custody-possible", "--breach"])
        XCTAssertNil(try due("psr-to-placements"), "no PSR is written for a breach")
        XCTAssertEqual(try due("placement-notification-to-placements")?["due"], "2026-11-26T10:00:00.000Z")
        try h.completeStage("placement-notification", ["custody.placement-factors=First time in custody"])
        try h.sendStage(to: "YCS")
        XCTAssertEqual(try due("placement-notification-to-placements", all: true)?["dischargedBy"]?.stringValue?
                        .hasSuffix("sent to placements"), true)
        // Without custody possible, a breach hearing asks nothing of Placements.
        try record("court-hearing", "2026-12-04T10:00", ["--breach"])
        XCTAssertEqual(try h.expectOK(["due", "--json"]).json?.arrayValue?.count, 0)
        // A Placement Notification does not stand in for the PSR a sentencing hearing needs.
        try record("court-hearing", "2026-12-11T10:00", ["--custody-possible"])
        try h.sendStage(to: "YCS")
        XCTAssertEqual(try due("psr-to-placements")?["open"], true)
    }
}
