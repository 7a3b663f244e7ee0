/// Reads every case's stored `state` (skipping the events) for reports that need all
/// stages, not only the open one the index keeps.
public enum CaseScan {
    public static func states(_ repo: Repository) throws -> (states: [JSONValue], problems: [CaseIndex.Problem]) {
        var states: [JSONValue] = []
        var problems: [CaseIndex.Problem] = []
        for (id, relative) in try repo.caseFiles() {
            do {
                let path = repo.root + "/" + relative
                guard !FileSystem.isSymlink(path) else { throw APError.data("is a symbolic link; skipped") }
                guard let state = try JSONParser.topLevelField("state", in: try FileSystem.read(path)) else {
                    throw APError.data("missing field 'state'")
                }
                guard state["id"]?.stringValue == id else { throw APError.data("does not hold case '\(id)'") }
                states.append(state)
            } catch let e as APError {
                problems.append(CaseIndex.Problem(path: relative, message: e.message))
            }
        }
        return (states, problems)
    }
}
