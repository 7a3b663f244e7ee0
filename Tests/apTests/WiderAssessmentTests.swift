import APModel
import Foundation
import XCTest

/// Post-Court Report, Bail Recommendation and Entering into Custody stages carry the wider
/// assessment Placements and an establishment decide from (issue 24; 003 §§2.3, 2.5, 3.6).
final class WiderAssessmentTests: XCTestCase {
    func testAPostCourtReportCarriesTheAssessmentAndNeedsRoSHAndSaWToLeave() throws {
        let h = try Harness()
        try h.addJourneyOrganisations()
        try h.caseWithStage()
        try h.expectOK(["stage", "set", "YP-0001", "rosh=medium", "saw=high", "lor=low", "scaled-approach=enhanced",
                        "pfs.health=Asthma", "custody.vulnerability=First time away", "psr.proposal=YRO"], as: "pat")
        try h.evidence(for: ["saw=high"])
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectOK(["countersign", "YP-0001"], as: "mo")
        // Pulled forward: the ratings, health, safety and wellbeing entries; not the proposal.
        let started = try h.expectOK(["stage", "new", "YP-0001", "--kind", "post-court-report", "--json"],
                                     as: "pat").json
        let answers = started?["answers"]?.objectValue ?? [:]
        XCTAssertEqual(answers["rosh"]?["value"], "medium")
        XCTAssertEqual(answers["pfs.health"]?["value"], "Asthma")
        XCTAssertNil(answers["psr.proposal"])
        XCTAssertEqual(started?["entries"]?["adverse-outcomes"]?.arrayValue?.count, 1)
        // Without RoSH or SaW it does not go to Placements.
        try h.expectOK(["stage", "clear", "YP-0001", "rosh"], as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectOK(["countersign", "YP-0001"], as: "mo")
        let before = try h.snapshot()
        try h.expectFailure(["stage", "send", "YP-0001", "--to", "YCS-PT", "--out", h.dir + "/outbox"], as: "pat",
                            status: 1, message: "has no rosh: YCS Placements Team decides from the wider assessment")
        XCTAssertEqual(try h.snapshot(), before)
        // Social care is not held to it.
        try h.expectOK(["stage", "send", "YP-0001", "--to", "LA-SC", "--out", h.dir + "/outbox"], as: "pat")
    }

    /// A Transfer YOT to YOT stage holds a module alone: the next stage pulls from the
    /// assessment before it, not from it ("7 behind").
    func testPullForwardSkipsAStageOfAModuleAlone() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low", "saw=low", "lor=low", "scaled-approach=standard",
                        "pfs.health=Asthma", "pfs.education=College"], as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectOK(["countersign", "YP-0001"], as: "mo")
        let review = try h.loadCase("YP-0001").state.stages[0].id
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "transfer-yot-to-yot"], as: "pat")
        try h.expectOK(["stage", "set", "YP-0001", "reason-for-transfer=Moving"], as: "pat")
        try h.expectOK(["stage", "stop", "YP-0001", "--reason", "transfer called off"], as: "mo")
        let next = try h.expectOK(["stage", "new", "YP-0001", "--kind", "review", "--json"], as: "pat").json
        XCTAssertEqual(next?["pulledFrom"]?.stringValue, review)
        XCTAssertEqual(next?["leftBehind"], 0)
        XCTAssertEqual(next?["answers"]?["pfs.education"]?["value"], "College")
    }
}

/// A complete transfer goes with an assessment completed within the last month, and the
/// transfer-in summary is mandatory and typed (002 §12.6, Appendix A; issue 24).
final class TransferWithinAMonthTests: TwoYOTs {
    func send() throws -> Harness.Result {
        try barnet.run(["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name", "Nottinghamshire YJS",
                        "--kind", "complete", "--out", outbox], as: "mo")
    }

    func testACompleteTransferNeedsAnAssessmentFromTheLastMonth() throws {
        barnet.now = "2026-09-01T09:00:00.000Z"
        try barnet.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
        try barnet.completedReview()
        barnet.now = "2026-11-02T09:00:00.000Z"
        try barnet.expectOK(["stage", "new", "YP-0001", "--kind", "transfer-yot-to-yot"], as: "pat")
        try barnet.expectFailure(["stage", "set", "YP-0001", "transfer.mappa-category=banana"], as: "pat",
                                 status: 65, message: "takes one of: 1, 2, 3, n/a")
        try barnet.expectOK(["stage", "set", "YP-0001"] + StageKind.transferQuestions.map { "\($0)=answered" },
                            as: "pat")
        try barnet.expectFailure(["stage", "submit", "YP-0001"], as: "pat", status: 1,
                                 message: "transfer.order-type, transfer.order-start")
        try barnet.expectOK(["stage", "set", "YP-0001"] + transferAnswers, as: "pat")
        try barnet.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        let before = try barnet.snapshot()
        let stale = try send()
        XCTAssertEqual(stale.status, 1, stale.stdout)
        XCTAssertTrue(stale.stderr.contains("completed 2026-09-01, more than a month ago"), stale.stderr)
        XCTAssertEqual(try barnet.snapshot(), before)
        // A Review completed now lets the complete transfer go.
        try barnet.completedReview()
        XCTAssertEqual(try send().status, 0)
    }

    func testACaseNeverAssessedIsRefusedSayingSo() throws {
        try barnet.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
        try barnet.expectOK(["stage", "new", "YP-0001", "--kind", "transfer-yot-to-yot"], as: "pat")
        try barnet.expectOK(["stage", "set", "YP-0001"] + transferAnswers, as: "pat")
        try barnet.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        let r = try send()
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("has no completed assessment stage"), r.stderr)
    }
}
