import APModel

/// What `ap transfer import` does with each file: find the packages, check them, file
/// requests for a decision and merge replies and caretaking ends into their cases.
extension TransferCommands {
    /// Checks a package, then (unless `dryRun`) files it: a request, or a reply or caretaking
    /// end that would change which YOT holds the case, waits for a manager's decision; any
    /// other reply is merged into its case at once.
    static func importPackage(
        _ package: TransferPackage, session: Session, actor: Actor, trust: Bool = false, dryRun: Bool = false
    ) throws -> String {
        let here = session.config.yot
        guard package.to.code == here.code else {
            throw APError.refused("package addressed to \(package.to.name) (\(package.to.code)), not this YOT (\(here.code)); nothing imported")
        }
        if try session.repo.transferRecord(package.id) != nil { return "package \(package.id) already imported; nothing changed" }
        if dryRun {
            _ = try PackageCheck.verify(
                package, identity: try session.repo.identity()?.state, verifier: session.repo.currentTrust.verifier,
                trust: trust)
        } else {
            try session.checkPackage(package, trust: trust)
        }
        let now = session.env.now()
        let id = package.caseFile.id
        if package.type != .request, !session.repo.caseExists(id) {
            throw APError.notFound("package \(package.id) concerns case '\(id)', which is not in this repository")
        }
        let local = session.repo.caseExists(id) ? try session.repo.loadCase(id) : nil
        try PackageSense.check(package, local: local, here: here)
        let pending = TransferRecord(direction: .incoming, status: "pending", at: now, by: actor.id, package: package)
        switch package.type {
        case .request:
            try RepositoryVerification.checkIncoming(
                package.caseFile, ours: local, repo: session.repo, source: "package \(package.id)", now: now,
                localOnly: true)
            if !dryRun {
                try session.repo.saveTransferRecord(pending)
                try session.travel(pending)
            }
            return "\(package.kind) request \(package.transfer) for \(id) from \(package.from.code) "
                + "awaits a manager's decision"
        case .reply, .caretakingEnd:
            let merged = try Merge.merge(local!, package.caseFile, into: id).file
            try RepositoryVerification.checkIncoming(
                merged, ours: local, repo: session.repo, source: "package \(package.id)", now: now, localOnly: true)
            guard !dryRun else { return "checked" }
            if PackageSense.changesHolder(merged, local: local!) {
                try session.repo.saveTransferRecord(pending)
                try session.travel(pending)
                let what = package.type == .caretakingEnd ? "caretaking end" : "reply"
                return "\(what) \(package.transfer) for \(id) from \(package.from.code) would change which YOT holds "
                    + "the case: it awaits a manager's 'ap transfer accept \(package.transfer)'"
            }
            return try apply(package, local: local!, session: session, actor: actor, status: "imported")
        }
    }

    /// Merges a checked reply or caretaking end into its case, stops the stage a case passed
    /// on leaves open, and records the package as `status`.
    static func apply(_ package: TransferPackage, local: CaseFile, session: Session, actor: Actor, status: String)
        throws -> String
    {
        let here = session.config.yot
        var file = try Merge.merge(local, package.caseFile, into: local.id).file
        let record = Change(
            EventType.transferImported, ["package": .string(package.id), "transfer": .string(package.transfer)])
        try file.append([session.stamp(record, after: file.latestEventTime, actor: actor)])
        let reason = package.type == .caretakingEnd
            ? StageRules.caretakingEndedReason : StageRules.transferredReason
        if let stop = StageRules.stopOnRelease(file.state, here: here.code, reason: reason) {
            try file.append([session.stamp(stop, after: file.latestEventTime, actor: actor)])
        }
        try session.save(file)
        var saved = TransferRecord(
            direction: .incoming, status: status, at: session.env.now(), by: actor.id, package: package)
        if status != "imported" {
            saved = try session.repo.transferRecord(package.id) ?? saved
            saved.status = status
            saved.decidedAt = session.env.now()
            saved.decidedBy = actor.id
        }
        try session.repo.saveTransferRecord(saved)
        try session.travel(saved)
        if package.type == .caretakingEnd {
            return "caretaking of \(file.id) ended by \(package.from.code): \(package.kind)"
        }
        let t = file.state.transfer(package.transfer)!
        return "\(package.from.code) \(t.status.rawValue) the \(t.kind.rawValue) transfer of \(file.id)"
            + (t.reason.map { ": \($0)" } ?? "") + "; this YOT is now \(file.state.holding(for: here.code).rawValue)"
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
