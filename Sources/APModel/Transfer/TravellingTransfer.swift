/// An incoming transfer as it travels between a YOT's clones (issue 23): where signatures are
/// required, a request imported at one site shows at every site after `ap sync`, as
/// `transfers/<package>.json`, tracked by git. A file anyone with push access could drop in
/// must not look like an import, so it counts only when it verifies: the import signed by an
/// admin or business-support officer of this YOT, a decision by a manager, each with a key
/// the identity record gives them, and the package itself by its sender (`PackageCheck`).
public struct TravellingTransfer: Equatable, Sendable {
    public static let folder = "transfers"
    public static let format = "ap-transfer-record"

    /// Who signed, with which key, what signature.
    public struct Signer: Equatable, Sendable {
        public var by: String
        public var key: PublicKey
        public var sig: String

        public init(by: String, key: PublicKey, sig: String) {
            self.by = by
            self.key = key
            self.sig = sig
        }

        var json: JSONValue { ["by": .string(by), "key": .string(key.line), "sig": .string(sig)] }

        init(json: JSONValue, path: String) throws {
            let r = try JSONReader(json, path: path)
            by = try r.string("by")
            key = try PublicKey(line: try r.string("key"), source: "field '\(path).key'")
            sig = try r.string("sig")
        }
    }

    public var record: TransferRecord
    public var imported: Signer
    public var decided: Signer?

    public init(record: TransferRecord, imported: Signer, decided: Signer? = nil) {
        self.record = record
        self.imported = imported
        self.decided = decided
    }

    public static func relativePath(_ packageID: String) -> String { "\(folder)/\(packageID).json" }

    /// The record as imported: pending, no decision. The importer signs this.
    public static func asImported(_ record: TransferRecord) -> TransferRecord {
        var r = record
        r.status = "pending"
        r.decidedAt = nil
        r.decidedBy = nil
        r.reason = nil
        r.stayedAt = nil
        r.stayedBy = nil
        r.stayReason = nil
        return r
    }

    public static func importMessage(_ record: TransferRecord) -> String {
        "ap-transfer-record-v1 import " + SHA256.hex(Array(JSONWriter.compact(asImported(record).json).utf8))
    }

    public static func decisionMessage(_ record: TransferRecord) -> String {
        "ap-transfer-record-v1 decision " + SHA256.hex(Array(JSONWriter.compact(record.json).utf8))
    }

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "format": .string(TravellingTransfer.format), "record": record.json, "imported": imported.json,
        ]
        if let decided { o["decided"] = decided.json }
        return .object(o)
    }

    public init(json: JSONValue) throws {
        let r = try JSONReader(json, path: "")
        guard try r.string("format") == TravellingTransfer.format else {
            throw APError.data("not a transfer record (format is not '\(TravellingTransfer.format)')")
        }
        guard let record = r.object["record"] else { throw APError.data("missing field 'record'") }
        self.record = try TransferRecord(json: record)
        guard let imported = r.object["imported"] else { throw APError.data("missing field 'imported'") }
        self.imported = try Signer(json: imported, path: "imported")
        decided = try r.object["decided"].map { try Signer(json: $0, path: "decided") }
    }

    /// Throws (65) unless the import, any decision and the package verify here.
    public func verify(identity: IdentityState, verifier: SignatureVerifier) throws {
        let id = record.package.id
        guard record.direction == .incoming, record.package.to.code == identity.yot else {
            throw APError.data("transfer record \(id) is not a transfer received by this YOT")
        }
        guard imported.by == record.by else {
            throw APError.data(
                "transfer record \(id) says it was imported by '\(record.by)' but is signed by '\(imported.by)'")
        }
        try check(imported, TravellingTransfer.importMessage(record), at: record.at,
                  roles: [.admin, .businessSupport], doing: "import", identity, verifier)
        if record.status == "pending" {
            guard decided == nil, record.decidedBy == nil else {
                throw APError.data("transfer record \(id) is pending but holds a decision")
            }
        } else {
            guard let decided, let at = record.decidedAt, decided.by == record.decidedBy else {
                throw APError.data("transfer record \(id) says '\(record.status)' without a signed decision")
            }
            try check(decided, TravellingTransfer.decisionMessage(record), at: at, roles: [.manager], doing: "decide",
                      identity, verifier)
        }
        _ = try PackageCheck.verify(record.package, identity: identity, verifier: verifier, trust: false)
    }

    private func check(
        _ signer: Signer, _ message: String, at: Timestamp, roles: [Role], doing: String, _ identity: IdentityState,
        _ verifier: SignatureVerifier
    ) throws {
        let id = record.package.id
        guard let user = identity.users[signer.by], user.active(at: at),
            user.keys(validAt: at).contains(signer.key)
        else {
            throw APError.data(
                "transfer record \(id): '\(signer.by)' had no key \(signer.key.fingerprint) here at \(at)")
        }
        guard roles.contains(where: user.user.has) else {
            throw APError.data("transfer record \(id): '\(signer.by)' may not \(doing) transfers")
        }
        let seal = Seal(key: signer.key.fingerprint, sig: signer.sig)
        guard try verifier.check(message, seal: seal, key: signer.key, principal: signer.by) else {
            throw APError.data("transfer record \(id): the signature of '\(signer.by)' does not verify (altered?)")
        }
    }
}
