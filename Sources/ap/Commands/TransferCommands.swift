import APModel
import Foundation

/// `ap transfer ...` and `ap caretake end`: packages between YOTs, as files and `.eml`.
enum TransferCommands {
    static let all = [send, importCommand, list, accept, reject, stay, caretakeEnd, caretakeReview]

    static let outOption = Opt(long: "out", value: "DIR", help: "where to write the package and its .eml (default: the current folder)")

    static let send = Command(
        path: ["transfer", "send"], summary: "send a case to another YOT: complete transfer, caretaking, or an update",
        usage: "CASE --to CODE [--to-name NAME] --kind KIND [--out DIR] | CASE --update [--out DIR]",
        details: """
            Needs a completed Transfer YOT to YOT stage with its questions answered; refuses a
            complete transfer of a looked-after child. --to takes a known organisation's code
            ('ap org list'): a YOT, or for caretaking a secure establishment (003 §1.14); --to-name
            names a YOT not yet known. Writes ap-transfer-ID.json (ap-transfer(5))
            and ap-transfer-ID.eml, ready for secure email. During caretaking, --update sends the
            latest completed stage to the other YOT, from either side. Managers only.
            """,
        options: [
            Opt(long: "to", value: "CODE", help: "the receiving YOT's (or establishment's) code"),
            Opt(long: "to-name", value: "NAME", help: "the receiving YOT's name, when it is not yet known"),
            Opt(long: "kind", value: "KIND", help: "complete or caretaking"),
            Opt(long: "update", help: "during caretaking: send the latest completed stage to the other YOT"),
            outOption,
        ],
        arguments: 1...1,
        examples: ["ap transfer send YP-0042 --to NOTTS --to-name 'Notts YJS' --kind caretaking",
                   "ap transfer send YP-0042 --update --out outbox/"],
        run: { inv in
            let id = try inv.caseID()
            let kind: Transfer.Kind
            var to: YOT? = nil
            if inv.flag("update") {
                guard inv.value("kind") == nil, inv.value("to") == nil else { throw APError.usage("--update goes without --kind and --to") }
                kind = .update
            } else {
                let text = try inv.required("kind")
                guard let k = Transfer.Kind(rawValue: text), k != .update else {
                    throw APError.usage("--kind takes complete or caretaking (an update is --update)")
                }
                kind = k
            }
            let session = try inv.context.session()
            if kind != .update {
                to = try TransferRules.receiver(
                    code: try inv.required("to"), name: inv.value("to-name"), kind: kind, config: session.config,
                    known: try session.repo.yotsInTransfers(here: session.config.yotCode))
            }
            let transferID = "t-" + session.env.newID()
            let file = try session.sealNow(try session.change(id) { state, actor in
                try TransferRules.send(
                    state, kind: kind, to: to, here: session.config.yot, transferID: transferID, actor: actor,
                    config: session.config, today: inv.context.today)
            })
            let t = file.state.transfer(transferID)!
            let package = try session.signed(TransferPackage(
                id: transferID, type: .request, transfer: transferID, kind: kind.rawValue, from: t.from, to: t.to, sentAt: t.sentAt,
                sentBy: t.sentBy, caseFile: file))
            let paths = try write(package, to: inv.value("out"), now: session.env.now())
            try session.repo.saveTransferRecord(TransferRecord(direction: .outgoing, status: "pending", at: t.sentAt, by: t.sentBy, package: package))
            return .done("Sent \(kind.rawValue) \(kind == .update ? "of stage \(t.stage ?? "")" : "transfer") of \(id) to \(t.to.name) (\(t.to.code)): "
                         + paths.joined(separator: ", "), record(package, status: "pending"))
        })

