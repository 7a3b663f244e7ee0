/// England and Wales working days: Monday to Friday less bank holidays (domain.md,
/// "Working days"). A count is worked out, not walked: the weekdays between two days by whole
/// weeks, less the holidays among them found by halving the sorted list. (A table of every day
/// from 1990 to 2060, made on each run, was a twentieth of a 1,000-case queue's instructions.)
public struct WorkingDays: Sendable {
    /// The bank holidays that fall on a weekday (a configured one may not), as days since the
    /// epoch, sorted, each once.
    let holidays: [Int]

    public init(extraHolidays: [String] = []) {
        var days: [Int] = []
        for day in shippedBankHolidays.lazy.map(\.day) + extraHolidays {
            guard let d = Day(day), d.isoWeekday <= 5 else { continue }
            days.append(d.daysSinceEpoch)
        }
        var unique: [Int] = []
        for day in days.sorted() where unique.last != day { unique.append(day) }
        holidays = unique
    }

    public func isWorkingDay(_ day: Day) -> Bool {
        guard day.isoWeekday <= 5 else { return false }
        let i = holidaysBefore(day.daysSinceEpoch)
        return i == holidays.count || holidays[i] != day.daysSinceEpoch
    }

    /// Holidays before day `n`: the first position in `holidays` not before it.
    func holidaysBefore(_ n: Int) -> Int {
        var low = 0, high = holidays.count
        while low < high {
            let mid = (low + high) / 2
            if holidays[mid] < n { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Working days from a fixed Monday (1969-12-29, day -3) up to `day`, not counting it;
    /// negative before that Monday. Only differences are used.
    func before(_ day: Day) -> Int {
        let sinceMonday = Int64(day.daysSinceEpoch + 3)
        let weekdays = floorDiv(sinceMonday, 7) * 5 + min(floorMod(sinceMonday, 7), 5)
        return Int(weekdays) - holidaysBefore(day.daysSinceEpoch)
    }

    /// Working days after `start` up to and including `end`: a stage started on a Monday
    /// has 1 working day elapsed on Tuesday. Negative when `end` is before `start`.
    public func elapsed(from start: Day, to end: Day) -> Int {
        before(end.adding(days: 1)) - before(start.adding(days: 1))
    }

    /// The `n`th working day after `start` (the day a timescale of n working days ends).
    public func adding(_ n: Int, to start: Day) -> Day {
        // Whole weeks first: (n - 1) / 5 of them hold fewer than n working days, so the day
        // is still ahead and is found by stepping at most a week and its holidays.
        var day = n > 5 ? start.adding(days: (n - 1) / 5 * 7) : start
        var left = n - elapsed(from: start, to: day)
        while left > 0 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { left -= 1 }
        }
        return day
    }
}
