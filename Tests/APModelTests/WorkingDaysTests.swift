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

    /// Every day's count and rule are those of counting day by day, from 1984 to 2066, with
    /// configured holidays among the shipped ones, on a weekend, twice, and far from them.
    func testCountsAgreeWithCountingDayByDay() {
        let extra = [
            "1990-01-02", "2060-12-29", "2041-03-05", "1985-03-05", "2065-03-03", "2026-11-28", "2026-12-25",
        ]
        let local = WorkingDays(extraHolidays: extra)
        let holidays = Set((shippedBankHolidays.map(\.day) + extra).compactMap { Day($0)?.daysSinceEpoch })
        func working(_ d: Day) -> Bool { d.isoWeekday <= 5 && !holidays.contains(d.daysSinceEpoch) }
        let start = day("1984-12-24")
        var counted = 0
        for n in 1...(day("2066-01-10").daysSinceEpoch - start.daysSinceEpoch) {
            let d = start.adding(days: n)
            if working(d) { counted += 1 }
            guard local.isWorkingDay(d) == working(d), local.elapsed(from: start, to: d) == counted else {
                return XCTFail("\(d): working \(local.isWorkingDay(d)), elapsed \(local.elapsed(from: start, to: d))")
            }
        }
        XCTAssertFalse(local.isWorkingDay(day("2065-03-03")), "a configured Tuesday")
        XCTAssertTrue(local.isWorkingDay(day("2060-12-30")), "a Thursday")
        XCTAssertEqual(
            local.elapsed(from: day("2026-11-27"), to: day("2026-11-30")), 1, "a Saturday holiday counts for nothing")
        XCTAssertEqual(
            local.elapsed(from: day("1969-12-24"), to: day("1970-01-07")), 10, "across the counting's Monday")
    }

    /// The nth working day after any day, weekend or holiday included, is where counting day
    /// by day lands, for every n up to 70.
    func testAddingLandsWhereCountingDoes() {
        let local = WorkingDays(extraHolidays: ["2026-12-29", "2027-01-02"])
        for offset in 0..<40 {
            let start = day("2026-12-10").adding(days: offset)
            var d = start, counted = 0
            for n in 0...70 {
                while counted < n {
                    d = d.adding(days: 1)
                    if local.isWorkingDay(d) { counted += 1 }
                }
                XCTAssertEqual(local.adding(n, to: start), d, "\(n) after \(start)")
            }
        }
    }

    func testShippedListCoversEveryYear2016To2030() {
        let years = Set(shippedBankHolidays.map { $0.day.prefix(4) })
        XCTAssertEqual(years.count, 15)
        XCTAssertTrue(shippedBankHolidays.allSatisfy { Day($0.day) != nil })
        XCTAssertTrue(shippedBankHolidays.allSatisfy { Day($0.day)!.isoWeekday <= 5 }, "holidays fall on weekdays")
    }
}
