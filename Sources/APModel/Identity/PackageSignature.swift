/// A package's signature (issue 22): the sender's key over the package's digest, and the
/// public keys that signed the sending YOT's events in it, so the receiver can check them
/// against the keys it pinned for that YOT (`ap org key add`).
public struct PackageSignature: Equatable, Sendable {
    public var by: String
    public var key: PublicKey
    public var sig: String
    public var keys: [PublicKey]

    public init(by: String, key: PublicKey, sig: String, keys: [PublicKey]) {
        self.by = by
        self.key = key
        self.sig = sig
        self.keys = keys
    }

    public static func message(_ digest: String) -> String { "ap-package-v1 " + digest }

    public var json: JSONValue {
        [
            "by": .string(by), "key": .string(key.line), "sig": .string(sig),
            "keys": .array(keys.map { .string($0.line) }),
        ]
    }

    public init(json: JSONValue) throws {
        let r = try JSONReader(json, path: "signature")
        by = try r.string("by")
        key = try PublicKey(line: try r.string("key"), source: "field 'signature.key'")
        sig = try r.string("sig")
        keys = try r.strings("keys").map { try PublicKey(line: $0, source: "field 'signature.keys'") }
        guard keys.count <= 1000, sig.count < 20_000 else { throw APError.data("field 'signature' is too large") }
    }
}

/// Checks a package against the keys pinned here for its sender (ap-identity(7)).
public enum PackageCheck {
    /// `verified`, `unsigned`, or why not, for lists; nil where this repository signs nothing.
    public static func status(_ p: TransferPackage, identity: IdentityState?, verifier: SignatureVerifier) -> String? {
        guard let identity, identity.signaturesRequired else { return nil }
        do {
            _ = try verify(p, identity: identity, verifier: verifier, trust: false)
            return p.signature == nil ? "unsigned" : "verified"
        } catch let e as APError {
            return "not verified: " + e.message
        } catch {
            return "not verified"
        }
    }

    /// Returns the keys to pin when the sender has none pinned and `trust` is given; throws
    /// (65) when the package or an event of the sender's does not verify, or when its keys are
    /// not pinned. A repository without signatures checks nothing, as before.
    public static func verify(
        _ p: TransferPackage, identity: IdentityState?, verifier: SignatureVerifier,
        trust: Bool
    ) throws -> [PublicKey] {
        guard let identity, identity.signaturesRequired else { return [] }
        let sender = p.from.code
        let pinned = Set((identity.orgKeys[sender] ?? []).map(\.fingerprint))
        guard let s = p.signature else {
            guard pinned.isEmpty else {
                throw APError.data("package \(p.id) from \(sender) is not signed, but \(sender)'s keys are pinned here")
            }
            return []
        }
        let seal = Seal(key: s.key.fingerprint, sig: s.sig)
        guard
            try verifier.check(
                PackageSignature.message(p.signedDigest), seal: seal, key: s.key,
                principal: "\(s.by)@\(sender)")
        else {
            throw APError.data("package \(p.id): the sender's signature does not verify (altered or re-addressed)")
        }
        var used = [s.key]
        let carried = Dictionary(s.keys.map { ($0.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        for e in p.caseFile.events where e.yot == sender {
            guard let eventSeal = e.seal else { continue }
            guard let key = carried[eventSeal.key] else {
                throw APError.data(
                    "package \(p.id): event \(e.id) is signed with \(eventSeal.key), a key the package does not carry")
            }
            let root = Digest.root(e.digest, path: eventSeal.path)
            guard try verifier.check(EventCheck.message(root: root), seal: eventSeal, key: key, principal: e.by) else {
                throw APError.data("package \(p.id): event \(e.id) (\(e.type) by \(e.by)@\(sender)) does not verify")
            }
            if !used.contains(key) { used.append(key) }
        }
        if pinned.isEmpty {
            guard trust else {
                throw APError.data(
                    "package \(p.id) from \(sender) is signed with keys not pinned here: "
                        + used.map(\.fingerprint).joined(separator: ", ")
                        + "; check them with \(sender) and import again with --trust (an admin) to pin them")
            }
            return used
        }
        if let stranger = used.first(where: { !pinned.contains($0.fingerprint) }) {
            throw APError.data(
                "package \(p.id) is signed with \(stranger.fingerprint), which is not among \(sender)'s pinned keys")
        }
        return []
    }
}
