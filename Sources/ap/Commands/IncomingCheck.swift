import APModel

/// What `ap sync` is about to take from a remote, checked before git merges it: a case only
/// the remote changed is taken by git without ap's merge driver, so each is read here as a
/// case (its id, its stored state, no event more than a day ahead) and, where signatures
/// are required, its new events are checked against the identity record (ap-identity(7)).
/// Nothing is merged when one fails.
enum IncomingCheck {
    /// Returns the cases read whose ids are in `keep` (those changed here too, which the sync
    /// merges next), so that they are not read twice.
    static func fetched(
        _ cases: [String], git: Git, repo: Repository, remote: String, now: Timestamp, keep: Set<String> = []
    ) throws -> [String: CaseFile] {
        let ours = try repo.identity()
        let signed = ours?.state.signaturesRequired == true
        let trust = repo.currentTrust
        let identity = try ours.flatMap {
            signed ? try record(git: git, ours: $0, verifier: trust.verifier, remote: remote) : nil
        }
        let blobs = try git.contents(cases.map { "FETCH_HEAD:" + CaseID.relativePath($0) })
        // Read on all cores; the first failure in order is the one reported.
        let read = parallelMap(Array(zip(cases, blobs))) { id, blob -> Result<CaseFile, APError> in
            let path = CaseID.relativePath(id)
            guard let blob else { return .failure(.data("\(remote)'s \(path) cannot be read; nothing was merged")) }
            let theirs: CaseFile
            do { theirs = try CaseFile(bytes: blob) } catch {
                let message = (error as? APError)?.message ?? "\(error)"
                return .failure(.data("\(remote)'s \(path): \(message); nothing was merged"))
            }
            guard theirs.id == id else {
                return .failure(.data("\(remote)'s \(path) holds case '\(theirs.id)'; nothing was merged"))
            }
            return Result { try FutureEvents.refuse(theirs, now: now, source: "\(remote)'s \(path):") }
                .map { theirs }.mapError { $0 as? APError ?? .io("\($0)") }
        }
        var kept: [String: CaseFile] = [:]
        for (id, result) in zip(cases, read) {
            let path = CaseID.relativePath(id)
            let theirs = try result.get()
            if keep.contains(id) { kept[id] = theirs }
            guard let identity else { continue }
            let local = repo.caseExists(id) ? try repo.loadCase(id) : nil
            let merged = try local.map { try Merge.merge($0, theirs, into: id).file } ?? theirs
            try RepositoryVerification.refuseUnverified(
                merged, known: Set(local?.events.map(\.id) ?? []), identity: identity, verifier: trust.verifier,
                source: "\(remote)'s \(path):", outcome: "nothing was merged")
        }
        return kept
    }

    /// The identity record to check with: theirs when it extends ours (users added there),
    /// else ours when ours extends theirs. Two records that went separate ways are refused.
    static func record(git: Git, ours: IdentityRecord, verifier: SignatureVerifier, remote: String) throws
        -> IdentityState
    {
        guard let text = try? git.run(["show", "FETCH_HEAD:\(IdentityRecord.relativePath)"]) else {
            throw APError.data(
                "\(remote) has no \(IdentityRecord.relativePath): its cases cannot be checked; nothing was merged")
        }
        let theirs: IdentityRecord
        do { theirs = try IdentityRecord(json: try JSONParser.parse(Array(text.utf8)), verifier: verifier) } catch let e
            as APError
        {
            throw APError.data("\(remote)'s \(IdentityRecord.relativePath): \(e.message); nothing was merged")
        }
        let a = ours.entries.map(\.digest)
        let b = theirs.entries.map(\.digest)
        if b.starts(with: a) { return theirs.state }
        if a.starts(with: b) { return ours.state }
        throw APError.data(
            "\(remote)'s \(IdentityRecord.relativePath) and this one went separate ways (users changed at both sites, "
                + "or a record replaced); nothing was merged")
    }
}
