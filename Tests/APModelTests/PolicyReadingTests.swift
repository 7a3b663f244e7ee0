@testable import APModel
import XCTest

/// Settings are read from the config on every run by the paths written for speed; each must
/// read what the general rule reads.
final class PolicyReadingTests: XCTestCase {
    func testCommaPartsAreTheSplitKeepingEmptyParts() {
        let values = ["", ",", ",,", "a", "a,b", "a,,b", ",a", "a,", "50,75", "standard,enhanced,intensive,intensive",
                      "é,ß", "a, b", "ǆ,", "\u{301},x"]
        for value in values {
            let split = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(value.commaParts(keepingEmpty: true), split, value)
        }
    }

    /// A setting is found by its config name and by its `--json` name alike, and an unknown
    /// name is refused by either path.
    func testASettingIsFoundByEitherName() throws {
        for setting in Policy.settings {
            var byName = Policy(), byJSONName = Policy()
            let value = byName.value(of: setting.key)
            try byName.set(setting.key, value)
            try byJSONName.set(Policy.jsonName(setting.key), value)
            XCTAssertEqual(byName, byJSONName, setting.key)
        }
        var policy = Policy()
        try policy.set("lorDirection", "lower")
        XCTAssertEqual(policy.value(of: "lor-direction"), "lower")
        XCTAssertThrowsError(try policy.set("lor_direction", "lower"))
        XCTAssertThrowsError(try policy.set("yogrs-bands", "50,,75"))
        XCTAssertThrowsError(try policy.set("scaled-approach-lor-low", "standard,enhanced,intensive,"))
    }
}
