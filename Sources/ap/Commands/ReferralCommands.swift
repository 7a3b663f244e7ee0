import APModel

/// Referrals followed through (issue 24; 001 §9, Annex B): a `yes` to a trigger question in a
/// submitted stage flags one; it is then made to a service and its outcome recorded.
enum ReferralCommands {
    static let all = [list, made, outcome]

    static let list = Command(
        path: ["referral", "list"], summary: "list the referrals flagged and how each was followed",
        usage: "[--open] [--case CASE] [--csv]",
        details: """
            One line a referral, oldest flag first: the case, its id (rf-...), the question
            that flagged it and the service the catalogue names, the stage, when it was
            flagged (the stage's submission), its progress (flagged, made, accepted,
            declined, not-needed), made to whom and when, and the working days that took.
            --open keeps those without an outcome. A flag not made within five working
            days shows in 'ap due' (ap's rule).
            """,
        options: [
            Opt(long: "open", help: "only referrals without an outcome"),
            Opt(long: "case", value: "CASE", help: "only this case's referrals"),
            Opt(long: "csv", help: "print CSV"),
        ],
        examples: ["ap referral list --open", "ap referral list --case YP-0042 --json"],
        run: { inv in
            let wantsCSV = try inv.csv()
            let repo = try inv.context.repository()
            let config = try repo.loadConfig()
            var found: [CaseReferral] = []
            var problems: [String] = []
            if let text = inv.value("case") {
                let id = try CaseID.normalize(text)
                found = try CaseReferral.from(state: repo.loadCase(id).state.json)
            } else {
                let scan = try CaseScan.states(repo)
                problems = scan.problems.map { "\($0.path): \($0.message)" }
                for state in scan.states {
                    do { found += try CaseReferral.from(state: state) } catch let e as APError {
                        problems.append("\(state["id"]?.stringValue ?? "?"): \(e.message)")
                    }
                }
            }
            let report = Reports.referralList(
                found, openOnly: inv.flag("open"), calendar: WorkingDays(extraHolidays: config.extraBankHolidays))
            let text = wantsCSV ? report.csv
                : report.rows.isEmpty ? "No referrals\(inv.flag("open") ? " open" : "").\n"
                : ReportCommand.table(report, width: inv.context.width)
            return Output(text: text, json: report.json, warnings: problems)
        })

    static let made = Command(
        path: ["referral", "made"], summary: "record a flagged referral as made, to whom and when",
        usage: "CASE REFERRAL --to TEXT [--date DATE]",
        details: """
            REFERRAL is its id from 'ap referral list' or the question that flagged it
            (pfs.cse). --to names the organisation (its code) or the person; --date is
            when it was made (default today), not before the stage that flagged it began.
            """,
        options: [
            Opt(long: "to", value: "TEXT", help: "who it was made to: an organisation code or a name"),
            Opt(long: "date", value: "DATE", help: "when it was made (default today)"),
        ],
        arguments: 2...2,
        examples: ["ap referral made YP-0042 pfs.cse --to MASE --date 2026-11-20"],
        run: { inv in
            let id = try inv.caseID()
            let to = try inv.required("to"), date = try day(inv)
            let session = try inv.context.session()
            let file = try session.change(id) { state, actor in
                try ReferralRules.made(
                    state, referral: inv.argument(1), to: to, date: date, actor: actor, today: inv.context.today)
            }
            let r = try ReferralRules.find(inv.argument(1), in: file.state)
            return .done("Recorded referral \(r.id) (\(r.question)) of \(id) as made to \(to) on \(date)", shape(r, id))
        })

    static let outcome = Command(
        path: ["referral", "outcome"], summary: "record what came of a referral: accepted, declined, not-needed",
        usage: "CASE REFERRAL OUTCOME --reason TEXT [--date DATE]",
        details: """
            OUTCOME is accepted, declined or not-needed. accepted and declined follow a
            referral made; not-needed closes a flag that needed no referral, with why. The
            reason is required.
            """,
        options: [
            Opt(long: "reason", value: "TEXT", help: "why: the service's answer, or why none was needed"),
            Opt(long: "date", value: "DATE", help: "when the outcome came (default today)"),
        ],
        arguments: 3...3,
        examples: [
            "ap referral outcome YP-0042 rf-3a1b2c accepted --reason 'CAMHS worker'",
            "ap referral outcome YP-0042 pfs.gangs not-needed --reason 'Known to them'",
        ],
        run: { inv in
            let id = try inv.caseID()
            let reason = try inv.required("reason"), date = try day(inv)
            let session = try inv.context.session()
            let file = try session.change(id) { state, actor in
                try ReferralRules.outcome(
                    state, referral: inv.argument(1), outcome: inv.argument(2).lowercased(), reason: reason,
                    date: date, actor: actor, today: inv.context.today)
            }
            let r = try ReferralRules.find(inv.argument(1), in: file.state)
            return .done("Recorded referral \(r.id) (\(r.question)) of \(id) as \(r.progress)", shape(r, id))
        })

    /// --date as every dated option takes it (a date, today, yesterday, -2), default today.
    static func day(_ inv: Invocation) throws -> Day {
        try inv.day("date", today: inv.context.today) ?? inv.context.today
    }

    static func shape(_ r: Referral, _ caseID: String) -> JSONValue {
        var json = r.json
        json["case"] = .string(caseID)
        return json
    }
}
