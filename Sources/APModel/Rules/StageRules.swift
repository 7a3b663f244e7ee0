/// The stage lifecycle (domain.md, "Stage lifecycle"; 001 §2, §11). Pure functions:
/// each checks who may act and what the case's state allows, then returns the change.
public enum StageRules {
    /// Starts a stage when none is open, pulling answers forward from the latest completed
    /// stage unless told not to or that stage is a Case Closure the policy excludes.
    public static func start(
        _ state: CaseState, kind: StageKind, owner: User, pullForward: Bool, stageID: String, actor: Actor, config: Config
    ) throws -> Change {
        guard owner.has(.practitioner) || owner.has(.manager) else {
            let hint = owner.id == actor.id ? "; name the owner with --owner USER" : ""
            throw APError.permission("'\(owner.id)' cannot own a stage: a stage owner is a practitioner or a manager\(hint)")
        }
        guard actor.id == owner.id || actor.user.isProxy || actor.user.has(.manager) else {
            throw APError.permission(
                "'\(actor.id)' cannot start a stage owned by '\(owner.id)': only managers and proxies (business support, admin) start stages for others")
        }
        guard actor.user.has(.practitioner) || actor.user.has(.manager) || actor.user.isProxy else {
            throw APError.permission("'\(actor.id)' has no role that may start a stage")
        }
        if let open = state.openStage { throw alreadyOpen(state, open, config) }
        var payload: [String: JSONValue] = ["stage": .string(stageID), "kind": .string(kind.slug), "owner": .string(owner.id)]
        if pullForward, let previous = state.previousCompletedStage,
            previous.kind != StageKind.caseClosure || config.policy.pullForwardAfterClosure
        {
            payload["pulledFrom"] = .string(previous.id)
            payload["pulled"] = .object(previous.answers.mapValues { .string($0.value) })
        }
        return Change(EventType.stageStarted, payload)
    }

    static func alreadyOpen(_ state: CaseState, _ open: Stage, _ config: Config) -> APError {
        .refused(
            "case '\(state.id)' already has a stage \(open.status.rawValue) (\(config.kindName(open.kind)), started \(open.startedAt.day) by \(open.startedBy)); a manager can stop it first with 'ap stage stop'")
    }

    /// Records answers and ratings in the stage in progress.
    public static func answer(_ state: CaseState, answers: [(key: String, value: String)], actor: Actor) throws -> Change {
        guard !answers.isEmpty else { throw APError.usage("no answers given; use key=value, e.g. rosh=medium") }
        let stage = try inProgress(state, doing: "record answers")
        try mayUpdate(stage, actor, doing: "update")
        var payload: [String: JSONValue] = [:]
        for (key, value) in answers {
            try AnswerKey.validate(key)
            try AnswerKey.validate(value: value, for: key)
            if Ratings.valueSets[key] != nil, value == AnswerKey.yetToClarify {
                throw APError.data("rating '\(key)' cannot be '\(AnswerKey.yetToClarify)'; allowed: \(Ratings.valueSets[key]!.joined(separator: ", "))")
            }
            payload[key] = .string(value)
        }
        return Change(EventType.stageAnswered, ["stage": .string(stage.id), "answers": .object(payload)])
    }

    /// Completes the stage in progress, or sends it for countersignature when the policy applies.
    public static func submit(_ state: CaseState, actor: Actor, config: Config) throws -> Change {
        let stage = try inProgress(state, doing: "submit")
        try mayUpdate(stage, actor, doing: "submit")
        let missing = missingAnswers(stage, config: config)
        guard missing.isEmpty else {
            throw APError.refused(
                "cannot submit the \(config.kindName(stage.kind)) stage of '\(state.id)': mandatory answers missing: \(missing.joined(separator: ", "))")
        }
        let criteria = Countersignature.criteria(for: stage, policy: config.policy)
        var payload: [String: JSONValue] = ["stage": .string(stage.id), "criteria": .array(criteria.map(JSONValue.string))]
        if let limit = config.policy.yetToClarifyPercent {
            let share = Countersignature.yetToClarifyPercent(stage)
            if share > limit { payload["yetToClarifyPercent"] = .int(share) }
        }
        return Change(EventType.stageSubmitted, payload)
    }

    /// The mandatory keys without an answer, and the explanations a `yes` makes mandatory (001 §1.5.1).
    public static func missingAnswers(_ stage: Stage, config: Config) -> [String] {
        var missing = (config.mandatory[stage.kind] ?? []).filter { stage.answer($0) == nil }
        for key in config.furtherExploration where stage.answer(key) == "yes" && stage.answer(key + ".explanation") == nil {
            missing.append(key + ".explanation")
        }
        return missing
    }

    /// A manager stops the open stage, e.g. on re-allocation or for an urgent bail stage (001 §2.3, §11.22).
    public static func stop(_ state: CaseState, reason: String, actor: Actor, config: Config) throws -> Change {
        guard actor.user.has(.manager) else {
            throw APError.permission("'\(actor.id)' cannot stop a stage: only managers stop stages")
        }
        guard let open = state.openStage else { throw APError.refused("case '\(state.id)' has no stage open to stop") }
        let reason = try requiredText(reason, "--reason")
        return Change(EventType.stageStopped, ["stage": .string(open.id), "reason": .string(reason)])
    }

    static func inProgress(_ state: CaseState, doing: String) throws -> Stage {
        guard let open = state.openStage else {
            throw APError.refused("case '\(state.id)' has no stage in progress to \(doing); start one with 'ap stage new'")
        }
        guard open.status == .inProgress else {
            throw APError.refused(
                "the open stage of '\(state.id)' is \(open.status.rawValue); a manager countersigns it or returns it with 'ap countersign --return'")
        }
        return open
    }

    /// The stage owner, proxies and managers update a stage (001 §2).
    static func mayUpdate(_ stage: Stage, _ actor: Actor, doing: String) throws {
        guard actor.id == stage.owner || actor.user.isProxy || actor.user.has(.manager) else {
            throw APError.permission(
                "'\(actor.id)' cannot \(doing) this stage: it is owned by '\(stage.owner)'; the owner, managers and proxies (business support, admin) can")
        }
    }

    static func requiredText(_ text: String, _ option: String) throws -> String {
        let t = text.trimmingNewlines
        guard !t.isEmpty else { throw APError.usage("\(option) needs a non-empty text") }
        guard t.utf8.count <= 2000 else { throw APError.usage("\(option) is longer than 2000 bytes") }
        return t
    }
}
