/// Two copies holding different decisions on one thing: one manager countersigned a stage
/// while another returned it, or two sites accepted and rejected one transfer (issue 15).
/// The latest entry still wins; the merge records a `merge.conflict` event naming both, so a
/// manager reviews the case (`ap case resolve`).
public enum DecisionConflicts {
    public struct Found: Equatable, Sendable {
        /// `stage` or `transfer`, and its id.
        public var subject: String
        public var id: String
        /// Two different decisions, in replay order; the later won.
        public var decisions: [Event]
        public var winner: Event { decisions.last! }
    }

    static let stageDecisions: Set<String> = [EventType.stageCountersigned, EventType.stageReturned]
    static let transferDecisions: Set<String> = [EventType.transferAccepted, EventType.transferRejected]

    /// Different decisions answering one submission of a stage, or one transfer, found in
    /// events in replay order. A single copy never holds two: the rules refuse the second.
    public static func find(_ ordered: [Event]) -> [Found] {
        var submission: [String: String] = [:]
        var groups: [String: Found] = [:]
        var order: [String] = []
        for e in ordered {
            let stage = e.payload["stage"]?.stringValue ?? ""
            let key: String
            let found: Found
            if e.type == EventType.stageSubmitted {
                submission[stage] = e.id
                continue
            } else if stageDecisions.contains(e.type) {
                key = "stage|\(stage)|\(submission[stage] ?? "")"
                found = Found(subject: "stage", id: stage, decisions: [])
            } else if transferDecisions.contains(e.type), let transfer = e.payload["transfer"]?.stringValue {
                key = "transfer|\(transfer)"
                found = Found(subject: "transfer", id: transfer, decisions: [])
            } else {
                continue
            }
            if groups[key] == nil {
                groups[key] = found
                order.append(key)
            }
            groups[key]!.decisions.append(e)
        }
        // One finding per pair of different decisions: the pairs in a union do not depend on
        // how it was merged, so recording them keeps the merge associative.
        var out: [Found] = []
        for group in order.compactMap({ groups[$0] }) where group.decisions.count > 1 {
            let d = group.decisions
            for i in d.indices {
                for j in d.indices where j > i && d[i].type != d[j].type {
                    out.append(Found(subject: group.subject, id: group.id, decisions: [d[i], d[j]]))
                }
            }
        }
        return out
    }

    /// The event a merge records for `found`: its id and time follow from the decisions, so
    /// every merge of the same copies records the same event once (the merge stays
    /// commutative, associative and idempotent).
    public static func event(for found: Found) -> Event {
        let ids = found.decisions.map(\.id)
        let id = "merge-conflict-" + String(SHA256.hex(Array(ids.joined(separator: ",").utf8)).prefix(24))
        let decisions: [JSONValue] = found.decisions.map { e in
            ["event": .string(e.id), "type": .string(e.type), "by": .string(e.by), "at": .string(e.at.description)]
        }
        return Event(
            id: id, at: found.winner.at.adding(millis: 1), by: "ap", osUser: "ap", type: EventType.mergeConflict,
            payload: [
                "subject": .string(found.subject), found.subject: .string(found.id), "decisions": .array(decisions),
                "winner": .string(found.winner.id),
            ])
    }
}

/// A merge conflict awaiting a manager's review, as the case's state holds it.
public struct ReviewItem: Equatable, Sendable {
    public var event: String
    public var subject: String
    public var id: String
    /// `type by at` of each decision, and which won.
    public var decisions: [(type: String, by: String, at: Timestamp)]
    public var winner: String

    public static func == (a: ReviewItem, b: ReviewItem) -> Bool {
        a.event == b.event && a.winner == b.winner
    }

    public var json: JSONValue {
        [
            "event": .string(event), "subject": .string(subject), "id": .string(id), "winner": .string(winner),
            "decisions": .array(
                decisions.map { ["type": .string($0.type), "by": .string($0.by), "at": .string($0.at.description)] }),
        ]
    }

    /// One line for people: "stage st-1: countersigned by mo 2026-11-02 09:00 and returned by lee ...; returned won".
    public var text: String {
        func word(_ type: String) -> String { String(type.split(separator: ".").last ?? "") }
        let list = decisions.map { "\(word($0.type)) by \($0.by) \($0.at.short)" }.joined(separator: " and ")
        let won = decisions.last.map { word($0.type) } ?? ""
        return "\(subject) \(id): \(list); the latest, \(won), won"
    }
}
