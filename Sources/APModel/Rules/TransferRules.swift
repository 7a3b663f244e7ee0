/// Transfers between YOTs and caretaking (domain.md, "Transfers between YOTs"; 000 §19,
/// 001 §13, 002 §12). Pure: the case, who acts and this YOT in; a change out.
public enum TransferRules {
    /// A complete transfer or caretaking request, or an update during caretaking.
    /// Who a transfer goes to: a known YOT or secure establishment by its code, or a YOT not
    /// yet known by its code and `name`. An establishment hosts caretaking but never receives
    /// a complete transfer (003 §1.14).
    public static func receiver(
        code: String, name: String?, kind: Transfer.Kind, config: Config, known: [YOT]
    ) throws -> YOT {
        let code = code.uppercased()
        try Config.validateYOTCode(code)
        guard let org = config.organisation(code, known: known) else {
            guard let name else {
                throw APError.usage(
                    "'\(code)' is not a known organisation ('ap org list'); "
                        + "for a YOT not yet known give --to-name NAME")
            }
            return YOT(code: code, name: try StageRules.requiredText(name, "--to-name"))
        }
        // The config names its organisations; a YOT known from transfers may have been renamed.
        let configured = config.organisations.contains { $0.code == code }
        if configured, let name, name.lowercased() != org.name.lowercased() {
            throw APError.usage("'\(code)' is known as '\(org.name)'; drop --to-name or give that name")
        }
        if !configured, let name { return YOT(code: code, name: try StageRules.requiredText(name, "--to-name")) }
        switch org.kind {
        case .yot: break
        case .establishment:
            guard kind == .caretaking else {
                throw APError.refused(
                    "'\(code)' is a secure establishment: it can host caretaking but never receives a complete "
                        + "transfer (003 §1.14)")
            }
        default:
            throw APError.refused(
                "'\(code)' is \(org.kind.rawValue), not a YOT or establishment; send it a stage with 'ap stage send'")
        }
        return org.identity
    }

    public static func send(
        _ state: CaseState, kind: Transfer.Kind, to: YOT?, here: YOT, transferID: String, actor: Actor, config: Config,
        today: Day? = nil
    ) throws -> Change {
        guard actor.user.has(.manager) else {
            throw APError.permission("'\(actor.id)' cannot send a transfer: managers QA and sign off every transfer sent (001 §13.2)")
        }
        if let pending = state.pendingTransfer {
            throw APError.refused(
                "case '\(state.id)' has a \(pending.kind.rawValue) transfer to \(pending.to.code) awaiting a decision since \(pending.sentAt.day)")
        }
        var payload: [String: JSONValue] = ["transfer": .string(transferID), "kind": .string(kind.rawValue), "from": here.json]
        let holding = state.holding(for: here.code)
        switch kind {
        case .complete, .caretaking:
            guard let to else { throw APError.usage("name the receiving YOT with --to CODE --to-name NAME") }
            guard to.code != here.code else { throw APError.usage("--to names this YOT (\(here.code)); a transfer goes to another YOT") }
            guard holding == .home, state.host == nil else {
                throw APError.refused(
                    holding == .host ? "this YOT is host for '\(state.id)'; only the home YOT (\(state.home?.code ?? "?")) transfers the case"
                        : state.host != nil ? "case '\(state.id)' is in caretaking with \(state.host!.code); end it first with 'ap caretake end'"
                        : "this YOT no longer holds case '\(state.id)'")
            }
            if kind == .complete && state.lookedAfter {
                throw APError.refused(
                    "no complete transfer for a looked-after child: '\(state.id)' stays with the home YOT; a caretaking arrangement is allowed (000 §19.2, 002 §12.2)")
            }
            guard let stage = state.stages.last(where: { $0.kind == StageKind.transfer && $0.status != .stopped }), stage.status == .completed else {
                throw APError.refused(
                    "case '\(state.id)' needs a completed Transfer YOT to YOT stage (countersigned where the policy says) before it is sent")
            }
            let keys = config.mandatory[StageKind.transfer] ?? StageKind.transferQuestions + StageKind.transferSummary
            let missing = keys.filter { stage.answer($0) == nil }
            guard missing.isEmpty else {
                throw APError.refused("the Transfer YOT to YOT stage of '\(state.id)' lacks answers: \(missing.joined(separator: ", "))")
            }
            try qualityAssured(state, stage, actor: actor, config: config)
            if kind == .complete, let today { try assessedWithinAMonth(state, today: today, config: config) }
            try MAPPA.checkEndorsed(
                state, since: state.transfers.filter { $0.from.code == here.code }.map(\.sentAt).max(),
                what: "a transfer to another YOT")
            payload["to"] = to.json
            payload["stage"] = .string(stage.id)
        case .update:
            guard let host = state.host, let home = state.home, holding != .released else {
                throw APError.refused("case '\(state.id)' is not in caretaking: updates go between home and host during caretaking")
            }
            guard let stage = state.stages.last(where: { $0.status == .completed }) else {
                throw APError.refused("case '\(state.id)' has no completed stage to send")
            }
            payload["to"] = (holding == .home ? host : home).json
            payload["stage"] = .string(stage.id)
        }
        return Change(EventType.transferSent, payload)
    }

