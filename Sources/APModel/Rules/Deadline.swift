/// When an open stage is due (domain.md, "Stage rules by kind"; 001 §§1.2, 6.21): its
/// kind's timescale in working days from its start, or from the end of involvement for a
/// Case Closure given one, or its own due date (a court date) where that is earlier.
public struct Deadline: Equatable, Sendable {
    /// The day the working days count from.
    public var start: Day
    public var due: Day
    /// `timescale` or `due-date`: which of the two set `due`.
    public var basis: String
    /// Working days since `start`.
    public var elapsed: Int
    /// Working days left until `due`; negative when overdue.
    public var left: Int

    public static let byTimescale = "timescale"
    public static let byDueDate = "due-date"

    public var overdue: Bool { left < 0 }

    public static func of(
        started: Day, clockStart: Day?, dueDate: Day?, timescale: Int, today: Day, calendar: WorkingDays
    ) -> Deadline {
        let start = clockStart ?? started
        let byTimescale = calendar.adding(timescale, to: start)
        let elapsed = calendar.elapsed(from: start, to: today)
        if let dueDate, dueDate < byTimescale {
            return Deadline(
                start: start, due: dueDate, basis: byDueDate, elapsed: elapsed,
                left: calendar.elapsed(from: today, to: dueDate))
        }
        return Deadline(
            start: start, due: byTimescale, basis: Deadline.byTimescale, elapsed: elapsed,
            left: timescale - elapsed)
    }
}
