/// A stage sent to an organisation (`ap stage send`, ap-stage(5)): the young person's
/// identity and one completed stage, filtered by the sharing policy for the receiver's type
/// (001 §3.2.1). Nothing outside the policy is in it. A SHA-256 over its content detects damage.
public struct StagePackage: Sendable {
    public static let format = "ap-stage"
    public static let version = 1

    public var id: String
    public var caseID: String
    public var name: String
    public var dob: String
    public var from: YOT
    public var to: Organisation
    public var sentAt: Timestamp
    public var sentBy: String
    /// The policy's entries for the receiver's type, and how many answers it held back.
    public var allowed: [String]
    public var withheld: Int
    public var stage: JSONValue
    /// The keys sent, for the case's history.
    public var keys: [String]
    /// The sender's signature where this YOT requires signatures (ap-identity(7)).
    public var signature: PackageSignature?

    /// Builds the package: only the answers `allowed` lets leave; a stage sent whole also
    /// carries the countersignature comment, which is free text.
    public init(
        id: String, state: CaseState, stage: Stage, kindName: String, from: YOT, to: Organisation, sentAt: Timestamp,
        sentBy: String, allowed: [String]
    ) {
        self.id = id
        caseID = state.id
        name = state.name
        dob = state.dob
        self.from = from
        self.to = to
        self.sentAt = sentAt
        self.sentBy = sentBy
        self.allowed = allowed
        let shared = stage.answers.filter { SharingPolicy.allows(allowed, key: $0.key) }
        // A list part leaves whole or not at all, under its key like an answer.
        let parts = stage.entries.filter { SharingPolicy.allows(allowed, key: $0.key) }
        keys = (Array(shared.keys) + parts.keys).sorted()
        withheld = stage.answers.count - shared.count + stage.entries.count - parts.count
        var o: [String: JSONValue] = [
            "id": .string(stage.id), "kind": .string(stage.kind), "kindName": .string(kindName),
            "owner": .string(stage.owner), "startedAt": .string(stage.startedAt.description),
            "answers": .object(shared.mapValues { .string($0.value) }),
        ]
        if !parts.isEmpty {
            o["entries"] = .object(parts.mapValues { list in
                .array(list.map { .object($0.fields.mapValues(JSONValue.string)) })
            })
        }
        if let t = stage.completedAt { o["completedAt"] = .string(t.description) }
        if let by = stage.countersignedBy { o["countersignedBy"] = .string(by) }
        if let t = stage.countersignedAt { o["countersignedAt"] = .string(t.description) }
        if SharingPolicy.isWhole(allowed), let c = stage.countersignComment { o["countersignComment"] = .string(c) }
        self.stage = .object(o)
    }

    var content: JSONValue {
        [
            "format": .string(StagePackage.format), "version": .int(StagePackage.version), "package": .string(id),
            "case": ["id": .string(caseID), "name": .string(name), "dob": .string(dob)],
            "from": from.json, "to": to.json, "sentAt": .string(sentAt.description), "sentBy": .string(sentBy),
            "sharing": [
                "receiverType": .string(to.kind.rawValue), "allowed": .array(allowed.map(JSONValue.string)),
                "withheld": .int(withheld),
            ],
            "stage": stage,
        ]
    }

    /// What the sender signs: the checksum of everything but the signature and checksum.
    public var signedDigest: String { SHA256.hex(Array(JSONWriter.compact(content).utf8)) }

    public var json: JSONValue {
        guard case .object(var o) = content else { return content }
        if let signature { o["signature"] = signature.json }
        o["sha256"] = .string(SHA256.hex(Array(JSONWriter.compact(.object(o)).utf8)))
        return .object(o)
    }

    public var bytes: [UInt8] { JSONWriter.pretty(json) }
    public var fileName: String { "ap-stage-\(id).json" }
}

/// Sending a completed stage (001 §11.2.1: "You don't need to be a stage owner to send the stage").
public enum StageSendRules {
    /// The stage to send: the one named, or the latest completed; it must be completed, and
    /// countersigned where its kind or its ratings need it.
    public static func stageToSend(_ state: CaseState, stageID: String?, config: Config) throws -> Stage {
        let stage: Stage
        if let stageID {
            stage = try state.stage(named: stageID)
        } else {
            guard let s = state.stages.last(where: { $0.status == .completed }) else {
                throw APError.refused("case '\(state.id)' has no completed stage to send")
            }
            stage = s
        }
        guard stage.status == .completed else {
            throw APError.refused(
                "stage \(stage.id) is \(stage.status.rawValue); only a completed stage is sent (001 §11.2.1)")
        }
        let needsSignOff = config.countersignKinds.contains(stage.kind) || !stage.criteria.isEmpty
        if needsSignOff, stage.countersignedAt == nil {
            throw APError.refused(
                "stage \(stage.id) (\(config.kindName(stage.kind))) needs countersignature before it is sent "
                    + "(001 §§11.2, 11.22)")
        }
        return stage
    }

    /// The YCS Placements Team and an establishment decide from the wider assessment: a stage
    /// of a kind that holds the ratings goes to them only with RoSH and SaW (003 §§2.3, 3.6).
    public static func checkWiderAssessment(_ stage: Stage, to: Organisation, config: Config) throws {
        if to.kind == .court {
            throw APError.refused(
                "\(to.name) is a court: it receives its report as a document, "
                    + "'ap case export CASE --for court', never a stage package")
        }
        guard to.kind == .placements || to.kind == .establishment,
            config.catalogue.holds(kind: stage.kind, key: "rosh")
        else { return }
        let missing = ["rosh", "saw"].filter { stage.answer($0) == nil }
        guard missing.isEmpty else {
            throw APError.refused(
                "stage \(stage.id) (\(config.kindName(stage.kind))) has no \(missing.joined(separator: " or ")): "
                    + "\(to.name) decides from the wider assessment (003 §§2.3, 3.6); "
                    + "record it in a new stage and send that")
        }
    }

    public static func send(_ package: StagePackage, stage: String, actor: Actor) throws -> Change {
        guard !actor.user.roles.isEmpty else {
            throw APError.permission("'\(actor.id)' has no role in this repository")
        }
        return Change(
            EventType.stageSent,
            [
                "stage": .string(stage), "package": .string(package.id), "to": package.to.json,
                "keys": .array(package.keys.map(JSONValue.string)),
            ])
    }
}
