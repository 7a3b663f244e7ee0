import APModel

/// List parts' entries (issue 24): adverse outcomes, future behaviours, desistance factors,
/// plan targets. Each entry is numbered as `ap stage show` shows it; the numbers of later
/// entries move up when one is removed, so a script reads them again (or uses the id).
enum StageEntryCommands {
    static let all = [add, edit, remove]

    static let fieldsHelp = """
        Fields come from the catalogue ('ap stage questions --section ec' shows each
        part's fields and their values). For sensitive text use --from FILE (- for
        standard input): FIELD=VALUE lines, or FIELD<<END, its lines, then END alone.
        """

    static let add = Command(
        path: ["stage", "add"], summary: "add an entry to a list part of the stage in progress",
        usage: "CASE PART FIELD=VALUE... | CASE PART --from FILE",
        details: fieldsHelp + """

            Every required field must be given. A RoSH or SaW of high or very-high needs at
            least one future-behaviours or adverse-outcomes entry before submit (policy
            rating-evidence).
            """,
        options: [Opt(long: "from", value: "FILE", help: "read FIELD=VALUE lines from FILE, or - for standard input")],
        arguments: 2...100,
        examples: [
            "ap stage add YP-0042 adverse-outcomes --from outcome.txt",
            "ap stage add YP-0042 ffc.barriers barrier='Shift work' response=Evenings",
            "ap stage add YP-0042 pp.targets need=ETE action=Tutoring who=partner",
        ],
        run: { inv in
            let (id, part, fields) = try parts(inv, from: 2)
            let session = try inv.context.session()
            let entryID = "en-" + String(session.env.newID().prefix(8))
            let file = try session.change(id) { state, actor in
                try StageRules.addEntry(
                    state, part: part, fields: fields, entryID: entryID, actor: actor, config: session.config,
                    catalogue: session.catalogue)
            }
            let stage = file.state.openStage!
            let n = stage.entries(part).count
            return .done(
                "Added entry \(n) to \(part) in stage \(stage.id) of \(id)", result(stage, of: id, part, entryID))
        })

    static let edit = Command(
        path: ["stage", "edit"], summary: "change fields of an entry of a list part",
        usage: "CASE PART N FIELD=VALUE... | CASE PART N --from FILE",
        details: fieldsHelp + """

            Only the fields given change; FIELD= (empty) clears an optional field. N is the
            entry's number as 'ap stage show' shows it, or its id.
            """,
        options: [Opt(long: "from", value: "FILE", help: "read FIELD=VALUE lines from FILE, or - for standard input")],
        arguments: 3...100,
        examples: [
            "ap stage edit YP-0042 adverse-outcomes 2 likelihood=medium",
            "ap stage edit YP-0042 pp.targets 1 status=achieved by=",
        ],
        run: { inv in
            let (id, part, fields) = try parts(inv, from: 3)
            let entry = inv.argument(2)
            let session = try inv.context.session()
            var entryID = ""
            let file = try session.change(id) { state, actor in
                let change = try StageRules.editEntry(
                    state, part: part, entry: entry, fields: fields, actor: actor, config: session.config,
                    catalogue: session.catalogue)
                entryID = change.payload["entry"]?.stringValue ?? ""
                return change
            }
            let stage = file.state.openStage!
            let n = (stage.entries(part).firstIndex { $0.id == entryID } ?? 0) + 1
            return .done(
                "Changed entry \(n) of \(part) in stage \(stage.id) of \(id)", result(stage, of: id, part, entryID))
        })

    static let remove = Command(
        path: ["stage", "remove"], summary: "remove an entry from a list part of the stage in progress",
        usage: "CASE PART N",
        details: "N is the entry's number as 'ap stage show' shows it, or its id; the entries after it move up.",
        arguments: 3...3,
        examples: ["ap stage remove YP-0042 future-behaviours 1"],
        run: { inv in
            let id = try inv.caseID()
            let part = inv.argument(1).lowercased(), entry = inv.argument(2)
            let session = try inv.context.session()
            var entryID = ""
            let file = try session.change(id) { state, actor in
                let change = try StageRules.removeEntry(
                    state, part: part, entry: entry, actor: actor, config: session.config, catalogue: session.catalogue)
                entryID = change.payload["entry"]?.stringValue ?? ""
                return change
            }
            let stage = file.state.openStage!
            let left = stage.entries(part).count
            return .done(
                "Removed an entry from \(part) in stage \(stage.id) of \(id); \(left) left",
                result(stage, of: id, part, entryID))
        })

    /// The case, the part and the fields from the arguments after `index` and --from.
    static func parts(_ inv: Invocation, from index: Int) throws -> (String, String, [(name: String, value: String)]) {
        let id = try inv.caseID()
        var fields = try inv.pairs(from: index)
        if let path = inv.value("from") { fields += try StageCommands.readPairs(path) }
        guard !fields.isEmpty else { throw APError.usage("no fields given; use FIELD=VALUE or --from FILE") }
        return (id, inv.argument(1).lowercased(), fields.map { (name: $0.key, value: $0.value) })
    }

    /// The stage's shape, with which entry the command concerned.
    static func result(_ stage: Stage, of id: String, _ part: String, _ entry: String) -> JSONValue {
        var json = Shapes.stage(stage, of: id)
        json["part"] = .string(part)
        json["entry"] = .string(entry)
        return json
    }
}
