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
        let trust = repo.currentTrust
        if again { trust.verifier.forget() }
        if record != nil {
            let raw = try repo.loadRawConfig()
            out.configProblems =
                raw.unsignedUsers(identity).map {
                    "users.\($0) in .ap/config.json is not in the signed identity record: ignored"
                }
                + raw.changedRoles(identity).map {
                    "users.\($0).roles in .ap/config.json differ from the signed identity record's: the record's apply"
                }
                + raw.changedKeys(identity).map {
                    "users.\($0).keys in .ap/config.json differ from the signed identity record's: never used to verify"
                }
        }
        let scope = ids.isEmpty ? try repo.caseFiles().map(\.id) : ids
        for id in scope {
            out.cases += 1
            // The events are checked whatever became of the rest of a file edited by hand; a
            // stored state that no longer matches them (what the index and the queue read) is
            // a problem of its own.
            let events: [Event]
            do {
                let path = repo.casePath(id)
                guard FileSystem.exists(path) else { throw APError.notFound("no case '\(id)' in this repository") }
                let json = try JSONParser.parse(try FileSystem.read(path))
                do {
                    events = try CaseFile(json: json).events
                } catch let e as APError {
                    out.caseProblems.append("\(CaseID.relativePath(id)): \(e.message)")
                    events = try Event.list(try JSONReader(json, path: ""))
                }
            } catch let e as APError {
                out.caseProblems.append("\(CaseID.relativePath(id)): \(e.message)")
                continue
            }
            out.findings += try EventCheck.check(id: id, events: events, identity: identity, verifier: trust.verifier)
        }
        trust.verifier.save()
        return out
    }
}

extension RepositoryVerification {
    /// Refuses (65) a merged case when an event only the other copy held does not verify:
    /// with signatures required, a forged or unsigned event never comes in by merge, sync or
    /// import. Nothing is checked where signatures are off.
    /// `localOnly` checks only the events that claim this YOT's users (a package from another
    /// YOT: its own users' keys are not pinned here, but it must not carry a decision
    /// credited to one of ours).
    /// Every copy from outside is also refused when it holds an event more than a day ahead of
    /// `now` (`FutureEvents`).
    public static func checkIncoming(
        _ merged: CaseFile, ours: CaseFile?, repo: Repository, source: String, now: Timestamp,
        localOnly: Bool = false
    ) throws {
        try FutureEvents.refuse(merged, now: now, source: "\(source):")
        guard let record = try repo.identity(), record.state.signaturesRequired else { return }
        var known = Set(ours?.events.map(\.id) ?? [])
        if localOnly {
            for e in merged.events where (e.yot ?? record.state.yot) != record.state.yot { known.insert(e.id) }
        }
        try refuseUnverified(
            merged, known: known, identity: record.state, verifier: repo.currentTrust.verifier,
            source: "\(source): case \(merged.id)", outcome: "nothing was written")
    }

    /// Throws (65) naming the first event of `merged` outside `known` that does not verify.
    public static func refuseUnverified(
        _ merged: CaseFile, known: Set<String>, identity: IdentityState, verifier: SignatureVerifier, source: String,
        outcome: String
    ) throws {
        let findings = try EventCheck.check(
            id: merged.id, events: merged.events, identity: identity, verifier: verifier)
        verifier.save()
        let bad = findings.filter { !known.contains($0.event) && $0.status.isProblem }
        guard let first = bad.first else { return }
        throw APError.data(
            "\(source) event \(first.event) (\(first.type) by \(first.by)) \(first.status.rawValue): \(first.detail)"
                + (bad.count > 1 ? " (and \(bad.count - 1) more)" : "") + "; \(outcome)")
    }
}
