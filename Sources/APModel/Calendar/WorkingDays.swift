/// England and Wales working days: Monday to Friday less bank holidays (domain.md,
/// "Working days"). Counting uses a prefix sum over 1990–2060, so a count is two lookups.
public struct WorkingDays: Sendable {
    let first: Int
    /// prefix[i] = working days in [first, first + i).
    let prefix: [Int32]
    /// Holidays outside the table (a configured one in 2070, say): rarely any.
    let outside: [Int]

    public init(extraHolidays: [String] = []) {
        first = Day(year: 1990, month: 1, day: 1)!.daysSinceEpoch
        let days = Day(year: 2060, month: 12, day: 31)!.daysSinceEpoch - first + 1
        // Holidays marked by position, and the weekday stepped, not worked out: this runs for
        // 25,000 days on every command that counts working days.
        var holiday = [Bool](repeating: false, count: days)
        var outside: [Int] = []
        for day in shippedBankHolidays.lazy.map(\.day) + extraHolidays {
            guard let n = Day(day)?.daysSinceEpoch else { continue }
            if n >= first && n < first + days { holiday[n - first] = true } else { outside.append(n) }
        }
        self.outside = outside
        var weekday = Day(daysSinceEpoch: first).isoWeekday
        prefix = [Int32](unsafeUninitializedCapacity: days + 1) { p, made in
            var running: Int32 = 0
            p[0] = 0
            for i in 0..<days {
                if weekday <= 5 && !holiday[i] { running += 1 }
                p[i + 1] = running
                weekday = weekday == 7 ? 1 : weekday + 1
            }
            made = days + 1
        }
    }

    func isWorking(_ n: Int) -> Bool {
        let i = n - first
        if i >= 0 && i < prefix.count - 1 { return prefix[i + 1] != prefix[i] }
        return Day(daysSinceEpoch: n).isoWeekday <= 5 && !outside.contains(n)
    }

    public func isWorkingDay(_ day: Day) -> Bool { isWorking(day.daysSinceEpoch) }

    /// Working days in [first, day).
    func before(_ day: Day) -> Int {
        let i = day.daysSinceEpoch - first
        if i >= 0 && i < prefix.count { return Int(prefix[i]) }
        // Outside the table: count day by day from its nearer end.
        if i < 0 {
            var n = 0
            for d in day.daysSinceEpoch..<first where isWorking(d) { n -= 1 }
            return n
        }
        var n = Int(prefix[prefix.count - 1])
        for d in (first + prefix.count - 1)..<day.daysSinceEpoch where isWorking(d) { n += 1 }
        return n
    }

    /// Working days after `start` up to and including `end`: a stage started on a Monday
    /// has 1 working day elapsed on Tuesday. Negative when `end` is before `start`.
    public func elapsed(from start: Day, to end: Day) -> Int {
        before(end.adding(days: 1)) - before(start.adding(days: 1))
    }

    /// The `n`th working day after `start` (the day a timescale of n working days ends).
    public func adding(_ n: Int, to start: Day) -> Day {
        var day = start
        var left = n
        while left > 0 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { left -= 1 }
        }
        return day
    }
}
