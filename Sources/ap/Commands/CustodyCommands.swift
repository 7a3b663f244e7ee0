import APModel

/// `ap record` and `ap due`: key events of the custody journey and the obligations they start
/// (003 §§2–7, Appendices A and B; 004; 001 §6).
enum CustodyCommands {
    static let all = [record, due]

    static let record = Command(
        path: ["record"], summary: "record a key event: a hearing, a remand, an arrival, a meeting, a release",
        usage: "CASE EVENT --date DATE[THH:MM] [--at CODE] [--note TEXT] | CASE --void ID --reason TEXT "
            + "| CASE --correct ID --date DATE",
        details: """
            EVENT is one of: \(KeyEventKind.all.map(\.slug).joined(separator: ", ")).
            Times are UK times; a date alone is the start of that day. Hearings and meetings
            may be dated ahead; other events once they have happened. --at names a known
            organisation ('ap org list'), e.g. the establishment. remanded-yda and remanded-laa
            make the young person looked after, with basis remand (004 §24). Each event may
            start obligations that 'ap due' lists. Practitioners, managers and proxies.
            A key event recorded in error is put right, never erased: --void ID takes it back
            with a reason, --correct ID gives it its right --date; ID is the event's id (or
            its start) from 'ap case show'. Its recorder or a manager does it; the obligations
            are worked out again, and 'ap log' shows the original and the correction.
            """,
        options: [
            Opt(long: "date", value: "DATE", help: "when it happened or will: 2026-11-24 or 2026-11-24T10:00"),
            Opt(long: "at", value: "CODE", help: "the organisation where it happened"),
            Opt(long: "note", value: "TEXT", help: "a note kept in the case's history"),
            Opt(long: "by-social-care", help: "for offending-reported: social care told the YOT (004 §14)"),
            Opt(long: "custody-possible", help: "for court-hearing: custody is a possible outcome (003 §2.1)"),
            Opt(long: "breach", help: "for court-hearing: a breach hearing (001 §11.2.1)"),
            Opt(long: "updates-by", value: "WHO", help: "for planning-meeting: yot or establishment (003 §4.1)"),
            Opt(long: "team", value: "TEAM", help: "for team-transfer-endorsed: the team it moves to"),
            Opt(long: "chair", value: "USER", help: "for cpf-held: the operational manager who chaired it"),
            Opt(long: "void", value: "ID", help: "void the key event ID, recorded in error (with --reason)"),
            Opt(long: "correct", value: "ID", help: "give the key event ID its right --date"),
            Opt(long: "reason", value: "TEXT", help: "why: for moved, and for --void or --correct"),
        ],
        arguments: 1...2,
        examples: [
            "ap record YP-0042 court-hearing --date 2026-12-02T10:00 --custody-possible",
            "ap record YP-0042 arrived-establishment --date 2026-12-02T18:30 --at WETHERBY",
            "ap record YP-0042 --correct 5e1f --date 2026-12-03 --reason 'a day later'",
        ],
        run: { inv in
            let id = try inv.caseID()
            if inv.value("void") != nil || inv.value("correct") != nil { return try correction(inv, id) }
            guard inv.arguments.count == 2 else {
                throw APError.usage(
                    "name the key event: 'ap record \(id) EVENT --date DATE'; 'ap record --help' lists them")
            }
            let kind = try KeyEventKind.named(inv.argument(1))
            let date = try inv.required("date")
            let session = try inv.context.session()
            let at = try inv.value("at").map { code -> Organisation in
                let known = try session.repo.yotsInTransfers(here: session.config.yotCode)
                guard let org = session.config.organisation(code, known: known) else {
                    throw APError.notFound("--at names '\(code)', which is not a known organisation; see 'ap org list'")
                }
                return org
            }
            let chair = try inv.value("chair").map { user -> User in
                guard let found = session.config.users[user] else {
                    throw APError.notFound("unknown user '\(user)' for --chair; 'ap user list' shows the users")
                }
                return found
            }
            var details = KeyEventDetails()
            details.chair = chair
            details.custodyPossible = inv.flag("custody-possible")
            details.breach = inv.flag("breach")
            details.reason = inv.value("reason")
            details.bySocialCare = inv.flag("by-social-care")
            details.team = inv.value("team")
            details.updatesBy = try inv.value("updates-by").map { text in
                guard let who = KeyEventDetails.Updater(rawValue: text) else {
                    throw APError.usage("--updates-by takes yot or establishment (003 §4.1)")
                }
                return who
            }
            let file = try session.change(id) { state, actor in
                try CustodyRules.record(
                    state, event: kind.slug, date: date, at: at, note: inv.value("note"), actor: actor,
                    now: session.env.now(), details: details)
            }
            let recorded = file.state.keyEvents.last!
            let started = Obligations.of(file.state).filter { $0.isOpen && $0.since == recorded.happenedAt }
            let calendar = WorkingDays(extraHolidays: session.config.extraBankHolidays)
            let lines = started.compactMap { o in
                session.config.obligationRule(o.rule).map {
                    "\n  due \(UKClock.label(o.due($0, calendar: calendar))): \($0.what) (\($0.ref))"
                }
            }
            let text = "Recorded \(kind.slug) on \(recorded.date) for \(id)" + (at.map { " at \($0.code)" } ?? "")
            var json = recorded.json
            json["case"] = .string(id)
            return .done(text + lines.joined(), json)
        })

