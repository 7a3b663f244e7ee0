import APModel

enum StageCommands {
    static let all = [kinds, new, set, submit, stop, show]

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
        usage: "CASE --kind KIND [--owner USER] [--no-pull-forward]",
        details: """
            Answers are pulled forward from the latest completed stage (not from a Case Closure
            unless the policy 'pull-forward-after-closure' is true). The owner defaults to you.
            """,
        options: [
            Opt(long: "kind", value: "KIND", help: "the stage kind's slug; see 'ap stage kinds'"),
            Opt(long: "owner", value: "USER", help: "the stage owner (a practitioner or manager)"),
            Opt(long: "no-pull-forward", help: "start with no answers from the previous stage"),
        ],
        arguments: 1...1,
        examples: ["ap stage new YP-0042 --kind psr", "ap --as bs1 stage new YP-0042 --kind review --owner pat"],
        run: { inv in
            let id = try inv.caseID()
            let kindSlug = try inv.required("kind")
            let session = try inv.context.session()
            let stageID = "st-" + String(session.env.newID().prefix(8))
            let file = try session.change(id) { state, actor in
                let ownerID = inv.value("owner") ?? actor.id
                guard let owner = session.config.users[ownerID] else {
                    throw APError.notFound("unknown user '\(ownerID)' for --owner; 'ap user list' shows the users")
                }
                return try StageRules.start(
                    state, kind: try session.config.stageKind(kindSlug), owner: owner, pullForward: !inv.flag("no-pull-forward"),
                    stageID: stageID, actor: actor, config: session.config)
            }
            let stage = file.state.stage(stageID)!
            let pulled = stage.answers.count
            return .done(
                "Started \(session.config.kindName(stage.kind)) stage \(stageID) for \(id), owner \(stage.owner)"
                    + (pulled > 0 ? "; \(pulled) answers pulled forward from \(stage.pulledFrom ?? "")" : ""),
                stage.json)
        })

    static let set = Command(
        path: ["stage", "set"], aliases: [["stage", "answer"]], summary: "record answers and ratings in the stage in progress",
        usage: "CASE KEY=VALUE...",
        details: """
            Ratings: rosh, saw (low, medium, high, very-high); indicative-lor, lor (low, medium, high);
            scaled-approach, scaled-approach-override (standard, enhanced, intensive).
            Other answers are free text, yes, no or yet-to-clarify. KEY= clears an answer.
            """,
        arguments: 2...200,
        examples: ["ap stage set YP-0042 rosh=medium saw=low", "ap stage set YP-0042 reason-for-transfer='Moving to Nottingham'"],
        run: { inv in
            let id = try inv.caseID()
            let answers = try inv.pairs(from: 1)
            let file = try inv.context.session().change(id) { state, actor in
                try StageRules.answer(state, answers: answers, actor: actor)
            }
            let stage = file.state.openStage!
            return .done("Recorded \(answers.count) answer\(answers.count == 1 ? "" : "s") in stage \(stage.id) of \(id)", stage.json)
        })

    static let submit = Command(
        path: ["stage", "submit"], summary: "complete the stage in progress, or send it for countersignature", usage: "CASE",
        details: "Mandatory answers (config 'mandatory') and further-exploration explanations must be present.",
        arguments: 1...1,
        examples: ["ap stage submit YP-0042"],
        run: { inv in
            let id = try inv.caseID()
            let session = try inv.context.session()
            let before = try session.repo.loadCase(id).state.openStage?.id
            let file = try session.change(id) { state, actor in try StageRules.submit(state, actor: actor, config: session.config) }
            guard let stage = before.flatMap(file.state.stage) else { throw APError.io("stage vanished while submitting") }
            let text = stage.status == .completed
                ? "Completed \(session.config.kindName(stage.kind)) stage \(stage.id) of \(id)"
                : "Stage \(stage.id) of \(id) awaits countersignature: "
                    + stage.criteria.map(Countersignature.describe).joined(separator: "; ")
            return .done(text, stage.json)
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
            return .done("Stopped stage \(stage.id) of \(id)", stage.json)
        })

    static let show = Command(
        path: ["stage", "show"], summary: "show a stage with its answers (default: the latest)", usage: "CASE [STAGE-ID]",
        arguments: 1...2,
        examples: ["ap stage show YP-0042", "ap stage show YP-0042 st-1a2b3c4d --json"],
        run: { inv in
            let repo = try inv.context.repository()
            let config = try repo.loadConfig()
            let state = try repo.loadCase(try inv.caseID()).state
            let stage: Stage
            if inv.arguments.count > 1 {
                guard let s = state.stage(inv.argument(1)) else {
                    throw APError.notFound("case '\(state.id)' has no stage '\(inv.argument(1))'; stages: \(state.stages.map(\.id).joined(separator: ", "))")
                }
                stage = s
            } else {
                guard let s = state.openStage ?? state.stages.last else {
                    throw APError.notFound("case '\(state.id)' has no stages yet")
                }
                stage = s
            }
            return Output(text: CaseView.stage(stage, of: state, config), json: stage.json)
        })
}