    static let importCommand = Command(
        path: ["transfer", "import"],
        summary: "import transfer packages from files, e-mails, Outlook messages, mailboxes or a pipe",
        usage: "[--dry-run] PATH...",
        details: """
            Reads each PATH: a package (.json), a saved e-mail (.eml), an Outlook message (.msg),
            a winmail.dat, an mbox (every message), a Maildir (cur/ and new/), or a folder of any
            of these (sub-folders too; any extension, or none: ap looks at the content). '-'
            reads one message or an mbox from standard input, for a mail filter (procmail,
            maildrop, fetchmail). Each package's format, SHA-256 and signature are checked and
            it must be addressed to this YOT. Requests wait in 'ap transfer list --incoming'
            for a manager's decision; replies and caretaking ends are merged at once.
            Every message is reported: imported, already-imported, no-package or refused (why).
            The exit status is 65 when any was refused; a refused message writes nothing. A
            file named here (or piped) that holds no package is refused; inside a folder or
            mailbox it is reported and passed over. An S/MIME signature is not checked by ap
            (the report says so); encrypted mail is refused. Admins and business support.
            """,
        options: [
            Opt(long: "dry-run", help: "check and report what would be imported; write nothing"),
            Opt(long: "trust", help: "pin the keys of a sender with none pinned here (admins; see ap-identity(7))"),
        ],
        arguments: 1...1000,
        examples: [
            "ap transfer import ~/Downloads/ap-transfer-t-1a2b.msg", "ap transfer import --dry-run ~/Mail/cjsm.mbox",
            "ap transfer import inbox/", "ap -C /srv/yot transfer import -",
        ],
        run: { inv in
            let session = try inv.context.session()
            var reported: [Reported] = []
            let dryRun = inv.flag("dry-run")
            let actor = try session.requireRole([.admin, .businessSupport], doing: "import transfers")
            // Standard input is read before the lock is taken: a slow pipe never holds up others.
            let piped = inv.arguments.contains("-") ? try FileHandleInput.read(limit: Mailbox.maxBytes) : nil
            let all = try sources(inv.arguments)
            try session.locked {
                var seen: [String: String] = [:]
                for source in all {
                    for delivery in deliveries(source, piped: piped) {
                        reported += importDelivery(
                            delivery, session: session, actor: actor, trust: inv.flag("trust"), dryRun: dryRun,
                            seen: &seen)
                    }
                }
            }
            let lines = reported.filter { !$0.refused }.map { "\($0.label): \($0.text)" }
            var output = Output(text: lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n",
                                json: .array(reported.map(\.json)))
            output.errors = reported.filter(\.refused).map { "\($0.label): \($0.text)" }
            output.status = output.errors.isEmpty ? 0 : APError.data("").exitStatus
            if reported.count > 1 { output.note = summary(reported) }
            return output
        })

    static let list = Command(
        path: ["transfer", "list"], summary: "what awaits a decision here, and what was sent",
        usage: "[--incoming|--outgoing]",
        options: [Opt(long: "incoming", help: "only packages received"), Opt(long: "outgoing", help: "only packages sent")],
        examples: ["ap transfer list --incoming", "ap transfer list --json"],
        run: { inv in
            let repo = try inv.context.repository()
            // Requests, and replies or caretaking ends held for a decision.
            var records = try repo.transferRecords().filter { $0.package.type == .request || $0.status == "pending" }
            if inv.flag("incoming") { records = records.filter { $0.direction == .incoming } }
            if inv.flag("outgoing") { records = records.filter { $0.direction == .outgoing } }
            records = records.map { r in
                var r = r
                r.status = repo.currentStatus(r)
                return r
            }.sorted { $0.at < $1.at }
            let rows = records.map { r in
                [r.package.transfer, r.direction == .incoming ? "in" : "out", r.package.caseFile.id,
                 r.package.caseFile.state.name, r.package.kind,
                 r.direction == .incoming ? r.package.from.code : r.package.to.code, r.status, r.package.sentAt.day.description]
            }
            var text = rows.isEmpty ? "No transfers.\n" : Table.render(
                ["TRANSFER", "DIR", "CASE", "YOUNG PERSON", "KIND", "OTHER YOT", "STATUS", "SENT"], rows,
                fixed: ["TRANSFER", "CASE", "SENT"])
            // The transfer-in summary of what awaits a decision here (002 Appendix A), and
            // whether each package received holds its sender's signature (ap-identity(7)).
            let catalogue = try repo.loadConfig().catalogue
            let identity = try repo.identity()?.state
            let verifier = repo.currentTrust.verifier
            var signatures: [String: String] = [:]
            for r in records where r.direction == .incoming {
                signatures[r.package.id] = PackageCheck.status(r.package, identity: identity, verifier: verifier)
            }
            verifier.save()
            for r in records where r.direction == .incoming && r.undecided {
                if let why = r.stayReason { text += "\n\(r.package.transfer): stayed: \(why)" }
                let items = TransferSummary.of(r.package.caseFile.state, catalogue: catalogue)
                if !items.isEmpty { text += "\n\(r.package.transfer): " + TransferSummary.line(items) + "\n" }
                if let s = signatures[r.package.id] { text += "\(r.package.transfer): signature \(s)\n" }
            }
            return Output(text: text, json: .array(records.map { r in
                var o = record(r.package, status: r.status, direction: r.direction)
                if let s = signatures[r.package.id] { o["signature"] = .string(s) }
                let items = TransferSummary.of(r.package.caseFile.state, catalogue: catalogue)
                if !items.isEmpty {
                    o["summary"] = .object(Dictionary(uniqueKeysWithValues: items.map { ($0.key, .string($0.value)) }))
                }
                return o
            }))
        })

