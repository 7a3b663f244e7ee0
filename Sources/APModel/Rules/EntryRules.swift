/// Entries of a stage's list parts (issue 24): added, changed and removed in the stage in
/// progress by whoever may answer its section, each checked against the catalogue.
extension StageRules {
    public static func addEntry(
        _ state: CaseState, part key: String, fields: [(name: String, value: String)], entryID: String,
        actor: Actor, config: Config, catalogue: Catalogue
    ) throws -> Change {
        let (stage, part) = try listPart(state, key, actor: actor, config: config, catalogue: catalogue)
        guard stage.entries(key).count < Catalogue.maxEntries else {
            throw APError.refused("'\(key)' of stage \(stage.id) already holds \(Catalogue.maxEntries) entries")
        }
        let stored = try catalogue.checkEntry(part: part, fields: fields, adding: true)
        return entryChange(EventType.entryAdded, stage, key, entryID, fields: stored, actor: actor)
    }

    public static func editEntry(
        _ state: CaseState, part key: String, entry: String, fields: [(name: String, value: String)],
        actor: Actor, config: Config, catalogue: Catalogue
    ) throws -> Change {
        let (stage, part) = try listPart(state, key, actor: actor, config: config, catalogue: catalogue)
        let target = try find(entry, in: stage, part: key, state: state)
        let stored = try catalogue.checkEntry(part: part, fields: fields, adding: false)
        return entryChange(EventType.entryEdited, stage, key, target.id, fields: stored, actor: actor)
    }

    public static func removeEntry(
        _ state: CaseState, part key: String, entry: String, actor: Actor, config: Config, catalogue: Catalogue
    ) throws -> Change {
        let (stage, _) = try listPart(state, key, actor: actor, config: config, catalogue: catalogue)
        let target = try find(entry, in: stage, part: key, state: state)
        return entryChange(EventType.entryRemoved, stage, key, target.id, fields: nil, actor: actor)
    }

    /// The stage in progress and its list part `key`, when the actor may change that part.
    static func listPart(_ state: CaseState, _ key: String, actor: Actor, config: Config, catalogue: Catalogue) throws
        -> (Stage, Question)
    {
        let stage = try inProgress(state, doing: "change entries")
        let part = try catalogue.heldQuestion(key, kind: stage.kind, kindName: config.kindName)
        guard part.type == .list else {
            throw APError.data("'\(key)' is a \(part.type.rawValue) question, not a list part; use 'ap stage set'")
        }
        if let allowed = try answerableSections(stage, actor), !allowed.contains(part.section) {
            throw APError.permission(
                "'\(actor.id)' contributes \(allowed.joined(separator: ", ")) to this stage and "
                    + "cannot change '\(key)' (section \(part.section)); the owner, managers and proxies can")
        }
        return (stage, part)
    }

    /// An entry by its number as shown (1, 2, ...) or by its id.
    static func find(_ entry: String, in stage: Stage, part: String, state: CaseState) throws -> Entry {
        let list = stage.entries(part)
        if let n = Int(entry), n >= 1, n <= list.count { return list[n - 1] }
        if let e = list.first(where: { $0.id == entry }) { return e }
        let range = list.isEmpty ? "it has none" : "it has \(list.count) (1 to \(list.count))"
        throw APError.notFound("stage \(stage.id) of '\(state.id)' has no entry '\(entry)' in '\(part)'; \(range)")
    }

    static func entryChange(
        _ type: String, _ stage: Stage, _ part: String, _ id: String, fields: [String: String]?, actor: Actor
    ) -> Change {
        var payload: [String: JSONValue] = ["stage": .string(stage.id), "part": .string(part), "entry": .string(id)]
        if let fields { payload["fields"] = .object(fields.mapValues(JSONValue.string)) }
        if let owner = onBehalfOf(stage, actor) { payload["onBehalfOf"] = .string(owner) }
        return Change(type, payload)
    }
}
