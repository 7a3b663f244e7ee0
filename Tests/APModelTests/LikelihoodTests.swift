@testable import APModel
import XCTest

/// YOGRS, the indicative LoR from its band, and overrides of the LoR and the Scaled Approach
/// level (001 §3.1, §15.4; issue 24).
final class LikelihoodTests: XCTestCase {
    func started(_ kind: String = "psr") throws -> Fixture {
        var f = Fixture()
        try f.newCase()
        try f.startStage(kind)
        return f
    }

    func testAPercentIsDigitsToOneDecimalPlaceAndAtMostAHundred() {
        XCTAssertEqual(Catalogue.percent("62"), "62")
        XCTAssertEqual(Catalogue.percent("62.5%"), "62.5")
        XCTAssertEqual(Catalogue.percent("07.0"), "7")
        XCTAssertEqual(Catalogue.percent("100"), "100")
        for bad in ["100.1", "101", "-1", "1e1", "nan", "62.55", ".5", "5.", "", "%", "６２", "1000"] {
            XCTAssertNil(Catalogue.percent(bad), bad)
        }
    }

    func testTheBandFollowsThePolicysThresholds() throws {
        var policy = Policy()
        XCTAssertEqual(["0", "49.9", "50", "74.9", "75", "100"].map { Likelihood.band($0, policy) },
                       ["low", "low", "medium", "medium", "high", "high"])
        XCTAssertNil(Likelihood.band("nan", policy))
        XCTAssertNil(Likelihood.band("1e9", policy))
        try policy.set("yogrs-bands", "40,60")
        XCTAssertEqual(Likelihood.band("45", policy), "medium")
        XCTAssertEqual(policy.value(of: "yogrs-bands"), "40,60")
        for bad in ["60,40", "50", "0,50", "50,101", "a,b", "50,75,90"] {
            XCTAssertThrowsAPError(try policy.set("yogrs-bands", bad), "data", "two percents")
        }
    }

    func testTheScaledApproachTableIsDataThePolicyMayChange() throws {
        var policy = Policy()
        XCTAssertEqual(Likelihood.indicatedLevel(lor: "low", rosh: "low", policy), "standard")
        XCTAssertEqual(Likelihood.indicatedLevel(lor: "low", rosh: "medium", policy), "enhanced")
        XCTAssertEqual(Likelihood.indicatedLevel(lor: "medium", rosh: "low", policy), "enhanced")
        XCTAssertEqual(Likelihood.indicatedLevel(lor: "low", rosh: "very-high", policy), "intensive")
        XCTAssertEqual(Likelihood.indicatedLevel(lor: "high", rosh: "low", policy), "intensive")
        XCTAssertNil(Likelihood.indicatedLevel(lor: nil, rosh: "low", policy))
        try policy.set("scaled-approach-lor-low", "standard,standard,enhanced,intensive")
        XCTAssertEqual(Likelihood.indicatedLevel(lor: "low", rosh: "medium", policy), "standard")
        XCTAssertEqual(policy.value(of: "scaled-approach-lor-low"), "standard,standard,enhanced,intensive")
        XCTAssertThrowsAPError(try policy.set("scaled-approach-lor-low", "standard,enhanced"), "data", "four levels")
        XCTAssertThrowsAPError(
            try policy.set("scaled-approach-lor-high", "low,enhanced,intensive,intensive"), "data", "four levels")
        XCTAssertThrowsAPError(try policy.set("scaled-approach-lor-extreme", "standard"), "usage", "unknown setting")
    }

