@testable import APModel
import XCTest

final class CountersignatureTests: XCTestCase {
    func stage(_ answers: [String: String]) -> Stage {
        var s = Stage(id: "s", kind: "psr", owner: "pat", startedAt: Timestamp(millis: 0), startedBy: "pat")
        for (k, v) in answers { s.answers[k] = Answer(value: v, at: Timestamp(millis: 0), by: "pat", pulled: false) }
        return s
    }

    func criteria(_ answers: [String: String], _ change: (inout Policy) -> Void = { _ in }) -> [String] {
        var policy = Policy()
        change(&policy)
        return Countersignature.criteria(for: stage(answers), policy: policy)
    }

    func testRoshAndSawAlwaysCountersigned() {
        XCTAssertEqual(criteria(["rosh": "low"]), ["rosh"])
        XCTAssertEqual(criteria(["saw": "very-high"]), ["saw"])
        XCTAssertEqual(criteria(["notes": "x"]), [])
    }

    func testIndicativeLoRAndLoRAloneNeedNone() {
        XCTAssertEqual(criteria(["indicative-lor": "high"]), [])
        XCTAssertEqual(criteria(["lor": "low"]), [])
        XCTAssertEqual(criteria(["indicative-lor": "medium", "lor": "medium"]), [])
    }

    func testLoROverrideDirections() {
        let lowered = ["indicative-lor": "high", "lor": "medium"]  // indicative higher than judgement
        let raised = ["indicative-lor": "low", "lor": "high"]
        XCTAssertEqual(criteria(lowered), ["lor-override"], "Barnet's default: indicative higher")
        XCTAssertEqual(criteria(raised), [])
        XCTAssertEqual(criteria(raised) { $0.lorDirection = "lower" }, ["lor-override"])
        XCTAssertEqual(criteria(lowered) { $0.lorDirection = "lower" }, [])
        XCTAssertEqual(criteria(raised) { $0.lorDirection = "either" }, ["lor-override"])
        XCTAssertEqual(criteria(lowered) { $0.lorDirection = "either" }, ["lor-override"])
    }

    func testScaledApproachThresholdAndOverride() {
        XCTAssertEqual(criteria(["scaled-approach": "standard"]), ["scaled-approach"])
        XCTAssertEqual(criteria(["scaled-approach": "standard"]) { $0.scaledApproachThreshold = "enhanced" }, [])
        XCTAssertEqual(criteria(["scaled-approach": "intensive"]) { $0.scaledApproachThreshold = "enhanced" }, ["scaled-approach"])
        XCTAssertEqual(criteria(["scaled-approach": "enhanced", "scaled-approach-override": "standard"]) { $0.scaledApproachThreshold = "intensive" },
                       ["scaled-approach-override"])
        XCTAssertEqual(criteria(["scaled-approach": "enhanced", "scaled-approach-override": "enhanced"]) { $0.scaledApproachThreshold = "intensive" }, [])
    }

    func testCountersignAllPolicy() {
        XCTAssertEqual(criteria(["notes": "x"]) { $0.countersign = "all" }, ["all-stages"])
        XCTAssertEqual(criteria(["rosh": "low"]) { $0.countersign = "all" }, ["all-stages", "rosh"])
    }

    func testYetToClarifyShare() {
        XCTAssertEqual(Countersignature.yetToClarifyPercent(stage(["a": "yet-to-clarify", "b": "x", "c": "yet-to-clarify", "d": "no"])), 50)
        XCTAssertEqual(Countersignature.yetToClarifyPercent(stage([:])), 0)
    }

    func testPolicySettingsValidate() throws {
        var p = Policy()
        try p.set("lor-direction", "either")
        XCTAssertEqual(p.lorDirection, "either")
        XCTAssertThrowsAPError(try p.set("lor-direction", "sideways"), "data", "allowed: higher, lower, either")
        XCTAssertThrowsAPError(try p.set("timescale-working-days", "0"), "data", "whole number")
        XCTAssertThrowsAPError(try p.set("colour", "red"), "usage", "unknown setting")
        try p.set("yet-to-clarify-percent", "30")
        XCTAssertEqual(p.yetToClarifyPercent, 30)
        try p.set("yet-to-clarify-percent", "off")
        XCTAssertNil(p.yetToClarifyPercent)
    }

    func testConfigRoundTrip() throws {
        var c = Fixture().config
        c.policy.countersign = "all"
        c.policy.yetToClarifyPercent = 25
        c.extraBankHolidays = ["2031-01-01"]
        c.unknown["x-local"] = "kept"
        XCTAssertEqual(try Config(json: c.json), c)
    }
}
