@testable import APModel
import XCTest

/// The screening tools as item sets (001 §§4.1–4.2; issue 24).
final class ScreeningTests: XCTestCase {
    let items = ShippedCatalogue.questions.filter { $0.screen != nil }.map(\.key)

    func required(_ kind: String = "start-of-intervention") throws -> Fixture {
        var f = Fixture()
        f.config.policy.firstAssessmentScreens = "required"
        try f.newCase()
        try f.startStage(kind)
        return f
    }

    func testEveryScreenHasItemsAndATriggerThatFlagsItsReferral() {
        let catalogue = Fixture().config.catalogue
        for screen in ShippedCatalogue.screens {
            let own = items.filter { $0.hasPrefix("screening.\(screen.slug).") }
            XCTAssertGreaterThanOrEqual(own.count, 5, screen.slug)
            XCTAssertNotNil(catalogue.question(screen.trigger)?.referral, screen.trigger)
        }
        XCTAssertTrue(items.allSatisfy { catalogue.question($0)?.type == .yesNo })
    }

    func testAYesToAnyItemAnswersTheScreenYesAndNeedsItsExplanation() throws {
        var f = try required("review")
        try f.set([("screening.mental.self-harm", "yes"), ("screening.mental.mood", "no")])
        let stage = try f.state.openStage!
        XCTAssertEqual(stage.answer("pfs.mental-health-screen"), "yes", "answered in the same event")
        XCTAssertEqual(f.events.last?.payload["answers"]?["pfs.mental-health-screen"], "yes")
        XCTAssertTrue(StageRules.missingAnswers(stage, config: f.config, catalogue: f.config.catalogue)
            .contains("pfs.mental-health-screen.explanation"))
        XCTAssertThrowsAPError(
            try f.set([("pfs.mental-health-screen", "no")]), "data", "while 'screening.mental.self-harm' is yes")
        XCTAssertNil(stage.answer("pfs.slcn-screen"), "no item of another screen said yes")
    }

    func testAFirstAssessmentNeedsTheFourScreensAndLaterOnesDoNot() throws {
        var f = try required()
        XCTAssertThrowsAPError(try f.submit(), "refused", "slcn (6 items), physical (5 items), mental (6 items)")
        try f.set(items.dropLast().map { ($0, "no") })
        XCTAssertThrowsAPError(try f.submit(), "refused", "substance (1 item)")
        XCTAssertEqual(StageRules.stillNeeded(try f.state.openStage!, in: try f.state, config: f.config,
                                              catalogue: f.config.catalogue), [items.last!])
        try f.set([(items.last!, "yet-to-clarify")])
        XCTAssertNoThrow(try f.submit())
        // A later PSR is not the first assessment.
        try f.startStage("psr", pull: false)
        XCTAssertNoThrow(try f.submit())
    }

    func testAReviewOrThePolicyOffNeedsNoScreens() throws {
        var review = try required("review")
        XCTAssertNoThrow(try review.submit())
        var off = try required("referral-order-report")
        off.config.policy.firstAssessmentScreens = "off"
        XCTAssertNoThrow(try off.submit())
    }

    /// 001 §3.2.1: CAMHS receives health information, YPDAS substance use, education neither.
    func testTheSharingPolicySendsEachServiceItsScreens() {
        let camhs = SharingPolicy.defaults[Organisation.Kind.camhs.rawValue]!
        let ypdas = SharingPolicy.defaults[Organisation.Kind.ypdas.rawValue]!
        let education = SharingPolicy.defaults[Organisation.Kind.education.rawValue]!
        XCTAssertTrue(SharingPolicy.allows(camhs, key: "screening.mental.self-harm"))
        XCTAssertFalse(SharingPolicy.allows(camhs, key: "screening.substance.drugs"))
        XCTAssertTrue(SharingPolicy.allows(ypdas, key: "screening.substance.drugs"))
        XCTAssertFalse(SharingPolicy.allows(education, key: "screening.slcn.literacy"))
    }
}
