/// Countersignature by an Operational Manager (domain.md; 001 §15).
public enum CountersignRules {
    /// Countersigns the stage awaiting countersignature, which completes it.
    public static func countersign(_ state: CaseState, stageID: String?, comment: String?, actor: Actor) throws -> Change {
        let stage = try awaiting(state, stageID: stageID, actor: actor)
        var payload: [String: JSONValue] = ["stage": .string(stage.id)]
        if let c = comment { payload["comment"] = .string(try StageRules.requiredText(c, "--comment")) }
        return Change(EventType.stageCountersigned, payload)
    }

    /// Sends the stage back to its owner for amendment; it is in progress again.
    public static func returnForAmendment(_ state: CaseState, stageID: String?, reason: String, actor: Actor) throws -> Change {
        let stage = try awaiting(state, stageID: stageID, actor: actor)
        let reason = try StageRules.requiredText(reason, "--return")
        return Change(EventType.stageReturned, ["stage": .string(stage.id), "reason": .string(reason)])
    }

    static func awaiting(_ state: CaseState, stageID: String?, actor: Actor) throws -> Stage {
        guard actor.user.has(.manager) else {
            throw APError.permission("'\(actor.id)' cannot countersign: only managers countersign")
        }
        let stage: Stage
        if let id = stageID {
            stage = try state.stage(named: id)
        } else {
            guard let s = state.openStage else {
                throw APError.refused("case '\(state.id)' has no stage awaiting countersignature")
            }
            stage = s
        }
        guard stage.status == .awaitingCountersignature else {
            throw APError.refused(
                "stage '\(stage.id)' of '\(state.id)' is \(stage.status.rawValue), not awaiting countersignature; nothing to sign off")
        }
        guard !stage.isOwned(by: actor) else {
            throw APError.permission("'\(actor.id)' owns stage '\(stage.id)' and cannot countersign it; another manager must")
        }
        guard !stage.filledBy.contains(actor.id) else {
            throw APError.permission("'\(actor.id)' filled in stage '\(stage.id)' and cannot countersign it; another manager must")
        }
        return stage
    }
}