    /// "AssetPlus ... updated within the last month" goes with a complete transfer (002 §12.6,
    /// Appendix A): the latest stage holding the assessment was completed no more than a month ago.
    static func assessedWithinAMonth(_ state: CaseState, today: Day, config: Config) throws {
        let catalogue = config.catalogue
        let assessed = state.stages.filter {
            $0.completedAt != nil && catalogue.sections(ofKind: $0.kind).contains("ec")
        }
        guard let latest = assessed.max(by: { $0.completedAt! < $1.completedAt! }) else {
            throw APError.refused(
                "case '\(state.id)' has no completed assessment stage; a complete transfer goes with one completed "
                    + "within the last month (002 §12.6, Appendix A): complete a Review first")
        }
        let completed = UKClock.day(of: latest.completedAt!)
        guard !(completed.adding(months: 1) < today) else {
            throw APError.refused(
                "the latest assessment stage of '\(state.id)', \(latest.id) (\(config.kindName(latest.kind))), was "
                    + "completed \(completed), more than a month ago; a complete transfer goes with one completed "
                    + "within the last month (002 §12.6, Appendix A): complete a Review first")
        }
    }

    /// Managers QA and sign off every transfer sent (001 §13.2): the stage is settled (no
    /// `yet-to-clarify` among the transfer answers), written for this transfer (not older than
    /// the case's last one), and checked by a second pair of eyes where the policy asks.
    static func qualityAssured(_ state: CaseState, _ stage: Stage, actor: Actor, config: Config) throws {
        let unclear = StageKind.transferQuestions.filter { stage.answer($0) == AnswerKey.yetToClarify }
        guard unclear.isEmpty else {
            throw APError.refused(
                "the Transfer YOT to YOT stage \(stage.id) of '\(state.id)' still has yet-to-clarify answers: "
                    + unclear.joined(separator: ", ") + "; clarify them in a new stage before it is sent")
        }
        if let last = state.transfers.last(where: { $0.kind != .update }), stage.startedAt < last.sentAt {
            throw APError.refused(
                "the Transfer YOT to YOT stage \(stage.id) of '\(state.id)' was started \(stage.startedAt.day), "
                    + "before the last transfer (\(last.id), \(last.sentAt.day)); complete a new one for this transfer")
        }
        if config.policy.transferNeedsSecondManager {
            let answered = stage.filledBy.contains(actor.id)
            guard !stage.isOwned(by: actor), !answered else {
                throw APError.permission(
                    "'\(actor.id)' \(stage.isOwned(by: actor) ? "owns" : "answered") the Transfer YOT to YOT stage "
                        + "\(stage.id): another manager QAs and sends it "
                        + "(001 §13.2; policy transfer-needs-second-manager)")
            }
        }
    }

    /// The receiver accepts: the information, not the case (001 §13.2). Caretaking gets a
    /// review date `months` on (no later than three months, 002 §12.1).
    /// The caretaking agreement recorded on acceptance (002 §12.7, Appendix B): the tasks of
    /// each side and the review date, no later than three months (the policy's months) on.
    public struct CaretakingAgreement: Sendable {
        public var hostTasks: String?
        public var homeTasks: String?
        public var review: Day?

        public init(hostTasks: String? = nil, homeTasks: String? = nil, review: Day? = nil) {
            self.hostTasks = hostTasks
            self.homeTasks = homeTasks
            self.review = review
        }
    }

    public static func accept(
        _ state: CaseState, transferID: String, here: YOT, actor: Actor, today: Day, months: Int,
        agreement: CaretakingAgreement = CaretakingAgreement()
    ) throws -> Change {
        let t = try pendingHere(state, transferID, here, actor)
        if t.kind == .complete && state.lookedAfter {
            throw APError.refused(
                "no complete transfer for a looked-after child (000 §19.2): reject it with a reason, or agree caretaking with \(t.from.code)")
        }
        var payload: [String: JSONValue] = ["transfer": .string(t.id)]
        guard t.kind == .caretaking else {
            if agreement.hostTasks != nil || agreement.homeTasks != nil || agreement.review != nil {
                throw APError.usage("--host-tasks, --home-tasks and --review go with accepting caretaking")
            }
            return Change(EventType.transferAccepted, payload)
        }
        let latest = today.adding(months: months)
        let review = agreement.review ?? latest
        if latest < review {
            throw APError.refused(
                "--review \(review) is more than \(months) months after acceptance; the review is no later than "
                    + "\(latest) (002 §12.1, Appendix B)")
        }
        if review < today { throw APError.usage("--review \(review) is in the past") }
        payload["reviewDate"] = .string(review.description)
        if let tasks = agreement.hostTasks {
            payload["hostTasks"] = .string(try StageRules.requiredText(tasks, "--host-tasks"))
        }
        if let tasks = agreement.homeTasks {
            payload["homeTasks"] = .string(try StageRules.requiredText(tasks, "--home-tasks"))
        }
        return Change(EventType.transferAccepted, payload)
    }

