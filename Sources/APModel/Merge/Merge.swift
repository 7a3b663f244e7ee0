/// Merging two copies of the same young person's case (domain.md, "Merging two copies";
/// 000 §19.2): events are united by id and the state is derived again in (time, id)
/// order, so every field goes to the latest data entered. Union and replay make the
/// merge commutative, associative and idempotent (engineering.md, "Merge by latest entry").
public enum Merge {
    /// One field on which the copies disagreed, and how the merge decided it.
    public struct Conflict: Equatable, Sendable {
        public var field: String
        public var ours: String
        public var oursAt: Timestamp?
        public var theirs: String
        public var theirsAt: Timestamp?
        public var winner: String
        public var rule: String
    }

    public struct Outcome {
        public var file: CaseFile
        public var conflicts: [Conflict]
        /// Events each side brought that the other lacked.
        public var addedFromOurs: Int
        public var addedFromTheirs: Int
    }

    /// The merged case under `id`. Refuses two events with one id but different contents:
    /// such copies were not made by `ap` from one history.
    public static func merge(_ ours: CaseFile, _ theirs: CaseFile, into id: String) throws -> Outcome {
        var byID: [String: Int] = [:]
        byID.reserveCapacity(ours.events.count)
        for (i, e) in ours.events.enumerated() { byID[e.id] = i }
        var events = ours.events
        for e in theirs.events {
            if let i = byID[e.id] {
                guard ours.events[i] == e else {
                    throw APError.data("event '\(e.id)' differs between the two copies; they do not share one history")
                }
            } else {
                events.append(e)
            }
        }
        let fromTheirs = events.count - ours.events.count
        // Sort positions, not the events themselves: events are large values.
        let order = events.indices.sorted { Event.replayOrder(events[$0], events[$1]) }
        events = order.map { events[$0] }
        // Decisions that conflict are recorded once, for a manager to review.
        let known = Set(events.map(\.id))
        let recorded = DecisionConflicts.find(events).map(DecisionConflicts.event).filter { !known.contains($0.id) }
        if !recorded.isEmpty { events = (events + recorded).sorted(by: Event.replayOrder) }
        var file = try CaseFile(id: id, events: events)
        file.unknown = theirs.unknown.merging(ours.unknown) { mine, _ in mine }
        let shared = theirs.events.count - fromTheirs
        var found = conflicts(ours.state, theirs.state, merged: file.state)
        let reviewed = Set(ours.state.needsReview.map(\.event)).intersection(theirs.state.needsReview.map(\.event))
        for item in file.state.needsReview where !reviewed.contains(item.event) {
            found.append(Conflict(
                field: "\(item.subject) \(item.id) decision",
                ours: item.decisions.first.map { "\($0.type) by \($0.by)" } ?? "",
                oursAt: item.decisions.first?.at, theirs: item.decisions.last.map { "\($0.type) by \($0.by)" } ?? "",
                theirsAt: item.decisions.last?.at, winner: item.decisions.last?.type ?? "",
                rule: "the latest decision wins; recorded as merge.conflict for a manager's review"))
        }
        return Outcome(
            file: file, conflicts: found,
            addedFromOurs: ours.events.count - shared, addedFromTheirs: fromTheirs)
    }

    /// Fields both copies set to different values, with the times they were entered.
    static func conflicts(_ a: CaseState, _ b: CaseState, merged m: CaseState) -> [Conflict] {
        var out: [Conflict] = []
        let latest = "latest entry wins"
        func caseField(_ name: String, _ f: (CaseState) -> String) {
            if f(a) != f(b) {
                out.append(Conflict(field: name, ours: f(a), oursAt: a.updatedAt, theirs: f(b), theirsAt: b.updatedAt, winner: f(m), rule: latest))
            }
        }
        caseField("name") { $0.name }
        caseField("dob") { $0.dob }
        caseField("looked-after") { $0.lookedAfter ? "yes" : "no" }
        for sa in a.stages {
            guard let sb = b.stage(sa.id), let sm = m.stage(sa.id) else { continue }
            for key in Set(sa.answers.keys).union(sb.answers.keys).sorted() {
                let va = sa.answers[key], vb = sb.answers[key]
                guard va?.value != vb?.value else { continue }
                out.append(Conflict(
                    field: "\(sa.id).\(key)", ours: va?.value ?? "", oursAt: va?.at, theirs: vb?.value ?? "", theirsAt: vb?.at,
                    winner: sm.answers[key]?.value ?? "", rule: latest))
            }
            if sa.status != sb.status {
                out.append(Conflict(
                    field: "\(sa.id).status", ours: sa.status.rawValue, oursAt: nil, theirs: sb.status.rawValue, theirsAt: nil,
                    winner: sm.status.rawValue, rule: "the history of both copies replayed in time order"))
            }
        }
        for s in m.stages where s.stopReason == supersededReason && (a.stage(s.id)?.status.isOpen ?? false || b.stage(s.id)?.status.isOpen ?? false) {
            out.append(Conflict(
                field: "\(s.id).status", ours: a.stage(s.id)?.status.rawValue ?? "", oursAt: nil,
                theirs: b.stage(s.id)?.status.rawValue ?? "", theirsAt: nil, winner: s.status.rawValue,
                rule: "both copies had a stage open: the later stays open, the earlier is stopped (\(supersededReason))"))
        }
        return out
    }

    public static let supersededReason = "superseded in merge"
}
