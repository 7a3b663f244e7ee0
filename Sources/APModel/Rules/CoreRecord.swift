/// The core record on the case (issue 24): offences and orders as the latest stage that lists
/// them has them, with the court appearances and the remand history from the case's key
/// events. Derived, never stored: the stages and key events stay the source of truth.
public struct CoreRecord: Equatable, Sendable {
    public var offences: [Entry] = []
    public var orders: [Entry] = []
    /// The stage the offences and orders come from.
    public var stage: Stage?
    public var court: [KeyEvent] = []
    public var remands: [KeyEvent] = []

    public static let offencesPart = "core-record.offences"
    public static let ordersPart = "core-record.orders"
    /// Appearances before a court and what came of them (003 §2).
    public static let courtKinds: Set<String> = ["court-hearing", "court-outcome", "sentenced-custody"]
    /// Remands and bail, in the order they happened (004 §24).
    public static let remandKinds: Set<String> = ["remanded-yda", "remanded-laa", "bailed"]

    public var isEmpty: Bool { offences.isEmpty && orders.isEmpty && court.isEmpty && remands.isEmpty }

    public static func of(_ state: CaseState) -> CoreRecord {
        var record = CoreRecord()
        // The latest stage that lists either, whatever its status, as pull forward takes it.
        let lists = { (s: Stage) in !(s.entries(offencesPart).isEmpty && s.entries(ordersPart).isEmpty) }
        if let stage = state.stages.last(where: lists) {
            record.stage = stage
            record.offences = stage.entries(offencesPart)
            record.orders = stage.entries(ordersPart)
        }
        let events = state.keyEvents.sorted { $0.happenedAt < $1.happenedAt }
        record.court = events.filter { courtKinds.contains($0.kind) }
        record.remands = events.filter { remandKinds.contains($0.kind) }
        return record
    }

    public var json: JSONValue {
        func entries(_ list: [Entry]) -> JSONValue {
            .array(list.map { .object($0.fields.mapValues(JSONValue.string)) })
        }
        func events(_ list: [KeyEvent]) -> JSONValue {
            .array(list.map { ["id": .string($0.id), "event": .string($0.kind), "date": .string($0.date)] })
        }
        var o: [String: JSONValue] = [
            "offences": entries(offences), "orders": entries(orders), "court": events(court),
            "remands": events(remands),
        ]
        if let stage { o["stage"] = .string(stage.id) }
        return .object(o)
    }
}