    static let accept = Command(
        path: ["transfer", "accept"], summary: "accept a transfer received (managers only)",
        usage: "TRANSFER [--supersede] [--review DATE] [OPTIONS]",
        details: """
            Accepting a complete transfer makes this YOT home; accepting caretaking makes it host,
            with the sender as home and a review date three months on (policy caretaking-review-months);
            accepting an update brings its stage into the local copy. Accepting caretaking records
            the agreement (002 §12.7, Appendix B): --host-tasks, --home-tasks, and --review, no
            later than three months after acceptance (later is refused). An update is refused while a
            stage is open here, unless --supersede stops that stage (the stop names you). Writes the
            reply package and .eml.
            """,
        options: [
            Opt(long: "supersede", help: "for an update: stop the stage open here"),
            Opt(long: "host-tasks", value: "TEXT", help: "caretaking: what the host YOT undertakes"),
            Opt(long: "home-tasks", value: "TEXT", help: "caretaking: what the home YOT keeps"),
            Opt(long: "review", value: "DATE", help: "caretaking: the review date, at most three months on"),
            outOption,
        ],
        arguments: 1...1,
        examples: ["ap transfer accept t-3f2a9c... --out outbox/"],
        run: { inv in try decide(inv, accept: true) })

    static let reject = Command(
        path: ["transfer", "reject"], summary: "reject a transfer received, with a reason (managers only)",
        usage: "TRANSFER --reason CODE [--detail TEXT] [--out DIR]",
        details: "Reasons: " + RejectionReason.allCases.map { "\($0.rawValue) (\($0.label)\($0.initialOnly ? ", initial request only" : ""))" }
            .joined(separator: ", ") + ". 'other' needs --detail. Writes the reply package and .eml.",
        options: [
            Opt(long: "reason", value: "CODE", help: "one of the listed reasons"),
            Opt(long: "detail", value: "TEXT", help: "more about the reason (needed for 'other')"),
            outOption,
        ],
        arguments: 1...1,
        examples: ["ap transfer reject t-3f2a9c... --reason errors-of-fact --detail 'wrong DOB'"],
        run: { inv in try decide(inv, accept: false) })

    static let caretakeEnd = Command(
        path: ["caretake", "end"], summary: "end caretaking: the young person returns home or passes to the host",
        usage: "CASE --outcome return-home|complete-transfer [--out DIR]",
        details: "complete-transfer is refused for a looked-after child. Writes the package and .eml that tell the host.",
        options: [Opt(long: "outcome", value: "OUTCOME", help: "return-home or complete-transfer"), outOption],
        arguments: 1...1,
        examples: ["ap caretake end YP-0042 --outcome return-home --out outbox/"],
        run: { inv in
            let id = try inv.caseID()
            guard let outcome = TransferRules.Outcome(rawValue: try inv.required("outcome")) else {
                throw APError.usage("--outcome takes return-home or complete-transfer")
            }
            let session = try inv.context.session()
            var host: YOT? = nil
            let file = try session.sealNow(try session.change(id, { state, actor in
                host = state.host
                return try TransferRules.endCaretaking(state, outcome: outcome, here: session.config.yot, actor: actor)
            }, then: { state, _ in
                // Passed to the host by complete transfer: this copy no longer holds the case.
                StageRules.stopOnRelease(state, here: session.config.yotCode, reason: StageRules.transferredReason)
            }))
            let event = file.events.last { $0.type == EventType.caretakingEnded }!
            let package = try session.signed(TransferPackage(
                id: "p-" + session.env.newID(), type: .caretakingEnd, transfer: event.id, kind: outcome.rawValue, from: session.config.yot,
                to: host!, sentAt: event.at, sentBy: event.by, caseFile: file))
            let paths = try write(package, to: inv.value("out"), now: session.env.now())
            try session.repo.saveTransferRecord(TransferRecord(direction: .outgoing, status: "sent", at: event.at, by: event.by, package: package))
            return .done("Ended caretaking of \(id) with \(host!.code) (\(outcome.rawValue)): \(paths.joined(separator: ", "))",
                         record(package, status: "sent"))
        })

