/// `.ap/transfers/<package>.json`: each package sent or imported here, with its status.
/// Incoming requests wait here for a manager's decision; a package id seen before is
/// never imported twice.
public struct TransferRecord: Equatable, Sendable {
    public enum Direction: String, Sendable { case incoming, outgoing }

    public var direction: Direction
    /// pending, accepted, rejected; for replies and caretaking ends: imported.
    public var status: String
    public var at: Timestamp
    public var by: String
    public var decidedAt: Timestamp?
    public var decidedBy: String?
    public var reason: String?
    /// A request stayed pending information (002 §12.4): when, by whom, what is missing. It
    /// is accepted or rejected later; the stay stays on record.
    public var stayedAt: Timestamp?
    public var stayedBy: String?
    public var stayReason: String?
    public var package: TransferPackage

    public static let stayed = "stayed"

    /// Still to be accepted or rejected here: pending, or stayed pending information.
    public var undecided: Bool { status == "pending" || status == TransferRecord.stayed }

    public init(direction: Direction, status: String, at: Timestamp, by: String, package: TransferPackage) {
        self.direction = direction
        self.status = status
        self.at = at
        self.by = by
        self.package = package
    }

    var json: JSONValue {
        var o: [String: JSONValue] = [
            "direction": .string(direction.rawValue), "status": .string(status), "at": .string(at.description), "by": .string(by),
            "package": package.json,
        ]
        if let t = decidedAt { o["decidedAt"] = .string(t.description) }
        if let b = decidedBy { o["decidedBy"] = .string(b) }
        if let r = reason { o["reason"] = .string(r) }
        if let t = stayedAt { o["stayedAt"] = .string(t.description) }
        if let b = stayedBy { o["stayedBy"] = .string(b) }
        if let r = stayReason { o["stayReason"] = .string(r) }
        return .object(o)
    }

    /// The caller names the file in errors (`APError.inFile`).
    init(json: JSONValue) throws {
        let r = try JSONReader(json, path: "")
        let named = try r.string("direction")
        guard let d = Direction(rawValue: named) else { throw APError.data("field 'direction': unknown value '\(named)'") }
        direction = d
        status = try r.string("status")
        at = try r.timestamp("at")
        by = try r.string("by")
        decidedAt = try r.optionalTimestamp("decidedAt")
        decidedBy = try r.optionalString("decidedBy")
        reason = try r.optionalString("reason")
        stayedAt = try r.optionalTimestamp("stayedAt")
        stayedBy = try r.optionalString("stayedBy")
        stayReason = try r.optionalString("stayReason")
        guard let p = r.object["package"] else { throw APError.data("missing field 'package'") }
        package = try TransferPackage(json: p)
    }
}

extension Repository {
    var transfersPath: String { root + "/.ap/transfers" }

    /// A package's record: this site's, else one imported at another clone that verifies here.
    public func transferRecord(_ packageID: String) throws -> TransferRecord? {
        let path = "\(transfersPath)/\(packageID).json"
        guard FileSystem.exists(path) else {
            let here = root + "/" + TravellingTransfer.relativePath(packageID)
            guard travellingTrusted, FileSystem.exists(here) else { return nil }
            return try? travelling(packageID).get().record
        }
        do { return try TransferRecord(json: try JSONParser.parse(try FileSystem.read(path))) } catch let e as APError {
            throw e.inFile(path)
        }
    }

    /// The incoming transfers other clones imported, as git brought them: only those that
    /// verify, and only where signatures are required (else a file anyone can drop in).
    public func travellingTransfers() -> [TravellingTransfer] {
        travellingFiles().compactMap { try? $0.result.get() }
    }

    /// Each file of `transfers/` (relative path), read and verified, or why not (for `ap fsck`).
    public func travellingFiles() -> [(path: String, result: Result<TravellingTransfer, APError>)] {
        let folder = root + "/" + TravellingTransfer.folder
        guard travellingTrusted, !FileSystem.isSymlink(folder), let names = try? FileSystem.list(folder) else {
            return []
        }
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().map { name in
            (TravellingTransfer.folder + "/" + name, travelling(String(name.dropLast(5))))
        }
    }

