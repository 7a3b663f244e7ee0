/// The table that turns key events and stages into obligations (domain.md, "The custody
/// journey", "Looked-after children", "Stage rules by kind"). Each row is data with its seed
/// paragraph; `Obligations` reads it and nothing else decides what is owed.
public struct ObligationRule: Sendable {
    /// Who must act: this YOT, or the secure establishment (Appendix A), which `ap` only watches.
    public enum Party: String, Sendable { case yot, establishment }

    public enum Due: Sendable {
        case hoursBefore(Int)
        case hoursAfter(Int)
        /// By the end of the day it happened.
        case sameDay
        case workingDaysAfter(Int)
        /// By the end of the nth day after.
        case daysAfter(Int)
        case monthsAfter(Int)
    }

    public enum Trigger: Sendable {
        /// A key event of one of these kinds.
        case recorded([String])
        /// One of these court outcomes for a looked-after child (a remand makes one) or a child
        /// known to social care at the time.
        case courtOutcomeLookedAfter([String])
        /// One of these key events for a looked-after child.
        case recordedLookedAfter([String])
        /// A stage completed while the young person is in an establishment that is a Review
        /// or changes RoSH, SaW or LoR from the stage before.
        case stageCompletedInCustody
        /// SaW becomes very high in a submitted stage and social care does not know the child.
        case sawVeryHighUnknownToSocialCare
        /// A Start of intervention stage (the start of an order) where RoSH or SaW is high or
        /// very high, LoR is high, or the young person is looked after.
        case orderStartNeedsForum
        /// A move between locality teams opened (002 §11).
        case internalTransferOpened
        /// A stage submitted with a high or very high RoSH or SaW while the case manager is a
        /// student or band-a worker and no co-allocation agreement was recorded since (002 §5).
        case highRiskWithJuniorManager
        /// A referral flagged by a submitted stage's `yes` to a trigger question (issue 24).
        case referralFlagged
        /// Each agreement or review of a co-allocation, while the case has a co-worker.
        case coAllocationAgreedOrReviewed
        /// Caretaking under way, of a child looked after or not. For a looked-after child it
        /// counts to the review date set at acceptance or at the last `ap caretake review`.
        case caretaking(lookedAfter: Bool)
        /// Read from the configuration and transfer records when `ap due` runs, not from the
        /// case: the case manager absent without an end date, planned leave without cover, a
        /// transfer received awaiting a decision.
        case managerAbsentWithoutEnd
        case plannedLeaveWithoutCover
        case transferReceived
    }

    public enum Discharge: Sendable {
        /// A stage of one of `kinds` sent to an organisation of type `to`.
        case stageSent(kinds: [String], to: Organisation.Kind)
        case stageCompleted(kind: String)
        /// The stage that started the obligation, sent to an organisation of type `to`.
        case sameStageSent(to: Organisation.Kind)
        case stageStarted(kind: String)
        case keyEvent([String])
        case stageSentOrKeyEvent(to: Organisation.Kind, events: [String])
        /// A transfer sent to another YOT.
        case transferSent
        /// The referral that started it made, or found not needed (`ap referral`).
        case referralActioned
        /// A case manager allocated for a move between teams (an internal transfer opened).
        case internalTransferAllocated
        /// Nothing but the end of what started it (caretaking ending, an absence over).
        case triggerEnds
    }

    public var id: String
    public var trigger: Trigger
    public var what: String
    public var party: Party
    public var due: Due
    public var discharge: Discharge
    public var ref: String
    /// Key events after which the obligation is no longer owed: a release ends the custody
    /// ones (003 §6.9). The end of involvement ends every one but the Case Closure (001 §6.21).
    public var endsWith: [String] = []

    /// The obligation the end of involvement starts, and does not end.
    public static let caseClosure = "case-closure-stage"
    static let custody = ["released"]