    func testAYOGRSScoreAnswersTheIndicativeLoRInTheSameEvent() throws {
        var f = try started()
        try f.set([("yogrs", "62.5"), ("yogrs.previous-sanctions", "3"), ("yogrs.sex", "Male")])
        let stage = try f.state.openStage!
        XCTAssertEqual(stage.answer("indicative-lor"), "medium")
        XCTAssertEqual(stage.answer("yogrs.sex"), "male")
        XCTAssertEqual(f.events.last?.payload["answers"]?["indicative-lor"], "medium")
        XCTAssertThrowsAPError(try f.set([("indicative-lor", "high")]), "data", "whose band is medium")
        XCTAssertThrowsAPError(try f.set([("yogrs", "80"), ("indicative-lor", "medium")]), "data", "whose band is high")
        try f.set([("yogrs", "80")])
        XCTAssertEqual(try f.state.openStage!.answer("indicative-lor"), "high")
        // Without the score the indicative LoR has no source: clearing one clears both.
        let catalogue = f.config.catalogue
        try f.act("pat") { s, a in try StageRules.clear(s, keys: ["yogrs"], actor: a, catalogue: catalogue) }
        XCTAssertNil(try f.state.openStage!.answer("indicative-lor"))
        XCTAssertThrowsAPError(try f.set([("yogrs.previous-sanctions", "-1")]), "data", "from 0 to 500")
        XCTAssertThrowsAPError(try f.set([("yogrs.age", "3")]), "data", "from 8 to 25")
        XCTAssertThrowsAPError(try f.set([("yogrs", "high")]), "data", "a percentage from 0 to 100")
    }

    func testPreventionTakesNoLikelihoodOfReoffending() throws {
        var f = try started("prevention")
        for key in ["yogrs", "indicative-lor", "yogrs.breach"] {
            let value = key == "yogrs" ? "50" : key == "indicative-lor" ? "low" : "no"
            XCTAssertThrowsAPError(try f.set([(key, value)]), "data", "does not apply to a Prevention/Out of court")
        }
        XCTAssertNoThrow(try f.set([("lor", "low")]), "the practitioner's judgement is not the indicative LoR")
    }

    func testALoRThatDiffersFromTheIndicativeOneNeedsItsReason() throws {
        var f = try started()
        try f.set([("yogrs", "80"), ("lor", "medium")])
        XCTAssertEqual(Likelihood.unexplained(try f.state.openStage!, f.config.policy).map(\.reasonKey),
                       ["lor.override-reason"])
        XCTAssertThrowsAPError(try f.submit(), "refused",
                               "lor is medium where high is indicated, an override: say why in 'lor.override-reason'")
        XCTAssertTrue(StageRules.missingAnswers(try f.state.openStage!, config: f.config,
                                                catalogue: f.config.catalogue).contains("lor.override-reason"))
        try f.set([("lor.override-reason", "Settled at college since the offence")])
        XCTAssertNoThrow(try f.submit())
        XCTAssertTrue(try f.state.stages.last!.criteria.contains("lor-override"))
    }

    func testALevelOtherThanTheTableIndicatesIsAnOverrideWithAReason() throws {
        var f = try started()
        try f.set([("lor", "low"), ("rosh", "medium"), ("scaled-approach", "standard")])
        let stage = try f.state.openStage!
        XCTAssertEqual(Likelihood.overrides(stage, f.config.policy),
                       [Likelihood.Override(rating: "scaled-approach", indicated: "enhanced", given: "standard",
                                            reasonKey: "scaled-approach.override-reason")])
        XCTAssertTrue(
            Countersignature.criteria(for: stage, policy: f.config.policy).contains("scaled-approach-override"))
        XCTAssertThrowsAPError(try f.submit(), "refused", "say why in 'scaled-approach.override-reason'")
        // The level as indicated, then a professional override of it: still an override.
        try f.set([("scaled-approach", "enhanced"), ("scaled-approach-override", "intensive")])
        XCTAssertThrowsAPError(try f.submit(), "refused", "scaled-approach is intensive where enhanced is indicated")
        try f.set([("scaled-approach.override-reason", "Two further arrests since the order")])
        XCTAssertNoThrow(try f.submit())
    }

    func testAgreeingWithTheToolsNeedsNoReason() throws {
        var f = try started()
        try f.set([("yogrs", "20"), ("lor", "low"), ("rosh", "low"), ("scaled-approach", "standard")])
        XCTAssertEqual(Likelihood.overrides(try f.state.openStage!, f.config.policy), [])
        XCTAssertFalse(Countersignature.criteria(for: try f.state.openStage!, policy: f.config.policy)
            .contains("scaled-approach-override"))
        XCTAssertNoThrow(try f.submit())
    }
}
