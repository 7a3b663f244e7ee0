import APModel

enum StageCommands {
    static let all = [kinds, questions, new, set, clear, submit, withdraw, stop, show]
        + StageEntryCommands.all + StageContributorCommands.all

    static let kinds = Command(
        path: ["stage", "kinds"], summary: "list the stage kinds and their slugs", usage: "",
        run: { inv in
            let kinds = (try? inv.context.repository().loadConfig().stageKinds) ?? StageKind.builtIn
            return Output(
                text: Table.render(["SLUG", "NAME"], kinds.map { [$0.slug, $0.name] }),
                json: .array(kinds.map { ["slug": .string($0.slug), "name": .string($0.name)] }))
        })

    static let new = Command(
        path: ["stage", "new"], summary: "start a stage when none is open",
        usage: "CASE --kind KIND [--owner USER] [--pull-from ID] [OPTIONS]",
        details: """
            Answers are pulled forward from the latest completed or stopped stage that holds
            the assessment, not a module alone (nor a Case Closure unless the policy
            'pull-forward-after-closure' is true), or from the
            stage --pull-from names; only those the new kind holds come, and the confirmation
            names the source and says how many came and were left behind. The owner defaults to
            you. --due records a due date (a court date): the stage is due at the earlier of it
            and its kind's timescale. A Case Closure's timescale counts from
            --involvement-ended where given (001 §6.21).
            """,
        options: [
            Opt(long: "kind", value: "KIND", help: "the stage kind's slug; see 'ap stage kinds'"),
            Opt(long: "owner", value: "USER", help: "the stage owner (a practitioner or manager)"),
            Opt(long: "no-pull-forward", help: "start with no answers from the previous stage"),
            Opt(long: "pull-from", value: "STAGE-ID", help: "pull forward from this earlier stage instead"),
            Opt(long: "due", value: "DATE", help: "a due date, e.g. the court date"),
            Opt(long: "involvement-ended", value: "DATE", help: "for a Case Closure: when involvement ended"),
        ],
        arguments: 1...1,
        examples: [
            "ap stage new YP-0042 --kind psr --due 2026-12-04",
            "ap --as bs1 stage new YP-0042 --kind review --owner pat",
            "ap stage new YP-0042 --kind case-closure --involvement-ended 2026-11-20",
        ],
        run: { inv in
            let id = try inv.caseID()
            let kindSlug = try inv.required("kind")
            func date(_ option: String) throws -> Day? {
                try inv.value(option).map { text in
                    guard let day = Day(text) else { throw APError.usage("--\(option) takes a date like 2026-12-04") }
                    return day
                }
            }
            let options = StageRules.StartOptions(
                pullForward: !inv.flag("no-pull-forward"), pullFrom: inv.value("pull-from"), due: try date("due"),
                involvementEnded: try date("involvement-ended"))
            let session = try inv.context.session()
            let stageID = "st-" + String(session.env.newID().prefix(8))
            let file = try session.change(id) { state, actor in
                let ownerID = inv.value("owner") ?? actor.id
                guard let owner = session.config.users[ownerID] else {
                    throw APError.notFound("unknown user '\(ownerID)' for --owner; 'ap user list' shows the users")
                }
                return try StageRules.start(
                    state, kind: try session.config.stageKind(kindSlug), owner: owner, options: options,
                    stageID: stageID, actor: actor, config: session.config, today: inv.context.today)
            }
            let stage = file.state.stage(stageID)!
            let pulled = stage.answers.count
            let source = stage.pulledFrom.flatMap(file.state.stage)
            let left = source.map { $0.answers.count - pulled } ?? 0
            var json = Shapes.stage(stage, of: id)
            if stage.pulledFrom != nil { json["leftBehind"] = .int(left) }
            let from = source.map {
                "; \(pulled) answer\(pulled == 1 ? "" : "s") pulled forward from \($0.id) "
                    + "(\(session.config.kindName($0.kind)), \($0.status.rawValue))"
            }
            return .done(
                "Started \(session.config.kindName(stage.kind)) stage \(stageID) for \(id), owner \(stage.owner)"
                    + (from ?? "") + (left > 0 ? ", \(left) left behind (not part of this kind)" : "")
                    + (stage.due.map { "; due by \($0)" } ?? ""),
                json)
        })

