/// `ap verify` over a repository: the identity record, the config's users against it, and
/// every event of the cases in scope.
public struct RepositoryVerification: Sendable {
    public var signaturesRequired = false
    public var anchor: String?
    public var cases = 0
    public var findings: [EventFinding] = []
    /// Problems outside the cases: users or roles typed into the config.
    public var configProblems: [String] = []
    /// Case files that could not be read at all.
    public var caseProblems: [String] = []

    public var problems: [EventFinding] { findings.filter(\.status.isProblem) }

    public func count(_ status: EventFinding.Status) -> Int { findings.filter { $0.status == status }.count }

    public static func run(_ repo: Repository, cases ids: [String], again: Bool) throws -> RepositoryVerification {
        var out = RepositoryVerification()
        let record = try repo.identity()
        let identity = record?.state ?? IdentityState()
        out.signaturesRequired = identity.signaturesRequired
        out.anchor = record.map { "\($0.state.anchor) \($0.entries[0].seal?.key ?? "")" }
        let trust = repo.trust ?? Trust.system(root: repo.root, environment: [:], login: "")
        if again { trust.verifier.forget() }
        if record != nil {
            let raw = try repo.loadRawConfig()
            out.configProblems = raw.unsignedUsers(identity).map {
                "users.\($0) in .ap/config.json is not in the signed identity record: ignored"
            } + raw.changedRoles(identity).map {
                "users.\($0).roles in .ap/config.json differ from the signed identity record's: the record's apply"
            }
        }
        let scope = ids.isEmpty ? try repo.caseFiles().map(\.id) : ids
        for id in scope {
            out.cases += 1
            // A file edited by hand may no longer derive: its events are still checked, and a
            // file that does not parse at all is a problem of its own, not the end of the run.
            let file: CaseFile
            do {
                let path = repo.casePath(id)
                guard FileSystem.exists(path) else { throw APError.notFound("no case '\(id)' in this repository") }
                file = try CaseFile(json: try JSONParser.parse(try FileSystem.read(path)), checkState: false)
            } catch let e as APError {
                out.caseProblems.append("\(CaseID.relativePath(id)): \(e.message)")
                continue
            }
            out.findings += try EventCheck.check(file, identity: identity, verifier: trust.verifier)
        }
        trust.verifier.save()
        return out
    }
}
