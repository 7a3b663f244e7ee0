@testable import APModel
import XCTest

final class TimeTests: XCTestCase {
    func testTimestampRoundTripAndOrder() throws {
        let t = try XCTUnwrap(Timestamp("2026-11-23T09:30:05.123Z"))
        XCTAssertEqual(t.description, "2026-11-23T09:30:05.123Z")
        XCTAssertEqual(Timestamp("2026-11-23T09:30:05Z")?.description, "2026-11-23T09:30:05.000Z")
        XCTAssertEqual(Timestamp(millis: -1).description, "1969-12-31T23:59:59.999Z")
        // ap accepts 1970 to 9998: a time at the end of 9999 would be followed by year 0000.
        XCTAssertNil(Timestamp("1969-12-31T23:59:59.999Z"))
        XCTAssertEqual(Timestamp("1970-01-01T00:00:00.000Z")?.millis, 0)
        XCTAssertEqual(Timestamp("9998-12-31T23:59:59.999Z"), Timestamp.latest)
        XCTAssertNil(Timestamp("9999-01-01T00:00:00.000Z"))
        XCTAssertFalse(Timestamp.latest.adding(millis: 1).isInRange)
        XCTAssertLessThan(t, t.adding(millis: 1))
        XCTAssertEqual(t.day.description, "2026-11-23")
        for bad in ["2026-11-23 09:30:05.123Z", "2026-11-23T25:00:00.000Z", "2026-02-30T00:00:00.000Z", "2026-11-23T09:30:05.123", ""] {
            XCTAssertNil(Timestamp(bad), bad)
        }
    }

    func testDayArithmetic() throws {
        let d = try XCTUnwrap(Day("2024-01-31"))
        XCTAssertEqual(d.adding(months: 1).description, "2024-02-29")
        XCTAssertEqual(d.adding(months: 3).description, "2024-04-30")
        XCTAssertEqual(d.adding(months: 11).description, "2024-12-31")
        XCTAssertEqual(d.adding(months: 12).description, "2025-01-31")
        XCTAssertEqual(Day("2026-11-23")?.isoWeekday, 1)  // a Monday
        XCTAssertEqual(Day("2026-11-29")?.isoWeekday, 7)
        XCTAssertEqual(Day("1970-01-01")?.daysSinceEpoch, 0)
        XCTAssertNil(Day("2023-02-29"))
        XCTAssertNotNil(Day("2024-02-29"))
        XCTAssertNil(Day("2100-02-29"))
        XCTAssertNotNil(Day("2000-02-29"))
    }
}
