import APModel

enum CaseCommands {
    static let all = [new, show, list, update, AllocateCommand.command, CaseExport.command, resolve]

    static let resolve = Command(
        path: ["case", "resolve"], summary: "record that a manager reviewed the merge conflicts of a case",
        usage: "CASE --note TEXT",
        details: """
            When two copies held different decisions on one stage (countersigned in one,
            returned in the other) or one transfer (accepted and rejected), the merge keeps the
            latest and records both; the case shows as needing review until a manager runs this.
            """,
        options: [Opt(long: "note", value: "TEXT", help: "what was checked and agreed")],
        arguments: 1...1,
        examples: ["ap case resolve YP-0042 --note 'Return stands; Lee and Mo agreed'"],
        run: { inv in
            let id = try inv.caseID()
            let note = try inv.required("note")
            let session = try inv.context.session()
            let file = try session.change(id) { state, actor in try CaseRules.resolve(state, note: note, actor: actor) }
            return .done("Reviewed the merge conflicts of \(id)", Shapes.caseObject(file.state))
        })

    static let new = Command(
        path: ["case", "new"], summary: "open a case for a young person",
        usage: "ID --name NAME --dob DATE [--looked-after] [--manager USER]",
        details: """
            Case ids are letters, digits and '-' (stored in capitals), at most 32 long.
            --manager makes the first allocation at once, by the rules of 'ap case allocate'
            (managers only).
            """,
        options: [
            Opt(long: "name", value: "NAME", help: "the young person's name"),
            Opt(long: "dob", value: "DATE", help: "date of birth, YYYY-MM-DD"),
            Opt(long: "looked-after", help: "the young person is a looked-after child"),
            Opt(long: "manager", value: "USER", help: "the case manager (first allocation)"),
            Opt(long: "co", value: "USER", help: "a co-worker: practice supervisor or primary worker"),
            Opt(long: "team", value: "TEAM", help: "the locality team"),
        ],
        arguments: 1...1,
        examples: ["ap case new YP-0042 --name 'Jordan Smith' --dob 2009-03-14", "ap case new YP-0043 --name 'Casey Brown' --dob 2010-07-01 --looked-after"],
        run: { inv in
            let id = try inv.caseID()
            if inv.value("manager") == nil, inv.value("co") != nil || inv.value("team") != nil {
                throw APError.usage("--co and --team go with --manager")
            }
            let session = try inv.context.session()
            let change = try CaseRules.create(
                name: try inv.required("name"), dob: try inv.required("dob"), lookedAfter: inv.flag("looked-after"), today: inv.context.today,
                home: session.config.yot)
            var file = try session.create(id, change) { state, actor in
                guard inv.value("manager") != nil else { return nil }
                return try AllocateCommand.change(inv, state, actor, session: session, managerOption: "manager")
            }
            file = try session.repo.loadCase(id)
            return .done("Created case \(id) (\(file.state.name))", Shapes.caseObject(file.state))
        })

    static let show = Command(
        path: ["case", "show"], summary: "show a case and its stages", usage: "CASE",
        arguments: 1...1,
        examples: ["ap case show YP-0042"],
        run: { inv in
            let repo = try inv.context.repository()
            let config = try repo.loadConfig()
            let file = try repo.loadCase(try inv.caseID())
            let ids = Identities(events: file.events, here: config.yotCode)
            var json = Shapes.caseObject(file.state)
            json["stages"] = .array(file.state.stages.map { ids.qualify(stage: $0.json) })
            json["createdBy"] = .string(ids.id(file.state.createdBy, at: file.state.createdAt))
            let core = CoreRecord.of(file.state)
            if !core.isEmpty { json["coreRecord"] = core.json }
            // A countersignature, return, stop or any other event whose signature fails is marked.
            let unverified = try Verification.problems(in: file, repo: repo)
            var signatures: String?
            if let identity = try repo.identity()?.state, identity.signaturesRequired || !unverified.isEmpty {
                json["signatures"] = [
                    "events": .int(file.events.count), "problems": .array(unverified.map(\.json)),
                    "verified": .bool(unverified.isEmpty),
                ]
                signatures = unverified.isEmpty
                    ? "verified (all \(file.events.count) events)"
                    : "\(unverified.count) of \(file.events.count) events do not verify ('ap verify \(file.id)')"
            }
            return Output(
                text: CaseDetail.render(file, config, now: inv.context.now, width: inv.context.width,
                                        unverified: unverified, signatures: signatures), json: json)
        })