    static let caretakeReview = Command(
        path: ["caretake", "review"], summary: "record a review of caretaking and the next review date (home managers)",
        usage: "CASE --next DATE [--note TEXT]",
        details: """
            Caretaking should not normally last beyond three months (002 §12.1); the home YOT's
            managers review the arrangement (002 Appendix B). The next review is no later than
            the policy caretaking-review-months ahead; 'report caretaking' counts from it.
            """,
        options: [
            Opt(long: "next", value: "DATE", help: "the next review date"),
            Opt(long: "note", value: "TEXT", help: "what was agreed"),
        ],
        arguments: 1...1,
        examples: ["ap caretake review YP-0042 --next 2027-02-15 --note 'Placement stable'"],
        run: { inv in
            let id = try inv.caseID()
            guard let next = Day(try inv.required("next")) else {
                throw APError.usage("--next takes a date like 2027-02-15")
            }
            let session = try inv.context.session()
            let file = try session.change(id) { state, actor in
                try TransferRules.reviewCaretaking(
                    state, next: next, note: inv.value("note"), here: session.config.yot, actor: actor,
                    today: inv.context.today, months: session.config.policy.caretakingReviewMonths)
            }
            return .done("Reviewed caretaking of \(id); next review by \(next)", Shapes.caseObject(file.state))
        })

    // MARK: deciding

    static func decide(_ inv: Invocation, accept: Bool) throws -> Output {
        let session = try inv.context.session()
        let (incoming, transferID) = try received(inv, session)
        let here = session.config.yot
        if let held = incoming.first(where: {
            $0.package.type != .request && $0.package.transfer == transferID && $0.status == "pending"
        }) {
            return try decideHeld(held, accept: accept, inv: inv, session: session)
        }
        let (reply, record) = try session.locked { () -> (TransferPackage, TransferRecord) in
            let actor = try session.actor()
            guard var record = try session.repo.transferRecords().first(where: {
                $0.direction == .incoming && $0.package.type == .request && $0.package.transfer == transferID
            }) else {
                throw APError.notFound("no transfer '\(transferID)' received here; 'ap transfer list --incoming' shows them")
            }
            guard record.undecided else {
                throw APError.refused("transfer '\(transferID)' was already \(record.status)")
            }
            // Checked again: the stored request is a file in the repository like any other.
            try session.checkPackage(record.package, trust: false)
            let incoming = record.package.caseFile
            let local = session.repo.caseExists(incoming.id) ? try session.repo.loadCase(incoming.id) : nil
            // The decision is recorded on the sender's copy, merged with ours when accepted.
            var file = incoming
            if accept, var local {
                if record.package.kind == Transfer.Kind.update.rawValue,
                    let stop = try TransferRules.makeRoomForUpdate(
                        local.state, transferID: transferID, from: record.package.from,
                        supersede: inv.flag("supersede"), actor: actor, config: session.config)
                {
                    try local.append([session.stamp(stop, after: local.latestEventTime, actor: actor)])
                }
                file = try Merge.merge(local, incoming, into: incoming.id).file
            } else if inv.flag("supersede") {
                throw APError.usage("--supersede goes with accepting an update")
            }
            try RepositoryVerification.checkIncoming(file, ours: local, repo: session.repo,
                                                     source: "package \(record.package.id)", now: session.env.now(),
                                                     localOnly: true)
            let change = accept
                ? try TransferRules.accept(file.state, transferID: transferID, here: here, actor: actor, today: session.env.now().day,
                                           months: session.config.policy.caretakingReviewMonths,
                                           agreement: try agreement(inv))
                : try TransferRules.reject(file.state, transferID: transferID, reason: try inv.required("reason"), detail: inv.value("detail"),
                                           here: here, actor: actor)
            let event = session.stamp(change, after: file.latestEventTime, actor: actor)
            try file.append([event])
            if accept { file = try session.sealNow(try session.save(file)) }
            record.status = accept ? "accepted" : "rejected"
            record.decidedAt = event.at
            record.decidedBy = actor.id
            record.reason = change.payload["reason"]?.stringValue
            try session.repo.saveTransferRecord(record)
            try session.travel(record)
            let reply = try session.signed(TransferPackage(
                id: "p-" + session.env.newID(), type: .reply, transfer: transferID, kind: record.package.kind, from: here,
                to: record.package.from, sentAt: event.at, sentBy: actor.id, decision: record.status,
                reason: record.reason, caseFile: file))
            return (reply, record)
        }
        let paths = try write(reply, to: inv.value("out"), now: session.env.now())
        var what = accept ? "Accepted" : "Rejected (\(record.reason ?? ""))"
        let summary = TransferSummary.of(record.package.caseFile.state, catalogue: session.catalogue)
        if accept, !summary.isEmpty {
            what = "Transfer-in summary: " + TransferSummary.line(summary) + "\n" + what
        }
        return .done("\(what) \(record.package.kind) transfer \(transferID) of \(record.package.caseFile.id) from \(record.package.from.code); reply: "
                     + paths.joined(separator: ", "), self.record(reply, status: record.status))
    }