    /// `--void ID` or `--correct ID --date DATE`: a key event put right by an event of its own.
    static func correction(_ inv: Invocation, _ id: String) throws -> Output {
        let void = inv.value("void"), correct = inv.value("correct")
        guard inv.arguments.count == 1, void == nil || correct == nil else {
            throw APError.usage(
                "--void ID or --correct ID names a recorded key event by its id: give one, and no EVENT")
        }
        guard inv.value("at") == nil, inv.value("note") == nil else {
            throw APError.usage("--at and --note go with a new key event, not with --void or --correct")
        }
        let reason = void == nil ? inv.value("reason") : try inv.required("reason")
        let date = correct == nil ? nil : try inv.required("date")
        if void != nil, inv.value("date") != nil { throw APError.usage("--void takes no --date; --correct does") }
        let session = try inv.context.session()
        let file = try session.change(id) { state, actor in
            if let void { return try Corrections.void(state, event: void, reason: reason ?? "", actor: actor) }
            return try Corrections.correct(
                state, event: correct ?? "", date: date ?? "", reason: reason, actor: actor, now: session.env.now())
        }
        let p = file.events.last!.payload
        func text(_ key: String) -> String { p[key]?.stringValue ?? "" }
        let done = void != nil
            ? "Voided \(text("kind")) \(text("event")) of \(id); what it started is no longer owed"
            : "Re-dated \(text("kind")) \(text("event")) of \(id) from \(text("was")) to \(text("date"))"
        // In the key event's own terms (`id`, `event`), as 'ap record' prints one.
        var json: JSONValue = ["case": .string(id), "id": p["event"] ?? .null, "event": p["kind"] ?? .null]
        if void != nil { json["voided"] = true }
        for key in ["date", "happenedAt", "was", "reason"] where p[key] != nil { json[key] = p[key] }
        return .done(done, json)
    }

