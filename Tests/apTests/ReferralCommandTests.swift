import APModel
import Foundation
import XCTest

/// A referral flagged, followed up by `ap due`, made and concluded, as a YOT office does it (issue 24).
final class ReferralCommandTests: XCTestCase {
    func testAFlaggedReferralIsDueThenMadeThenConcluded() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        try h.expectOK(["stage", "set", "YP-0001", "pfs.cse=yes", "pfs.cse.explanation=Seen with older men",
                        "pfs.mental-health-screen=yes", "pfs.mental-health-screen.explanation=Low mood",
                        "rosh=low", "saw=medium", "lor=low", "scaled-approach=standard"], as: "pat")
        XCTAssertEqual(try h.expectOK(["referral", "list", "--json"]).json, .array([]), "not yet submitted")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        let listed = try h.expectOK(["referral", "list", "--open", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(listed.compactMap { $0["question"]?.stringValue }, ["pfs.cse", "pfs.mental-health-screen"])
        XCTAssertEqual(listed.first?["referral"], "MASE")
        XCTAssertEqual(listed.first?["progress"], "flagged")
        let camhs = listed[1]["id"]?.stringValue ?? ""

        // Five working days on, nothing made: ap due says so.
        h.now = "2026-11-10T10:00:00.000Z"
        let due = try h.expectOK(["due", "--case", "YP-0001", "--json"], as: "pat").json?.arrayValue ?? []
        let owed = due.first { $0["rule"] == "referral-to-make" }
        XCTAssertEqual(owed?["overdue"], true, "\(due)")
        try h.expectFailure(["referral", "made", "YP-0001", "pfs.gangs", "--to", "x"], as: "pat", status: 66,
                            message: "referrals: rf-")
        try h.expectOK(["referral", "made", "YP-0001", "pfs.cse", "--to", "MASE", "--date", "2026-11-09"], as: "pat")
        let stillOwed = try h.expectOK(["due", "--case", "YP-0001", "--json"], as: "pat").json?.arrayValue ?? []
        XCTAssertNotNil(stillOwed.first { $0["rule"] == "referral-to-make" }, "CAMHS is still to make")
        try h.expectOK(["referral", "outcome", "YP-0001", camhs, "not-needed", "--reason",
                        "Already open to CAMHS"], as: "bo")
        let none = try h.expectOK(["due", "--case", "YP-0001", "--json"], as: "pat").json?.arrayValue ?? []
        XCTAssertNil(none.first { $0["rule"] == "referral-to-make" }, "every flag of the submission acted on")
        try h.expectOK(["referral", "outcome", "YP-0001", "pfs.cse", "accepted", "--reason", "Panel on 12th"],
                       as: "pat")
        XCTAssertEqual(try h.expectOK(["referral", "list", "--open"]).stdout, "No referrals open.\n")

        // The report: made to whom, when, the working days taken, the outcome.
        let report = try h.expectOK(["report", "referrals", "--json"]).json?.arrayValue ?? []
        let cse = report.first { $0["question"] == "pfs.cse" }
        XCTAssertEqual(cse?["progress"], "accepted")
        XCTAssertEqual(cse?["madeTo"], "MASE")
        XCTAssertEqual(cse?["daysToMake"], 5, "2 November to 9 November")
        let csv = try h.expectOK(["referral", "list", "--csv"]).stdout
        XCTAssertTrue(csv.hasPrefix("case,name,id,question,referral,stage,flagged,progress"), csv)
        let log = try h.expectOK(["log", "YP-0001"]).stdout
        XCTAssertTrue(log.contains("made to MASE on 2026-11-09") && log.contains("not-needed"), log)
    }

    /// Piped to a file or grep, a long referral name is never cut.
    func testTheListHoldsLongValuesWholeWhenPiped() throws {
        let h = try Harness()
        let long = "Barnet Gangs and Serious Youth Violence Exit Programme Team (North and West localities)"
        try h.expectOK(["config", "trigger", "add", "pfs.gangs", "--referral", long], as: "alex")
        try h.caseWithStage(kind: "review")
        try h.expectOK(["stage", "set", "YP-0001", "pfs.gangs=yes", "pfs.gangs.explanation=Cousin", "rosh=low",
                        "saw=low", "lor=low", "scaled-approach=standard"], as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        for args in [["referral", "list"], ["report", "referrals"]] {
            let out = try h.expectOK(args).stdout
            XCTAssertTrue(out.contains(long) && !out.contains("…"), "\(args): \(out)")
        }
    }

    func testBadReferralCommandsChangeNothing() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        try h.expectOK(["stage", "set", "YP-0001", "pfs.gangs=yes", "pfs.gangs.explanation=Cousin", "rosh=low",
                        "saw=low", "lor=low", "scaled-approach=standard"], as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        let before = try h.snapshot()
        try h.expectFailure(["referral", "made", "YP-0001", "pfs.gangs"], as: "pat", status: 64, message: "--to")
        try h.expectFailure(["referral", "made", "YP-0001", "pfs.gangs", "--to", "Gangs team", "--date", "soon"],
                            as: "pat", status: 64, message: "--date takes a date")
        try h.expectFailure(["referral", "outcome", "YP-0001", "pfs.gangs", "accepted", "--reason", "x"], as: "pat",
                            status: 1, message: "was not made")
        try h.expectFailure(["referral", "outcome", "YP-0001", "pfs.gangs", "perhaps", "--reason", "x"], as: "pat",
                            status: 64, message: "accepted, declined, not-needed")
        XCTAssertEqual(try h.snapshot(), before)
    }
}