    public static let all: [ObligationRule] = [
        .init(
            id: "psr-to-placements", trigger: .recorded([KeyEventKind.custodyHearing]),
            what: "send the PSR (all options) stage to the YCS Placements Team", party: .yot,
            due: .hoursBefore(24), discharge: .stageSent(kinds: ["psr"], to: .placements),
            ref: "003 §2.1", endsWith: custody),
        // No PSR is written for a breach: a Placement Notification stage goes before the hearing.
        // The seeds set no time; ap keeps the PSR's 24 hours.
        .init(
            id: "placement-notification-to-placements", trigger: .recorded([KeyEventKind.breachCustodyHearing]),
            what: "send a Placement Notification stage (or the PSR) to the YCS Placements Team", party: .yot,
            due: .hoursBefore(24), discharge: .stageSent(kinds: ["placement-notification", "psr"], to: .placements),
            ref: "001 §11.2.1; 003 §2.1", endsWith: custody),
        .init(
            id: "post-court-to-placements", trigger: .recorded(["sentenced-custody", "remanded-yda"]),
            what: "send the Post-Court Report stage to the YCS Placements Team", party: .yot,
            due: .sameDay, discharge: .stageSent(kinds: ["post-court-report"], to: .placements),
            ref: "003 §2.4; 001 §11.22", endsWith: custody),
        .init(
            id: "entering-custody-stage", trigger: .recorded(["arrived-establishment"]),
            what: "complete the Entering into Custody stage and notify the YOT", party: .establishment,
            due: .hoursAfter(72), discharge: .keyEvent(["entering-custody-notified"]),
            ref: "003 §3.1", endsWith: custody),
        .init(
            id: "review-entering-custody", trigger: .recorded(["entering-custody-notified"]),
            what: "review the Entering into Custody stage and start a Review stage", party: .yot,
            due: .workingDaysAfter(1), discharge: .stageStarted(kind: "review"),
            ref: "003 §§3.2–3.3", endsWith: custody),
        .init(
            id: "review-after-entering-custody", trigger: .recorded(["entering-custody-notified"]),
            what: "send a Review stage to the establishment", party: .yot,
            due: .workingDaysAfter(3), discharge: .stageSent(kinds: ["review"], to: .establishment),
            ref: "003 §3.4", endsWith: custody),
        .init(
            id: "review-establishment-update", trigger: .recorded(["review-notified"]),
            what: "review the establishment's update and start a Review stage", party: .yot,
            due: .workingDaysAfter(1), discharge: .stageStarted(kind: "review"), ref: "003 §§4.2, 5.4, 7.3–7.4",
            endsWith: custody),
        .init(
            id: "review-after-establishment-update", trigger: .recorded(["review-notified"]),
            what: "send a Review stage to the establishment", party: .yot,
            due: .workingDaysAfter(3), discharge: .stageSent(kinds: ["review"], to: .establishment),
            ref: "003 §§4.3, 5.5, 7.3–7.5", endsWith: custody),
        // After a planning or review meeting the establishment updates AssetPlus, unless the
        // meeting agreed the YOT does (`--updates-by yot`, 003 §4.1).
        .init(
            id: "establishment-update-after-meeting", trigger: .recorded([KeyEventKind.establishmentUpdates]),
            what: "update AssetPlus after the meeting and share a Review stage with the YOT", party: .establishment,
            due: .workingDaysAfter(5), discharge: .keyEvent(["review-notified"]), ref: "003 §4.1; Appendix A",
            endsWith: custody),
        .init(
            id: "review-after-planning-meeting", trigger: .recorded([KeyEventKind.yotUpdates]),
            what: "share the completed Review stage with the establishment", party: .yot,
            due: .workingDaysAfter(5), discharge: .stageSent(kinds: ["review"], to: .establishment),
            ref: "003 §4.5", endsWith: custody),
        .init(
            id: "pre-release-to-establishment",
            trigger: .recorded(["release-preparation-meeting", "final-release-meeting"]),
            what: "send a Pre-Release from Custody stage to the establishment", party: .yot,
            due: .workingDaysAfter(5), discharge: .stageSent(kinds: ["pre-release"], to: .establishment),
            ref: "003 §§6.2, 6.5", endsWith: custody),
        .init(
            id: "initial-planning-meeting", trigger: .recorded(["sentenced-custody"]),
            what: "hold the initial planning meeting", party: .yot,
            due: .workingDaysAfter(10), discharge: .keyEvent(["planning-meeting"]), ref: "001 §12.2",
            endsWith: custody),
        .init(
            id: "review-after-establishment-transfer", trigger: .recorded(["transferred-establishment"]),
            what: "complete a Review stage at the receiving establishment and notify the YOT", party: .establishment,
            due: .daysAfter(5), discharge: .keyEvent(["review-notified"]), ref: "003 §7.2", endsWith: custody),
        .init(
            id: "release-final-updates", trigger: .recorded(["released"]),
            what: "provide any final updates about the release", party: .establishment,
            due: .hoursAfter(24), discharge: .keyEvent(["release-updates-notified"]), ref: "003 §6.9"),
        .init(
            id: "post-release-meeting", trigger: .recorded(["released"]),
            what: "hold the post-release meeting", party: .yot,
            due: .daysAfter(14), discharge: .keyEvent(["post-release-meeting"]), ref: "001 §12.2"),
        .init(
            id: caseClosure, trigger: .recorded(["involvement-ended"]),
            what: "complete and countersign the Case Closure stage", party: .yot,
            due: .workingDaysAfter(15), discharge: .stageCompleted(kind: "case-closure"), ref: "001 §§1.2, 6.21"),
        // A change of address or placement (002 §11.3; 004 §§16, 34). The seeds set no time for
        // the visit and the review: five working days is ap's choice.
        .init(
            id: "home-visit-after-move", trigger: .recorded(["moved"]),
            what: "confirm the new address or placement by a home visit", party: .yot,
            due: .workingDaysAfter(5), discharge: .keyEvent(["home-visit"]), ref: "002 §11.3"),
        .init(
            id: "review-after-move", trigger: .recorded(["moved"]),
            what: "start a Review stage: a change of living arrangements is a significant event", party: .yot,
            due: .workingDaysAfter(5), discharge: .stageStarted(kind: "review"), ref: "002 §11.3"),
        .init(
            id: "move-to-social-care", trigger: .recordedLookedAfter(["moved"]),
            what: "tell social care of the move", party: .yot,
            due: .hoursAfter(24), discharge: .stageSentOrKeyEvent(to: .socialCare, events: ["social-care-notified"]),
            ref: "004 §§16, 34"),
        // 004 §14 sets social care's 24 hours, not the review's: five working days is ap's choice.
        .init(
            id: "review-after-offending-reported", trigger: .recorded(["offending-reported"]),
            what: "start a Review stage: social care reported offending", party: .yot,
            due: .workingDaysAfter(5), discharge: .stageStarted(kind: "review"), ref: "004 §14"),
        .init(
            id: "update-to-establishment", trigger: .stageCompletedInCustody,
            what: "send the completed stage to the establishment", party: .yot,
            due: .workingDaysAfter(1), discharge: .sameStageSent(to: .establishment),
            ref: "003 §§1.8, 5.8", endsWith: custody),
        // 004 §3 sets no time; five working days is ap's choice.
        .init(
            id: "risk-strategy-meeting", trigger: .sawVeryHighUnknownToSocialCare,
            what: "hold a Risk Strategy Meeting and consider a MASH referral", party: .yot,
            due: .workingDaysAfter(5), discharge: .keyEvent(["risk-strategy-meeting"]), ref: "004 §3"),
        // 001 §9 and Annex B set no time to make a referral flagged: five working days is ap's choice.
        .init(
            id: "referral-to-make", trigger: .referralFlagged,
            what: "make the referrals the stage flagged ('ap referral list --open'), or record none is needed",
            party: .yot, due: .workingDaysAfter(5), discharge: .referralActioned, ref: "001 §9, Annex B"),
        .init(
            id: "case-planning-forum", trigger: .orderStartNeedsForum,
            what: "hold a Case Planning Forum chaired by an operational manager", party: .yot,
            due: .workingDaysAfter(15), discharge: .keyEvent(["cpf-held"]), ref: "001 §6"),
        .init(
            id: "court-outcome-to-social-care",
            trigger: .courtOutcomeLookedAfter(
                ["sentenced-custody", "remanded-yda", "remanded-laa", "bailed", "court-outcome"]),
            what: "tell social care the court outcome", party: .yot,
            due: .hoursAfter(24), discharge: .stageSentOrKeyEvent(to: .socialCare, events: ["social-care-notified"]),
            ref: "004 §17"),
        // Allocation and case responsibility (002).
        .init(
            id: "receiving-team-allocation", trigger: .recorded(["team-transfer-endorsed"]),
            what: "the receiving team's manager allocates the case ('ap case allocate CASE --team TEAM --to USER')",
            party: .yot, due: .workingDaysAfter(2), discharge: .internalTransferAllocated, ref: "002 §11.4"),
        .init(
            id: "three-way-meeting", trigger: .internalTransferOpened,
            what: "hold the three-way meeting that transfers the case between teams", party: .yot,
            due: .workingDaysAfter(5), discharge: .keyEvent(["three-way-meeting"]), ref: "002 §11.7"),
        .init(
            id: "co-allocation-agreement", trigger: .highRiskWithJuniorManager,
            what: "co-allocate to a band-b or band-c worker and record who does what", party: .yot,
            due: .daysAfter(5), discharge: .keyEvent(["co-allocation-agreed"]), ref: "002 §§5.1, 5.3"),
        .init(
            id: "co-allocation-review", trigger: .coAllocationAgreedOrReviewed,
            what: "review the co-allocation between the co-allocated workers", party: .yot,
            due: .daysAfter(42), discharge: .keyEvent(["co-allocation-reviewed"]), ref: "002 §5.3"),
        .init(
            id: "reallocation-to-consider", trigger: .managerAbsentWithoutEnd,
            what: "consider re-allocating: the case manager has been absent two weeks", party: .yot,
            due: .daysAfter(14), discharge: .triggerEnds, ref: "002 §7.2"),
        .init(
            id: "cover-before-leave", trigger: .plannedLeaveWithoutCover,
            what: "name a cover worker before the case manager's planned leave", party: .yot,
            due: .hoursAfter(0), discharge: .triggerEnds, ref: "002 §7.1"),
        .init(
            id: "transfer-request", trigger: .recorded(["transfer-agreed"]),
            what: "send the transfer request to the other YOT", party: .yot,
            due: .workingDaysAfter(1), discharge: .transferSent, ref: "002 §12.6"),
        .init(
            id: "transfer-confirmation", trigger: .transferReceived,
            what: "decide the transfer received and confirm supervision requirements", party: .yot,
            due: .workingDaysAfter(2), discharge: .triggerEnds, ref: "002 §12.4, Appendix A"),
        .init(
            id: "full-transfer-to-consider", trigger: .caretaking(lookedAfter: false),
            what: "propose a full transfer: caretaking should not last beyond three months", party: .yot,
            due: .monthsAfter(3), discharge: .triggerEnds, ref: "002 §12.1"),
        // A looked-after child is never transferred in full (004): caretaking goes on, reviewed
        // with the social worker by each review date `ap caretake review` sets.
        .init(
            id: "caretaking-review-looked-after", trigger: .caretaking(lookedAfter: true),
            what: "review caretaking with the social worker", party: .yot,
            due: .monthsAfter(3), discharge: .triggerEnds, ref: "002 §12.1; 004"),
    ]