    /// A reply or caretaking end held at import because it changes which YOT holds the case:
    /// accepted, it is checked again and merged; rejected, the case is left as it is. Managers.
    /// The records received here, and the transfer id typed: whole, or a start only one has.
    static func received(_ inv: Invocation, _ session: Session) throws -> ([TransferRecord], String) {
        let incoming = try session.repo.transferRecords().filter { $0.direction == .incoming }
        let typed = inv.argument(0)
        do {
            let ids = Array(Set(incoming.map(\.package.transfer)))
            return (incoming, try Prefix.resolve(typed, among: ids, what: "transfer", in: "this YOT"))
        } catch APError.notFound { return (incoming, typed) }
    }

    static let stay = Command(
        path: ["transfer", "stay"], summary: "stay a transfer received, pending information (managers only)",
        usage: "TRANSFER --reason TEXT",
        details: """
            Where information is missing, or an assessment not of sufficient quality to decide,
            the request is stayed and the reason recorded (002 §12.4): tell the requesting YOT by
            secure e-mail. It no longer counts as awaiting a decision within 2 working days; accept
            or reject it when the information comes.
            """,
        options: [Opt(long: "reason", value: "TEXT", help: "what is missing, kept with the transfer")],
        arguments: 1...1,
        examples: ["ap transfer stay t-3f2a9c... --reason 'No RoSH assessment with the request'"],
        run: { inv in try stayRequest(inv) })

    /// `ap transfer stay`: the record says stayed, with why, and travels to the other clones.
    static func stayRequest(_ inv: Invocation) throws -> Output {
        let session = try inv.context.session()
        let (_, transferID) = try received(inv, session)
        let why = try StageRules.requiredText(try inv.required("reason"), "--reason")
        let record = try session.locked { () -> TransferRecord in
            let actor = try session.requireRole([.manager], doing: "stay a transfer received (002 §12.4)")
            guard var record = try session.repo.transferRecords().first(where: {
                $0.direction == .incoming && $0.package.type == .request && $0.package.transfer == transferID
            }) else {
                throw APError.notFound(
                    "no transfer request '\(transferID)' received here; 'ap transfer list --incoming' shows them")
            }
            guard record.status == "pending" else {
                throw APError.refused("transfer '\(transferID)' is already \(record.status)")
            }
            let now = session.env.now()
            record.status = TransferRecord.stayed
            (record.stayedAt, record.stayedBy, record.stayReason) = (now, actor.id, why)
            (record.decidedAt, record.decidedBy) = (now, actor.id)
            try session.repo.saveTransferRecord(record)
            try session.travel(record)
            return record
        }
        var json = self.record(record.package, status: record.status, direction: .incoming)
        json["stayedBy"] = .string(record.stayedBy ?? "")
        json["stayReason"] = .string(why)
        let from = record.package.from
        let text = "Stayed transfer \(transferID) of \(record.package.caseFile.id) from \(from.code) "
            + "pending information; tell \(from.name) by secure e-mail what is needed (002 §12.4), "
            + "then accept or reject it"
        return .done(text, json)
    }

