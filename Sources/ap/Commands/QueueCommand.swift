import APModel

enum QueueCommand {
    static let command = Command(
        path: ["queue"], summary: "the stages awaiting countersignature, oldest first",
        usage: "[--overdue] [--owner USER] [--kind KIND] [--mine] [OPTIONS]",
        details: """
            Days are working days (Monday to Friday less England and Wales bank holidays) since
            the stage started (a Case Closure: since involvement ended, where given); LEFT counts
            down to the kind's timescale (config 'timescales', else the policy
            'timescale-working-days', 15 by default) or to the stage's due date where that is
            earlier (marked *), and is negative when overdue. --mine shows the acting user's own
            stages awaiting countersignature or returned for amendment. The index trusts a
            shard folder of cases/ whose time is unchanged (ap and git write by rename); a
            case file edited in place keeps it: --verify checks every file.
            """,
        options: [
            Opt(long: "overdue", help: "only stages past the timescale"),
            Opt(long: "owner", value: "USER", help: "only stages owned by USER"),
            Opt(long: "kind", value: "KIND", help: "only stages of this kind"),
            Opt(long: "mine", help: "your own stages awaiting countersignature or returned to you"),
            Opt(long: "verify", help: "check every case file, trusting no unchanged folder"),
            Opt(long: "csv", help: "print CSV"),
        ],
        examples: ["ap queue", "ap queue --overdue --json", "AP_USER=pat ap queue --mine"],
        run: { inv in
            let context = inv.context
            let repo = try context.repository()
            let config = try repo.loadConfig()
            var filter = QueueFilter()
            filter.overdueOnly = inv.flag("overdue")
            filter.owner = try inv.user("owner", config)
            filter.kind = try inv.value("kind").map { try config.stageKind($0).slug }
            filter.mine = try inv.mine(config)
            let wantsCSV = try inv.csv()
            let mine = filter.mine != nil
            let scan = try CaseIndex.summaries(
                repo, keep: { Queue.wants($0, mine: mine) }, obligations: false, progress: context.indexProgress,
                verify: inv.flag("verify"))
            UntilExit.keep(scan)
            let entries = Queue.entries(
                scan.summaries, filter: filter, today: context.today, calendar: WorkingDays(extraHolidays: config.extraBankHolidays),
                timescale: config.timescale, here: config.yotCode)
            let kindNames = config.kindNames
            if wantsCSV {
                let report = csv(entries, config)
                return Output(
                    text: report.csv, json: report.json, warnings: scan.problems.map { "\($0.path): \($0.message)" })
            }
            let colour = context.colour
            var output = Output(
                text: text(entries, config, mine: mine, colour: colour),
                warnings: scan.problems.map { "\($0.path): \($0.message)" },
                jsonStream: { emit in json(entries, kindNames: kindNames, here: config.yotCode, emit: emit) })
            output.coloured = colour
            return output
        })

