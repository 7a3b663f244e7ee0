import APModel
import Foundation
import XCTest

/// Issue 25, social care and looked-after status that follow the child: a prompt where
/// social care's knowledge was never recorded (004 §2), a looked-after status by remand that
/// ends with the remand (004 §§23–24), and the designated authority (003 §1.7).
final class LookedAfterJourneyTests: XCTestCase {
    var h: Harness!

    override func setUpWithError() throws {
        h = try Harness()
        h.now = "2026-11-23T09:00:00.000Z"
        try h.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
    }

    func record(_ event: String, _ date: String, _ extra: [String] = []) throws {
        try h.expectOK(["record", "YP-0001", event, "--date", date] + extra, as: "pat")
    }

    func show() throws -> JSONValue? { try h.expectOK(["case", "show", "YP-0001", "--json"]).json }

    func testAnOpenCaseWithoutSocialCareStatusIsPromptedFor_004_2() throws {
        try h.expectOK(["case", "new", "YP-0002", "--name", "Sam Lee", "--dob", "2010-01-02"], as: "bo")
        let prompt = "no social-care status recorded (004 §2)"
        XCTAssertTrue(try h.expectOK(["due"]).stdout.contains("2 open cases have " + prompt), "due prompts")
        XCTAssertTrue(try h.expectOK(["due", "--case", "YP-0001"]).stdout.contains(
            "Case YP-0001 has \(prompt): 'ap case update YP-0001 social-care=known|not-known'"))
        XCTAssertEqual(try h.expectOK(["due", "--json"]).json, [], "a prompt, not an obligation: JSON is unchanged")
        XCTAssertTrue(try h.expectOK(["case", "show", "YP-0001"]).stdout.contains("social-care status unrecorded"))
        let status = try h.expectOK(["status", "--json"], as: "bo").json
        XCTAssertEqual(status?["socialCareUnrecorded"], 2)
        XCTAssertEqual(status?["socialCareUnrecordedMine"]?.arrayValue?.compactMap { $0["case"]?.stringValue },
                       ["YP-0001", "YP-0002"], "bo opened both")
        let list = { (v: String) in
            try self.h.expectOK(["case", "list", "--social-care", v, "--json"]).json?.arrayValue?
                .compactMap { $0["case"]?.stringValue }
        }
        XCTAssertEqual(try list("unrecorded"), ["YP-0001", "YP-0002"])
        // Recorded either way, the prompt goes; a closed case is never prompted for.
        try h.expectOK(["case", "update", "YP-0001", "social-care=not-known"], as: "pat")
        try record("involvement-ended", "2026-11-23")
        XCTAssertEqual(try list("unrecorded"), ["YP-0002"])
        XCTAssertEqual(try list("not-known"), ["YP-0001"])
        h.now = "2026-11-23T10:00:00.000Z"
        try h.expectOK(["record", "YP-0002", "involvement-ended", "--date", "2026-11-23"], as: "pat")
        XCTAssertFalse(try h.expectOK(["due"]).stdout.contains(prompt))
        XCTAssertEqual(try h.expectOK(["status", "--json"]).json?["socialCareUnrecorded"], 0)
        try h.expectFailure(["case", "list", "--social-care", "maybe"], status: 64, message: "--social-care takes")
    }

    func testALookedAfterStatusByRemandEndsWithTheSentence_004_23_24() throws {
        try record("remanded-yda", "2026-11-02")
        XCTAssertEqual(try show()?["lookedAfterBasis"], "remand")
        try record("sentenced-custody", "2026-11-20")
        let after = try show()
        XCTAssertEqual(after?["lookedAfter"], false, "looked after only by the remand")
        XCTAssertEqual(after?["remandLookedAfterEnded"]?["event"], "sentenced-custody")
        let text = try h.expectOK(["case", "show", "YP-0001"]).stdout
        XCTAssertTrue(text.contains("no (looked after by remand until sentenced-custody on 2026-11-20)"), text)
        // Social care was told of the sentence: the child was looked after when it was passed.
        let owed = try h.expectOK(["due", "--json"]).json?.arrayValue?.compactMap { $0["rule"]?.stringValue } ?? []
        XCTAssertEqual(owed.filter { $0 == "court-outcome-to-social-care" }.count, 2, "the remand and the sentence")
        // Voided, the sentence gives the status back.
        let id = try XCTUnwrap(after?["keyEvents"]?.arrayValue?.last?["id"]?.stringValue)
        try h.expectOK(["record", "YP-0001", "--void", id, "--reason", "wrong case"], as: "pat")
        XCTAssertEqual(try show()?["lookedAfter"], true)
        XCTAssertNil(try show()?["remandLookedAfterEnded"])
    }

    func testBailOrReleaseEndsItTooButNeverAnotherBasis_004_24() throws {
        try record("remanded-laa", "2026-11-02")
        try record("bailed", "2026-11-09")
        XCTAssertEqual(try show()?["lookedAfter"], false)
        XCTAssertEqual(try show()?["remandLookedAfterEnded"]?["event"], "bailed")
        try record("remanded-yda", "2026-11-16")
        XCTAssertEqual(try show()?["lookedAfter"], true, "remanded again")
        XCTAssertNil(try show()?["remandLookedAfterEnded"])
        try record("released", "2026-11-20")
        XCTAssertEqual(try show()?["lookedAfter"], false)
        // Looked after on a care order, a remand and its end change nothing.
        try h.expectOK(["case", "update", "YP-0001", "looked-after=yes", "--basis", "care-order", "--reason",
                        "Care order made"], as: "mo")
        try record("remanded-yda", "2026-11-21")
        try record("sentenced-custody", "2026-11-23")
        XCTAssertEqual(try show()?["lookedAfter"], true)
        XCTAssertEqual(try show()?["lookedAfterBasis"], "care-order")
    }

    func testTheDesignatedAuthorityIsRecordedForALookedAfterChild_003_1_7() throws {
        try h.expectFailure(["case", "update", "YP-0001", "designated-authority=Enfield Council"], as: "mo", status: 1,
                            message: "is recorded for a looked-after child")
        try h.expectOK(["case", "update", "YP-0001", "looked-after=yes", "--basis", "care-order", "--reason", "Order",
                        "designated-authority=Enfield Council"], as: "mo")
        XCTAssertEqual(try show()?["designatedAuthority"], "Enfield Council", "another authority than Barnet's")
        XCTAssertTrue(try h.expectOK(["case", "show", "YP-0001"]).stdout.contains(
            "yes (care-order; designated authority Enfield Council)"))
        try h.expectFailure(["case", "update", "YP-0001", "designated-authority=Barnet"], as: "pat", status: 77,
                            message: "only a manager of the home YOT")
        try h.expectOK(["case", "update", "YP-0001", "looked-after=no", "--reason", "Order discharged"], as: "mo")
        XCTAssertNil(try show()?["designatedAuthority"], "it goes with the status")
    }
}
