import APModel

/// `ap case allocate`: the case manager, co-worker and team (002; domain.md, "Allocation and
/// case responsibility").
enum AllocateCommand {
    static let command = Command(
        path: ["case", "allocate"], summary: "allocate a case manager, co-worker and team (managers)",
        usage: "CASE --to USER [--co USER] [--team TEAM] [OPTIONS]",
        details: """
            Refused, naming the rule: someone absent unless --returning (002 §2.1); a case whose
            latest RoSH or SaW is high or very high to a student or band-a case manager without
            a band-b or band-c co-worker (002 §§4.1, 5.1); a student without a co-allocated
            primary worker (002 §6.1); a girl or young woman to a male case manager without
            --reason, which is kept (002 §2.2). A new --team for an allocated case is an
            internal transfer: it needs --reason and takes effect at the three-way meeting
            ('ap record CASE three-way-meeting', due within 5 working days); until then the
            original team and case manager stay responsible (002 §11.7).
            """,
        options: [
            Opt(long: "to", value: "USER", help: "the case manager"),
            Opt(long: "co", value: "USER", help: "a co-worker: practice supervisor or primary worker"),
            Opt(long: "team", value: "TEAM", help: "the locality team"),
            Opt(long: "reason", value: "TEXT", help: "the rationale, kept in the history"),
            Opt(long: "returning", help: "the user is absent but back imminently"),
        ],
        arguments: 1...1,
        examples: [
            "ap case allocate YP-0042 --to pat --team North",
            "ap case allocate YP-0042 --to kim --co lee --reason 'RoSH high: co-allocated'",
            "ap case allocate YP-0042 --team South --to sam --reason 'Moved to Mansfield'",
        ],
        run: { inv in
            let id = try inv.caseID()
            let session = try inv.context.session()
            let file = try session.change(id) { state, actor in
                try change(inv, state, actor, session: session, managerOption: "to")
            }
            let s = file.state, now = inv.context.now
            let text: String
            if let pending = s.pendingTeamTransfer(at: now), let current = s.allocation(at: now) {
                text =
                    "Opened the transfer of \(id) from team \(current.team ?? "-") (\(current.manager)) to team "
                    + "\(pending.team ?? "-") (\(pending.manager)); it takes effect at the three-way meeting"
            } else {
                let a = s.allocation(at: now)!
                text =
                    "Allocated \(id) to \(a.manager)" + (a.co.map { " with \($0)" } ?? "")
                    + (a.team.map { ", team \($0)" } ?? "")
            }
            return .done(text, .array(s.allocations.map(\.json)))
        })

    /// The allocation asked for by `inv`, checked by `AllocationRules`.
    static func change(
        _ inv: Invocation, _ state: CaseState, _ actor: Actor, session: Session, managerOption: String
    ) throws -> Change {
        func user(_ option: String) throws -> User? {
            try inv.value(option).map { id in
                guard let u = session.config.users[id] else {
                    throw APError.notFound("--\(option) names '\(id)', who is not a user here; see 'ap user list'")
                }
                return u
            }
        }
        guard let manager = try user(managerOption) else {
            throw APError.usage("'ap \(inv.command.name)' needs --\(managerOption) USER")
        }
        let request = AllocationRules.Request(
            manager: manager, co: try user("co"), team: inv.value("team"), reason: inv.value("reason"),
            returning: inv.flag("returning"))
        return try AllocationRules.allocate(state, request, actor: actor, today: inv.context.today,
                                             now: session.env.now())
    }
}