    static let due = Command(
        path: ["due"], summary: "obligations due: what must be done on each case, by when, and why",
        usage: "[--mine] [--overdue] [--case ID] [--all] [--csv|--ics] [OPTIONS]",
        details: """
            Obligations come from key events ('ap record') and stages: sending stages to the YCS
            Placements Team and the establishment, reviews, Case Planning Forums, Risk Strategy
            Meetings, telling social care (003 §§2–7, 004 §§3, 17, 001 §6); allocation, leave
            and transfers (002). Each is discharged by what the rule names: a stage sent with
            'ap stage send', a stage started, a key event recorded. The time left is negative
            once the deadline has passed; times are UK times. "establishment:" marks what the
            establishment must do (ap only watches). --mine lists the cases you manage ('ap case
            allocate'; else those whose latest stage you own); --all adds discharged ones, with
            when and how. Cases this YOT no longer holds owe nothing here.
            """,
        options: [
            Opt(long: "mine", help: "only the cases you manage (else whose latest stage you own)"),
            Opt(long: "overdue", help: "only obligations past their deadline"),
            Opt(long: "case", value: "CASE", help: "only this case"),
            Opt(long: "all", help: "discharged obligations too"),
            Opt(long: "csv", help: "print CSV"),
            Opt(long: "ics", help: "print the open obligations as a calendar (RFC 5545), case ids only"),
            Opt(long: "exit-code", help: "exit 1 when an obligation listed is overdue (for cron)"),
        ],
        examples: [
            "ap due", "ap due --overdue --csv", "AP_USER=pat ap due --mine", "ap due --case YP-0042 --all",
            "ap due --ics > due.ics", "ap due --overdue --exit-code >/dev/null || mail -s overdue team",
        ],
        run: { inv in
            let context = inv.context
            let repo = try context.repository()
            let config = try repo.loadConfig()
            var filter = DueFilter()
            filter.overdueOnly = inv.flag("overdue")
            filter.all = inv.flag("all")
            filter.mine = try inv.mine(config)
            let wantsCSV = try inv.csv()
            let now = try context.clock().now()
            let (cases, problems) = try owingCases(
                repo, config: config, only: try inv.value("case").map(CaseID.normalize),
                all: filter.all, now: now)
            let entries = DueList.entries(
                cases, filter: filter, now: now,
                calendar: WorkingDays(extraHolidays: config.extraBankHolidays), absences: config.absences,
                rules: config.obligationRule)
            let warnings = problems.map { "\($0.path): \($0.message)" }
            guard !(wantsCSV && inv.flag("ics")), !(context.json && inv.flag("ics")) else {
                throw APError.usage("--ics, --csv and --json go one at a time")
            }
            var output: Output
            if wantsCSV {
                output = Output(
                    json: Report(columns: csvColumns, rows: entries.map(csvRow)).json, warnings: warnings,
                    textStream: { emit in
                        Report.csvStream(columns: csvColumns, count: entries.count, emit: emit) { csvRow(entries[$0]) }
                    })
            } else if inv.flag("ics") {
                let calendar = DueCalendar.ics(entries, now: try context.clock().now())
                output = Output(text: calendar, json: .null)
                output.warnings = warnings
            } else {
                let unrecorded = DueList.socialCareUnrecorded(
                    cases, filter: filter, now: now, absences: config.absences)
                output = Output(
                    text: text(entries, overdueOnly: filter.overdueOnly) + socialCarePrompt(unrecorded),
                    warnings: warnings, jsonStream: { emit in json(entries, emit: emit) })
            }
            // For cron: 1 when something is overdue (damaged files still say 65).
            if inv.flag("exit-code"), warnings.isEmpty { output.status = entries.contains(where: \.overdue) ? 1 : 0 }
            return output
        })

    /// Open obligations from the index; with `all` or one case, every obligation from the
    /// files. Transfers received and awaiting a decision are owed too (002 §12.4).
    static func owingCases(
        _ repo: Repository, config: Config, only: String?, all: Bool, now: Timestamp
    ) throws -> ([DueCase], [CaseIndex.Problem]) {
        var out: [DueCase] = []
        var problems: [CaseIndex.Problem] = []
        if let only {
            let state = try repo.loadCase(only).state
            out = [
                DueCase(
                    id: state.id, name: state.name, responsible: state.responsible(at: now),
                    manager: state.allocation(at: now)?.manager ?? "",
                    held: state.holding(for: config.yotCode), obligations: Obligations.of(state))
            ]
            out[0].socialCareUnrecorded = state.socialCareUnrecorded
        } else if all {
            let scan = try CaseScan.states(repo)
            for state in scan.states {
                var summary = try CaseSummary(state: state)
                summary.settle(at: now)
                summary.obligations = try Obligations.of(state: state)
                out.append(DueCase(summary, here: config.yotCode))
            }
            problems = scan.problems
        } else {
            let scan = try CaseIndex.summaries(repo, owing: true, now: now)
            UntilExit.keep(scan)
            out = scan.summaries.map { DueCase($0, here: config.yotCode) }
            problems = scan.problems
            // Cases whose only obligations come from their manager's leave.
            let away = Set(config.users.values.filter { $0.absence != nil }.map(\.id))
            if !away.isEmpty {
                let owing = Set(out.map(\.id))
                out += try CaseIndex.summaries(repo, now: now).summaries
                    .filter { away.contains($0.manager) && !owing.contains($0.id) }
                    .map { DueCase($0, here: config.yotCode) }
            }
        }
        for record in try repo.transferRecords()
        where record.direction == .incoming && record.package.type == .request
            && repo.currentStatus(record) == "pending"
            && (only == nil || record.package.caseFile.id == only)
        {
            out.append(
                DueCase(
                    id: record.package.caseFile.id, name: record.package.caseFile.state.name, responsible: "",
                    held: .home, obligations: [Obligation(rule: "transfer-confirmation", since: record.at)]))
        }
        return (out, problems)
    }

