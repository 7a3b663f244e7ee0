import APModel
import Foundation
import XCTest

/// YOGRS and its static factors, the indicative LoR from the score's band, the Scaled Approach
/// level the LoR and RoSH indicate, and the reasons overrides need (001 §3.1, §15.4; issue 24).
final class LikelihoodCommandTests: XCTestCase {
    func testTheScoreAnswersTheIndicativeLoRAndStageShowSaysWhatIsIndicated() throws {
        let h = try Harness()
        try h.caseWithStage()
        try h.expectOK(["stage", "set", "YP-0001", "yogrs=78", "yogrs.previous-sanctions=4", "yogrs.age=15",
                        "yogrs.disposal=community", "yogrs.burglary=no", "lor=medium", "rosh=low", "saw=low",
                        "scaled-approach=standard"], as: "pat")
        let refused = try h.expectFailure(["stage", "set", "YP-0001", "indicative-lor=low"], as: "pat", status: 65,
                                          message: "'indicative-lor' follows from the YOGRS score, whose band is high")
        XCTAssertFalse(refused.stderr.contains("78"), "an error never repeats an answer")
        let json = try h.expectOK(["stage", "show", "YP-0001", "--json"], as: "pat").json
        XCTAssertEqual(json?["answers"]?["indicative-lor"]?["value"], "high")
        XCTAssertEqual(json?["likelihood"]?["indicated"]?["indicativeLor"], "high")
        XCTAssertEqual(json?["likelihood"]?["indicated"]?["scaledApproach"], "enhanced")
        let overrides = json?["likelihood"]?["overrides"]?.arrayValue ?? []
        XCTAssertEqual(overrides.map { $0["reasonKey"]?.stringValue }, ["lor.override-reason",
                                                                        "scaled-approach.override-reason"])
        XCTAssertEqual(overrides.first?["reasonGiven"], false)
        XCTAssertEqual(json?["stillNeeded"]?.arrayValue?.compactMap(\.stringValue),
                       ["lor.override-reason", "scaled-approach.override-reason"])
        let text = try h.expectOK(["stage", "show", "YP-0001"], as: "pat").stdout
        XCTAssertTrue(text.contains("78%: indicative LoR high (policy yogrs-bands 50,75)"), text)
        XCTAssertTrue(text.contains("enhanced indicated by LoR medium and RoSH low"), text)
        XCTAssertTrue(text.contains("lor medium where high is indicated; reason needed in lor.override-reason"), text)
    }

    func testAnOverrideWithoutItsReasonIsNotSubmittedAndWithItIsCountersigned() throws {
        let h = try Harness()
        try h.caseWithStage()
        try h.expectOK(["stage", "set", "YP-0001", "yogrs=30", "lor=high", "rosh=low", "saw=low",
                        "scaled-approach=intensive"], as: "pat")
        try h.expectFailure(["stage", "submit", "YP-0001"], as: "pat", status: 1,
                            message: "lor is high where low is indicated, an override: say why in "
                                + "'lor.override-reason'")
        try h.expectOK(["stage", "set", "YP-0001", "lor.override-reason=Offending escalated in the last month"],
                       as: "pat")
        let json = try h.expectOK(["stage", "submit", "YP-0001", "--json"], as: "pat").json
        XCTAssertEqual(json?["status"], "awaiting-countersignature")
        // Barnet's direction is `higher`: a LoR raised above the indicative one is not its criterion;
        // the level agrees with the table (LoR high), so no override of it either.
        let criteria = try h.loadCase("YP-0001").state.stages[0].criteria
        XCTAssertFalse(criteria.contains("lor-override"))
        XCTAssertFalse(criteria.contains("scaled-approach-override"))
        let shown = try h.expectOK(["stage", "show", "YP-0001"], as: "mo").stdout
        XCTAssertTrue(shown.contains("lor high where low is indicated; reason given"), shown)
    }

