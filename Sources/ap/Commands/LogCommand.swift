import APModel

enum LogCommand {
    static let command = Command(
        path: ["log"], summary: "show a case's history, newest last", usage: "CASE",
        arguments: 1...1,
        examples: ["ap log YP-0042", "ap log YP-0042 --json | jq '.[] | select(.type==\"stage.submitted\")'"],
        run: { inv in
            let file = try inv.context.repository().loadCase(try inv.caseID())
            let events = file.events.sorted(by: Event.replayOrder)
            let rows = events.map { e in [e.at.short, e.by, e.osUser, e.type, summary(e)] }
            return Output(text: Table.render(
                ["WHEN (UTC)", "USER", "OS USER", "WHAT", "DETAIL"], rows, width: inv.context.width, fixed: ["WHEN (UTC)", "WHAT"]),
                          json: .array(events.map(\.json)))
        })

    /// One line about an event; free-text answers are named, not shown, to keep logs short.
    static func summary(_ e: Event) -> String {
        let p = e.payload
        switch e.type {
        case EventType.caseCreated: return p["name"]?.stringValue ?? ""
        case EventType.caseUpdated, EventType.stageAnswered:
            let fields = (p["answers"]?.objectValue ?? p).keys.sorted()
            return fields.joined(separator: ", ")
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
