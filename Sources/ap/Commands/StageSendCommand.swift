import APModel

/// `ap stage send`: a completed stage to an organisation, filtered by the sharing policy.
enum StageSendCommand {
    static let command = Command(
        path: ["stage", "send"], summary: "send a completed stage to an organisation, as the sharing policy allows",
        usage: "CASE --to CODE [--stage ID] [--out DIR]",
        details: """
            Anyone with access may send a completed stage (001 §11.2.1); a stage that needs
            countersignature is sent once countersigned. The receiver's type decides what leaves
            (001 §3.2.1, 'ap config sharing'): education only the RoSH and SaW judgements; CAMHS
            health information and the judgements; YPDAS substance misuse information and the
            judgements; social care, probation, YOTs, establishments and Placements the whole
            stage. Writes ap-stage-ID.json (ap-stage(5)) and ap-stage-ID.eml for secure email,
            and records the send in the case, which may discharge obligations ('ap due').
            """,
        options: [
            Opt(long: "to", value: "CODE", help: "the receiving organisation's code ('ap org list')"),
            Opt(long: "stage", value: "ID", help: "the stage to send (default: the latest completed)"),
            Opt(
                long: "out", value: "DIR", help: "where to write the package and its .eml (default: the current folder)"
            ),
        ],
        arguments: 1...1,
        examples: [
            "ap stage send YP-0042 --to YCS-PT --out outbox/", "ap stage send YP-0042 --to SCHOOL-1 --stage st-1a2b",
        ],
        run: { inv in
            let id = try inv.caseID()
            let code = try inv.required("to")
            let session = try inv.context.session()
            var package: StagePackage? = nil
            var paths: [String] = []
            let file = try session.change(id) { state, actor in
                let known = try session.repo.yotsInTransfers(here: session.config.yotCode)
                guard let to = session.config.organisation(code, known: known) else {
                    throw APError.notFound("--to names '\(code)', which is not a known organisation; see 'ap org list'")
                }
                guard to.code != session.config.yotCode else {
                    throw APError.usage("--to names this YOT; a stage is sent to another organisation")
                }
                let stage = try StageSendRules.stageToSend(state, stageID: inv.value("stage"), config: session.config)
                try StageSendRules.checkWiderAssessment(stage, to: to, config: session.config)
                var made = StagePackage(
                    id: "s-" + session.env.newID(), state: state, stage: stage,
                    kindName: session.config.kindName(stage.kind),
                    from: session.config.yot, to: to, sentAt: session.env.now(), sentBy: actor.id,
                    allowed: session.config.sharing(for: to.kind))
                // Signed by the sender where signatures are required: a partner can check it with
                // ssh-keygen -Y verify (ap-identity(7)).
                made.signature = try session.packageSignature(made.signedDigest)
                let change = try StageSendRules.send(made, stage: stage.id, actor: actor)
                // Written before the send is recorded: a failed write records nothing, so no
                // obligation is discharged by a package that never left.
                paths = try write(made, to: inv.value("out"), now: session.env.now())
                package = made
                return change
            }
            let sent = package!
            let policy =
                SharingPolicy.isWhole(sent.allowed)
                ? "the whole stage" : "\(sent.keys.count) answers, \(sent.withheld) withheld"
            let stageID = file.state.stages.first { $0.sends.contains { $0.package == sent.id } }?.id ?? ""
            let json: JSONValue = [
                "package": .string(sent.id), "case": .string(id), "stage": .string(stageID), "to": sent.to.json,
                "sharing": ["allowed": .array(sent.allowed.map(JSONValue.string)), "withheld": .int(sent.withheld)],
                "keys": .array(sent.keys.map(JSONValue.string)), "files": .array(paths.map(JSONValue.string)),
            ]
            return .done(
                "Sent stage of \(id) to \(sent.to.name) (\(sent.to.code), \(sent.to.kind.rawValue)): \(policy); "
                    + paths.joined(separator: ", "), json)
        })

    static func write(_ package: StagePackage, to dir: String?, now: Timestamp) throws -> [String] {
        try TransferCommands.writeOutbox(dir, fileName: package.fileName, bytes: package.bytes) { bytes in
            EmailWriter.message(
                subject: "AssetPlus stage for case \(package.caseID) (\(package.from.code) to \(package.to.code))",
                from: package.from, to: package.to.identity, messageID: package.id, summary: summary(package),
                attachmentName: package.fileName, attachment: bytes, date: now, boundary: "ap-\(package.id)")
        }
    }

    /// What the message says: who, which stage kind, and what the policy let through; no answers.
    static func summary(_ p: StagePackage) -> String {
        let what =
            SharingPolicy.isWhole(p.allowed)
            ? "The whole stage is attached."
            : "Under the sharing policy for \(p.to.kind.rawValue) (001 §3.2.1) the attachment holds only: "
                + p.allowed.joined(separator: ", ") + ". \(p.withheld) other answers were withheld."
        return """
            AssetPlus stage for case \(p.caseID)
            From: \(p.from.name) (\(p.from.code))
            To: \(p.to.name) (\(p.to.code), \(p.to.kind.rawValue))
            Stage: \(p.stage["kindName"]?.stringValue ?? "") (\(p.stage["id"]?.stringValue ?? ""))
            Package: \(p.id)

            \(what)
            """
    }
}