    /// Accepting an update while a stage is open here would let the update's stage silently
    /// stop it in the merge: refused, naming the stage, unless the manager supersedes it. The
    /// stop then names that manager (`supersede` in the payload; see `CaseState.withdrawn`).
    public static func makeRoomForUpdate(
        _ local: CaseState, transferID: String, from: YOT, supersede: Bool, actor: Actor, config: Config
    ) throws -> Change? {
        guard let open = local.openStage else { return nil }
        guard supersede else {
            throw APError.refused(
                "this YOT has stage \(open.id) (\(config.kindName(open.kind)), \(open.status.rawValue), "
                    + "owner \(open.owner)) open for '\(local.id)'; "
                    + "finish it first, or accept with --supersede to stop it")
        }
        return Change(EventType.stageStopped, [
            "stage": .string(open.id), "supersede": true,
            "reason": .string("superseded by the update from \(from.code) (transfer \(transferID))"),
        ])
    }

    /// A manager of the home YOT reviews a caretaking arrangement and sets the next review,
    /// no later than the policy's months ahead (002 §12.1, Appendix B).
    public static func reviewCaretaking(
        _ state: CaseState, next: Day, note: String?, here: YOT, actor: Actor, today: Day, months: Int
    ) throws -> Change {
        guard actor.user.has(.manager) else {
            throw APError.permission(
                "'\(actor.id)' cannot review caretaking: the home YOT's managers do (002 Appendix B)")
        }
        guard state.host != nil else { throw APError.refused("case '\(state.id)' is not in caretaking") }
        guard state.holding(for: here.code) == .home else {
            throw APError.permission(
                "this YOT is host for '\(state.id)'; the home YOT (\(state.home?.code ?? "?")) reviews caretaking")
        }
        let latest = today.adding(months: months)
        guard next > today, next <= latest else {
            throw APError.usage("--next must be after today and no later than \(latest) (\(months) months; 002 §12.1)")
        }
        var payload: [String: JSONValue] = ["next": .string(next.description)]
        if let note { payload["note"] = .string(try StageRules.requiredText(note, "--note")) }
        return Change(EventType.caretakingReviewed, payload)
    }

    public static func reject(
        _ state: CaseState, transferID: String, reason: String, detail: String?, here: YOT, actor: Actor
    ) throws -> Change {
        let t = try pendingHere(state, transferID, here, actor)
        guard let r = RejectionReason(rawValue: reason) else {
            throw APError.usage("unknown reason '\(reason)'; reasons: \(RejectionReason.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if r.initialOnly && t.kind == .update {
            throw APError.usage("'\(r.rawValue)' (\(r.label)) is for an initial transfer request only, not an update")
        }
        var payload: [String: JSONValue] = ["transfer": .string(t.id), "reason": .string(r.rawValue)]
        if let detail, !detail.isEmpty { payload["detail"] = .string(try StageRules.requiredText(detail, "--detail")) }
        if r == .other && payload["detail"] == nil { throw APError.usage("reason 'other' needs --detail TEXT (please specify)") }
        return Change(EventType.transferRejected, payload)
    }

    static func pendingHere(_ state: CaseState, _ id: String, _ here: YOT, _ actor: Actor) throws -> Transfer {
        guard actor.user.has(.manager) else {
            throw APError.permission("'\(actor.id)' cannot decide on a transfer: operational managers accept or reject what is received")
        }
        guard let t = state.transfer(id) else { throw APError.notFound("case '\(state.id)' has no transfer '\(id)'") }
        guard t.to.code == here.code else { throw APError.refused("transfer '\(id)' is addressed to \(t.to.code), not this YOT (\(here.code))") }
        guard t.status == .pending else { throw APError.refused("transfer '\(id)' was already \(t.status.rawValue)") }
        return t
    }

    public enum Outcome: String, CaseIterable, Sendable {
        case returnHome = "return-home"
        case completeTransfer = "complete-transfer"
    }

    /// Only the home YOT ends caretaking: the young person returns home, or passes to the host
    /// by complete transfer, never for a looked-after child (000 §19.2, 001 §13.23).
    public static func endCaretaking(_ state: CaseState, outcome: Outcome, here: YOT, actor: Actor) throws -> Change {
        guard actor.user.has(.manager) else {
            throw APError.permission("'\(actor.id)' cannot end caretaking: the home YOT's managers do, by agreement")
        }
        guard let host = state.host else { throw APError.refused("case '\(state.id)' is not in caretaking") }
        guard state.holding(for: here.code) == .home else {
            throw APError.refused("this YOT is host for '\(state.id)'; only the home YOT (\(state.home?.code ?? "?")) ends caretaking")
        }
        if outcome == .completeTransfer && state.lookedAfter {
            throw APError.refused("no complete transfer for a looked-after child: '\(state.id)' returns home or stays in caretaking (000 §19.2)")
        }
        return Change(EventType.caretakingEnded, ["outcome": .string(outcome.rawValue), "from": here.json, "to": host.json])
    }
}