    static let list = Command(
        path: ["case", "list"], aliases: [["cases"]], summary: "list the cases, filtered as asked",
        usage: "[--owner USER] [--name TEXT] [FILTERS] [--csv]",
        details: """
            Filters combine: --owner (the owner of the open stage), --status (in-progress,
            awaiting-countersignature, or none for no open stage), --kind (the open stage's),
            --name (part of the name, ignoring case and accents), --looked-after, --held (home,
            host or out), --overdue (an open stage past its timescale or due date), --social-care
            (known, not-known, or unrecorded: open cases where it never was, 004 §2). --csv
            prints RFC 4180 CSV.
            """,
        options: [
            Opt(long: "owner", value: "USER", help: "the owner of the case's open stage"),
            Opt(long: "status", value: "STATUS", help: "in-progress, awaiting-countersignature or none"),
            Opt(long: "kind", value: "KIND", help: "the open stage's kind"),
            Opt(long: "name", value: "TEXT", help: "part of the name, any case and accents"),
            Opt(long: "looked-after", help: "only looked-after children"),
            Opt(long: "held", value: "WHERE", help: "home, host or out"),
            Opt(long: "overdue", help: "only cases whose open stage is overdue"),
            Opt(long: "manager", value: "USER", help: "the allocated case manager or co-worker"),
            Opt(long: "team", value: "TEAM", help: "the allocated team"),
            Opt(long: "social-care", value: "STATUS", help: "known, not-known or unrecorded (004 §2)"),
            Opt(long: "csv", help: "print CSV"),
        ],
        examples: ["ap case list --looked-after --held host", "ap case list --manager pat --team North",
                   "ap case list --owner pat --overdue --csv > pat.csv",
                   "ap case list --json | jq -r '.[].id'"],
        run: { inv in
            let repo = try inv.context.repository()
            let config = try repo.loadConfig()
            var filter = CaseFilter()
            filter.owner = try inv.user("owner", config)
            filter.status = try inv.value("status").map { s in
                guard CaseFilter.statuses.contains(s) else {
                    throw APError.usage("--status takes \(CaseFilter.statuses.joined(separator: ", "))")
                }
                return s
            }
            filter.kind = try inv.value("kind").map { try config.stageKind($0).slug }
            filter.name = inv.value("name")
            filter.lookedAfter = inv.flag("looked-after")
            filter.held = try inv.value("held").map { h in
                guard CaseFilter.holdings.contains(h) else { throw APError.usage("--held takes home, host or out") }
                return h
            }
            filter.overdue = inv.flag("overdue")
            filter.manager = inv.value("manager")
            filter.team = inv.value("team")
            filter.socialCare = try inv.value("social-care").map { v in
                guard CaseFilter.socialCareValues.contains(v) else {
                    throw APError.usage("--social-care takes \(CaseFilter.socialCareValues.joined(separator: ", "))")
                }
                return v
            }
            let wantsCSV = try inv.csv()
            // Rows whose name or status cannot match are not decoded; what comes back is filtered whole.
            let chosen = filter
            let name = CaseSummary.IndexField.name
            let named: ((CaseIndex.RowField) -> Bool)? =
                chosen.name == nil ? nil : { chosen.matchesName(stored: $0(name)) }
            let scan = try CaseIndex.summaries(
                repo, keep: { chosen.matchesStatus($0) }, decode: named, obligations: false,
                progress: inv.context.indexProgress, now: inv.context.now)
            UntilExit.keep(scan)
            let calendar = WorkingDays(extraHolidays: config.extraBankHolidays)
            let today = inv.context.today
            // Positions filtered and sorted, not summaries: a summary is large, and moving 100,000
            // of them about was a third of the listing's time.
            let all = scan.summaries
            let matched = filter.isEmpty ? Array(all.indices) : all.indices.filter { i in
                filter.matches(all[i], here: config.yotCode) { o in
                    o.deadline(timescale: config.timescale(for: o.kind), today: today, calendar: calendar)
                }
            }
            // Sorted by the ids alone: reaching each through its summary copied the summary
            // for every comparison (a tenth of the listing's time).
            let ids = all.map(\.id)
            let cases = Listed(summaries: all, order: matched.sorted { ids[$0] < ids[$1] })
            let warnings = scan.problems.map { "\($0.path): \($0.message)" }
            if wantsCSV {
                let columns = ["case", "name", "looked-after", "held", "stage", "kind", "owner", "status", "updated",
                               "manager", "co-worker", "team"]
                let here = config.yotCode
                let row = { @Sendable (s: UnsafePointer<CaseSummary>) -> [String] in
                    [s.pointee.id, s.pointee.name, s.pointee.lookedAfter ? "yes" : "no",
                     CaseView.held(s.pointee.holding(for: here)), s.pointee.open?.id ?? "", s.pointee.open?.kind ?? "",
                     s.pointee.open?.ownerShown(here: here) ?? "", s.pointee.open?.status ?? "",
                     String(s.pointee.updatedAt.prefix(10)), s.pointee.manager, s.pointee.coWorker, s.pointee.team]
                }
                return Output(
                    json: Report(columns: columns, rows: cases.map(row)).json, warnings: warnings,
                    textStream: { emit in
                        Report.csvStream(columns: columns, count: cases.count, emit: emit) { cases.with($0, row) }
                    })
            }
            let empty = scan.files == 0 ? "No cases yet; create one with 'ap case new'.\n" : "No cases match.\n"
            // Each made only when asked for: a list of 100,000 cases is printed one way.
            return Output(
                text: cases.isEmpty ? empty : table(cases, config), warnings: warnings,
                jsonStream: { emit in json(cases, config, emit: emit) })
        })

