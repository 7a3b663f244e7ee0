import Foundation

/// A UTC instant with millisecond precision, written `2026-11-23T09:30:00.123Z`.
/// Fixed-width text, so string order is time order.
public struct Timestamp: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let millis: Int64

    public init(millis: Int64) { self.millis = millis }

    /// The instants ap accepts: years 1970 to 9998. Anything later would be stamped past
    /// the year 9999 by the next write and could not be read again.
    public static let earliest = Timestamp(millis: 0)
    public static let latest = Timestamp(
        millis: Int64(Day(year: 9999, month: 1, day: 1)!.daysSinceEpoch) * 86_400_000 - 1)
    public var isInRange: Bool { self >= Timestamp.earliest && self <= Timestamp.latest }
    public static let rangeText = "between 1970-01-01 and 9998-12-31"

    public init(_ date: Date) { self.millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    public var date: Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.millis < b.millis }

    public func adding(millis delta: Int64) -> Timestamp { Timestamp(millis: millis + delta) }

    /// The calendar day in UTC.
    public var day: Day {
        let days = Int(floorDiv(millis, 86_400_000))
        return Day(daysSinceEpoch: days)
    }

    public var description: String { withText { String(decoding: $0, as: UTF8.self) } }

    /// Calls `body` with the 24 bytes of `description`, written digit by digit into a
    /// stack buffer: case files hold thousands of timestamps.
    func withText<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let d = day
        let c = d.components
        let msOfDay = Int(millis - Int64(d.daysSinceEpoch) * 86_400_000)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { b in
            func put(_ value: Int, _ at: Int, _ width: Int, then separator: UInt8) {
                var v = value
                var i = at + width - 1
                while i >= at {
                    b[i] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                    v /= 10
                    i -= 1
                }
                b[at + width] = separator
            }
            put(c.year, 0, 4, then: 0x2D); put(c.month, 5, 2, then: 0x2D); put(c.day, 8, 2, then: 0x54)
            put(msOfDay / 3_600_000, 11, 2, then: 0x3A); put(msOfDay / 60_000 % 60, 14, 2, then: 0x3A)
            put(msOfDay / 1000 % 60, 17, 2, then: 0x2E); put(msOfDay % 1000, 20, 3, then: 0x5A)
            return body(UnsafeBufferPointer(b))
        }
    }

    /// `2026-11-23 09:30` for tables.
    public var short: String {
        let text = description
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS.mmmZ` (milliseconds optional).
    public init?(_ text: String) {
        var text = text
        guard let millis = text.withUTF8(Timestamp.parse) else { return nil }
        self.millis = millis
    }

    static func parse(_ u: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard u.count == 24 || u.count == 20, u[10] == UInt8(ascii: "T"), u[u.count - 1] == UInt8(ascii: "Z"),
            let day = Day(bytes: UnsafeBufferPointer(rebasing: u[0..<10])),
            u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
            let h = number(u[11..<13]), let m = number(u[14..<16]), let s = number(u[17..<19]),
            h < 24, m < 60, s < 60
        else { return nil }
        var ms = 0
        if u.count == 24 {
            guard u[19] == UInt8(ascii: "."), let v = number(u[20..<23]) else { return nil }
            ms = v
        }
        let millis = Int64(day.daysSinceEpoch) * 86_400_000 + Int64(((h * 60 + m) * 60 + s) * 1000 + ms)
        return Timestamp(millis: millis).isInRange ? millis : nil
    }
}

/// A calendar date without time, written `2026-11-23`.
public struct Day: Comparable, Hashable, Sendable, CustomStringConvertible {
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year), (1...9999).contains(year)
        else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(Int64(y), 400)
        let yoe = Int64(y) - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        daysSinceEpoch = Int(era * 146_097 + doe - 719_468)
    }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: String) {
        var text = text
        guard let day = text.withUTF8(Day.init(bytes:)) else { return nil }
        self = day
    }

    init?(bytes u: UnsafeBufferPointer<UInt8>) {
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
            let y = number(u[0..<4]), let m = number(u[5..<7]), let d = number(u[8..<10])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = Int64(daysSinceEpoch) + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        let y = Int(yoe + era * 400) + (m <= 2 ? 1 : 0)
        return (y, m, d)
    }

    /// 1 = Monday ... 7 = Sunday (1970-01-01 was a Thursday).
    public var isoWeekday: Int { Int(floorMod(Int64(daysSinceEpoch) + 3, 7)) + 1 }

    public func adding(days: Int) -> Day { Day(daysSinceEpoch: daysSinceEpoch + days) }

    /// The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb).
    public func adding(months: Int) -> Day {
        let c = components
        let total = c.year * 12 + (c.month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return Day(year: y, month: m, day: min(c.day, Day.daysIn(month: m, year: y)))!
    }

    public var description: String {
        // The first ten bytes of a timestamp at midnight: one fast path for both.
        Timestamp(millis: Int64(daysSinceEpoch) * 86_400_000).withText { String(decoding: $0[0..<10], as: UTF8.self) }
    }

    public static func < (a: Day, b: Day) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

/// Decimal digits as a number; nil if empty, not digits, or too large for an Int (a damaged
/// index row must not stop the program).
func number<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
    var v = 0
    for b in bytes {
        guard b >= 0x30, b <= 0x39 else { return nil }
        let (times10, o1) = v.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times10.addingReportingOverflow(Int(b - 0x30))
        guard !o1, !o2 else { return nil }
        v = sum
    }
    return bytes.isEmpty ? nil : v
}
