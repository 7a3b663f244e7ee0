/// One line of `ap due`: an obligation on a case, with when it falls due.
public struct DueEntry: Sendable {
    public var caseID: String
    public var name: String
    public var obligation: Obligation
    public var rule: ObligationRule
    public var due: Timestamp
    /// Whole hours to the deadline, rounded down: negative once it has passed.
    public var hoursLeft: Int
    public var overdue: Bool
}

/// Which obligations `ap due` lists.
public struct DueFilter: Sendable {
    public var mine: String?
    public var overdueOnly = false
    /// Discharged ones too (`--all`).
    public var all = false

    public init() {}
}

public enum DueList {
    /// The entries for cases this YOT holds, soonest due first. `responsible` and `held` come
    /// from the summary; a copy no longer held owes nothing here.
    public static func entries(
        _ cases: [(id: String, name: String, responsible: String, held: Holding, obligations: [Obligation])],
        filter: DueFilter, now: Timestamp, calendar: WorkingDays
    ) -> [DueEntry] {
        var out: [DueEntry] = []
        for c in cases where c.held != .released {
            if let me = filter.mine, c.responsible != me { continue }
            for o in c.obligations where filter.all || o.isOpen {
                guard let rule = ObligationRule.named(o.rule) else { continue }
                let due = rule.dueTime(since: o.since, calendar: calendar)
                let overdue = o.isOpen && due < now
                if filter.overdueOnly && !overdue { continue }
                let left = Int(floorDiv(due.millis - now.millis, 3_600_000))
                out.append(
                    DueEntry(
                        caseID: c.id, name: c.name, obligation: o, rule: rule, due: due, hoursLeft: left,
                        overdue: overdue))
            }
        }
        return out.sorted { $0.due != $1.due ? $0.due < $1.due : $0.caseID < $1.caseID }
    }

    /// `5h`, `2d 3h`, `-1d 2h`: the time left as people read it.
    public static func leftText(_ hours: Int) -> String {
        let sign = hours < 0 ? "-" : ""
        let h = abs(hours)
        return h < 24 ? "\(sign)\(h)h" : "\(sign)\(h / 24)d" + (h % 24 == 0 ? "" : " \(h % 24)h")
    }
}
