import APModel
import Foundation
import XCTest

/// What someone with write access does to a case document by hand: events typed in or taken
/// out, and the stored state derived again so that the document still reads as a case.
enum Forger {
    /// An unsigned event copied from the document's last one, with these fields.
    static func event(
        after events: [JSONValue], id: String, type: String, by: String, payload: JSONValue, at: String? = nil,
        yot: String? = nil
    ) -> JSONValue {
        var forged = events[events.count - 1]
        forged["id"] = .string(id)
        forged["type"] = .string(type)
        forged["by"] = .string(by)
        forged["at"] = at.map(JSONValue.string) ?? later(forged["at"], by: 60_000)
        if let yot { forged["yot"] = .string(yot) }
        forged["seal"] = nil
        forged["parents"] = nil
        forged["payload"] = payload
        return forged
    }

    /// An event time `millis` after `at` (a time in a case document).
    static func later(_ at: JSONValue?, by millis: Int64) -> JSONValue {
        guard let text = at?.stringValue, let t = Timestamp(text) else { return at ?? .null }
        return .string(t.adding(millis: millis).description)
    }

    /// A countersignature of the case's first stage credited to mo.
    static func countersignature(_ events: [JSONValue], id: String, stage: String) -> JSONValue {
        event(
            after: events, id: id, type: EventType.stageCountersigned, by: "mo", payload: ["stage": .string(stage)])
    }

    /// Changes a case document's events and derives its state again; returns the case as it now reads.
    @discardableResult
    static func edit(_ doc: inout [String: JSONValue], _ change: (inout [JSONValue]) -> Void) throws -> CaseFile {
        guard case .array(var events)? = doc["events"], let id = doc["id"]?.stringValue else {
            throw APError.data("not a case document")
        }
        change(&events)
        doc["events"] = .array(events)
        let file = try CaseFile(id: id, events: events.enumerated().map { try Event(json: $1, path: "events[\($0)]") })
        doc["state"] = file.json["state"]
        return file
    }

    /// The case file at `path` edited so, written back to `to` (default: where it was).
    @discardableResult
    static func edit(file path: String, to: String? = nil, _ change: (inout [JSONValue]) -> Void) throws -> CaseFile {
        guard case .object(var doc) = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        else { throw APError.data("not a case document") }
        let file = try edit(&doc, change)
        try Data(JSONWriter.pretty(.object(doc))).write(to: URL(fileURLWithPath: to ?? path))
        return file
    }
}