    /// Whether records from other clones count here: only where signatures are required.
    var travellingTrusted: Bool { (try? identity())??.state.signaturesRequired ?? false }

    /// One package's travelling record, read and verified (`travellingTrusted` checked by the caller).
    func travelling(_ packageID: String) -> Result<TravellingTransfer, APError> {
        guard let identity = (try? identity())??.state else { return .failure(.data("no identity record")) }
        let verifier = currentTrust.verifier
        defer { verifier.save() }
        do {
            let path = root + "/" + TravellingTransfer.relativePath(packageID)
            let t = try TravellingTransfer(json: try JSONParser.parse(try FileSystem.read(path)))
            guard t.record.package.id == packageID else {
                throw APError.data("holds package \(t.record.package.id), not the one its name says")
            }
            try t.verify(identity: identity, verifier: verifier)
            return .success(t)
        } catch let e as APError {
            return .failure(e)
        } catch {
            return .failure(APError.data("\(error)"))
        }
    }

    /// The travelling file of a package, read but not verified: the one a decision updates.
    public func travellingTransfer(_ packageID: String) -> TravellingTransfer? {
        let path = root + "/" + TravellingTransfer.relativePath(packageID)
        return (try? FileSystem.read(path)).flatMap { try? TravellingTransfer(json: try JSONParser.parse($0)) }
    }

    public func saveTravelling(_ t: TravellingTransfer) throws {
        let folder = root + "/" + TravellingTransfer.folder
        try Repository.refuseLinks([folder])
        try FileSystem.makeFolder(folder)
        try FileSystem.writeAtomically(
            root + "/" + TravellingTransfer.relativePath(t.record.package.id), JSONWriter.pretty(t.json))
    }

    public func saveTransferRecord(_ record: TransferRecord) throws {
        try FileSystem.makeFolder(transfersPath)
        try FileSystem.writeAtomically("\(transfersPath)/\(record.package.id).json", JSONWriter.pretty(record.json))
    }

    /// A record's status; for a request sent from here, as the case's own history has it
    /// (the reply is merged into the case, not into the record).
    public func currentStatus(_ r: TransferRecord) -> String {
        guard r.direction == .outgoing, r.package.type == .request,
            let t = try? loadCase(r.package.caseFile.id).state.transfer(r.package.transfer)
        else { return r.status }
        return t.status.rawValue
    }

    public func transferRecords() throws -> [TransferRecord] {
        let local = try FileSystem.list(transfersPath).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
            .compactMap { try transferRecord(String($0.dropLast(5))) }
        let travelled = Dictionary(travellingTransfers().map { ($0.record.package.id, $0.record) }) { a, _ in a }
        // A request still undecided here may have been stayed or decided at another clone.
        let merged = local.map { r in
            guard r.undecided, let t = travelled[r.package.id], t.status != r.status, t.status != "pending" else {
                return r
            }
            return t
        }
        let here = Set(local.map(\.package.id))
        let elsewhere = travelled.values.filter { !here.contains($0.package.id) }
        return merged + elsewhere.sorted { $0.package.id < $1.package.id }
    }

    /// The ids of the transfers received here (a manager's to accept or reject).
    public func incomingTransferIDs() throws -> [String] {
        Array(Set(try transferRecords().filter { $0.direction == .incoming }.map(\.package.transfer))).sorted()
    }

    /// Other YOTs that transfers sent or received here name, latest name first.
    public func yotsInTransfers(here: String) throws -> [YOT] {
        var seen: [String: YOT] = [:]
        for r in try transferRecords().sorted(by: { $1.at < $0.at }) {
            for yot in [r.package.from, r.package.to] where yot.code != here && seen[yot.code] == nil {
                seen[yot.code] = yot
            }
        }
        return seen.values.sorted { $0.code < $1.code }
    }
}