    static func text(_ entries: [QueueEntry], _ config: Config, mine: Bool, colour: Bool) -> String {
        let timescale = config.policy.timescaleWorkingDays
        guard !entries.isEmpty else {
            return mine ? "Nothing of yours awaits countersignature or amendment.\n" : "No stages await countersignature.\n"
        }
        let rows = entries.map { e -> [String] in
            var notes = e.stage.criteria.filter { $0 != Countersignature.yetToClarify }.map(short)
            if let p = e.stage.yetToClarifyPercent {
                let limit = config.policy.yetToClarifyPercent.map { " (limit \($0)%)" } ?? ""
                notes.append("\(p)% yet to clarify" + limit)
            }
            if !e.stage.returnReason.isEmpty { notes = ["returned"] }
            if e.needsReview { notes.insert("REVIEW", at: 0) }
            if e.unverified { notes.insert("UNVERIFIED", at: 0) }
            let submitted = Timestamp(e.stage.submittedAt).map { $0.day.description } ?? "-"
            let left = String(e.left) + (e.deadline.basis == Deadline.byDueDate ? "*" : "")
            let owner = e.stage.ownerShown(here: config.yotCode)
            return [e.caseID, e.name, config.kindName(e.stage.kind), owner, submitted,
                    String(e.elapsed), left,
                    notes.joined(separator: ",")]
        }
        var table = Table.render(
            ["CASE", "YOUNG PERSON", "STAGE", "OWNER", "SUBMITTED", "DAYS", "LEFT", "FOR"], rows,
            fixed: ["CASE", "OWNER", "SUBMITTED", "DAYS", "LEFT"])
        let returned = entries.filter { !$0.stage.returnReason.isEmpty }
        if !returned.isEmpty {
            table += "\nReturned for amendment:\n" + returned.map { "  \($0.caseID)  \($0.stage.returnReason.replacingNewlines)\n" }.joined()
        }
        let overdue = entries.filter(\.overdue).count
        let byKind = config.timescales.isEmpty ? "" : ", other timescales by kind"
        let starred = entries.contains { $0.deadline.basis == Deadline.byDueDate }
            ? "* LEFT counts to the stage's due date, earlier than its timescale\n" : ""
        let review = entries.contains(where: \.needsReview)
            ? "REVIEW: a merge found decisions in conflict; 'ap case show' says which, "
                + "'ap case resolve' clears it\n" : ""
        let unverified = entries.contains(where: \.unverified)
            ? "UNVERIFIED: events of the case do not verify and are not counted; 'ap verify' names them\n" : ""
        let text = table + "\n\(entries.count) stage\(entries.count == 1 ? "" : "s")"
            + (mine ? " of yours" : " awaiting countersignature")
            + ", \(overdue) overdue (timescale \(timescale) working days\(byKind))\n" + starred + review + unverified
        guard colour else { return text }
        // Overdue rows in red: the LEFT column is negative. The text is made safe first, so
        // that the only colours reaching the terminal are ap's.
        let lines = Terminal.safe(text).split(separator: "\n", omittingEmptySubsequences: false)
        return lines.enumerated().map { i, line in
            i > 0 && i <= entries.count && entries[i - 1].overdue ? "\u{1B}[31m\(line)\u{1B}[0m" : String(line)
        }.joined(separator: "\n")
    }

    /// The queue for a spreadsheet: the JSON's fields as columns.
    static func csv(_ entries: [QueueEntry], _ config: Config) -> Report {
        Report(
            columns: ["case", "name", "stage", "kind", "owner", "status", "started", "submitted", "working-days",
                      "left", "due", "due-by", "overdue", "criteria"],
            rows: entries.map { e in
                [e.caseID, e.name, e.stage.id, e.stage.kind, e.stage.ownerShown(here: config.yotCode), e.stage.status,
                 String(e.stage.startedAt.prefix(10)), String(e.stage.submittedAt.prefix(10)), String(e.elapsed),
                 String(e.left),
                 e.due.description, e.deadline.basis, e.overdue ? "yes" : "no", e.stage.criteria.joined(separator: " ")]
            })
    }

    /// Short criterion names for the table.
    static func short(_ criterion: String) -> String {
        switch criterion {
        case Countersignature.allStages: return "all"
        case Countersignature.courtStage: return "court"
        case Countersignature.scaledApproach: return "sa"
        case Countersignature.scaledApproachOverride: return "sa-override"
        case Countersignature.lorOverride: return "lor"
        default: return criterion
        }
    }

    /// The entries as canonical JSON, written field by field in key order (a queue of ten
    /// thousand stages; `--json`'s value is parsed back from these bytes when needed).
    static func json(_ entries: [QueueEntry], kindNames: [String: String], here: String, emit: ([UInt8]) -> Bool) {
        JSONWriter.prettyRowStream(entries.count, emit: emit) { i, row in
            let e = entries[i]
            row.string("case", e.caseID)
            row.strings("criteria", e.stage.criteria)
            row.string("due", e.due.description)
            row.string("dueBy", e.deadline.basis)
            row.string("kind", e.stage.kind)
            row.string("kindName", kindNames[e.stage.kind] ?? e.stage.kind)
            row.string("name", e.name)
            if e.needsReview { row.bool("needsReview", true) }
            row.bool("overdue", e.overdue)
            row.string("owner", e.stage.ownerShown(here: here))
            if !e.stage.returnReason.isEmpty { row.string("returnReason", e.stage.returnReason) }
            row.string("stage", e.stage.id)
            row.string("startedAt", e.stage.startedAt)
            row.string("status", e.stage.status)
            if !e.stage.submittedAt.isEmpty { row.string("submittedAt", e.stage.submittedAt) }
            if e.unverified { row.bool("unverified", true) }
            row.int("workingDaysElapsed", e.elapsed)
            row.int("workingDaysLeft", e.left)
            if let p = e.stage.yetToClarifyPercent { row.int("yetToClarifyPercent", p) }
        }
    }
}
