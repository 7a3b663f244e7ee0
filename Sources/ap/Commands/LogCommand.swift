import APModel

enum LogCommand {
    static let command = Command(
        path: ["log"], summary: "show a case's history, newest last; with no case, the repository's, newest first",
        usage: "[CASE] [--since DAY] [--until DAY] [--user U] [--type T] [-n N]",
        details: """
            With CASE, its events oldest first; with none, every case's events, newest first
            (each with its case). DAY is a date, today, yesterday, or days from today as +3 or
            -7 (UK days). --type takes an event type (stage.submitted) or its first part
            (stage). Free-text answers are named, not shown.
            """,
        options: [
            Opt(long: "since", value: "DAY", help: "events on or after DAY"),
            Opt(long: "until", value: "DAY", help: "events on or before DAY"),
            Opt(long: "user", value: "USER", help: "events by USER"),
            Opt(long: "type", value: "TYPE", help: "events of TYPE, or of a group such as stage"),
            Opt(long: "max-count", short: "n", value: "N", help: "at most N events (the newest)"),
            Opt(long: "no-pager", help: "on a terminal, print without the pager (AP_PAGER, PAGER, less)"),
        ],
        arguments: 0...1,
        examples: [
            "ap log YP-0042", "ap log YP-0042 --json | jq '.[] | select(.type==\"stage.submitted\")'",
            "ap log --since yesterday --user pat", "ap log --type stage.countersigned -n 20",
        ],
        pages: true,
        run: { inv in
            let repo = try inv.context.repository()
            let config = try repo.loadConfig()
            let filter = try Filter(inv, config: config)
            let one = try inv.arguments.first.map(CaseID.normalize)
            var found: [(caseID: String, event: Event, ids: Identities)] = []
            var warnings: [String] = []
            let ids = try one.map { [$0] } ?? repo.caseFiles().map(\.id)
            for id in ids {
                let file: CaseFile
                do { file = try repo.loadCase(id) } catch let e as APError where one == nil {
                    warnings.append(e.message)
                    continue
                }
                let names = Identities(events: file.events, here: config.yotCode)
                found += file.events.filter(filter.keeps).map { (id, $0, names) }
            }
            // A case's story reads oldest first; the repository's, newest first, as git log.
            found.sort { Event.replayOrder($0.event, $1.event) == (one != nil) }
            if let n = filter.limit {
                found = one == nil ? Array(found.prefix(n)) : Array(found.suffix(n))
            }
            let rows = found.map { f in
                (one == nil ? [f.caseID] : [])
                    + [UKClock.label(f.event.at), f.ids.show(f.event), f.event.osUser, f.event.type, summary(f.event)]
            }
            let headers = (one == nil ? ["CASE"] : []) + ["WHEN", "USER", "OS USER", "WHAT", "DETAIL"]
            let json = JSONValue.array(found.map { f in
                var o = f.event.json
                o["case"] = .string(f.caseID)
                return o
            })
            return Output(
                text: found.isEmpty ? "No events.\n" : Table.render(headers, rows, fixed: ["CASE", "WHEN", "WHAT"]),
                json: json, warnings: warnings)
        })

    /// What `ap log` keeps.
    struct Filter {
        var since: Timestamp?
        var until: Timestamp?
        var user: String?
        var type: String?
        var limit: Int?

        init(_ inv: Invocation, config: Config) throws {
            let today = inv.context.today
            since = try inv.day("since", today: today).map { UKClock.instant($0) }
            until = try inv.day("until", today: today).map(UKClock.endOfDay)
            user = try inv.user("user", config)
            type = inv.value("type")
            if let type, !EventType.known.contains(where: { $0 == type || $0.hasPrefix(type + ".") }) {
                throw APError.usage(
                    "--type '\(type)' names no event type; e.g. stage.submitted, or stage for all of them")
            }
            limit = try inv.value("max-count").map { text in
                guard let n = Int(text), n > 0 else {
                    throw APError.usage("-n takes a number of events, not '\(text)'")
                }
                return n
            }
        }

        func keeps(_ e: Event) -> Bool {
            if let since, e.at < since { return false }
            if let until, e.at > until { return false }
            if let user, e.by != user && "\(e.by)@\(e.yot ?? "")" != user { return false }
            if let type, e.type != type && !e.type.hasPrefix(type + ".") { return false }
            return true
        }
    }

    /// One line about an event; free-text answers are named, not shown, to keep logs short.
    static func summary(_ e: Event) -> String {
        let behalf = e.payload["onBehalfOf"]?.stringValue.map { " (on behalf of \($0))" } ?? ""
        return subject(e) + behalf
    }

    static func subject(_ e: Event) -> String {
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
        case EventType.entryAdded, EventType.entryEdited:
            let fields = (p["fields"]?.objectValue ?? [:]).keys.sorted().joined(separator: ", ")
            return "\(text("part")) entry \(text("entry")): \(fields)"
        case EventType.entryRemoved: return "\(text("part")) entry \(text("entry")) removed"
        case EventType.referralMade: return "referral \(text("referral")) made to \(text("to")) on \(text("date"))"
        case EventType.referralOutcome: return "referral \(text("referral")) \(text("outcome")) on \(text("date"))"
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
        case EventType.recordVoided: return "voided \(text("kind")) \(text("event")): \(text("reason"))"
        case EventType.recordCorrected:
            return "re-dated \(text("kind")) \(text("event")) from \(text("was")) to \(text("date"))"
                + (p["reason"] == nil ? "" : ": \(text("reason"))")
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
