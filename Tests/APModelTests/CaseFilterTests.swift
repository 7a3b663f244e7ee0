@testable import APModel
import XCTest

/// `ap case list --name`: the ASCII way compares bytes in place; it must say what folding
/// both names and asking Foundation says (issue 29).
final class CaseFilterTests: XCTestCase {
    func testTheASCIIWayAgreesWithFolding() {
        let names = ["Jordan Smith", "JORDAN SMITH", "jordan", "Smith-Jones", "O'Neil", "A", "Zoë Ward", "Ørjan Berg",
                     "Back\\slash", "Tab\tbed", ""]
        let parts = ["jor", "SMITH", "h", "jordan smith", "Jordan Smithe", "neil", "zoe", "ørjan", "orjan", "o", "-j",
                     "\\", "", "Z"]
        for name in names {
            for part in parts {
                var filter = CaseFilter()
                filter.name = part
                let folded = CaseFilter.folded(part)
                let expected = !folded.isEmpty && CaseFilter.folded(name).contains(folded)
                XCTAssertEqual(filter.matchesName(name), expected, "\(name) / \(part)")
                let stored = Array(CaseIndex.escape(name).utf8)[...]
                XCTAssertEqual(filter.matchesName(stored: stored), expected, "stored \(name) / \(part)")
            }
        }
        XCTAssertTrue(CaseFilter().matchesName("anyone"), "no part asked: every name")
    }

    /// `ap case list` skips matching when nothing is asked: every filter, set alone, is asked.
    func testAnyFilterSetIsNotEmpty() {
        XCTAssertTrue(CaseFilter().isEmpty)
        let set: [(inout CaseFilter) -> Void] = [
            { $0.owner = "pat" }, { $0.status = "none" }, { $0.kind = "psr" }, { $0.name = "Jo" },
            { $0.lookedAfter = true }, { $0.held = "home" }, { $0.overdue = true }, { $0.manager = "mo" },
            { $0.team = "North" }, { $0.socialCare = "known" },
        ]
        for (n, change) in set.enumerated() {
            var filter = CaseFilter()
            change(&filter)
            XCTAssertFalse(filter.isEmpty, "filter \(n)")
        }
        // Every stored filter is in that list: a new one must be added to `isEmpty` too.
        let stored = Mirror(reflecting: CaseFilter()).children.compactMap(\.label).filter { $0 != "foldedName" }
        XCTAssertEqual(stored.count, set.count, "\(stored)")
    }
}
