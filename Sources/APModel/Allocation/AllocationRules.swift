/// Rules for allocating a case (002 §§2–11). Pure: values in, a `Change` out; each refusal
/// names its paragraph and changes nothing.
public enum AllocationRules {
    public struct Request: Sendable {
        public var manager: User
        public var co: User?
        public var team: String?
        public var reason: String?
        /// The case manager or co-worker is absent but back imminently (002 §2.1).
        public var returning = false

        public init(manager: User, co: User? = nil, team: String? = nil, reason: String? = nil, returning: Bool = false)
        {
            self.manager = manager
            self.co = co
            self.team = team
            self.reason = reason
            self.returning = returning
        }
    }

    static let highs: Set<String> = ["high", "very-high"]

    /// The latest RoSH and SaW judgements the case's stages hold (stopped stages aside).
    public static func latestRisk(_ state: CaseState) -> (rosh: String?, saw: String?) {
        let stages = state.stages.filter { $0.status != .stopped }
        return (
            stages.last { $0.answer("rosh") != nil }?.answer("rosh"),
            stages.last { $0.answer("saw") != nil }?.answer("saw")
        )
    }

    public static func allocate(
        _ state: CaseState, _ r: Request, actor: Actor, today: Day, now: Timestamp
    ) throws -> Change {
        guard actor.user.has(.manager) else {
            throw APError.permission("'\(actor.id)' cannot allocate cases: managers allocate (002 §§2, 11.4)")
        }
        for (user, what) in [(r.manager, "case manager"), (r.co, "co-worker")] {
            guard let user else { continue }
            guard user.has(.practitioner) || user.has(.manager) else {
                throw APError.permission("'\(user.id)' cannot be a \(what): a practitioner or a manager is")
            }
            if user.isAbsent(on: today), !r.returning {
                throw APError.refused(
                    "'\(user.id)' is \(user.absence!.text): no allocation to someone absent unless their return "
                        + "is imminent (--returning; 002 §2.1)")
            }
        }
        if r.co?.id == r.manager.id { throw APError.usage("--co names the case manager; a co-worker is someone else") }
        let risk = latestRisk(state)
        let high = [risk.rosh, risk.saw].contains { highs.contains($0 ?? "") }
        // An ungraded worker may not hold a high-risk case: nothing shows them senior (002 §4.1).
        if high, r.manager.grade == nil {
            throw APError.refused(
                "'\(state.id)' has a high or very high RoSH or SaW and '\(r.manager.id)' has no recorded grade: it "
                    + "needs a band-b or band-c case manager (record it: 'ap user update \(r.manager.id) --grade'; "
                    + "002 §4.1)")
        }
        let junior = r.manager.grade == .student || r.manager.grade == .bandA
        if high, junior, r.co?.grade?.isSenior != true {
            throw APError.refused(
                "'\(state.id)' has a high or very high RoSH or SaW: a \(r.manager.grade!.rawValue) case manager needs "
                    + "a band-b or band-c co-worker (--co USER; 002 §§4.1, 5.1)")
        }
        if r.manager.grade == .student, r.co == nil {
            throw APError.refused("a student's case is always co-allocated to a primary worker (--co USER; 002 §6.1)")
        }
        // Not recorded as female (male, other, or unrecorded): the rationale is asked for (002 §2.2).
        if state.gender == "female", r.manager.gender != "female", r.reason == nil {
            let known = r.manager.gender ?? "unrecorded"
            throw APError.refused(
                "a girl or young woman is allocated to a female case manager as a general principle; allocating to "
                    + "'\(r.manager.id)' (gender \(known)) needs --reason with the rationale, which is kept "
                    + "(002 §2.2)")
        }
        var payload: [String: JSONValue] = ["manager": .string(r.manager.id)]
        func put(_ key: String, _ value: String?) { if let value { payload[key] = .string(value) } }
        put("managerGrade", r.manager.grade?.rawValue)
        put("co", r.co?.id)
        put("coGrade", r.co?.grade?.rawValue)
        if let reason = r.reason { payload["reason"] = .string(try StageRules.requiredText(reason, "--reason")) }
        let current = state.pendingTeamTransfer(at: now) ?? state.allocation(at: now)
        let team = try r.team.map(validTeam) ?? current?.team
        put("team", team)
        if let from = state.allocation(at: now)?.team, let team, team != from {
            guard r.reason != nil else {
                throw APError.usage(
                    "moving '\(state.id)' from team \(from) to \(team) is an internal transfer: "
                        + "give --reason (002 §11.4)")
            }
            try MAPPA.checkEndorsed(
                state, since: state.allocations.filter(\.internalTransfer).map(\.at).max(),
                what: "a move between teams")
            payload["internalTransfer"] = .bool(true)
        }
        if r.returning { payload["returning"] = .bool(true) }
        return Change(EventType.caseAllocated, payload)
    }

    static func validTeam(_ text: String) throws -> String {
        let team = String(text.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        guard !team.isEmpty, team.count <= 64, !team.contains(where: \.isNewline) else {
            throw APError.usage("--team is 1 to 64 characters on one line")
        }
        return team
    }
}
