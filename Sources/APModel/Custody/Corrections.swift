/// Putting a recorded key event right without rewriting history (issue 25): a void or a
/// new date is an event of its own, the original stays in the log, and the state (so every
/// obligation) is derived as if the key event had been recorded right.
public enum Corrections {
    static let types: Set<String> = [EventType.recordVoided, EventType.recordCorrected]

    /// The key events voided, and the latest date given to each one corrected, read from the
    /// whole history before replay: a correction merged from another site applies wherever it
    /// falls in the order.
    struct Applied: Equatable, Sendable {
        struct Dated: Equatable, Sendable {
            var date: String
            var happenedAt: Timestamp
        }

        var voided: Set<String> = []
        var dates: [String: Dated] = [:]

        mutating func read(_ e: Event) {
            guard let target = e.payload["event"]?.stringValue else { return }
            if e.type == EventType.recordVoided { voided.insert(target) }
            if e.type == EventType.recordCorrected, let date = e.payload["date"]?.stringValue,
                let at = e.payload["happenedAt"]?.stringValue.flatMap(Timestamp.init)
            {
                dates[target] = Dated(date: date, happenedAt: at)
            }
        }
    }

    /// The key event `text` names (an id or a unique prefix), if this actor may put it right:
    /// whoever recorded it, or a manager.
    static func target(_ state: CaseState, _ text: String, actor: Actor) throws -> KeyEvent {
        let id = try Prefix.resolve(
            text, among: state.keyEvents.map(\.id), what: "recorded key event", in: "case '\(state.id)'")
        let event = state.keyEvents.first { $0.id == id }!
        guard event.recordedBy == actor.id || actor.user.has(.manager) else {
            throw APError.permission(
                "'\(actor.id)' cannot put right a key event '\(event.recordedBy)' recorded: "
                    + "its recorder or a manager does")
        }
        return event
    }

    /// Voids a key event recorded in error; the obligations it started go with it.
    public static func void(_ state: CaseState, event text: String, reason: String, actor: Actor) throws -> Change {
        let event = try target(state, text, actor: actor)
        return Change(EventType.recordVoided, [
            "event": .string(event.id), "kind": .string(event.kind),
            "reason": .string(try StageRules.requiredText(reason, "--reason")),
        ])
    }

    /// Gives a key event its right date; the obligations it started are worked out again.
    public static func correct(
        _ state: CaseState, event text: String, date: String, reason: String?, actor: Actor, now: Timestamp
    ) throws -> Change {
        let event = try target(state, text, actor: actor)
        let kind = try KeyEventKind.named(event.kind)
        let (day, happened) = try CustodyRules.when(date, kind: kind, now: now)
        guard happened != event.happenedAt else {
            throw APError.refused("key event \(event.id) is already dated \(event.date)")
        }
        var payload: [String: JSONValue] = [
            "event": .string(event.id), "kind": .string(event.kind), "date": .string(day),
            "happenedAt": .string(happened.description), "was": .string(event.date),
        ]
        if let reason { payload["reason"] = .string(try StageRules.requiredText(reason, "--reason")) }
        return Change(EventType.recordCorrected, payload)
    }
}
