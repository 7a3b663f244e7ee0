import APModel

enum CountersignCommand {
    static let command = Command(
        path: ["countersign"], summary: "countersign a stage, or return it for amendment (managers only)",
        usage: "CASE [--stage ID] [--comment TEXT] [--return REASON]",
        details: """
            Countersigning completes the stage awaiting countersignature. --return sends it back to
            its owner, in progress again, with the reason kept. Nobody countersigns a stage they
            own or filled in.
            """,
        options: [
            Opt(long: "stage", value: "ID", help: "the stage (default: the one awaiting countersignature)"),
            Opt(long: "comment", value: "TEXT", help: "a comment kept with the countersignature"),
            Opt(long: "return", value: "REASON", help: "return the stage to its owner for amendment"),
        ],
        arguments: 1...1,
        examples: ["ap countersign YP-0042 --comment 'RoSH agreed'", "ap countersign YP-0042 --return 'explain the LoR override'"],
        run: { inv in
            let id = try inv.caseID()
            let stageID = inv.value("stage")
            let reason = inv.value("return")
            if reason != nil, inv.value("comment") != nil {
                throw APError.usage("give --comment to countersign or --return to send back, not both")
            }
            let session = try inv.context.session()
            let file = try session.change(id) { state, actor in
                let change = try reason.map {
                    try CountersignRules.returnForAmendment(state, stageID: stageID, reason: $0, actor: actor)
                } ?? CountersignRules.countersign(state, stageID: stageID, comment: inv.value("comment"), actor: actor)
                // The commit says which decision it was: `return YP-0101 st-50a7 (mo)`.
                let stage = change.payload["stage"]?.stringValue ?? ""
                session.commitSubject = "\(reason == nil ? "countersign" : "return") \(id) \(stage)"
                return change
            }
            let event = file.events.last!
            let stage = file.state.stage(event.payload["stage"]?.stringValue ?? "")!
            let text = reason != nil
                ? "Returned stage \(stage.id) of \(id) to \(stage.owner) for amendment"
                : "Countersigned stage \(stage.id) of \(id); the \(session.config.kindName(stage.kind)) stage is complete"
            return .done(text, Shapes.stage(stage, of: id))
        })
}
