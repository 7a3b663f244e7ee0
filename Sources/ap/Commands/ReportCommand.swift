import APModel

enum ReportCommand {
    static let command = Command(
        path: ["report"], summary: "run a report: in-progress, overdue, missing-ratings, yet-to-clarify, ...",
        usage: "NAME [--csv] [--by stage|practitioner]",
        details: """
              in-progress      stages in progress with their age in working days
              overdue          open stages past the timescale, Case Closures included
              missing-ratings  completed stages lacking a rating their kind requires
                               (config requiredRatings)
              yet-to-clarify   the share of yet-to-clarify answers per stage, or with
                               --by practitioner per practitioner
              transfers        transfers awaiting a decision, received or sent
              caretaking       caretaking arrangements past their review date
              referrals        referrals flagged by a yes to a trigger question: case,
                               stage, question, referral, who answered and when,
                               and how it was followed: made to whom, when, working
                               days taken, outcome ('ap referral')
              further-exploration
                               per practitioner: trigger questions answered, how many
                               were yes and explained, and the yet-to-clarify share
              self-assessment  completed stages with and without the young person's
                               and the carer's self-assessment (sa.young-person, sa.carer),
                               and how many of each questionnaire's statements were
                               answered (e.g. 10/10)
            --csv prints RFC 4180 CSV that a spreadsheet opens; --json an array of objects with
            camelCase keys, counts as numbers, yes or no as true or false, kinds as slugs.
            """,
        options: [
            Opt(long: "csv", help: "print CSV"),
            Opt(long: "by", value: "WHAT", help: "for yet-to-clarify: stage (default) or practitioner"),
        ],
        arguments: 0...1,
        examples: ["ap report overdue", "ap report yet-to-clarify --by practitioner --csv > ytc.csv"],
        run: { inv in
            // `ap report` alone lists the reports, as a group word does.
            guard !inv.arguments.isEmpty else {
                return Output(text: Help.page(inv.command), json: .array(Reports.names.map(JSONValue.string)))
            }
            let name = inv.argument(0)
            let wantsCSV = try inv.csv()
            guard Reports.names.contains(name) else {
                throw APError.usage("unknown report '\(name)'; reports: \(Reports.names.joined(separator: ", "))\(Suggest.hint(name, Reports.names))")
            }
            let by = inv.value("by") ?? "stage"
            guard by == "stage" || by == "practitioner" else { throw APError.usage("--by takes stage or practitioner") }
            guard inv.value("by") == nil || name == "yet-to-clarify" else { throw APError.usage("--by goes with the yet-to-clarify report") }
            let repo = try inv.context.repository()
            let config = try repo.loadConfig()
            let calendar = WorkingDays(extraHolidays: config.extraBankHolidays)
            let today = inv.context.today
            let kindName = config.kindName
            let report: Report
            var problems: [CaseIndex.Problem]
            switch name {
            case "transfers":
                problems = []
                report = Reports.transfers(try repo.transferRecords(), decided: { repo.currentStatus($0) != "pending" }, today: today)
            case "caretaking":
                let scan = try CaseIndex.summaries(repo)
                problems = scan.problems
                report = Reports.caretaking(scan.summaries, today: today)
            case "in-progress", "overdue":
                let scan = try CaseIndex.summaries(repo, keep: { !$0.isEmpty })
                problems = scan.problems
                report = name == "in-progress"
                    ? Reports.inProgress(scan.summaries, today: today, calendar: calendar, timescale: config.timescale,
                                         here: config.yotCode, kindName: kindName)
                    : Reports.overdue(scan.summaries, today: today, calendar: calendar, timescale: config.timescale,
                                      here: config.yotCode, kindName: kindName)
            default:
                let scan = try CaseScan.states(repo)
                problems = scan.problems
                var stages: [StageFacts] = []
                var records: [String: [Referral]] = [:]
                for state in scan.states {
                    do {
                        stages += try StageFacts.from(state: state, here: config.yotCode)
                        for c in try CaseReferral.from(state: state) {
                            records[c.caseID, default: []].append(c.referral)
                        }
                    } catch let e as APError {
                        problems.append(CaseIndex.Problem(path: state["id"]?.stringValue ?? "?", message: e.message))
                    }
                }
                switch name {
                case "missing-ratings":
                    report = Reports.missingRatings(stages, required: config.requiredRatings, kindName: kindName)
                case "referrals":
                    report = Reports.referrals(
                        stages, records: records, catalogue: config.catalogue, calendar: calendar, kindName: kindName)
                case "further-exploration":
                    report = Reports.furtherExploration(stages, catalogue: config.catalogue)
                case "self-assessment":
                    report = Reports.selfAssessment(stages, catalogue: config.catalogue, kindName: kindName)
                default:
                    report = by == "stage" ? Reports.yetToClarifyByStage(stages, kindName: kindName) : Reports.yetToClarifyByPractitioner(stages)
                }
            }
            let text = wantsCSV ? report.csv
                : report.rows.isEmpty ? "Nothing to report (\(name)).\n"
                : table(report, width: inv.context.width) + "\n\(report.rows.count) row\(report.rows.count == 1 ? "" : "s")\n"
            let slugs = Dictionary(config.stageKinds.map { ($0.name, $0.slug) }, uniquingKeysWith: { a, _ in a })
            return Output(
                text: text, json: report.json(kindSlugs: slugs), warnings: problems.map { "\($0.path): \($0.message)" })
        })

    /// The text table: stage ids left to CSV and JSON, short headers, so that a report
    /// fits 80 columns; ids, dates and numbers are never cut.
    static func table(_ report: Report, width: Int) -> String {
        // How a referral was followed is told in short: who and when made it are in CSV and JSON.
        let followed = report.columns.contains("progress") && report.columns.contains("answered")
        let hidden: Set<String> =
            followed ? ["status", "answered-by", "answered", "referral-id", "made-to", "outcome-date"] : []
        let shown = report.columns.indices.filter {
            let column = report.columns[$0]
            let dated = column == "started" && report.columns.contains("due")
            return column != "stage" && column != "started-at" && !dated && !hidden.contains(column)
        }
        let short = ["working-days": "DAYS", "explored-percent": "EXP%", "ytc-percent": "YTC%", "answered-by": "BY",
                     "young-person": "YP", "explained": "EXPL", "triggers": "TRIG",
                     "yet-to-clarify": "YTC", "percent": "%", "review-date": "REVIEW", "days-past": "PAST",
                     "days-waiting": "WAITING", "direction": "DIR", "returned": "RET", "days-to-make": "DAYS",
                     "outcome-date": "OUTCOME", "outcome-reason": "REASON",
                     "young-person-answered": "YP-N", "carer-answered": "CARER-N"]
        let headers = shown.map { short[report.columns[$0]] ?? report.columns[$0].uppercased() }
        let fixed: Set<String> = [
            "CASE", "TRANSFER", "ANSWERED", "COMPLETED", "EXP%", "YTC%", "TRIG", "EXPLORED", "EXPL", "YP", "CARER",
            "OWNER", "STARTED", "DUE", "DAYS", "OVER-BY", "ANSWERS", "YTC", "%", "STAGES", "RET", "REVIEW", "PAST",
            "WAITING", "SENT", "ID", "FLAGGED", "PROGRESS", "MADE", "OUTCOME", "YP-N", "CARER-N",
        ]
        return Table.render(headers, report.rows.map { row in shown.map { row[$0] } }, width: width, fixed: fixed)
    }
}