    /// Summaries in the order they are listed, without moving them.
    struct Listed: Sendable {
        let summaries: [CaseSummary]
        let order: [Int]
        var isEmpty: Bool { order.isEmpty }
        var count: Int { order.count }
        /// Each summary read where it lies, through a pointer: an array's subscript, or a
        /// parameter, copied every one (a sixth of a 100,000-case table's time).
        func map<T>(_ transform: (UnsafePointer<CaseSummary>) throws -> T) rethrows -> [T] {
            try summaries.withUnsafeBufferPointer { all in try order.map { try transform(all.baseAddress! + $0) } }
        }
        /// What `transform` makes of the `k`th listed.
        func with<T>(_ k: Int, _ transform: (UnsafePointer<CaseSummary>) -> T) -> T {
            summaries.withUnsafeBufferPointer { transform($0.baseAddress! + order[k]) }
        }
    }

    static func table(_ cases: Listed, _ config: Config) -> String {
        let rows = cases.map { s -> [String] in
            [s.pointee.id, s.pointee.name, s.pointee.lookedAfter ? "yes" : "no",
             CaseView.held(s.pointee.holding(for: config.yotCode)),
             (s.pointee.open?.kind).map(config.kindName) ?? "-",
             (s.pointee.open?.status).flatMap { StageStatus(rawValue: $0) }.map(CaseView.status) ?? "",
             String(s.pointee.updatedAt.prefix(10))]
        }
        return Table.render(["CASE", "NAME", "LAC", "HELD", "OPEN STAGE", "STATUS", "UPDATED"], rows,
                            fixed: ["CASE", "LAC", "HELD", "STATUS", "UPDATED"])
    }

    /// Every case listed, written field by field in key order, as `ap queue` does.
    static func json(_ cases: Listed, _ config: Config, emit: ([UInt8]) -> Bool) {
        // Each summary read where it lies, through a pointer: an array's subscript, or a
        // parameter, copied every one (a tenth of the list's time).
        cases.summaries.withUnsafeBufferPointer { buffer in
            nonisolated(unsafe) let all = buffer.baseAddress!
            JSONWriter.prettyRowStream(cases.count, emit: emit) { i, row in
                summaryRow(all + cases.order[i], config, &row)
            }
        }
    }

