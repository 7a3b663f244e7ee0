/// One thing owed on a case: which rule, since when, for which stage, and whether it was done.
public struct Obligation: Equatable, Sendable {
    public var rule: String
    /// When the trigger happened: the key event, or the stage's start, submission or completion.
    public var since: Timestamp
    /// The stage it concerns, where it is about one stage.
    public var stage: String?
    /// When and how it was discharged; nil while open.
    public var dischargedAt: Timestamp?
    public var dischargedBy: String?
    /// A due time the rule does not set alone: a looked-after child's caretaking review date.
    public var dueAt: Timestamp?

    public var isOpen: Bool { dischargedAt == nil }

    /// Discharged by a hearing or meeting recorded ahead of its date.
    public var dischargedAhead = false

    /// Open at `now`: not discharged, or discharged by a meeting dated ahead that has not yet
    /// happened (issue 25: a meeting discharges once its date has passed).
    public func isOpen(at now: Timestamp) -> Bool { dischargedAt.map { dischargedAhead && now < $0 } ?? true }

    /// When it falls due: `dueAt`, else the rule's time from `since`.
    public func due(_ rule: ObligationRule, calendar: WorkingDays) -> Timestamp {
        dueAt ?? rule.dueTime(since: since, calendar: calendar)
    }

    /// When its trigger was recorded, where not at the time it happened: a deadline already past
    /// then is late from the start ("late: recorded after the deadline"), not overdue by the user's doing.
    public var recordedAt: Timestamp?

    /// Recorded only after its deadline had passed.
    public func recordedLate(due: Timestamp) -> Bool { recordedAt.map { due < $0 } ?? false }

    /// `rule@since@stage[@due[@discharged-ahead[@recorded]]]` in millis, one obligation in an index row.
    var indexText: String {
        var text = "\(rule)@\(since.millis)@\(stage ?? "")"
        let ahead = dischargedAhead ? dischargedAt : nil
        let tail = [dueAt, ahead, recordedAt].map { $0.map { String($0.millis) } ?? "" }
        let used = tail.lastIndex { !$0.isEmpty }.map { $0 + 1 } ?? 0
        for field in tail.prefix(used) { text += "@" + field }
        return text
    }

    /// Reads `indexText` as bytes: a due list reads hundreds of thousands of them.
    init?(indexText: Substring.UTF8View) {
        let parts = indexText.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        guard (3...6).contains(parts.count), let millis = number(parts[1]) else { return nil }
        rule = String(Substring(parts[0]))
        since = Timestamp(millis: Int64(millis))
        stage = parts[2].isEmpty ? nil : String(Substring(parts[2]))
        func time(_ i: Int) -> Timestamp?? {
            guard parts.count > i, !parts[i].isEmpty else { return .some(nil) }
            return number(parts[i]).map { Timestamp(millis: Int64($0)) }
        }
        guard let due = time(3), let done = time(4), let recorded = time(5) else { return nil }
        dueAt = due
        recordedAt = recorded
        if let done {
            dischargedAt = done
            dischargedBy = "recorded ahead"
            dischargedAhead = true
        }
    }

    public init(rule: String, since: Timestamp, stage: String? = nil) {
        self.rule = rule
        self.since = since
        self.stage = stage
    }
}

/// Derives a case's obligations from `ObligationRule.all`. It reads the stored state (JSON),
/// so the index computes them without replaying events, and `ap due --case` the same way.
public enum Obligations {
    struct Send {
        var at: Timestamp
        var to: String
        var stage: String
    }

    struct StageFacts {
        var id: String
        var kind: String
        var status: String
        var startedAt: Timestamp
        var submittedAt: Timestamp?
        var completedAt: Timestamp?
        var ratings: [String: String]
    }

    /// What the rules look at.
    struct Facts {
        /// Key events: when they happened, and when they were recorded (a hearing ahead).
        var events: [(kind: String, at: Timestamp, recorded: Timestamp)] = []
        var stages: [StageFacts] = []
        var sends: [Send] = []
        var lookedAfter = false
        var socialCareKnownSince: Timestamp?
        var allocations: [(at: Timestamp, juniorManager: Bool, co: Bool, internalTransfer: Bool)] = []
        var transfersSent: [Timestamp] = []
        var caretakingSince: Timestamp?
        var reviewDate: Day?
        /// Referrals flagged: the stage, when, and when it was made or found not needed.
        var referrals: [(stage: String, flagged: Timestamp, actioned: (at: Timestamp, how: String)?)] = []
    }

    static let ratingKeys = ["rosh", "saw", "lor"]
    static let highs: Set<String> = ["high", "very-high"]

    public static func of(_ state: CaseState) -> [Obligation] { (try? of(state: state.json)) ?? [] }

