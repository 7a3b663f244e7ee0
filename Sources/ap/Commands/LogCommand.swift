import APModel

enum LogCommand {
    static let command = Command(
        path: ["log"], summary: "show a case's history, newest last", usage: "CASE",
        arguments: 1...1,
        examples: ["ap log YP-0042", "ap log YP-0042 --json | jq '.[] | select(.type==\"stage.submitted\")'"],
        run: { inv in
            let repo = try inv.context.repository()
            let file = try repo.loadCase(try inv.caseID())
            let ids = Identities(events: file.events, here: (try? repo.loadConfig().yotCode) ?? "")
            let events = file.events.sorted(by: Event.replayOrder)
            let rows = events.map { e in [UKClock.label(e.at), ids.show(e), e.osUser, e.type, summary(e)] }
            return Output(text: Table.render(
                ["WHEN", "USER", "OS USER", "WHAT", "DETAIL"], rows, width: inv.context.width, fixed: ["WHEN", "WHAT"]),
                          json: .array(events.map(\.json)))
        })

    /// One line about an event; free-text answers are named, not shown, to keep logs short.
    static func summary(_ e: Event) -> String {
        let p = e.payload
        func text(_ key: String) -> String { p[key]?.stringValue ?? "" }
        func yot(_ key: String) -> String { p[key]?["code"]?.stringValue ?? "?" }
        switch e.type {
        case EventType.caseCreated: return text("name")
        case EventType.caseUpdated where p["lookedAfter"] != nil:
            let yes = p["lookedAfter"]?.boolValue == true
            let others = p.keys.filter { !["lookedAfter", "lookedAfterBasis", "reason"].contains($0) }.sorted()
            return "looked-after \(yes ? "yes" : "no")"
                + (p["lookedAfterBasis"] == nil ? "" : " (\(text("lookedAfterBasis")))")
                + (p["reason"] == nil ? "" : ": \(text("reason"))")
                + (others.isEmpty ? "" : "; " + others.joined(separator: ", "))
        case EventType.caseUpdated, EventType.stageAnswered:
            let fields = (p["answers"]?.objectValue ?? p).keys.sorted()
            return fields.joined(separator: ", ")
        case EventType.transferSent:
            return "\(text("kind")) \(text("transfer")) to \(p["to"]?["name"]?.stringValue ?? "?") (\(yot("to")))"
                + (p["stage"] == nil ? "" : ", stage \(text("stage"))")
        case EventType.transferAccepted:
            return "accepted \(text("transfer"))"
                + (p["reviewDate"] == nil ? "" : ", caretaking review by \(text("reviewDate"))")
        case EventType.transferRejected:
            return "rejected \(text("transfer")): \(text("reason"))" + (p["detail"] == nil ? "" : ", \(text("detail"))")
        case EventType.transferImported: return "package \(text("package")) (transfer \(text("transfer")))"
        case EventType.caretakingEnded: return "\(text("outcome")): \(yot("from")) and \(yot("to"))"
        case EventType.caretakingReviewed:
            return "next review \(text("next"))" + (p["note"] == nil ? "" : ": \(text("note"))")
        case EventType.mergeConflict:
            let list = p["decisions"]?.arrayValue?.compactMap { d in
                d["type"]?.stringValue.map { "\($0) by \(d["by"]?.stringValue ?? "?")" }
            } ?? []
            return "\(text("subject")) \(text(text("subject"))): " + list.joined(separator: " vs ")
        case EventType.caseResolved: return "merge conflicts reviewed: \(text("note"))"
        case EventType.caseRecorded:
            return "\(text("event")) \(text("date"))" + (p["at"] == nil ? "" : " at \(yot("at"))")
                + (p["note"] == nil ? "" : ": \(text("note"))")
        case EventType.stageSent:
            let keys = p["keys"]?.arrayValue?.count ?? 0
            return "\(text("stage")) to \(p["to"]?["name"]?.stringValue ?? "?") (\(yot("to")), "
                + "\(p["to"]?["type"]?.stringValue ?? "?")): \(keys) answer\(keys == 1 ? "" : "s")"
        case EventType.stageAssigned: return "\(text("stage")): \(text("section")) to \(text("user"))"
        case EventType.stageUnassigned: return "\(text("stage")): \(text("section")) taken back"
        case EventType.stageStarted:
            return "\(p["kind"]?.stringValue ?? "") \(p["stage"]?.stringValue ?? ""), owner \(p["owner"]?.stringValue ?? "")"
        case EventType.stageSubmitted:
            let c = p["criteria"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return c.isEmpty ? "completed" : "for countersignature: " + c.joined(separator: ", ")
        default:
            return [p["stage"]?.stringValue, p["reason"]?.stringValue, p["comment"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
        }
    }
}