    func testTheBandsAndTheTableAreTheRepositorysToSet() throws {
        let h = try Harness()
        try h.expectOK(["config", "set", "yogrs-bands", "40,60"], as: "alex")
        try h.expectOK(["config", "set", "scaled-approach-lor-low", "standard,standard,intensive,intensive"],
                       as: "alex")
        try h.expectFailure(["config", "set", "yogrs-bands", "60,40"], as: "alex", status: 65,
                            message: "expected two percents like 50,75")
        let config = try h.expectOK(["config", "show", "--json"], as: "alex").json
        XCTAssertEqual(config?["yogrsBands"]?.stringValue ?? config?["policy"]?["yogrsBands"]?.stringValue, "40,60")
        try h.caseWithStage()
        try h.expectOK(["stage", "set", "YP-0001", "yogrs=45", "lor=low", "rosh=medium", "scaled-approach=standard"],
                       as: "pat")
        let json = try h.expectOK(["stage", "show", "YP-0001", "--json"], as: "pat").json
        XCTAssertEqual(json?["answers"]?["indicative-lor"]?["value"], "medium")
        XCTAssertEqual(json?["likelihood"]?["indicated"]?["scaledApproach"], "standard")
    }

    func testPreventionIsRefusedTheIndicativeLoRAndTheQuestionsSayWhy() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "prevention")
        try h.expectFailure(["stage", "set", "YP-0001", "yogrs=50"], as: "pat", status: 65,
                            message: "does not apply to a Prevention/Out of court stage (001 §3.1")
        let questions = try h.expectOK(["stage", "questions", "--section", "ec", "--json"], as: "pat").json
        let factor = questions?.arrayValue?.first { $0["key"] == "yogrs.previous-sanctions" }
        XCTAssertEqual(factor?["type"], "number")
        XCTAssertEqual(factor?["min"], 0)
        XCTAssertEqual(factor?["notFor"]?.arrayValue?.compactMap(\.stringValue), ["prevention"])
        let statics = questions?.arrayValue?.filter { $0["key"]?.stringValue?.hasPrefix("yogrs.") == true }
        XCTAssertEqual(statics?.count, 10, "the ten static factors (001 §3.1)")
    }

    /// Two copies merged, one with a new score, the other with an indicative LoR set before
    /// any score: the stage does not go with an indicative LoR the score contradicts.
    func testAMergeThatSplitsTheScoreFromItsBandIsRefusedAtSubmit() throws {
        let h = try Harness()
        try h.caseWithStage()
        try h.expectOK(["stage", "set", "YP-0001", "indicative-lor=low", "lor=low", "rosh=low", "saw=low",
                        "scaled-approach=standard"], as: "pat")
        let file = URL(fileURLWithPath: h.caseFile("YP-0001"))
        let base = try Data(contentsOf: file)
        try h.expectOK(["stage", "set", "YP-0001", "yogrs=90", "lor=high", "scaled-approach=intensive"], as: "pat")
        let theirs = h.dir + "/../theirs-\(UUID().uuidString).json"
        let merged = h.dir + "/../merged-\(UUID().uuidString).json"
        addTeardownBlock { for f in [theirs, merged] { try? FileManager.default.removeItem(atPath: f) } }
        try Data(contentsOf: file).write(to: URL(fileURLWithPath: theirs))
        try base.write(to: file)
        h.now = "2026-11-02T10:00:00.000Z"
        try h.expectOK(["stage", "set", "YP-0001", "indicative-lor=low"], as: "pat")
        try h.expectOK(["merge", theirs, h.caseFile("YP-0001"), "-o", merged])
        try Data(contentsOf: URL(fileURLWithPath: merged)).write(to: file)
        let stage = try h.loadCase("YP-0001").state.openStage!
        XCTAssertEqual(stage.answer("yogrs"), "90")
        XCTAssertEqual(stage.answer("indicative-lor"), "low")
        try h.expectFailure(["stage", "submit", "YP-0001"], as: "pat", status: 1,
                            message: "'indicative-lor' is not the band of the YOGRS score (high)")
    }
}