    public static func of(state json: JSONValue) throws -> [Obligation] {
        let facts = try read(json)
        // Nothing recorded and no stage that a rule reads: the usual case costs nothing more.
        guard
            !facts.events.isEmpty || !facts.stages.isEmpty || !facts.allocations.isEmpty || facts.caretakingSince != nil
                || !facts.referrals.isEmpty
        else { return [] }
        var out: [Obligation] = []
        for rule in ObligationRule.all {
            for var o in triggered(rule, facts) {
                if let done = discharge(rule, o, facts) ?? ended(rule, o, facts) {
                    o.dischargedAt = done.at
                    o.dischargedBy = done.how
                    o.dischargedAhead = facts.events.contains {
                        $0.at == done.at && $0.recorded < done.at && KeyEventKind.scheduledSlugs.contains($0.kind)
                    }
                }
                out.append(o)
            }
        }
        return out.sorted { $0.since < $1.since }
    }

    static func read(_ json: JSONValue) throws -> Facts {
        let r = try JSONReader(json, path: "state")
        var f = Facts()
        f.lookedAfter = try r.bool("lookedAfter", default: false)
        f.socialCareKnownSince = r.object["socialCare"]?["knownSince"]?.stringValue.flatMap(Timestamp.init)
        for value in try r.array("allocations") {
            let a = try JSONReader(value, path: "state.allocations")
            let grade = try a.optionalString("managerGrade")
            f.allocations.append(
                (
                    try a.timestamp("at"), grade == Grade.student.rawValue || grade == Grade.bandA.rawValue,
                    a.object["co"] != nil, try a.bool("internalTransfer", default: false)
                ))
        }
        f.transfersSent = try r.array("transfers").compactMap { $0["sentAt"]?.stringValue.flatMap(Timestamp.init) }
        f.caretakingSince = try r.optionalString("caretakingSince").flatMap(Timestamp.init)
        f.reviewDate = try r.optionalString("reviewDate").flatMap(Day.init)
        for value in try r.array("referrals") {
            let referral = try Referral(json: value, path: "state.referrals")
            // Done on the day given, from its start, even when recorded later.
            let made = referral.madeOn.map { (UKClock.instant($0), "referral made to \(referral.madeTo ?? "")") }
            let closed = referral.outcomeOn.map { (UKClock.instant($0), "referral \(referral.outcome ?? "")") }
            f.referrals.append((referral.stage, referral.flaggedAt, made ?? closed))
        }
        for value in try r.array("keyEvents") {
            let e = try JSONReader(value, path: "state.keyEvents")
            let at = try e.timestamp("happenedAt")
            let recorded = try e.optionalString("recordedAt").flatMap(Timestamp.init) ?? at
            let kind = try e.string("event")
            f.events.append((kind, at, recorded))
            // What a rule reads of the event's details, as events of their own.
            if try e.bool("custodyPossible", default: false) {
                let breach = try e.bool("breach", default: false)
                let hearing = breach ? KeyEventKind.breachCustodyHearing : KeyEventKind.custodyHearing
                f.events.append((hearing, at, recorded))
            }
            if kind == "planning-meeting" {
                let yot = try e.optionalString("updatesBy") == KeyEventDetails.Updater.yot.rawValue
                f.events.append((yot ? KeyEventKind.yotUpdates : KeyEventKind.establishmentUpdates, at, recorded))
            }
        }
        for value in try r.array("stages") {
            let s = try JSONReader(value, path: "state.stages")
            let id = try s.string("id")
            var ratings: [String: String] = [:]
            let answers = try s.object("answers")
            for key in ratingKeys { ratings[key] = answers[key]?["value"]?.stringValue }
            f.stages.append(
                StageFacts(
                    id: id, kind: try s.string("kind"), status: try s.string("status"),
                    startedAt: try s.timestamp("startedAt"),
                    submittedAt: try s.optionalString("submittedAt").flatMap(Timestamp.init),
                    completedAt: try s.optionalString("completedAt").flatMap(Timestamp.init), ratings: ratings))
            for send in try s.array("sends") {
                let t = try JSONReader(send, path: "state.stages.sends")
                f.sends.append(
                    Send(
                        at: try t.timestamp("at"),
                        to: try JSONReader(.object(try t.object("to")), path: "to")
                            .string("type"), stage: id))
            }
        }
        return f
    }

    // MARK: triggers