    public static func named(_ id: String) -> ObligationRule? { all.first { $0.id == id } }

    /// When an obligation that started at `since` falls due.
    public func dueTime(since: Timestamp, calendar: WorkingDays) -> Timestamp {
        let hour: Int64 = 3_600_000
        switch due {
        case .hoursBefore(let n): return since.adding(millis: -Int64(n) * hour)
        case .hoursAfter(let n): return since.adding(millis: Int64(n) * hour)
        case .sameDay: return UKClock.endOfDay(UKClock.day(of: since))
        case .workingDaysAfter(let n): return UKClock.endOfDay(calendar.adding(n, to: UKClock.day(of: since)))
        case .daysAfter(let n): return UKClock.endOfDay(UKClock.day(of: since).adding(days: n))
        case .monthsAfter(let n): return UKClock.endOfDay(UKClock.day(of: since).adding(months: n))
        }
    }

    /// How the rule reads in help and reports: "within 3 working days".
    public var dueText: String {
        switch due {
        case .hoursBefore(let n): return "at least \(n) hours before"
        case .hoursAfter(let n): return "within \(n) hours"
        case .sameDay: return "the same day"
        case .workingDaysAfter(let n): return "within \(n) working day\(n == 1 ? "" : "s")"
        case .daysAfter(let n): return "within \(n) days"
        case .monthsAfter(let n): return "within \(n) months"
        }
    }
}
