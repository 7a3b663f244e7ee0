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
    /// Not yet discharged at the time asked (`Obligation.isOpen(at:)`).
    public var open: Bool
    /// Its trigger was recorded after the deadline: late from the start (`Obligation.recordedLate`).
    public var late = false
}

/// Which obligations `ap due` lists.
public struct DueFilter: Sendable {
    public var mine: String?
    public var overdueOnly = false
    /// Discharged ones too (`--all`).
    public var all = false

    public init() {}
}

/// A case as `ap due` reads it.
public struct DueCase: Sendable {
    public var id: String
    public var name: String
    /// Who answers for it (`CaseState.responsible`) and its allocated case manager, if any.
    public var responsible: String
    public var manager: String
    public var held: Holding
    public var obligations: [Obligation]
    /// Open, and social care's knowledge of the child never recorded (004 §2).
    public var socialCareUnrecorded = false

    /// `user` answers for it: the responsible worker, or the cover of a case manager on
    /// planned leave (002 §7.1).
    func answered(by user: String, on day: Day, absences: [String: Absence]) -> Bool {
        responsible == user || absences[manager]?.cover(on: day) == user
    }

    public init(
        id: String, name: String, responsible: String, manager: String = "", held: Holding, obligations: [Obligation]
    ) {
        self.id = id
        self.name = name
        self.responsible = responsible
        self.manager = manager
        self.held = held
        self.obligations = obligations
    }

    public init(_ s: CaseSummary, here: String) {
        self.init(
            id: s.id, name: s.name, responsible: s.responsible, manager: s.manager, held: s.holding(for: here),
            obligations: s.obligations)
        socialCareUnrecorded = s.socialCareUnrecorded
    }
}

public enum DueList {
    /// The entries for cases this YOT holds, soonest due first; a copy no longer held owes
    /// nothing here. `absences` by user add what a case manager's leave asks (002 §7); `rules`
    /// gives each rule with this repository's time for it (`Config.obligationRule`), asked of
    /// each rule `ObligationRule.all` names. The cases are read on all cores.
    public static func entries(
        _ cases: [DueCase], filter: DueFilter, now: Timestamp, calendar: WorkingDays, absences: [String: Absence] = [:],
        rules: (String) -> ObligationRule? = ObligationRule.named
    ) -> [DueEntry] {
        let parts = walk(cases, filter: filter, now: now, calendar: calendar, absences: absences, rules: rules,
                         start: [DueEntry]()) { out, c, o, rule, due, overdue in
            let left = Int(floorDiv(due.millis - now.millis, 3_600_000))
            out.append(
                DueEntry(
                    caseID: c.id, name: c.name, obligation: o, rule: rule, due: due, hoursLeft: left,
                    overdue: overdue, open: o.isOpen(at: now), late: o.recordedLate(due: due)))
        }
        var out: [DueEntry] = []
        out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { out.append(contentsOf: part) }
        // Positions sorted, each entry then moved once (stable, as sorting the entries was): an
        // entry carries its rule, and a sort moving 100,000 of them about was a tenth of `ap status`.
        let order = out.indices.sorted { a, b in
            out[a].due != out[b].due ? out[a].due < out[b].due : out[a].caseID < out[b].caseID
        }
        out.reorder(order)
        return out
    }

    /// How many entries `entries` would list, and how many of them are overdue, without making
    /// them (`ap status` counts 100,000 obligations and lists only the user's).
    public static func counts(
        _ cases: [DueCase], filter: DueFilter, now: Timestamp, calendar: WorkingDays, absences: [String: Absence] = [:],
        rules: (String) -> ObligationRule? = ObligationRule.named
    ) -> (all: Int, overdue: Int) {
        walk(cases, filter: filter, now: now, calendar: calendar, absences: absences, rules: rules,
             start: (all: 0, overdue: 0)) { count, _, _, _, _, overdue in
            count.all += 1
            if overdue { count.overdue += 1 }
        }.reduce((0, 0)) { ($0.0 + $1.all, $0.1 + $1.overdue) }
    }

    /// Each entry `entries` lists, told to `visit` with its case, obligation, rule, due time
    /// and whether it is overdue; the cases shared among the cores, each share's result
    /// starting from `start`, the results in the cases' order.
    private static func walk<R: Sendable>(
        _ cases: [DueCase], filter: DueFilter, now: Timestamp, calendar: WorkingDays, absences: [String: Absence],
        rules: (String) -> ObligationRule?, start: R,
        visit: @Sendable (inout R, DueCase, Obligation, ObligationRule, Timestamp, Bool) -> Void
    ) -> [R] {
        let today = UKClock.day(of: now)
        // Each rule looked up once, before the cases are shared among the cores: a due list runs
        // to hundreds of thousands of obligations.
        let known = Dictionary(uniqueKeysWithValues: ObligationRule.all.map { ($0.id, rules($0.id)) })
        let chunks = min(cases.count, 64)
        let ranges = (0..<chunks).map { k in (cases.count * k / chunks)..<(cases.count * (k + 1) / chunks) }
        return parallelMap(ranges) { range -> R in
            var result = start
            for c in cases[range] where c.held != .released {
                if let me = filter.mine, !c.answered(by: me, on: today, absences: absences) { continue }
                var owed = c.obligations
                if let absence = absences[c.manager], !absence.isOver(on: today) {
                    let start = UKClock.instant(absence.from)
                    if !absence.planned, absence.to == nil {
                        owed.append(Obligation(rule: "reallocation-to-consider", since: start))
                    }
                    if absence.planned, absence.cover == nil {
                        owed.append(Obligation(rule: "cover-before-leave", since: start))
                    }
                }
                for o in owed where filter.all || o.isOpen(at: now) {
                    guard let rule = known[o.rule] ?? nil else { continue }
                    let due = o.due(rule, calendar: calendar)
                    let overdue = o.isOpen(at: now) && due < now
                    if filter.overdueOnly && !overdue { continue }
                    visit(&result, c, o, rule, due, overdue)
                }
            }
            return result
        }
    }

    /// The cases `entries` would read whose social-care status was never recorded: `ap due`
    /// prompts for it (004 §2).
    public static func socialCareUnrecorded(
        _ cases: [DueCase], filter: DueFilter, now: Timestamp, absences: [String: Absence] = [:]
    ) -> [String] {
        let today = UKClock.day(of: now)
        return cases.filter { c in
            c.socialCareUnrecorded && c.held != .released
                && (filter.mine.map { c.answered(by: $0, on: today, absences: absences) } ?? true)
        }.map(\.id)
    }

    /// How an open obligation stands: late from the start, overdue, or the time left.
    public static func timing(_ e: DueEntry) -> String {
        e.late && e.overdue ? "late: recorded after the deadline"
            : e.overdue ? "overdue by \(leftText(-e.hoursLeft))" : "\(leftText(e.hoursLeft)) left"
    }

    /// `5h`, `2d 3h`, `-1d 2h`: the time left as people read it.
    public static func leftText(_ hours: Int) -> String {
        let sign = hours < 0 ? "-" : ""
        let h = abs(hours)
        return h < 24 ? "\(sign)\(h)h" : "\(sign)\(h / 24)d" + (h % 24 == 0 ? "" : " \(h % 24)h")
    }
}
