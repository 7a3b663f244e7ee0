/// Who is responsible for a case's management: "it should always be clear which team and
/// which practitioner is responsible for case management" (002 §11.6). Distinct from a
/// stage's owner.
public struct Allocation: Equatable, Sendable {
    public var at: Timestamp
    public var by: String
    public var manager: String
    /// Grades as they were at allocation, so that the case's own history answers the rules.
    public var managerGrade: String?
    public var co: String?
    public var coGrade: String?
    public var team: String?
    public var reason: String?
    /// A move between locality teams (002 §11): it takes effect at the three-way meeting.
    public var internalTransfer: Bool
    /// When it took effect: at once, or at the three-way meeting; nil while pending.
    public var effectiveAt: Timestamp?

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "at": .string(at.description), "by": .string(by), "manager": .string(manager),
        ]
        func put(_ key: String, _ value: String?) { if let value { o[key] = .string(value) } }
        put("managerGrade", managerGrade)
        put("co", co)
        put("coGrade", coGrade)
        put("team", team)
        put("reason", reason)
        if internalTransfer { o["internalTransfer"] = .bool(true) }
        put("effectiveAt", effectiveAt?.description)
        return .object(o)
    }
}

extension CaseState {
    /// The allocation in effect at `now`: the latest that has taken effect. An internal
    /// transfer takes effect at its three-way meeting, which may be dated ahead: until the
    /// meeting has happened the original team stays responsible (002 §11.7). Events are
    /// stamped after the case's latest, a moment past a clock that has not moved on: the
    /// case's own last write counts as now at least.
    public func allocation(at now: Timestamp) -> Allocation? {
        let now = max(now, updatedAt)
        return allocations.last { $0.effectiveAt.map { !(now < $0) } ?? false }
    }

    /// An internal transfer awaiting its three-way meeting at `now`: none recorded yet, or
    /// one dated ahead (and so still open to rescheduling).
    public func pendingTeamTransfer(at now: Timestamp) -> Allocation? {
        let now = max(now, updatedAt)
        guard let last = allocations.last, last.effectiveAt.map({ now < $0 }) ?? true else { return nil }
        return last
    }

    /// Who answers for the case at `now`: its case manager, else the owner of its latest
    /// stage, else who opened it.
    public func responsible(at now: Timestamp) -> String {
        allocation(at: now)?.manager ?? stages.last?.owner ?? createdBy
    }

    mutating func applyAllocation(_ e: Event, _ p: JSONReader) throws {
        let internalTransfer = try p.bool("internalTransfer", default: false) && allocation(at: e.at) != nil
        if pendingTeamTransfer(at: e.at) != nil {
            // A new allocation replaces an internal transfer still waiting for its meeting.
            allocations.removeLast()
        }
        allocations.append(
            Allocation(
                at: e.at, by: e.by, manager: try p.string("manager"),
                managerGrade: try p.optionalString("managerGrade"),
                co: try p.optionalString("co"), coGrade: try p.optionalString("coGrade"),
                team: try p.optionalString("team"),
                reason: try p.optionalString("reason"), internalTransfer: internalTransfer,
                effectiveAt: internalTransfer ? nil : e.at))
    }

    /// The three-way meeting is the formal date of an internal transfer (002 §11.7). One
    /// recorded while an earlier one is still ahead reschedules it.
    mutating func completeInternalTransfer(at meeting: Timestamp, recorded: Timestamp) {
        guard pendingTeamTransfer(at: recorded) != nil, let i = allocations.indices.last else { return }
        allocations[i].effectiveAt = max(meeting, allocations[i].at)
    }
}
