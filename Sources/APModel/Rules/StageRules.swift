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
            // Only what the new kind holds: a bail stage does not carry a PSR's assessment.
            let catalogue = config.catalogue
            payload["pulledFrom"] = .string(previous.id)
            let held = previous.answers.filter { catalogue.holds(kind: kind.slug, key: $0.key) }
            payload["pulled"] = .object(held.mapValues { .string($0.value) })
        }
        return Change(EventType.stageStarted, payload)
    }

    static func alreadyOpen(_ state: CaseState, _ open: Stage, _ config: Config) -> APError {
        .refused(
            "case '\(state.id)' already has a stage \(open.status.rawValue) (\(config.kindName(open.kind)), started \(open.startedAt.day) by \(open.startedBy)); a manager can stop it first with 'ap stage stop'")
    }

    /// Records answers and ratings in the stage in progress, each checked against the
    /// catalogue; a contributor answers only in the sections allocated to them.
    public static func answer(
        _ state: CaseState, answers: [(key: String, value: String)], actor: Actor, config: Config, catalogue: Catalogue
    ) throws -> Change {
        guard !answers.isEmpty else { throw APError.usage("no answers given; use key=value, e.g. rosh=medium") }
        let stage = try inProgress(state, doing: "record answers")
        let allowedSections = try answerableSections(stage, actor)
        var payload: [String: JSONValue] = [:]
        for (key, value) in answers {
            let stored = try catalogue.check(key: key, value: value, kind: stage.kind, kindName: config.kindName)
            if let allowedSections, let section = catalogue.question(key)?.section, !allowedSections.contains(section) {
                throw APError.permission(
                    "'\(actor.id)' contributes \(allowedSections.joined(separator: ", ")) to this stage and "
                        + "cannot answer '\(key)' (section \(section)); the owner, managers and proxies can")
            }
            payload[key] = .string(stored)
        }
        return Change(EventType.stageAnswered, ["stage": .string(stage.id), "answers": .object(payload)])
    }

    /// Clears answers of the stage in progress (a blank answer is refused: clearing is said plainly).
    public static func clear(_ state: CaseState, keys: [String], actor: Actor, catalogue: Catalogue) throws -> Change {
        guard !keys.isEmpty else { throw APError.usage("no keys given; e.g. 'ap stage clear CASE pfs.gangs'") }
        let stage = try inProgress(state, doing: "clear answers")
        let allowedSections = try answerableSections(stage, actor)
        var payload: [String: JSONValue] = [:]
        for key in keys {
            guard stage.answers[key] != nil else {
                throw APError.notFound("stage \(stage.id) of '\(state.id)' has no answer '\(key)' to clear")
            }
            if let allowedSections, !allowedSections.contains(catalogue.question(key)?.section ?? "") {
                throw APError.permission(
                    "'\(actor.id)' may clear only answers in \(allowedSections.joined(separator: ", "))")
            }
            payload[key] = .string("")
        }
        return Change(EventType.stageAnswered, ["stage": .string(stage.id), "answers": .object(payload)])
    }

    /// nil when the actor may answer anything (owner, proxy, manager); else the sections
    /// allocated to them as a contributor, or an error when there are none.
    static func answerableSections(_ stage: Stage, _ actor: Actor) throws -> [String]? {
        if mayUpdateAll(stage, actor) { return nil }
        let mine = stage.sections(of: actor.id)
        guard !mine.isEmpty else { try mayUpdate(stage, actor, doing: "update"); return nil }
        return mine
    }

    /// An operational manager allocates a section or module of the open stage to a
    /// contributor of any role (001 §2: "YOT Officers must seek Operational manager approval").
    public static func assign(
        _ state: CaseState, section: String, to user: User?, actor: Actor, config: Config, catalogue: Catalogue
    ) throws -> Change {
        guard actor.user.has(.manager) else {
            throw APError.permission(
                "'\(actor.id)' cannot allocate sections: only managers approve contributors (001 §2)")
        }
        let stage = try inProgress(state, doing: "allocate sections of")
        let held = catalogue.sections(ofKind: stage.kind)
        guard held.contains(section) else {
            throw APError.data(
                "a \(config.kindName(stage.kind)) stage has no section '\(section)'; "
                    + "it holds: \(held.joined(separator: ", "))")
        }
        guard let user else {
            guard stage.contributors[section] != nil else {
                throw APError.refused("section '\(section)' of stage \(stage.id) is not allocated to anyone")
            }
            return Change(EventType.stageUnassigned, ["stage": .string(stage.id), "section": .string(section)])
        }
        let payload: [String: JSONValue] = ["stage": .string(stage.id), "section": .string(section), "user": .string(user.id)]
        return Change(EventType.stageAssigned, payload)
    }

    /// Completes the stage in progress, or sends it for countersignature when the policy applies.
    public static func submit(_ state: CaseState, actor: Actor, config: Config) throws -> Change {
        let stage = try inProgress(state, doing: "submit")
        try mayUpdate(stage, actor, doing: "submit")
        let missing = missingAnswers(stage, config: config, catalogue: config.catalogue)
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

    /// The mandatory keys and required ratings without an answer, and the explanations a
    /// `yes` to a trigger makes mandatory (001 §1.5.1, §3.1).
    public static func missingAnswers(_ stage: Stage, config: Config, catalogue: Catalogue) -> [String] {
        func blank(_ key: String) -> Bool { !(stage.answer(key)?.contains { !$0.isWhitespace } ?? false) }
        var missing: [String] = []
        for key in (config.requiredRatings[stage.kind] ?? []) + (config.mandatory[stage.kind] ?? [])
        where blank(key) && !missing.contains(key) {
            missing.append(key)
        }
        for trigger in catalogue.triggers where stage.answer(trigger.key) == "yes" {
            let explanation = trigger.key + Catalogue.explanationSuffix
            if blank(explanation) { missing.append(explanation) }
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

    static func mayUpdateAll(_ stage: Stage, _ actor: Actor) -> Bool {
        actor.id == stage.owner || actor.user.isProxy || actor.user.has(.manager)
    }

    /// The stage owner, proxies and managers update a stage (001 §2).
    static func mayUpdate(_ stage: Stage, _ actor: Actor, doing: String) throws {
        guard mayUpdateAll(stage, actor) else {
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
