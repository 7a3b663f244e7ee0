import APModel

/// The `--json` vocabulary (ap-json(5)): whatever an object calls its own `id`, the case
/// and the stage it concerns are also named by their nouns, as every queue, due and
/// report row names them, so one jq path reads the case from any command's output.
enum Shapes {
    /// A case as commands print it: the case file's derived state (ap-case(5)) with `case`.
    static func caseObject(_ state: CaseState) -> JSONValue { caseObject(state.json, id: state.id) }

    static func caseObject(_ json: JSONValue, id: String) -> JSONValue {
        var json = json
        json["case"] = .string(id)
        return json
    }

    /// A stage as commands print it, with its `case` and, by its noun, its `stage` id.
    /// A stage as commands print it: its stored shape, with who cleared what. Clearings are
    /// read from the events, not stored in the case file's derived state, so that files
    /// written before they were shown still load unchanged.
    static func stage(_ stage: Stage, of caseID: String) -> JSONValue {
        var json = self.stage(stage.json, id: stage.id, of: caseID)
        if !stage.cleared.isEmpty {
            json["cleared"] = .array(stage.cleared.map {
                ["key": .string($0.key), "at": .string($0.at.description), "by": .string($0.by)]
            })
        }
        return json
    }

    /// The config as `config show --json` prints it: the file (ap-config(5)) with the policy
    /// settings under their camelCase names, as every other key is.
    static func config(_ config: Config) -> JSONValue {
        var json = config.json
        if case .object(let policy)? = json["policy"] {
            let named = policy.map { (Policy.jsonName($0.key), $0.value) }
            json["policy"] = .object(Dictionary(uniqueKeysWithValues: named))
        }
        return json
    }

    static func stage(_ json: JSONValue, id: String, of caseID: String) -> JSONValue {
        var json = json
        json["case"] = .string(caseID)
        json["stage"] = .string(id)
        return json
    }
}
