/// The manager's countersignature queue (issue 4; domain.md, "Reports"): stages awaiting
/// countersignature against their kind's timescale or due date, oldest submission first.
public struct QueueEntry: Equatable, Sendable {
    public var caseID: String
    public var name: String
    public var stage: CaseSummary.OpenStage
    public var deadline: Deadline
    /// The case has merge conflicts awaiting a manager's review.
    public var needsReview = false
    /// Events of the case do not verify: the stage is shown as its verified events leave it.
    public var unverified = false

    /// Working days since the stage started (or involvement ended).
    public var elapsed: Int { deadline.elapsed }
    /// Working days left until it is due; negative when overdue.
    public var left: Int { deadline.left }
    /// The last working day of the timescale, or the earlier due date.
    public var due: Day { deadline.due }
    public var overdue: Bool { deadline.overdue }
}

public struct QueueFilter: Sendable {
    public var overdueOnly = false
    public var owner: String?
    public var kind: String?
    /// `--mine`: the owner's stages awaiting countersignature or returned for amendment.
    public var mine: String?

    public init() {}
}

public enum Queue {
    /// `here` is this YOT's code: a copy it no longer holds lists nothing (its stages are not its work).
    public static func entries(
        _ summaries: [CaseSummary], filter: QueueFilter, today: Day, calendar: WorkingDays, timescale: (String) -> Int,
        here: String? = nil
    ) -> [QueueEntry] {
        var out: [QueueEntry] = []
        // Each summary read where it lies: `for s in summaries` copied every one.
        summaries.withUnsafeBufferPointer { all in
            for i in all.indices {
                let s = all.baseAddress! + i
                guard let stage = s.pointee.open else { continue }
                if let here, s.pointee.holding(for: here) == .released { continue }
                if let me = filter.mine {
                    // Yours, awaiting countersignature or returned; or returned where you answer sections.
                    let awaiting = stage.status == StageStatus.awaitingCountersignature.rawValue
                    let owned = stage.isOwned(by: me, here: here ?? stage.ownerYOT)
                        && (awaiting || !stage.returnReason.isEmpty)
                    let contributed = !stage.returnReason.isEmpty && !stage.sections(of: me).isEmpty
                    guard owned || contributed else { continue }
                } else {
                    guard stage.status == StageStatus.awaitingCountersignature.rawValue else { continue }
                }
                if let owner = filter.owner, stage.owner != owner, stage.ownerShown(here: here ?? "") != owner {
                    continue
                }
                if let kind = filter.kind, stage.kind != kind { continue }
                // No memo of due days by start day: the calendar works a due day out for less than
                // a lookup in one cost (making it was a thirteenth of a 1,000-case queue).
                guard let deadline = stage.deadline(timescale: timescale(stage.kind), today: today, calendar: calendar)
                else { continue }
                var entry = QueueEntry(caseID: s.pointee.id, name: s.pointee.name, stage: stage, deadline: deadline)
                entry.needsReview = s.pointee.needsReview > 0
                entry.unverified = s.pointee.unverified > 0
                if filter.overdueOnly && !entry.overdue { continue }
                out.append(entry)
            }
        }

        // Oldest first: by submission (a returned stage by its start), then case id.
        // Positions are sorted, not the entries (large values), by time as a number:
        // comparing strings and moving entries was most of the time.
        let keys = out.map { e in
            (Timestamp(e.stage.submittedAt.isEmpty ? e.stage.startedAt : e.stage.submittedAt)?.millis ?? .max, e.caseID)
        }
        out.reorder(out.indices.sorted { keys[$0] < keys[$1] })
        return out
    }

    /// The open-stage statuses the queue reads from the index (others are not decoded).
    public static func wants(_ status: String, mine: Bool) -> Bool {
        status == "awaiting-countersignature" || (mine && status == "in-progress")
    }
}
