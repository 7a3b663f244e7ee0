/// What `ap verify` finds of one event.
public struct EventFinding: Equatable, Sendable {
    public enum Status: String, Sendable {
        /// Signed by a key its author held at the time.
        case verified
        /// Unsigned, but named as seen by a verified signed write (an imported or merged event).
        case acknowledged
        /// Unsigned, written before signatures were required (or while they were off).
        case beforePolicy = "unsigned-before-policy"
        /// A merge's own record of decisions in conflict, derived from the events it names.
        case derived
        case unsigned
        case badSignature = "bad-signature"
        case unknownKey = "unknown-key"
        case revokedKey = "revoked-key"
        case inactiveUser = "inactive-user"
        case missingParent = "missing-parent"

        public var isProblem: Bool {
            ![.verified, .acknowledged, .beforePolicy, .derived].contains(self)
        }
    }

    public var caseID: String
    public var event: String
    public var type: String
    public var by: String
    public var at: Timestamp
    public var status: Status
    public var detail: String

    public var json: JSONValue {
        [
            "case": .string(caseID), "event": .string(event), "type": .string(type), "by": .string(by),
            "at": .string(at.description), "status": .string(status.rawValue), "detail": .string(detail),
        ]
    }
}

/// Checks every event of a case against the identity record (ap-identity(7)).
public enum EventCheck {
    public static func message(root: String) -> String { "ap-events-v1 " + root }

    public static func check(id: String, events: [Event], identity: IdentityState, verifier: SignatureVerifier) throws
        -> [EventFinding]
    {
        let digests = events.map(\.digest)
        let present = Set(digests)
        var findings: [EventFinding] = []
        var verifiedAcks: [String: (by: String, at: Timestamp)] = [:]
        var latestVerified: Timestamp?
        // Another YOT's events are signed with keys not pinned here: like unsigned ones, they
        // count once a signed write here saw them (the import or acceptance that took them in).
        func foreign(_ e: Event) -> Bool { e.yot.map { $0 != identity.yot } ?? false }
        // Signed events first: whether an unsigned one is acknowledged depends on them.
        for (i, e) in events.enumerated() where e.seal != nil && !foreign(e) {
            var f = EventFinding(
                caseID: id, event: e.id, type: e.type, by: e.by, at: e.at, status: .verified, detail: "")
            (f.status, f.detail) = try checkSeal(e, digest: digests[i], identity: identity, verifier: verifier)
            if f.status == .verified, let missing = e.parents?.first(where: { !present.contains($0) }) {
                f.status = .missingParent
                f.detail =
                    "names an earlier event \(missing.prefix(12))… that is not in the case (removed or altered)"
            }
            if f.status == .verified {
                for p in e.parents ?? [] where verifiedAcks[p] == nil { verifiedAcks[p] = (e.by, e.at) }
                latestVerified = max(latestVerified ?? e.at, e.at)
            }
            findings.append(f)
        }
        // What a verified write saw, it saw with its history: an acknowledged event's own parents
        // are fixed by its digest, so they are acknowledged too (a case from another YOT is
        // seen whole by the import that names its latest events).
        var byDigest: [String: Int] = [:]
        for (i, d) in digests.enumerated() { byDigest[d] = i }
        var pending = Array(verifiedAcks.keys)
        while let d = pending.popLast() {
            guard let i = byDigest[d], events[i].seal == nil || foreign(events[i]), let ack = verifiedAcks[d] else {
                continue
            }
            for p in events[i].parents ?? [] where verifiedAcks[p] == nil {
                verifiedAcks[p] = ack
                pending.append(p)
            }
        }
        for (i, e) in events.enumerated() where e.seal == nil || foreign(e) {
            var f = EventFinding(
                caseID: id, event: e.id, type: e.type, by: e.by, at: e.at, status: .unsigned, detail: "")
            if let ack = verifiedAcks[digests[i]] {
                f.status = .acknowledged
                f.detail =
                    (e.seal == nil ? "unsigned" : "signed at \(e.yot!)")
                    + "; seen by \(ack.by)'s signed write of \(ack.at)"
            } else if let seal = e.seal, let yot = e.yot {
                f.status = .unknownKey
                f.detail =
                    "signed at \(yot) with \(seal.key), and no signed write here saw it; "
                    + "keys of other YOTs are not pinned"
            } else if e.type == EventType.mergeConflict && e.by == "ap" {
                f.status = .derived
                f.detail = "recorded by a merge"
            } else if let latest = latestVerified, e.at < latest {
                f.detail = "unsigned, and not seen by the signed write of \(latest): added by hand"
            } else if !identity.signaturesRequired(at: e.at) {
                f.status = .beforePolicy
                f.detail =
                    identity.policyStart.map { e.at < $0 ? "unsigned, before the policy" : "unsigned, while off" }
                    ?? "unsigned; signatures are off"
            } else {
                f.detail = "unsigned, written after signatures were required"
            }
            findings.append(f)
        }
        // In the file's order; ids may repeat in a file edited by hand.
        let order = Dictionary(events.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        return findings.sorted { order[$0.event]! < order[$1.event]! }
    }

    static func checkSeal(_ e: Event, digest: String, identity: IdentityState, verifier: SignatureVerifier) throws
        -> (EventFinding.Status, String)
    {
        let seal = e.seal!
        guard let user = identity.users[e.by] else {
            return (.unknownKey, "by '\(e.by)', who is not in the signed identity record")
        }
        guard let record = user.keys.first(where: { $0.key.fingerprint == seal.key }) else {
            return (.unknownKey, "signed with \(seal.key), which is not a key of '\(e.by)'")
        }
        guard record.valid(at: e.at) else {
            let when = record.revoked.map { "revoked \($0)" } ?? "added \(record.added)"
            return (.revokedKey, "signed with \(seal.key), \(when), at \(e.at)")
        }
        guard user.active(at: e.at) else { return (.inactiveUser, "'\(e.by)' was deactivated before \(e.at)") }
        let root = Digest.root(digest, path: seal.path)
        guard try verifier.check(message(root: root), seal: seal, key: record.key, principal: e.by) else {
            return (.badSignature, "the signature does not verify: the event was altered or the seal forged")
        }
        return (.verified, "signed with \(seal.key)")
    }
}