    /// The prompt for cases whose social-care status was never recorded (004 §2).
    static func socialCarePrompt(_ ids: [String]) -> String {
        guard let first = ids.first else { return "" }
        let which = ids.count == 1 ? "Case \(first) has" : "\(ids.count) open cases have"
        let fix = ids.count == 1 ? "'ap case update \(first) social-care=known|not-known'"
            : "'ap case list --social-care unrecorded' lists them"
        return "\n\(which) no social-care status recorded (004 §2): \(fix)\n"
    }

    /// Two lines an obligation, so that what must be done is never cut at 80 columns.
    static func text(_ entries: [DueEntry], overdueOnly: Bool) -> String {
        guard !entries.isEmpty else { return overdueOnly ? "No obligations overdue.\n" : "No obligations due.\n" }
        let idWidth = entries.map(\.caseID.count).max() ?? 0
        // Names cut to 24 columns on a narrow terminal only; piped, never.
        let widest = entries.map { TextWrap.width($0.name) }.max() ?? 0
        let nameWidth = Table.width >= Table.unbounded ? widest : min(24, widest)
        var out = ""
        for e in entries {
            let left =
                e.open
                ? DueList.timing(e)
                : "done \(e.obligation.dischargedAt.map(UKClock.label) ?? ""): \(e.obligation.dischargedBy ?? "")"
            let name = TextWrap.width(e.name) > nameWidth ? Table.cut(e.name, to: nameWidth) : e.name
            out +=
                Table.pad(e.caseID, idWidth) + "  " + Table.pad(name, nameWidth)
                + "  due \(UKClock.label(e.due))  \(left)\n"
            let by = e.rule.party == .establishment ? "establishment: " : ""
            out += String(repeating: " ", count: idWidth + 2) + by + e.rule.what + " (\(e.rule.ref))\n"
        }
        let open = entries.filter(\.open).count
        let overdue = entries.filter(\.overdue).count
        return out + "\n\(open) open, \(overdue) overdue\n"
    }

    static func json(_ e: DueEntry) -> JSONValue {
        var o: [String: JSONValue] = [
            "case": .string(e.caseID), "name": .string(e.name), "rule": .string(e.rule.id),
            "what": .string(e.rule.what),
            "party": .string(e.rule.party.rawValue), "since": .string(e.obligation.since.description),
            "due": .string(e.due.description), "hoursLeft": .int(e.hoursLeft), "overdue": .bool(e.overdue),
            "open": .bool(e.open), "late": .bool(e.late), "ref": .string(e.rule.ref),
        ]
        if let s = e.obligation.stage { o["stage"] = .string(s) }
        if let t = e.obligation.dischargedAt { o["dischargedAt"] = .string(t.description) }
        if let how = e.obligation.dischargedBy { o["dischargedBy"] = .string(how) }
        return .object(o)
    }

    /// `json` of every entry, written field by field in key order (a due list can run to
    /// hundreds of thousands of rows).
    static func json(_ entries: [DueEntry], emit: ([UInt8]) -> Bool) {
        JSONWriter.prettyRowStream(entries.count, emit: emit) { i, row in
            let e = entries[i]
            row.string("case", e.caseID)
            if let t = e.obligation.dischargedAt { row.string("dischargedAt", t.description) }
            if let how = e.obligation.dischargedBy { row.string("dischargedBy", how) }
            row.string("due", e.due.description)
            row.int("hoursLeft", e.hoursLeft)
            row.bool("late", e.late)
            row.string("name", e.name)
            row.bool("open", e.open)
            row.bool("overdue", e.overdue)
            row.string("party", e.rule.party.rawValue)
            row.string("ref", e.rule.ref)
            row.string("rule", e.rule.id)
            row.string("since", e.obligation.since.description)
            if let s = e.obligation.stage { row.string("stage", s) }
            row.string("what", e.rule.what)
        }
    }

    static let csvColumns = [
        "case", "name", "rule", "what", "party", "since", "due", "hours-left", "overdue", "open",
        "discharged-at", "discharged-by", "ref", "late",
    ]

    static func csvRow(_ e: DueEntry) -> [String] {
        [
            e.caseID, e.name, e.rule.id, e.rule.what, e.rule.party.rawValue, UKClock.show(e.obligation.since),
            UKClock.show(e.due), String(e.hoursLeft), e.overdue ? "yes" : "no", e.open ? "yes" : "no",
            e.obligation.dischargedAt.map(UKClock.show) ?? "", e.obligation.dischargedBy ?? "", e.rule.ref,
            e.late ? "yes" : "no",
        ]
    }
}
