import APModel
import Foundation
import XCTest

/// A whole Start of Intervention done through ap in Barnet's order of completion (001 §1.1):
/// the questionnaires, the screens, the factors, the ratings on their evidence, the likelihood
/// of reoffending, the plan, countersignature, and the referral the screens flagged followed
/// through (issue 24).
final class AssessmentJourneyTests: XCTestCase {
    func testAFullStartOfInterventionThroughAp() throws {
        let h = try Harness()
        try h.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2010-03-14"], as: "bo")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "start-of-intervention"], as: "pat")
        let id = "YP-0001"
        func set(_ pairs: [String], as user: String = "pat") throws {
            try h.expectOK(["stage", "set", id] + pairs, as: user)
        }
        func add(_ part: String, _ fields: [String]) throws {
            try h.expectOK(["stage", "add", id, part] + fields, as: "pat")
        }
        // 1. The questionnaires, entered by business support on the owner's behalf.
        try set(["sa.young-person.home=agree", "sa.young-person.friends=not-sure", "sa.young-person.future=agree",
                 "sa.young-person.comment=Wants to get back to football", "sa.carer.supervision=disagree"],
                as: "bo")
        // 2. The screens: a yes to a mental health item answers its trigger and flags CAMHS.
        try h.screens(id, yes: ["screening.mental.mood"])
        try set(["pfs.mental-health-screen.explanation=Low mood since his brother left home",
                 "pfs.living-arrangements=Lives with mother"])
        // 3. Foundations for change, the core record and the ratings with their evidence.
        try add("ffc.desistance-factors", ["factor=Football club", "direction=for", "strength=strong"])
        try add("ffc.desistance-factors", ["factor=Older peers", "direction=against", "strength=moderate"])
        try add("core-record.offences", ["date=2026-09-02", "type=Robbery", "outcome=Referral order"])
        try set(["rosh=high", "saw=medium"])
        try h.expectFailure(["stage", "submit", id], as: "pat", status: 1, message: "'future-behaviours' needs")
        try add("future-behaviours", ["behaviour=Robbery with threats", "victims=Younger children",
                                      "likelihood=medium", "impact=high"])
        // 4. The likelihood of reoffending: the score's band, then the judgement with its reason.
        try set(["yogrs=81", "yogrs.age=16", "yogrs.previous-sanctions=2", "yogrs.sex=male", "lor=medium"])
        try set(["scaled-approach=intensive"])
        try h.expectFailure(["stage", "submit", id], as: "pat", status: 1,
                            message: "say why in 'lor.override-reason'")
        try set(["lor.override-reason=Two sanctions, both with the same older group now moved away"])
        // 5. The plan, with the young person's agreement.
        try add("pp.targets", ["need=Robbery with older peers", "action=Victim awareness sessions", "who=yot",
                               "by=2026-12-18"])
        try add("pp.management", ["concern=Contact with older peers", "action=Curfew checks", "who=parent"])
        try set(["pp.signed=yes", "pp.signed-date=2026-11-02", "pp.copy-given=yes"])
        let shown = try h.expectOK(["stage", "show", id, "--json"], as: "pat").json
        XCTAssertEqual(shown?["stillNeeded"], .array([]))
        XCTAssertEqual(shown?["answers"]?["indicative-lor"]?["value"], "high")
        XCTAssertTrue(try h.expectOK(["log", id]).stdout.contains("(on behalf of pat)"), "business support as proxy")

        // Submitted: countersigned for the RoSH and SaW and the LoR below the indicative one.
        let submitted = try h.expectOK(["stage", "submit", id, "--json"], as: "pat").json
        XCTAssertEqual(submitted?["status"], "awaiting-countersignature")
        let criteria = submitted?["criteria"]?.arrayValue?.compactMap(\.stringValue) ?? []
        XCTAssertTrue(Set(["rosh", "saw", "lor-override"]).isSubset(of: criteria), "\(criteria)")
        try h.expectOK(["countersign", id, "--comment", "LoR override agreed"], as: "mo")
        XCTAssertEqual(try h.loadCase(id).state.stages[0].status, .completed)

        // What the countersignature signed is all there, for the next stage and the reports.
        let text = try h.expectOK(["stage", "show", id], as: "mo").stdout
        for expected in ["    1. (", "factor: Older peers", "behaviour: Robbery with threats",
                         "lor medium where high is indicated; reason given", "pp.copy-given"] {
            XCTAssertTrue(text.contains(expected), "stage show lacks '\(expected)'")
        }
        let report = try h.expectOK(["report", "self-assessment", "--json"]).json?.arrayValue?.first
        XCTAssertEqual(report?["youngPersonAnswered"], "3/10")
        XCTAssertEqual(report?["carerAnswered"], "1/8")
        XCTAssertTrue(try h.expectOK(["case", "show", id]).stdout.contains("offence: 2026-09-02; Robbery"))

        // The CAMHS referral the screen flagged is owed until made.
        let open = try h.expectOK(["referral", "list", "--open", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(open.compactMap { $0["question"]?.stringValue }, ["pfs.mental-health-screen"])
        h.now = "2026-11-12T09:00:00.000Z"
        let owed = try h.expectOK(["due", "--case", id, "--json"], as: "pat").json?.arrayValue ?? []
        XCTAssertEqual(owed.first { $0["rule"] == "referral-to-make" }?["overdue"], true)
        try h.expectOK(["referral", "made", id, "pfs.mental-health-screen", "--to", "CAMHS"], as: "pat")
        let after = try h.expectOK(["due", "--case", id, "--json"], as: "pat").json?.arrayValue ?? []
        XCTAssertNil(after.first { $0["rule"] == "referral-to-make" })
    }

    /// A case file written before the assessment's parts existed loads, shows and carries its
    /// answers into a new stage, which then asks for what the new rules need.
    func testAnOlderCaseFileStillLoadsAndMovesOn() throws {
        let h = try Harness()
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fuzz-corpus/case-completed-and-review.json")
        let older = try Data(contentsOf: corpus)
        let id = try CaseFile(bytes: Array(older)).state.id
        let path = h.caseFile(id)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try older.write(to: URL(fileURLWithPath: path))
        let shown = try h.expectOK(["case", "show", id, "--json"], as: "pat").json
        XCTAssertEqual(shown?["stages"]?.arrayValue?.count, 2)
        try h.expectOK(["stage", "show", id], as: "pat")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), older, "reading changes nothing")
        // Its open Review pulled a LoR below the indicative one, countersigned before reasons
        // were asked: the Review asks for the reason, then goes.
        let review = try h.expectOK(["stage", "show", id, "--json"], as: "pat").json
        XCTAssertEqual(review?["stillNeeded"]?.arrayValue?.compactMap(\.stringValue), ["lor.override-reason"])
        h.now = "2026-11-20T09:00:00.000Z"
        try h.expectOK(["stage", "set", id, "lor.override-reason=Settled at home"], as: "pat")
        try h.expectOK(["stage", "submit", id], as: "pat")
    }
}