    /// One case's row.
    static func summaryRow(_ s: UnsafePointer<CaseSummary>, _ config: Config, _ row: inout JSONWriter.RowWriter) {
        func optional(_ key: String, _ value: String, _ row: inout JSONWriter.RowWriter) {
            if !value.isEmpty { row.string(key, value) }
        }
        row.string("case", s.pointee.id)
        optional("coWorker", s.pointee.coWorker, &row)
        row.string("dob", s.pointee.dob)
        row.string("holding", s.pointee.holding(for: config.yotCode).rawValue)
        optional("home", s.pointee.homeCode, &row)
        optional("host", s.pointee.hostCode, &row)
        row.string("id", s.pointee.id)
        row.bool("lookedAfter", s.pointee.lookedAfter)
        optional("manager", s.pointee.manager, &row)
        row.string("name", s.pointee.name)
        if let open = s.pointee.open {
            row.object("openStage") { stage in
                stage.string("id", open.id)
                stage.string("kind", open.kind)
                stage.string("owner", open.ownerShown(here: config.yotCode))
                stage.string("startedAt", open.startedAt)
                stage.string("status", open.status)
            }
        }
        optional("reviewDate", s.pointee.reviewDate, &row)
        optional("team", s.pointee.team, &row)
        row.string("updatedAt", s.pointee.updatedAt)
    }

    static let update = Command(
        path: ["case", "update"], summary: "change a case's details",
        usage: "CASE KEY=VALUE... [--basis B] [--reason TEXT]",
        details: """
            Keys: name, dob (YYYY-MM-DD), looked-after (yes or no), social-care (known or
            not-known: 004 §2), social-worker (the allocated social worker), gender,
            designated-authority (the local authority the court made responsible for a
            looked-after child, 003 §1.7). Only a manager of the home YOT changes looked-after,
            with --reason (kept in the history) and, for yes, --basis: care-order, section-20,
            remand or other; and the designated authority.
            """,
        options: [
            Opt(long: "basis", value: "BASIS", help: "the looked-after basis: care-order, section-20, remand, other"),
            Opt(long: "reason", value: "TEXT", help: "why looked-after changes"),
        ],
        arguments: 2...10,
        examples: [
            "ap case update YP-0042 looked-after=yes --basis care-order --reason 'Order'",
            "ap case update YP-0042 name='Jordan A Smith'",
            "ap case update YP-0042 social-care=known social-worker='Sam Patel'",
        ],
        run: { inv in
            let id = try inv.caseID()
            let fields = try inv.pairs(from: 1)
            let today = inv.context.today
            let session = try inv.context.session()
            let file = try session.change(id) { state, actor in
                let change = CaseRules.LookedAfterChange(
                    basis: inv.value("basis"), reason: inv.value("reason"), actor: actor, here: session.config.yotCode)
                return try CaseRules.update(state, fields: fields, today: today, lookedAfter: change)
            }
            let changed = fields.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return .done("Updated case \(id): " + changed, Shapes.caseObject(file.state))
        })
}

/// How cases and stages read in text output.
enum CaseView {
    static func held(_ h: Holding) -> String {
        switch h {
        case .home: return "home"
        case .host: return "host"
        case .released: return "out"
        }
    }

    /// Always clear whether this YOT is home or host (000 §19.2).
    static func holdingText(_ s: CaseState, _ config: Config) -> String {
        let home = s.home.map { "\($0.name) (\($0.code))" } ?? "this YOT"
        switch s.holding(for: config.yotCode) {
        case .home:
            guard let host = s.host else { return "home, holds case responsibility" }
            return "home; caretaking by \(host.name) (\(host.code)) since \(s.caretakingSince?.day.description ?? "?"), review by \(s.reviewDate?.description ?? "?")"
        case .host:
            return "host, caretaking for \(home) since \(s.caretakingSince?.day.description ?? "?"), review by \(s.reviewDate?.description ?? "?")"
        case .released:
            return "no longer holds this case (held by \(home)); this copy is read-only"
        }
    }

    /// Status words for tables.
    static func status(_ s: StageStatus) -> String {
        switch s {
        case .inProgress: return "in progress"
        case .awaitingCountersignature: return "awaiting countersignature"
        case .completed: return "completed"
        case .stopped: return "stopped"
        }
    }
}

extension String {
    var replacingNewlines: String { String(map { $0.isNewline ? " " : $0 }) }
}