    static func triggered(_ rule: ObligationRule, _ f: Facts) -> [Obligation] {
        switch rule.trigger {
        case .recorded(let kinds):
            return f.events.filter { kinds.contains($0.kind) }.map { started(rule, $0) }
        case .courtOutcomeLookedAfter(let kinds):
            // Looked after (a remand makes it so, until what ends it), or known to social care
            // then (004 §§17, 24).
            return f.events.filter { e in
                kinds.contains(e.kind)
                    && (f.lookedAfter || KeyEventKind.remands.contains(e.kind)
                        || KeyEventKind.remandEnders.contains(e.kind)
                            && f.events.contains { KeyEventKind.remands.contains($0.kind) && $0.at < e.at }
                        || f.socialCareKnownSince.map { !(e.at < $0) } == true)
            }
            .map { started(rule, $0) }
        case .recordedLookedAfter(let kinds):
            guard f.lookedAfter else { return [] }
            return f.events.filter { kinds.contains($0.kind) }.map { started(rule, $0) }
        case .stageCompletedInCustody:
            var out: [Obligation] = []
            var before: [String: String]? = nil
            for s in f.stages.sorted(by: { ($0.completedAt ?? $0.startedAt) < ($1.completedAt ?? $1.startedAt) }) {
                guard let done = s.completedAt else { continue }
                let rated = s.ratings
                let changed = !rated.isEmpty && rated.contains { before?[$0.key] != $0.value }
                if inEstablishment(at: done, f), s.kind == StageKind.review || changed {
                    out.append(Obligation(rule: rule.id, since: done, stage: s.id))
                }
                if !rated.isEmpty { before = rated }
            }
            return out
        case .sawVeryHighUnknownToSocialCare:
            var out: [Obligation] = []
            var wasVeryHigh = false
            for s in f.stages.filter({ $0.submittedAt != nil }).sorted(by: { $0.submittedAt! < $1.submittedAt! }) {
                let veryHigh = s.ratings["saw"] == "very-high"
                let known = f.socialCareKnownSince.map { !(s.submittedAt! < $0) } ?? false
                if veryHigh, !wasVeryHigh, !known {
                    out.append(Obligation(rule: rule.id, since: s.submittedAt!, stage: s.id))
                }
                wasVeryHigh = veryHigh
            }
            return out
        case .referralFlagged:
            // One obligation for the referrals one submission flagged.
            var out: [Obligation] = []
            for r in f.referrals where !out.contains(where: { $0.stage == r.stage && $0.since == r.flagged }) {
                out.append(Obligation(rule: rule.id, since: r.flagged, stage: r.stage))
            }
            return out
        case .internalTransferOpened:
            return f.allocations.filter(\.internalTransfer).map { Obligation(rule: rule.id, since: $0.at) }
        case .highRiskWithJuniorManager:
            var out: [Obligation] = []
            for s in f.stages {
                guard let submitted = s.submittedAt,
                    highs.contains(s.ratings["rosh"] ?? "") || highs.contains(s.ratings["saw"] ?? ""),
                    let held = f.allocations.last(where: { !(submitted < $0.at) }), held.juniorManager
                else { continue }
                let agreed = f.events.contains {
                    $0.kind == "co-allocation-agreed" && !($0.at < held.at) && $0.at < submitted
                }
                if !agreed, !out.contains(where: { $0.since == held.at || $0.since > held.at }) {
                    out.append(Obligation(rule: rule.id, since: submitted, stage: s.id))
                }
            }
            return out
        case .coAllocationAgreedOrReviewed:
            guard f.allocations.last?.co == true else { return [] }
            return f.events.filter { ["co-allocation-agreed", "co-allocation-reviewed"].contains($0.kind) }
                .map { Obligation(rule: rule.id, since: $0.at) }
        case .caretaking(let lookedAfter):
            guard let since = f.caretakingSince, f.lookedAfter == lookedAfter else { return [] }
            var o = Obligation(rule: rule.id, since: since)
            // Each `ap caretake review` sets the next date: the review owed moves with it.
            if lookedAfter { o.dueAt = f.reviewDate.map { UKClock.endOfDay($0) } }
            return [o]
        case .managerAbsentWithoutEnd, .plannedLeaveWithoutCover, .transferReceived:
            return []
        case .orderStartNeedsForum:
            return f.stages.filter { s in
                s.kind == StageKind.startOfIntervention && s.status != StageStatus.stopped.rawValue
                    && (f.lookedAfter || highs.contains(s.ratings["rosh"] ?? "")
                        || highs.contains(s.ratings["saw"] ?? "")
                        || s.ratings["lor"] == "high")
            }.map { Obligation(rule: rule.id, since: $0.startedAt, stage: $0.id) }
        }
    }

    /// What a key event starts, with when it was recorded where that was later.
    static func started(_ rule: ObligationRule, _ e: (kind: String, at: Timestamp, recorded: Timestamp)) -> Obligation {
        var o = Obligation(rule: rule.id, since: e.at)
        if e.at != e.recorded { o.recordedAt = e.recorded }
        return o
    }

