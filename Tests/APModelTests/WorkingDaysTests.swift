@testable import APModel
import XCTest

final class WorkingDaysTests: XCTestCase {
    let calendar = WorkingDays()
    func day(_ s: String) -> Day { Day(s)! }

    func testWeekendsAndBankHolidaysAreNotWorkingDays() {
        XCTAssertTrue(calendar.isWorkingDay(day("2026-11-23")))   // Monday
        XCTAssertFalse(calendar.isWorkingDay(day("2026-11-28")))  // Saturday
        XCTAssertFalse(calendar.isWorkingDay(day("2026-12-25")))  // Christmas, Friday
        XCTAssertFalse(calendar.isWorkingDay(day("2026-12-28")))  // Boxing Day substitute, Monday
        XCTAssertFalse(calendar.isWorkingDay(day("2026-04-03")))  // Good Friday
        XCTAssertFalse(calendar.isWorkingDay(day("2022-09-19")))  // State funeral
        XCTAssertFalse(calendar.isWorkingDay(day("2023-05-08")))  // Coronation
        XCTAssertTrue(calendar.isWorkingDay(day("2020-05-04")))   // Early May moved to the 8th in 2020
        XCTAssertFalse(calendar.isWorkingDay(day("2020-05-08")))
    }

    func testElapsedCountsWorkingDaysAfterTheStart() {
        XCTAssertEqual(calendar.elapsed(from: day("2026-11-23"), to: day("2026-11-23")), 0)
        XCTAssertEqual(calendar.elapsed(from: day("2026-11-23"), to: day("2026-11-24")), 1)
        XCTAssertEqual(calendar.elapsed(from: day("2026-11-20"), to: day("2026-11-23")), 1, "Friday to Monday")
        XCTAssertEqual(calendar.elapsed(from: day("2026-11-21"), to: day("2026-11-23")), 1, "Saturday start")
        XCTAssertEqual(calendar.elapsed(from: day("2026-11-23"), to: day("2026-11-20")), -1)
    }

    func testAcrossTheYearEndAndChristmas() {
        // Mon 21 Dec 2026 .. Mon 4 Jan 2027: 22, 23, 24, 29, 30, 31 Dec and 4 Jan (25, 28 Dec and 1 Jan are holidays).
        XCTAssertEqual(calendar.elapsed(from: day("2026-12-21"), to: day("2027-01-04")), 7)
        XCTAssertEqual(calendar.adding(15, to: day("2026-12-14")).description, "2027-01-07")
        XCTAssertEqual(calendar.adding(15, to: day("2026-11-02")).description, "2026-11-23")
        XCTAssertEqual(calendar.adding(0, to: day("2026-11-02")).description, "2026-11-02")
    }

    func testConfiguredHolidaysAndDatesOutsideTheTable() {
        let local = WorkingDays(extraHolidays: ["2026-11-24"])
        XCTAssertEqual(local.elapsed(from: day("2026-11-23"), to: day("2026-11-25")), 1)
        XCTAssertEqual(calendar.elapsed(from: day("2070-01-06"), to: day("2070-01-13")), 5)
        XCTAssertEqual(calendar.elapsed(from: day("1980-01-07"), to: day("1980-01-14")), 5)
    }

    /// The table's counts and days are those of the rule, day by day, across the whole table
    /// and past both its ends, with configured holidays inside and outside it.
    func testTheTableAgreesWithTheRuleDayByDay() {
        let extra = ["1990-01-02", "2060-12-29", "2041-03-05", "1985-03-05", "2065-03-03"]
        let local = WorkingDays(extraHolidays: extra)
        let holidays = Set((shippedBankHolidays.map(\.day) + extra).compactMap { Day($0)?.daysSinceEpoch })
        func working(_ d: Day) -> Bool { d.isoWeekday <= 5 && !holidays.contains(d.daysSinceEpoch) }
        let start = day("1984-12-24")
        var counted = 0
        for n in 1...(day("2066-01-10").daysSinceEpoch - start.daysSinceEpoch) {
            let d = start.adding(days: n)
            if working(d) { counted += 1 }
            // Every day's rule; the count at every 29th day and across the table's ends (a count
            // outside the table goes day by day).
            let fromTable = d.daysSinceEpoch - local.first
            let edge = abs(fromTable) < 20 || abs(fromTable - local.prefix.count) < 20
            let counts = n % 29 == 0 || edge
            guard local.isWorkingDay(d) == working(d), !counts || local.elapsed(from: start, to: d) == counted else {
                return XCTFail("\(d): working \(local.isWorkingDay(d)), elapsed \(local.elapsed(from: start, to: d))")
            }
        }
        XCTAssertFalse(local.isWorkingDay(day("2065-03-03")), "a configured Tuesday past the table")
        XCTAssertFalse(local.isWorkingDay(day("2060-12-29")), "a configured Wednesday")
        XCTAssertTrue(local.isWorkingDay(day("2060-12-30")), "a Thursday")
    }

    func testShippedListCoversEveryYear2016To2030() {
        let years = Set(shippedBankHolidays.map { $0.day.prefix(4) })
        XCTAssertEqual(years.count, 15)
        XCTAssertTrue(shippedBankHolidays.allSatisfy { Day($0.day) != nil })
        XCTAssertTrue(shippedBankHolidays.allSatisfy { Day($0.day)!.isoWeekday <= 5 }, "holidays fall on weekdays")
    }
}
