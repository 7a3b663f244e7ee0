/// England and Wales working days: Monday to Friday less bank holidays (domain.md,
/// "Working days"). Counting uses a prefix sum over 1990–2060, so a count is two lookups.
public struct WorkingDays: Sendable {
    let first: Int
    /// prefix[i] = working days in [first, first + i).
    let prefix: [Int32]
    let holidays: Set<Int>

    public init(extraHolidays: [String] = []) {
        var set = Set<Int>()
        for (day, _) in shippedBankHolidays { if let d = Day(day) { set.insert(d.daysSinceEpoch) } }
        for day in extraHolidays { if let d = Day(day) { set.insert(d.daysSinceEpoch) } }
        holidays = set
        first = Day(year: 1990, month: 1, day: 1)!.daysSinceEpoch
        let last = Day(year: 2060, month: 12, day: 31)!.daysSinceEpoch
        var p: [Int32] = [0]
        p.reserveCapacity(last - first + 2)
        var running: Int32 = 0
        // Holidays marked by position, not looked up in the set: this runs for 25,000 days on
        // every command that counts working days.
        var holiday = [Bool](repeating: false, count: last - first + 1)
        for d in set where d >= first && d <= last { holiday[d - first] = true }
        for n in first...last {
            if Day(daysSinceEpoch: n).isoWeekday <= 5 && !holiday[n - first] { running += 1 }
            p.append(running)
        }
        prefix = p
    }

    static func isWorking(_ n: Int, _ holidays: Set<Int>) -> Bool {
        Day(daysSinceEpoch: n).isoWeekday <= 5 && !holidays.contains(n)
    }

    public func isWorkingDay(_ day: Day) -> Bool { WorkingDays.isWorking(day.daysSinceEpoch, holidays) }

    /// Working days in [first, day).
    func before(_ day: Day) -> Int {
        let i = day.daysSinceEpoch - first
        if i >= 0 && i < prefix.count { return Int(prefix[i]) }
        // Outside the table: count day by day from its nearer end.
        if i < 0 {
            var n = 0
            for d in day.daysSinceEpoch..<first where WorkingDays.isWorking(d, holidays) { n -= 1 }
            return n
        }
        var n = Int(prefix[prefix.count - 1])
        for d in (first + prefix.count - 1)..<day.daysSinceEpoch where WorkingDays.isWorking(d, holidays) { n += 1 }
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