    /// In an establishment at `t`: the latest arrival or release before it is an arrival.
    static func inEstablishment(at t: Timestamp, _ f: Facts) -> Bool {
        let last = f.events.filter { ["arrived-establishment", "released"].contains($0.kind) && !(t < $0.at) }
            .max { $0.at < $1.at }
        return last?.kind == "arrived-establishment"
    }

    // MARK: discharge

    /// An obligation no longer owed: a release ends the custody ones, the end of involvement
    /// every one but the Case Closure it starts (003 §6.9; 001 §6.21). What ends it happened
    /// after its trigger, or after a hearing dated ahead was recorded.
    static func ended(_ rule: ObligationRule, _ o: Obligation, _ f: Facts) -> (at: Timestamp, how: String)? {
        let enders = rule.id == ObligationRule.caseClosure ? rule.endsWith : rule.endsWith + ["involvement-ended"]
        let trigger = f.events.first { $0.at == o.since }
        return f.events.filter { e in
            enders.contains(e.kind) && (!(e.at < o.since) || trigger.map { $0.recorded < e.recorded } == true)
        }
        .min { $0.at < $1.at }
        .map { ($0.at, "no longer owed: \($0.kind) recorded") }
    }

    static func discharge(_ rule: ObligationRule, _ o: Obligation, _ f: Facts) -> (at: Timestamp, how: String)? {
        // What counts is done from the start of the trigger's day; a deadline before the
        // trigger (a hearing) counts from the previous trigger of the same kind.
        var from = UKClock.instant(UKClock.day(of: o.since))
        if case .hoursBefore = rule.due, case .recorded(let kinds) = rule.trigger {
            from =
                f.events.filter { kinds.contains($0.kind) && $0.at < o.since }.map(\.at).max() ?? Timestamp(millis: 0)
        }
        // A review discharges the one before it, not itself.
        if case .coAllocationAgreedOrReviewed = rule.trigger { from = o.since.adding(millis: 1) }
        let kinds = Dictionary(f.stages.map { ($0.id, $0.kind) }, uniquingKeysWith: { a, _ in a })
        func sent(_ to: Organisation.Kind, where wanted: (Send) -> Bool) -> (at: Timestamp, how: String)? {
            f.sends.filter { $0.to == to.rawValue && !($0.at < from) && wanted($0) }.min { $0.at < $1.at }
                .map { ($0.at, "stage \($0.stage) sent to \(to.rawValue)") }
        }
        // A hearing or meeting recorded ahead discharges once it has happened, unless recorded
        // again before then (rescheduled); anything else once it is recorded, even with a
        // later time that day.
        func rescheduled(_ e: (kind: String, at: Timestamp, recorded: Timestamp)) -> Bool {
            f.events.contains { $0.kind == e.kind && e.recorded < $0.recorded && $0.recorded < e.at }
        }
        func recorded(_ events: [String]) -> (at: Timestamp, how: String)? {
            f.events.filter { events.contains($0.kind) && !($0.at < from) && !rescheduled($0) }.min { $0.at < $1.at }
                .map { (KeyEventKind.scheduledSlugs.contains($0.kind) ? $0.at : min($0.at, $0.recorded),
                        "\($0.kind) recorded") }
        }
        switch rule.discharge {
        case .stageSent(let wanted, let to):
            return sent(to) { kinds[$0.stage].map(wanted.contains) == true }
        case .sameStageSent(let to):
            return sent(to) { $0.stage == o.stage }
        case .stageCompleted(let kind):
            return f.stages.filter { $0.kind == kind && $0.completedAt.map { !($0 < from) } == true }
                .min { $0.completedAt! < $1.completedAt! }
                .map { ($0.completedAt!, "\(kind) stage \($0.id) completed") }
        case .stageStarted(let kind):
            return f.stages.filter { $0.kind == kind && !($0.startedAt < from) }.min { $0.startedAt < $1.startedAt }
                .map { ($0.startedAt, "\(kind) stage \($0.id) started") }
        case .keyEvent(let events):
            return recorded(events)
        case .stageSentOrKeyEvent(let to, let events):
            let options = [sent(to) { _ in true }, recorded(events)].compactMap { $0 }
            return options.min { $0.at < $1.at }
        case .transferSent:
            return f.transfersSent.filter { !($0 < from) }.min().map { ($0, "transfer sent") }
        case .referralActioned:
            // Done when every referral that submission flagged was made or found not needed.
            let flagged = f.referrals.filter { $0.stage == o.stage && $0.flagged == o.since }
            guard flagged.allSatisfy({ $0.actioned != nil }) else { return nil }
            return flagged.compactMap(\.actioned).max { $0.at < $1.at }
        case .internalTransferAllocated:
            return f.allocations.filter { $0.internalTransfer && !($0.at < from) }.map(\.at).min()
                .map { ($0, "case allocated to the receiving team") }
        case .triggerEnds:
            return nil
        }
    }
}