    static func decideHeld(_ held: TransferRecord, accept: Bool, inv: Invocation, session: Session) throws -> Output {
        let what = held.package.type == .caretakingEnd ? "caretaking end" : "reply"
        let text = try session.locked { () -> String in
            let actor = try session.requireRole([.manager], doing: "decide on a \(what) that changes who holds a case")
            // Read again under the lock: another manager may have decided it meanwhile.
            guard var record = try session.repo.transferRecord(held.package.id), record.status == "pending" else {
                throw APError.refused("the \(what) \(held.package.transfer) was already decided")
            }
            guard !accept else {
                // Checked again: the stored package is a file in the repository like any other.
                try session.checkPackage(record.package, trust: false)
                let local = try session.repo.loadCase(record.package.caseFile.id)
                try PackageSense.check(record.package, local: local, here: session.config.yot)
                return try apply(record.package, local: local, session: session, actor: actor, status: "accepted")
            }
            record.status = "rejected"
            record.decidedAt = session.env.now()
            record.decidedBy = actor.id
            record.reason = try inv.required("reason")
            try session.repo.saveTransferRecord(record)
            try session.travel(record)
            return "Rejected the \(what) \(record.package.transfer) of \(record.package.caseFile.id) from "
                + "\(record.package.from.code); the case is unchanged"
        }
        return .done(text, self.record(held.package, status: accept ? "accepted" : "rejected"))
    }

    /// The caretaking agreement given on the command line.
    static func agreement(_ inv: Invocation) throws -> TransferRules.CaretakingAgreement {
        let review = try inv.value("review").map { text in
            guard let day = Day(text) else { throw APError.usage("--review takes a date like 2027-02-15") }
            return day
        }
        return TransferRules.CaretakingAgreement(
            hostTasks: inv.value("host-tasks"), homeTasks: inv.value("home-tasks"), review: review)
    }

    // MARK: output

    static func write(_ package: TransferPackage, to dir: String?, now: Timestamp) throws -> [String] {
        try writeOutbox(dir, fileName: package.fileName, bytes: package.bytes) { bytes in
            EmailWriter.message(
                package, bytes: bytes, summary: summary(package), date: now, boundary: "ap-\(package.id)")
        }
    }

    /// Writes a package, `NAME.json`, and the message that carries it, `NAME.eml`, into `dir`
    /// (default the current folder); returns their paths.
    static func writeOutbox(
        _ dir: String?, fileName: String, bytes: [UInt8], message: ([UInt8]) -> String
    ) throws -> [String] {
        let folder = dir ?? "."
        try FileSystem.makeFolder(folder)
        let json = "\(folder)/\(fileName)"
        let eml = "\(folder)/\(fileName.dropLast(".json".count)).eml"
        try FileSystem.writeAtomically(json, bytes)
        try FileSystem.writeAtomically(eml, Array(message(bytes).utf8))
        return [json, eml]
    }

    static func summary(_ p: TransferPackage) -> String {
        """
        AssetPlus \(EmailWriter.describe(p)) for case \(p.caseFile.id)
        From: \(p.from.name) (\(p.from.code))
        To: \(p.to.name) (\(p.to.code))
        Transfer: \(p.transfer)
        Package: \(p.id)

        Import the attached package with: ap transfer import <this message saved as .eml>
        """
    }

    static func record(_ p: TransferPackage, status: String, direction: TransferRecord.Direction? = nil) -> JSONValue {
        var o: [String: JSONValue] = [
            "package": .string(p.id), "transfer": .string(p.transfer), "type": .string(p.type.rawValue), "kind": .string(p.kind),
            "case": .string(p.caseFile.id), "name": .string(p.caseFile.state.name), "from": p.from.json,
            "to": p.to.json, "sentAt": .string(p.sentAt.description), "status": .string(status),
        ]
        if let direction { o["direction"] = .string(direction.rawValue) }
        if let d = p.decision { o["decision"] = .string(d) }
        if let r = p.reason { o["reason"] = .string(r) }
        return .object(o)
    }
}