    static let set = Command(
        path: ["stage", "set"], aliases: [["stage", "answer"]], summary: "record answers and ratings in the stage in progress",
        usage: "CASE KEY=VALUE... | CASE --from FILE",
        details: """
            For sensitive text use --from FILE (- for standard input), so that answers never show
            in the process list: one key=value a line; a multi-line answer is KEY<<END, its
            lines, then END alone; blank lines and lines starting with # are skipped.
            Keys come from the catalogue ('ap stage questions') and must belong to the stage's
            kind. Ratings: rosh, saw (low, medium, high, very-high); indicative-lor, lor (low,
            medium, high); scaled-approach, scaled-approach-override (standard, enhanced,
            intensive). Yes-no questions take yes, no or yet-to-clarify in any case; date
            questions a date like 2026-11-23; text questions any text that is not blank.
            A yes to a trigger question flags a referral and makes KEY.explanation mandatory.
            'ap stage clear' removes an answer.
            """,
        options: [Opt(long: "from", value: "FILE", help: "read key=value lines from FILE, or - for standard input")],
        arguments: 1...200,
        examples: [
            "ap stage set YP-0042 rosh=medium saw=low", "ap stage set YP-0042 --from answers.txt",
            "ap stage set YP-0042 pfs.gangs=yes 'pfs.gangs.explanation=Older brother'",
            "ap stage set YP-0042 reason-for-transfer='Moving to Nottingham'",
        ],
        run: { inv in
            let id = try inv.caseID()
            var answers = try inv.pairs(from: 1)
            if let path = inv.value("from") { answers += try readPairs(path) }
            guard !answers.isEmpty else { throw APError.usage("no answers given; use KEY=VALUE or --from FILE") }
            let session = try inv.context.session()
            let file = try session.change(id) { state, actor in
                try StageRules.answer(
                    state, answers: answers, actor: actor, config: session.config, catalogue: session.catalogue)
            }
            let stage = file.state.openStage!
            let plural = answers.count == 1 ? "" : "s"
            return .done(
                "Recorded \(answers.count) answer\(plural) in stage \(stage.id) of \(id)", Shapes.stage(stage, of: id))
        })

    static let clear = Command(
        path: ["stage", "clear"], summary: "remove answers from the stage in progress", usage: "CASE KEY...",
        arguments: 2...200,
        examples: ["ap stage clear YP-0042 pfs.gangs pfs.gangs.explanation"],
        run: { inv in
            let id = try inv.caseID()
            let keys = inv.arguments.dropFirst().map { $0.lowercased() }
            let session = try inv.context.session()
            let file = try session.change(id) { state, actor in
                try StageRules.clear(state, keys: keys, actor: actor, catalogue: session.catalogue)
            }
            let stage = file.state.openStage!
            let plural = keys.count == 1 ? "" : "s"
            return .done(
                "Cleared \(keys.count) answer\(plural) in stage \(stage.id) of \(id)", Shapes.stage(stage, of: id))
        })

