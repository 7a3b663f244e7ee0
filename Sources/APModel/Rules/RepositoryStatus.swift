/// What the acting user needs to know now, like `git status` (issue 17): their open stages
/// and days left, stages returned to them, for a manager the queue, transfers awaiting a
/// decision and caretaking reviews due. Pure: the index's summaries in, lists out.
public struct RepositoryStatus: Sendable {
    public struct Item: Equatable, Sendable {
        public var caseID: String
        public var name: String
        public var what: String
        /// Working days left (negative when overdue), where a deadline applies.
        public var left: Int?
    }

    public var cases = 0
    public var openStages = 0
    public var awaiting = 0
    public var overdue = 0
    /// The user's own stages in progress.
    public var mine: [Item] = []
    /// The user's stages returned for amendment, with the reason.
    public var returned: [Item] = []
    /// The user's stages awaiting someone else's countersignature.
    public var waiting: [Item] = []
    /// Stages in progress in which the user answers sections allocated to them (001 §2).
    public var contributing: [Item] = []
    public var caretakingReviewsDue: [Item] = []
    /// Obligations open on the cases held here ('ap due'), how many overdue, and those on the
    /// user's cases (whose latest stage they own), soonest first.
    public var obligations = 0
    public var obligationsOverdue = 0
    public var obligationsMine: [DueEntry] = []
    /// Open cases held here whose social-care status was never recorded (004 §2), and those
    /// of them the user answers for.
    public var socialCareUnrecorded = 0
    public var socialCareUnrecordedMine: [Item] = []
    /// Cases the user manages, and those they co-work (002).
    public var needsReview: [Item] = []
    public var managing = 0
    public var coWorking = 0

    public static func of(
        _ summaries: [CaseSummary], user: String?, here: String, today: Day, calendar: WorkingDays,
        timescale: (String) -> Int, kindName: (String) -> String, now: Timestamp, absences: [String: Absence] = [:],
        rules: (String) -> ObligationRule? = ObligationRule.named, skipped: Int = 0
    ) -> RepositoryStatus {
        var out = RepositoryStatus()
        // Only cases that owe something can list anything: most owe nothing.
        let owing = summaries.compactMap {
            $0.obligations.isEmpty && !$0.socialCareUnrecorded ? nil : DueCase($0, here: here)
        }
        let counted = DueList.counts(
            owing, filter: DueFilter(), now: now, calendar: calendar, absences: absences, rules: rules)
        out.obligations = counted.all
        out.obligationsOverdue = counted.overdue
        if let user {
            let today = UKClock.day(of: now)
            let mine = Set(summaries.filter {
                $0.responsible == user || absences[$0.manager]?.cover(on: today) == user
            }.map(\.id))
            // Only the user's obligations are made and listed.
            out.obligationsMine = DueList.entries(
                owing.filter { mine.contains($0.id) }, filter: DueFilter(), now: now, calendar: calendar,
                absences: absences, rules: rules)
        }
        out.cases = skipped
        for s in summaries {
            out.cases += 1
            if s.needsReview > 0, s.holding(for: here) != .released {
                out.needsReview.append(Item(
                    caseID: s.id, name: s.name,
                    what: "\(s.needsReview) merge conflict\(s.needsReview == 1 ? "" : "s") "
                        + "to review ('ap case resolve')"))
            }
            if let user, s.holding(for: here) != .released {
                if s.manager == user { out.managing += 1 }
                if s.coWorker == user { out.coWorking += 1 }
            }
            if s.socialCareUnrecorded, s.holding(for: here) != .released {
                out.socialCareUnrecorded += 1
                if let user, s.responsible == user {
                    out.socialCareUnrecordedMine.append(Item(
                        caseID: s.id, name: s.name,
                        what: "record it with 'ap case update \(s.id) social-care=known|not-known'"))
                }
            }
            if s.holding(for: here) == .home, !s.hostCode.isEmpty, let review = Day(s.reviewDate), review <= today {
                out.caretakingReviewsDue.append(
                    Item(caseID: s.id, name: s.name, what: "caretaking review due \(review)"))
            }
            guard let o = s.open, s.holding(for: here) != .released else { continue }
            out.openStages += 1
            let deadline = o.deadline(timescale: timescale(o.kind), today: today, calendar: calendar)
            let awaiting = o.status == StageStatus.awaitingCountersignature.rawValue
            if awaiting { out.awaiting += 1 }
            if deadline?.overdue == true { out.overdue += 1 }
            if let user, o.status == StageStatus.inProgress.rawValue, !o.isOwned(by: user, here: here) {
                let sections = o.sections(of: user)
                if !sections.isEmpty {
                    out.contributing.append(Item(
                        caseID: s.id, name: s.name,
                        what: "\(sections.joined(separator: ", ")) of the \(kindName(o.kind)) stage \(o.id) "
                            + "(owner \(o.ownerShown(here: here)))", left: deadline?.left))
                }
            }
            guard let user, o.isOwned(by: user, here: here) else { continue }
            let item = Item(caseID: s.id, name: s.name, what: kindName(o.kind), left: deadline?.left)
            if awaiting {
                out.waiting.append(item)
            } else if !o.returnReason.isEmpty {
                out.returned.append(
                    Item(
                        caseID: s.id, name: s.name, what: "\(kindName(o.kind)): \(o.returnReason)",
                        left: deadline?.left))
            } else {
                out.mine.append(item)
            }
        }
        for list in [\RepositoryStatus.mine, \.returned, \.waiting, \.contributing, \.socialCareUnrecordedMine] {
            out[keyPath: list].sort { ($0.left ?? .max, $0.caseID) < ($1.left ?? .max, $1.caseID) }
        }
        return out
    }

    /// Whether a case's index row can add to the status of `user` beyond its count: an open
    /// stage, obligations or an unrecorded social-care status, merge conflicts, a host, or the
    /// user as its manager or co-worker (now or after a handover). Those that cannot are
    /// counted without being decoded (issue 29).
    public static func worthDecoding(_ field: CaseIndex.RowField, user id: [UInt8]?) -> Bool {
        typealias F = CaseSummary.IndexField
        let (status, host, obligations, manager, coWorker) = (F.status, F.host, F.obligations, F.manager, F.coWorker)
        let (needsReview, socialCare, involvementEnded) = (F.needsReview, F.socialCare, F.involvementEnded)
        let (handoverManager, handoverCoWorker) = (F.handoverManager, F.handoverCoWorker)
        if !field(status).isEmpty || !field(obligations).isEmpty || !field(needsReview).isEmpty
            || !field(host).isEmpty || (field(socialCare).isEmpty && field(involvementEnded).isEmpty)
        {
            return true
        }
        guard let id else { return false }
        return field(manager).elementsEqual(id) || field(coWorker).elementsEqual(id)
            || field(handoverManager).elementsEqual(id) || field(handoverCoWorker).elementsEqual(id)
    }
}
