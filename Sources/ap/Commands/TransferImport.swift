import APModel

/// What `ap transfer import` does with each file: find the packages, check them, file
/// requests for a decision and merge replies and caretaking ends into their cases.
extension TransferCommands {
    static func importPackage(_ package: TransferPackage, session: Session, actor: Actor, trust: Bool = false) throws
        -> String
    {
        let here = session.config.yot
        guard package.to.code == here.code else {
            throw APError.refused("package addressed to \(package.to.name) (\(package.to.code)), not this YOT (\(here.code)); nothing imported")
        }
        if try session.repo.transferRecord(package.id) != nil { return "package \(package.id) already imported; nothing changed" }
        try session.checkPackage(package, trust: trust)
        let now = session.env.now()
        switch package.type {
        case .request:
            try session.repo.saveTransferRecord(TransferRecord(direction: .incoming, status: "pending", at: now, by: actor.id, package: package))
            return "\(package.kind) request \(package.transfer) for \(package.caseFile.id) from \(package.from.code) awaits a manager's decision"
        case .reply, .caretakingEnd:
            guard session.repo.caseExists(package.caseFile.id) else {
                throw APError.notFound("package \(package.id) concerns case '\(package.caseFile.id)', which is not in this repository")
            }
            let local = try session.repo.loadCase(package.caseFile.id)
            if package.type == .reply {
                guard let t = local.state.transfer(package.transfer), t.from.code == here.code else {
                    throw APError.refused("package \(package.id) answers transfer '\(package.transfer)', which this YOT did not send for this case")
                }
            }
            var file = try Merge.merge(local, package.caseFile, into: local.id).file
            try RepositoryVerification.checkIncoming(
                file, ours: local, repo: session.repo, source: "package \(package.id)", localOnly: true)
            let record = Change(EventType.transferImported, ["package": .string(package.id), "transfer": .string(package.transfer)])
            try file.append([session.stamp(record, after: file.latestEventTime, actor: actor)])
            let reason = package.type == .caretakingEnd
                ? StageRules.caretakingEndedReason : StageRules.transferredReason
            if let stop = StageRules.stopOnRelease(file.state, here: here.code, reason: reason) {
                try file.append([session.stamp(stop, after: file.latestEventTime, actor: actor)])
            }
            try session.save(file)
            try session.repo.saveTransferRecord(TransferRecord(direction: .incoming, status: "imported", at: now, by: actor.id, package: package))
            if package.type == .caretakingEnd { return "caretaking of \(file.id) ended by \(package.from.code): \(package.kind)" }
            let t = file.state.transfer(package.transfer)!
            return "\(package.from.code) \(t.status.rawValue) the \(t.kind.rawValue) transfer of \(file.id)"
                + (t.reason.map { ": \($0)" } ?? "") + "; this YOT is now \(file.state.holding(for: here.code).rawValue)"
        }
    }

    /// Files named, with folders expanded to the .json and .eml files in them.
    static func expand(_ paths: [String]) throws -> [String] {
        try paths.flatMap { path -> [String] in
            guard FileSystem.isDirectory(path) else { return [path] }
            return try FileSystem.list(path).filter { ($0.hasSuffix(".json") || $0.hasSuffix(".eml")) && !$0.hasPrefix(".") }.sorted()
                .map { path + "/" + $0 }
        }
    }

    /// The packages in a file: the file itself, or the attachments of a saved email.
    static func packages(at path: String) throws -> [TransferPackage] { try contents(at: path).packages }

    /// The packages in a file, and how many other attachments of a message were not read.
    static func contents(at path: String) throws -> (packages: [TransferPackage], skipped: Int) {
        let bytes = try FileSystem.read(path, limit: EmailReader.maxBytes, followLinks: true)
        let looksLikeJSON = bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{")
        if looksLikeJSON { return ([try TransferPackage(bytes: bytes)], 0) }
        let message = try EmailReader.read(bytes)
        let attachments = message.attachments
        var found: [TransferPackage] = []
        for a in attachments {
            if let name = a.fileName, name.contains("/") || name.contains("\\") || name.contains("..") {
                throw APError.data("attachment name '\(name)' holds a path; refused")
            }
            let isPackage = (a.fileName ?? "").hasSuffix(".json") || a.contentType == "application/json"
            if isPackage { found.append(try TransferPackage(bytes: a.bytes)) }
        }
        guard !found.isEmpty else {
            throw APError.data("no transfer package attached (a portal notification? the package travels as an ap-transfer-*.json attachment)")
        }
        return (found, message.skipped)
    }

}