    /// key=value lines from a file or standard input (`-`), so that text about a child never
    /// shows in the process list.
    static func readPairs(_ path: String) throws -> [(key: String, value: String)] {
        let bytes = path == "-" ? try FileHandleInput.read(limit: AnswerFile.maxBytes)
            : try FileSystem.read(path, limit: AnswerFile.maxBytes, followLinks: true)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw APError.data("\(path == "-" ? "standard input" : path): not valid UTF-8")
        }
        return try AnswerFile.parse(text, source: path == "-" ? "standard input" : path)
    }

    static let questions = Command(
        path: ["stage", "questions"], summary: "list the catalogue's questions, by kind or section",
        usage: "[--kind KIND] [--section SECTION]",
        details: """
            Sections and modules in order, with each question's key, type and label. Trigger
            questions show the referral a yes flags; local questions are marked 'local'.
            """,
        options: [
            Opt(long: "kind", value: "KIND", help: "only the questions a stage of this kind holds"),
            Opt(long: "section", value: "SECTION", help: "only this section or module, e.g. pfs"),
        ],
        examples: ["ap stage questions --kind bail-recommendation", "ap stage questions --section pfs --json"],
        run: { inv in
            let config = (try? inv.context.repository().loadConfig())
                ?? Config(yotCode: "X", yotName: "", admin: User(id: "x", name: "", roles: []))
            let catalogue = config.catalogue
            var list = catalogue.questions
            if let slug = inv.value("kind") {
                let kind = try config.stageKind(slug).slug
                list = list.filter { catalogue.holds(kind: kind, key: $0.key) }
            }
            if let section = inv.value("section") {
                guard catalogue.section(section) != nil else {
                    let slugs = catalogue.sections.map(\.slug)
                    throw APError.usage(
                        "unknown section '\(section)'; sections: \(slugs.joined(separator: ", "))"
                            + Suggest.hint(section, slugs))
                }
                list = list.filter { $0.section == section }
            }
            return Output(
                text: QuestionView.table(list, catalogue, width: inv.context.width),
                json: .array(list.map(QuestionView.json)))
        })

    static let submit = Command(
        path: ["stage", "submit"], summary: "complete the stage in progress, or send it for countersignature",
        usage: "CASE [--dry-run]",
        details: """
            Mandatory answers (config 'mandatory'), the ratings the kind requires (config
            'requiredRatings') and the explanation of every yes to a trigger question must be
            present; the refusal lists what is missing. --dry-run says what submitting would do,
            or what is still needed, and writes nothing.
            """,
        options: [Opt(long: "dry-run", help: "say what submitting would do; write nothing")],
        arguments: 1...1,
        examples: ["ap stage submit YP-0042", "ap stage submit YP-0042 --dry-run"],
        run: { inv in
            let id = try inv.caseID()
            let session = try inv.context.session()
            if inv.flag("dry-run") {
                let state = try session.repo.loadCase(id).state
                let change = try StageRules.submit(state, actor: try session.actor(), config: session.config)
                let stage = state.openStage!
                let criteria = change.payload["criteria"]?.arrayValue?.compactMap(\.stringValue) ?? []
                let text = criteria.isEmpty
                    ? "Would complete the \(session.config.kindName(stage.kind)) stage \(stage.id) of \(id)"
                    : "Would send stage \(stage.id) of \(id) for countersignature: "
                        + criteria.map(Countersignature.describe).joined(separator: "; ")
                return Output(
                    text: text + "; nothing was written",
                    json: [
                        "dryRun": true, "case": .string(id), "stage": .string(stage.id),
                        "completes": .bool(criteria.isEmpty), "criteria": .array(criteria.map(JSONValue.string)),
                    ])
            }
            // The stage is read under the lock, with the case the rule sees.
            var before: String?
            let file = try session.change(id) { state, actor in
                before = state.openStage?.id
                return try StageRules.submit(state, actor: actor, config: session.config)
            }
            guard let stage = before.flatMap(file.state.stage) else { throw APError.io("stage vanished while submitting") }
            let text = stage.status == .completed
                ? "Completed \(session.config.kindName(stage.kind)) stage \(stage.id) of \(id)"
                : "Stage \(stage.id) of \(id) awaits countersignature: "
                    + stage.criteria.map(Countersignature.describe).joined(separator: "; ")
            return .done(text, Shapes.stage(stage, of: id))
        })

    static let withdraw = Command(
        path: ["stage", "withdraw"], summary: "take back a submission not yet countersigned, to amend it",
        usage: "CASE --reason TEXT",
        details: "Its owner or a manager; the stage is in progress again and its history keeps the withdrawal.",
        options: [Opt(long: "reason", value: "TEXT", help: "why it is taken back, e.g. a wrong rating")],
        arguments: 1...1,
        examples: ["ap stage withdraw YP-0042 --reason 'RoSH entered as low, not high'"],
        run: { inv in
            let id = try inv.caseID()
            let reason = try inv.required("reason")
            let session = try inv.context.session()
            var stageID = ""
            let file = try session.change(id) { state, actor in
                stageID = state.openStage?.id ?? ""
                return try StageRules.withdraw(state, reason: reason, actor: actor)
            }
            let stage = file.state.stage(stageID)!
            return .done("Withdrew stage \(stage.id) of \(id); it is in progress again", Shapes.stage(stage, of: id))
        })

    static let stop = Command(
        path: ["stage", "stop"], summary: "stop the open stage (managers only)", usage: "CASE --reason TEXT",
        options: [Opt(long: "reason", value: "TEXT", help: "why it is stopped, e.g. re-allocation or an urgent bail stage")],
        arguments: 1...1,
        examples: ["ap stage stop YP-0042 --reason 'urgent bail stage needed'"],
        run: { inv in
            let id = try inv.caseID()
            let reason = try inv.required("reason")
            let session = try inv.context.session()
            let file = try session.change(id) { state, actor in
                try StageRules.stop(state, reason: reason, actor: actor, config: session.config)
            }
            let stage = file.state.stages.last(where: { $0.status == .stopped })!
            return .done("Stopped stage \(stage.id) of \(id)", Shapes.stage(stage, of: id))
        })

    static let show = Command(
        path: ["stage", "show"], summary: "show a stage with its answers (default: the latest)",
        usage: "CASE [STAGE-ID] [--part SECTION]",
        details: """
            --part shows one section or module's answers and entries, e.g. the screening
            tools to print on their own (001 §4.1).
            """,
        options: [Opt(long: "part", value: "SECTION", help: "only this section or module, e.g. screening")],
        arguments: 1...2,
        examples: [
            "ap stage show YP-0042", "ap stage show YP-0042 st-1a2b3c4d --json",
            "ap stage show YP-0042 --part screening",
        ],
        run: { inv in
            let repo = try inv.context.repository()
            let config = try repo.loadConfig()
            let file = try repo.loadCase(try inv.caseID())
            let state = file.state
            let ids = Identities(events: file.events, here: config.yotCode)
            let stage: Stage
            if inv.arguments.count > 1 {
                stage = try state.stage(named: inv.argument(1))
            } else {
                guard let s = state.openStage ?? state.stages.last else {
                    throw APError.notFound("case '\(state.id)' has no stages yet")
                }
                stage = s
            }
            let catalogue = config.catalogue
            let part = inv.value("part")
            if let part {
                let held = catalogue.sections(ofKind: stage.kind)
                guard held.contains(part) else {
                    throw APError.usage(
                        "a \(config.kindName(stage.kind)) stage has no section '\(part)'; it holds: "
                            + held.joined(separator: ", ") + Suggest.hint(part, held))
                }
            }
            var json = Shapes.stage(ids.qualify(stage: stage.json), id: stage.id, of: state.id)
            if let part {
                let inPart = { (key: String) in catalogue.question(key)?.section == part }
                json["answers"] = .object((json["answers"]?.objectValue ?? [:]).filter { inPart($0.key) })
                if let entries = json["entries"]?.objectValue {
                    json["entries"] = .object(entries.filter { inPart($0.key) })
                }
                json["part"] = .string(part)
            }
            if let cleared = Shapes.stage(stage, of: state.id)["cleared"] { json["cleared"] = cleared }
            // An open stage's deadline, as the queue counts it.
            let deadline = stage.status.isOpen ? Deadline.of(
                started: stage.startedAt.day, clockStart: stage.involvementEnded, dueDate: stage.due,
                timescale: config.timescale(for: stage.kind), today: inv.context.today,
                calendar: WorkingDays(extraHolidays: config.extraBankHolidays)) : nil
            if let deadline {
                json["deadline"] = [
                    "due": .string(deadline.due.description), "workingDaysLeft": .int(deadline.left),
                    "basis": .string(deadline.basis),
                ]
            }
            if let likelihood = Likelihood.json(stage, config.policy) { json["likelihood"] = likelihood }
            if stage.status == .inProgress {
                json["stillNeeded"] = .array(
                    StageRules.stillNeeded(stage, in: state, config: config, catalogue: catalogue)
                        .map(JSONValue.string))
            }
            json["referrals"] = .array(catalogue.referrals(stage.answers.mapValues(\.value)).map {
                ["question": .string($0.key), "referral": .string($0.referral ?? "")]
            })
            // The stage's own events (answers, submission, countersignature, return, stop) that fail.
            let stageEvents = Set(file.events.filter { $0.payload["stage"]?.stringValue == stage.id }.map(\.id))
            let unverified = try Verification.problems(in: file, repo: repo).filter { stageEvents.contains($0.event) }
            if !unverified.isEmpty { json["signatures"] = ["problems": .array(unverified.map(\.json))] }
            let marks = unverified.map {
                "NOT VERIFIED: \($0.type) by \($0.by) at \(UKClock.label($0.at)): \($0.status.rawValue) ('ap verify')\n"
            }.joined()
            return Output(
                text: marks
                    + StageView.render(
                        stage, of: state, config, catalogue, ids: ids, width: inv.context.columns, deadline: deadline,
                        part: part),
                json: json)
        })
}
