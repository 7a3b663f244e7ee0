import APModel
import Foundation
import XCTest

/// The core record on the case: offences and orders from the latest stage that lists them,
/// court appearances and remands from the key events (issue 24).
final class CoreRecordCommandTests: XCTestCase {
    func testCaseShowHoldsTheCoreRecordAndAStoppedStageDoesNotSpeakForIt() throws {
        let h = try Harness()
        try h.caseWithStage()
        try h.expectOK(["stage", "add", "YP-0001", "core-record.offences", "date=2026-09-12", "type=Robbery",
                        "outcome=Remitted for sentence"], as: "pat")
        try h.expectOK(["stage", "add", "YP-0001", "core-record.orders", "type=Referral order", "start=2026-10-01",
                        "length=9 months"], as: "pat")
        try h.expectOK(["record", "YP-0001", "court-hearing", "--date", "2026-10-01T10:00"], as: "pat")
        try h.expectOK(["record", "YP-0001", "remanded-laa", "--date", "2026-10-01T13:00"], as: "pat")
        let json = try h.expectOK(["case", "show", "YP-0001", "--json"], as: "pat").json?["coreRecord"]
        XCTAssertEqual(json?["offences"]?.arrayValue?.first?["type"], "Robbery")
        XCTAssertEqual(json?["orders"]?.arrayValue?.first?["length"], "9 months")
        XCTAssertEqual(json?["court"]?.arrayValue?.compactMap { $0["event"]?.stringValue }, ["court-hearing"])
        XCTAssertEqual(json?["remands"]?.arrayValue?.compactMap { $0["event"]?.stringValue }, ["remanded-laa"])
        let first = try h.loadCase("YP-0001").state.stages[0].id
        XCTAssertEqual(json?["stage"]?.stringValue, first)
        let text = try h.expectOK(["case", "show", "YP-0001"], as: "pat").stdout
        XCTAssertTrue(text.contains("offence: 2026-09-12; Robbery; Remitted for sentence"), text)
        XCTAssertTrue(text.contains("court: 2026-10-01T10:00 court-hearing"), text)
        XCTAssertTrue(text.contains("remand: 2026-10-01T13:00 remanded-laa"), text)
        // The next stage carries the record forward and adds to it; the case shows the latest.
        try h.expectOK(["stage", "stop", "YP-0001", "--reason", "Wrong kind"], as: "mo")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "review"], as: "pat")
        try h.expectOK(["stage", "add", "YP-0001", "core-record.offences", "date=2026-09-13", "type=Theft"],
                       as: "pat")
        let core = try h.expectOK(["case", "show", "YP-0001", "--json"], as: "pat").json?["coreRecord"]
        XCTAssertEqual(core?["offences"]?.arrayValue?.compactMap { $0["type"]?.stringValue }, ["Robbery", "Theft"])
        XCTAssertNotEqual(core?["stage"]?.stringValue, first)
        XCTAssertEqual(core?["court"]?.arrayValue?.count, 1, "the hearing stays on the case")
        let shown = try h.expectOK(["case", "show", "YP-0001"], as: "pat").stdout
        XCTAssertTrue(shown.contains(", in-progress):"), shown)
    }

    func testACaseWithoutOffencesOrHearingsShowsNoCoreRecord() throws {
        let h = try Harness()
        try h.caseWithStage()
        XCTAssertNil(try h.expectOK(["case", "show", "YP-0001", "--json"], as: "pat").json?["coreRecord"])
        XCTAssertFalse(try h.expectOK(["case", "show", "YP-0001"], as: "pat").stdout.contains("Core record"))
    }
}
