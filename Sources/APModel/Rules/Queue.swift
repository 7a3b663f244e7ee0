/// The manager's countersignature queue (issue 4; domain.md, "Reports"): stages awaiting
/// countersignature against the working-day timescale, oldest submission first.
public struct QueueEntry: Equatable, Sendable {
    public var caseID: String
    public var name: String
    public var stage: CaseSummary.OpenStage
    /// Working days since the stage started.
    public var elapsed: Int
    /// Working days left against the timescale; negative when overdue.
    public var left: Int
    /// The last working day of the timescale.
    public var due: Day

    public var overdue: Bool { left < 0 }
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
    public static func entries(
        _ summaries: [CaseSummary], filter: QueueFilter, today: Day, calendar: WorkingDays, timescale: Int
    ) -> [QueueEntry] {
        var out: [QueueEntry] = []
        // Stages share start days: each due day is counted once.
        var dueByStart: [Day: Day] = [:]
        for s in summaries {
            guard let stage = s.open, let started = Timestamp(stage.startedAt)?.day else { continue }
            if let me = filter.mine {
                guard stage.owner == me,
                    stage.status == StageStatus.awaitingCountersignature.rawValue || !stage.returnReason.isEmpty
                else { continue }
            } else {
                guard stage.status == StageStatus.awaitingCountersignature.rawValue else { continue }
            }
            if let owner = filter.owner, stage.owner != owner { continue }
            if let kind = filter.kind, stage.kind != kind { continue }
            let elapsed = calendar.elapsed(from: started, to: today)
            let entry = QueueEntry(
                caseID: s.id, name: s.name, stage: stage, elapsed: elapsed, left: timescale - elapsed,
                due: dueByStart[started] ?? calendar.adding(timescale, to: started))
            dueByStart[started] = entry.due
            if filter.overdueOnly && !entry.overdue { continue }
            out.append(entry)
        }
        // Oldest first: by submission (a returned stage by its start), then case id.
        // Positions are sorted, not the entries (large values), by time as a number:
        // comparing strings and moving entries was most of the time.
        let keys = out.map { e in
            (Timestamp(e.stage.submittedAt.isEmpty ? e.stage.startedAt : e.stage.submittedAt)?.millis ?? .max, e.caseID)
        }
        return out.indices.sorted { keys[$0] < keys[$1] }.map { out[$0] }
    }

    /// The open-stage statuses the queue reads from the index (others are not decoded).
    public static func wants(_ status: String, mine: Bool) -> Bool {
        status == "awaiting-countersignature" || (mine && status == "in-progress")
    }
}
