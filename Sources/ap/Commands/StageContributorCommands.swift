import APModel

/// Contributors (001 §2): with an operational manager's approval, a section or module of
/// the open stage is allocated to a named member of staff, who then answers only there.
enum StageContributorCommands {
    static let all = [assign, unassign]

    static let assign = Command(
        path: ["stage", "assign"], summary: "allocate a section of the open stage to a contributor (managers only)",
        usage: "CASE --section SECTION --to USER",
        details: """
            The contributor, of any role, may then answer the keys of that section or module
            (and only those, unless they could update the stage anyway). Allocating a section
            again moves it to the new contributor. The allocation is an event in the history.
            """,
        options: [
            Opt(long: "section", value: "SECTION", help: "a section or module the stage holds, e.g. pfs or rj"),
            Opt(long: "to", value: "USER", help: "the contributor"),
        ],
        arguments: 1...1,
        examples: ["ap stage assign YP-0042 --section rj --to vic", "ap stage assign YP-0042 --section sa --to bo"],
        run: { inv in try change(inv, assigning: true) })

    static let unassign = Command(
        path: ["stage", "unassign"], summary: "take a section back from its contributor (managers only)",
        usage: "CASE --section SECTION",
        options: [Opt(long: "section", value: "SECTION", help: "the allocated section or module")],
        arguments: 1...1,
        examples: ["ap stage unassign YP-0042 --section rj"],
        run: { inv in try change(inv, assigning: false) })

    static func change(_ inv: Invocation, assigning: Bool) throws -> Output {
        let id = try inv.caseID()
        let section = try inv.required("section").lowercased()
        let session = try inv.context.session()
        let userID = assigning ? try inv.required("to") : nil
        let file = try session.change(id) { state, actor in
            var user: User?
            if let userID {
                user = session.config.users[userID]
                guard user != nil else {
                    throw APError.notFound("unknown user '\(userID)' for --to; 'ap user list' shows the users")
                }
            }
            return try StageRules.assign(
                state, section: section, to: user, actor: actor, config: session.config, catalogue: session.catalogue)
        }
        let stage = file.state.openStage!
        let text =
            userID.map { "Allocated \(section) of stage \(stage.id) of \(id) to \($0)" }
            ?? "Took \(section) of stage \(stage.id) of \(id) back from its contributor"
        return .done(text, Shapes.stage(stage, of: id))
    }
}
