@testable import APModel
import XCTest

/// `Report.camelCase` names every setting and report column in `--json`; its ASCII path must
/// give what the rule gives for every name.
final class CamelCaseTests: XCTestCase {
    /// The rule as written before the ASCII path: words split at '-', empty words dropped,
    /// every word after the first with its first letter upper-cased.
    func reference(_ s: String) -> String {
        s.split(separator: "-").enumerated()
            .map { i, p in i == 0 ? String(p) : p.prefix(1).uppercased() + p.dropFirst() }.joined()
    }

    func testEveryNameAsTheRuleSays() {
        let names = Policy.settings.map(\.key) + [
            "working-days", "left", "", "-", "--", "a", "-a", "a-", "a--b", "-a-b-", "lor-2", "x-1y", "case-ID",
            "already-Upper", "a-_b", "a-@b", "é-b", "a-été", "a-ß", "ǆ-ǆ",
        ]
        for name in names { XCTAssertEqual(Report.camelCase(name), reference(name), name) }
        XCTAssertEqual(Report.camelCase("scaled-approach-lor-low"), "scaledApproachLorLow")
    }
}
