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
        try checkAddressed(package, here: here)
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

    /// A file to read, or `-` for standard input; `named` when given on the command line.
    struct Source {
        var path: String
        var named: Bool
    }

    /// The files named, folders walked (sub-folders too; a Maildir's cur/ and new/; hidden
    /// files and symbolic links to folders passed over). Nothing is read yet.
    static func sources(_ paths: [String]) throws -> [Source] {
        var out: [Source] = []
        func walk(_ folder: String, depth: Int) throws {
            guard depth <= 8 else { throw APError.data("'\(folder)': folders nested deeper than 8 levels; refused") }
            let sub = Mailbox.isMaildir(folder) ? ["cur", "new"].map { folder + "/" + $0 } : [folder]
            for dir in sub {
                for name in try FileSystem.list(dir).sorted() where !name.hasPrefix(".") {
                    let path = dir + "/" + name
                    if FileSystem.isSymlink(path) && FileSystem.isDirectory(path) { continue }
                    if FileSystem.isDirectory(path) { try walk(path, depth: depth + 1); continue }
                    out.append(Source(path: path, named: false))
                }
            }
        }
        for var path in paths {
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            if path != "-" && FileSystem.isDirectory(path) { try walk(path, depth: 0) } else {
                out.append(Source(path: path, named: true))
            }
        }
        return out
    }

    /// The messages of one source, read when their turn comes (so memory holds one file):
    /// an mbox split, anything else one message. A file that cannot be read is reported.
    static func deliveries(_ source: Source, piped: [UInt8]?) -> [Delivery] {
        do {
            let bytes = try source.path == "-"
                ? piped ?? [] : FileSystem.read(source.path, limit: Mailbox.maxBytes, followLinks: true)
            let messages = Mailbox.isMbox(bytes) ? try Mailbox.split(bytes) : [bytes]
            guard messages.count > 1 else {
                return [Delivery(label: source.path, bytes: messages[0], named: source.named)]
            }
            return messages.enumerated().map { n, m in
                Delivery(label: "\(source.path)#\(n + 1)", bytes: m, named: false)
            }
        } catch {
            var unreadable = Delivery(label: source.path, bytes: [], named: true)
            unreadable.unreadable = (error as? APError)?.message ?? "\(error)"
            return [unreadable]
        }
    }

    /// One line of the import report: a package found, or a message without one.
    struct Reported {
        var label: String
        var status: String
        var package: String? = nil
        var text: String
        var attachments: [EmailReader.Listed] = []

        var refused: Bool { status == "refused" }

        var json: JSONValue {
            var o: [String: JSONValue] = [
                "file": .string(label), "ok": .bool(!refused), "status": .string(status),
                refused ? "error" : "outcome": .string(text),
            ]
            if let package { o["package"] = .string(package) }
            if !attachments.isEmpty {
                o["attachments"] = .array(attachments.map { a in
                    var item: [String: JSONValue] = [
                        "size": .int(a.size), "sha256": .string(a.sha256), "depth": .int(a.depth),
                    ]
                    if let name = a.name { item["name"] = .string(name) }
                    return .object(item)
                })
            }
            return .object(o)
        }
    }

    /// Imports (or with `dryRun` checks) every package of one delivery; a message is checked
    /// whole first, so none of its packages is written if one is refused.
    static func importDelivery(
        _ delivery: Delivery, session: Session, actor: Actor, trust: Bool, dryRun: Bool, seen: inout [String: String]
    ) -> [Reported] {
        var attachments: [EmailReader.Listed] = []
        do {
            if let unreadable = delivery.unreadable { throw APError.data(unreadable) }
            let found = try PackageFinder(delivery.bytes)
            attachments = found.listed
            guard !found.packages.isEmpty else {
                if delivery.named { throw APError.data(found.nothingFound) }
                return [Reported(label: delivery.label, status: "no-package", text: found.nothingFound,
                                 attachments: attachments)]
            }
            let plural = found.skipped == 1 ? "" : "s"
            var aside = found.skipped == 0 ? "" : " (\(found.skipped) other attachment\(plural) not read)"
            if !found.unrelated.isEmpty {
                aside += " (JSON attachment not a package: \(found.unrelated.joined(separator: ", ")))"
            }
            if !found.notes.isEmpty { aside += " (\(found.notes.joined(separator: "; ")))" }
            var fresh: [TransferPackage] = []
            var out: [Reported] = []
            for package in found.packages {
                try checkAddressed(package, here: session.config.yot)
                if try alreadyHere(package, session: session, seen: seen) {
                    out.append(Reported(label: delivery.label, status: "already-imported", package: package.id,
                                        text: "package \(package.id) already imported; nothing changed"))
                } else {
                    fresh.append(package)
                }
            }
            if fresh.count > 1 || dryRun {
                for package in fresh {
                    _ = try importPackage(package, session: session, actor: actor, trust: trust, dryRun: true)
                }
            }
            for package in fresh {
                let text = dryRun
                    ? "would import \(package.type.rawValue) \(package.transfer) for \(package.caseFile.id) "
                        + "from \(package.from.code)"
                    : try importPackage(package, session: session, actor: actor, trust: trust)
                out.append(Reported(label: delivery.label, status: dryRun ? "would-import" : "imported",
                                    package: package.id, text: text + aside))
                seen[package.id] = package.digest
            }
            if !out.isEmpty { out[0].attachments = attachments }
            return out
        } catch let e as APError {
            return [Reported(label: delivery.label, status: "refused", text: e.message, attachments: attachments)]
        } catch {
            return [Reported(label: delivery.label, status: "refused", text: "\(error)", attachments: attachments)]
        }
    }

    static func checkAddressed(_ package: TransferPackage, here: YOT) throws {
        guard package.to.code == here.code else {
            throw APError.refused(
                "package addressed to \(package.to.name) (\(package.to.code)), not this YOT (\(here.code)); "
                    + "nothing imported")
        }
    }

    /// Whether this package id came before, here or earlier in this run; the same id with other
    /// content is refused, naming both digests.
    static func alreadyHere(_ package: TransferPackage, session: Session, seen: [String: String]) throws -> Bool {
        let earlier = try session.repo.transferRecord(package.id).map { ($0.package.digest, "imported \($0.at)") }
            ?? seen[package.id].map { ($0, "earlier in this import") }
        guard let (digest, when) = earlier else { return false }
        guard digest == package.digest else {
            throw APError.data(
                "package \(package.id) arrived before with other content (sha256 \(digest.prefix(12))…, \(when)); "
                    + "this copy has sha256 \(package.digest.prefix(12))…: "
                    + "an altered or forged copy? nothing imported")
        }
        return true
    }

    /// One line for people: how many messages came to what.
    static func summary(_ reported: [Reported]) -> String {
        let order = ["imported", "would-import", "already-imported", "no-package", "refused"]
        let counts = Dictionary(grouping: reported, by: \.status).mapValues(\.count)
        return "transfer import: " + order.compactMap { s in counts[s].map { "\($0) \(s)" } }.joined(separator: ", ")
    }
}
