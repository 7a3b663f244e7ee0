@testable import APModel
import XCTest

/// `DueList.counts`, which `ap status` uses instead of making every entry: the same number of
/// entries, and of overdue ones, as `DueList.entries` lists, whatever the filter, holdings,
/// discharges and leave.
final class DueCountTests: XCTestCase {
    func testCountsAreTheEntriesCounted() {
        let now = Timestamp("2026-11-20T09:00:00.000Z")!
        let rules = ObligationRule.all.map(\.id)
        var cases: [DueCase] = []
        for n in 0..<300 {
            var owed: [Obligation] = []
            for k in 0..<(n % 4) {
                let since = Timestamp(millis: now.millis - Int64((n * 7 + k * 13) % 60) * 86_400_000)
                var o = Obligation(rule: rules[(n + k) % rules.count], since: since)
                if (n + k) % 5 == 0 { o.dischargedAt = since }
                owed.append(o)
            }
            let held: Holding = n % 9 == 0 ? .released : .home
            cases.append(DueCase(
                id: "YP-\(n)", name: "Person \(n)", responsible: n % 3 == 0 ? "pat" : "kim",
                manager: n % 7 == 0 ? "lee" : "pat", held: held, obligations: owed))
        }
        let absences = ["lee": Absence(from: Day("2026-11-16")!)]
        var filters: [DueFilter] = [DueFilter()]
        var all = DueFilter(); all.all = true; filters.append(all)
        var overdue = DueFilter(); overdue.overdueOnly = true; filters.append(overdue)
        var mine = DueFilter(); mine.mine = "pat"; filters.append(mine)
        for filter in filters {
            let entries = DueList.entries(cases, filter: filter, now: now, calendar: WorkingDays(), absences: absences)
            let counted = DueList.counts(cases, filter: filter, now: now, calendar: WorkingDays(), absences: absences)
            XCTAssertGreaterThan(entries.count, 0)
            XCTAssertEqual(counted.all, entries.count)
            XCTAssertEqual(counted.overdue, entries.filter(\.overdue).count)
        }
    }
}
