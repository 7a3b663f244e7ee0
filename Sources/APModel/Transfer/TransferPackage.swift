/// A transfer package: what travels between two YOTs as a file or an email attachment
/// (ap-transfer(5)). It carries the whole case file, so the receiver merges it like any copy,
/// and a SHA-256 of its content, so a damaged copy is detected.
public struct TransferPackage: Equatable, Sendable {
    public static let format = "ap-transfer"
    public static let version = 1
    /// Larger packages are refused before parsing.
    public static let maxBytes = 16 << 20

    public enum PackageType: String, Sendable {
        /// A complete transfer, a caretaking request or an update during caretaking.
        case request
        /// The receiver's decision on a request.
        case reply
        /// The home YOT ends caretaking and tells the host.
        case caretakingEnd = "caretaking-end"
    }

    public var id: String
    public var type: PackageType
    public var transfer: String
    /// `complete`, `caretaking`, `update`, or for caretaking-end the outcome.
    public var kind: String
    public var from: YOT
    public var to: YOT
    public var sentAt: Timestamp
    public var sentBy: String
    /// For a reply: accepted or rejected, and why.
    public var decision: String?
    public var reason: String?
    public var caseFile: CaseFile
    /// The sender's signature, where the sending YOT requires signatures.
    public var signature: PackageSignature?
    /// The digest the sender signed, as received (unknown fields included).
    var receivedDigest: String?

    public init(id: String, type: PackageType, transfer: String, kind: String, from: YOT, to: YOT, sentAt: Timestamp,
                sentBy: String, decision: String? = nil, reason: String? = nil, caseFile: CaseFile) {
        self.id = id
        self.type = type
        self.transfer = transfer
        self.kind = kind
        self.from = from
        self.to = to
        self.sentAt = sentAt
        self.sentBy = sentBy
        self.decision = decision
        self.reason = reason
        self.caseFile = caseFile
    }

    /// Everything but the checksum, which is computed over this object's canonical compact form.
    var content: JSONValue {
        var out: [String: JSONValue] = [
            "format": .string(TransferPackage.format), "version": .int(TransferPackage.version), "package": .string(id),
            "type": .string(type.rawValue), "transfer": .string(transfer), "kind": .string(kind), "from": from.json, "to": to.json,
            "sentAt": .string(sentAt.description), "sentBy": .string(sentBy), "case": caseFile.json,
        ]
        if let decision { out["decision"] = .string(decision) }
        if let reason { out["reason"] = .string(reason) }
        return .object(out)
    }

    static func checksum(_ content: JSONValue) -> String {
        SHA256.hex(Array(JSONWriter.compact(content).utf8))
    }

    /// The package with its signature and a checksum over both, as written.
    public var json: JSONValue {
        guard case .object(var o) = content else { return content }
        if let signature { o["signature"] = signature.json }
        o["sha256"] = .string(TransferPackage.checksum(.object(o)))
        return .object(o)
    }

    /// What the sender signs: the checksum of everything but the signature and checksum.
    public var signedDigest: String { receivedDigest ?? TransferPackage.checksum(content) }

    public var bytes: [UInt8] { JSONWriter.pretty(json) }

    /// A SHA-256 of everything the package holds, signature and checksum included: two copies
    /// of one package id are the same package only if their digests agree.
    public var digest: String { TransferPackage.checksum(json) }

    public var fileName: String { "ap-transfer-\(id).json" }

    /// Reads and checks a package: format, version, checksum, and the case inside.
    public init(bytes: [UInt8]) throws {
        guard bytes.count <= TransferPackage.maxBytes else {
            throw APError.data("transfer package larger than \(TransferPackage.maxBytes) bytes; refused")
        }
        try self.init(json: try JSONParser.parse(bytes))
    }

    /// Checks a package already parsed (a transfer record holds one).
    public init(json: JSONValue) throws {
        guard case .object(var o) = json, o["format"]?.stringValue == TransferPackage.format else {
            throw APError.data("not an ap transfer package (no \"format\": \"ap-transfer\")")
        }
        guard o["version"]?.intValue == TransferPackage.version else {
            throw APError.data("unsupported transfer package version \(o["version"].map(JSONWriter.compact) ?? "none"); this ap reads version 1")
        }
        guard let sum = o.removeValue(forKey: "sha256")?.stringValue else { throw APError.data("transfer package has no sha256") }
        guard sum == TransferPackage.checksum(.object(o)) else {
            throw APError.data("transfer package checksum does not match: the package is damaged or was altered")
        }
        let signature = try o.removeValue(forKey: "signature").map(PackageSignature.init(json:))
        let signed = TransferPackage.checksum(.object(o))
        let r = try JSONReader(.object(o), path: "")
        guard let type = PackageType(rawValue: try r.string("type")) else { throw APError.data("unknown package type '\(try r.string("type"))'") }
        self.init(
            id: try r.string("package"), type: type, transfer: try r.string("transfer"), kind: try r.string("kind"),
            from: try YOT(json: .object(try r.object("from")), path: "from"), to: try YOT(json: .object(try r.object("to")), path: "to"),
            sentAt: try r.timestamp("sentAt"), sentBy: try r.string("sentBy"), decision: try r.optionalString("decision"),
            reason: try r.optionalString("reason"),
            caseFile: try { () throws -> CaseFile in
                do { return try CaseFile(json: .object(try r.object("case"))) } catch let e as APError { throw APError.data("case in package: \(e.message)") }
            }())
        self.signature = signature
        self.receivedDigest = signed
        guard id.utf8.count <= 64, id.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D }) else {
            throw APError.data("invalid package id '\(id)'")
        }
    }
}
