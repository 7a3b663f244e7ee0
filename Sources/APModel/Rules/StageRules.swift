/// The stage lifecycle (domain.md, "Stage lifecycle"; 001 §2, §11). Pure functions:
/// each checks who may act and what the case's state allows, then returns the change.
public enum StageRules {
    /// How a stage starts: where its answers come from, and when it is due.
    public struct StartOptions: Sendable {
        public var pullForward = true
        /// Pull forward from this earlier stage rather than the latest completed or stopped one.
        public var pullFrom: String?
        /// A due date (a court date): the stage is due at the earlier of it and the timescale.
        public var due: Day?
        /// For a Case Closure: the end of involvement, from which its timescale counts (001 §6.21).
        public var involvementEnded: Day?

        public init(pullForward: Bool = true, pullFrom: String? = nil, due: Day? = nil, involvementEnded: Day? = nil) {
            self.pullForward = pullForward
            self.pullFrom = pullFrom
            self.due = due
            self.involvementEnded = involvementEnded
        }
    }

    /// Starts a stage when none is open, pulling answers forward from the latest completed or
    /// stopped stage (or the one named) unless told not to or that stage is a Case Closure the
    /// policy excludes.
    public static func start(
        _ state: CaseState, kind: StageKind, owner: User, options: StartOptions = StartOptions(), stageID: String,
        actor: Actor, config: Config, today: Day? = nil
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
        try CustodyRules.checkPSRMayStart(state, kind: kind.slug)
        var payload: [String: JSONValue] = ["stage": .string(stageID), "kind": .string(kind.slug), "owner": .string(owner.id)]
        if let due = options.due {
            if let today, due < today { throw APError.usage("--due \(due) is in the past") }
            payload["due"] = .string(due.description)
        }
        if let ended = options.involvementEnded {
            guard kind.slug == StageKind.caseClosure else {
                throw APError.usage("--involvement-ended goes with a Case Closure stage (001 §6.21)")
            }
            if let today, today < ended { throw APError.usage("--involvement-ended \(ended) is in the future") }
            payload["involvementEnded"] = .string(ended.description)
        }
        if let previous = try pullSource(state, options, config) {
            // Only what the new kind holds: a bail stage does not carry a PSR's assessment.
            let catalogue = config.catalogue
            payload["pulledFrom"] = .string(previous.id)
            let held = previous.answers.filter { catalogue.holds(kind: kind.slug, key: $0.key) }
            payload["pulled"] = .object(held.mapValues { .string($0.value) })
            let parts = previous.entries.filter { catalogue.holds(kind: kind.slug, key: $0.key) }
            if !parts.isEmpty {
                payload["pulledEntries"] = .object(parts.mapValues { list in
                    .array(list.map {
                        ["entry": .string($0.id), "fields": .object($0.fields.mapValues(JSONValue.string))]
                    })
                })
            }
        }
        return Change(EventType.stageStarted, payload)
    }

    /// The stage to pull forward from: the one named, or the latest completed or stopped one
    /// (not a Case Closure unless the policy says so).
    static func pullSource(_ state: CaseState, _ options: StartOptions, _ config: Config) throws -> Stage? {
        if let id = options.pullFrom {
            guard options.pullForward else {
                throw APError.usage("--pull-from and --no-pull-forward contradict each other")
            }
            guard let stage = state.stage(id) else {
                throw APError.notFound(
                    "case '\(state.id)' has no stage '\(id)' to pull from; stages: "
                        + state.stages.map(\.id).joined(separator: ", "))
            }
            return stage
        }
        let catalogue = config.catalogue
        guard options.pullForward,
            let previous = state.pullForwardSource(
                here: config.yotCode, holding: { catalogue.sections(ofKind: $0).contains("ec") })
        else { return nil }
        return previous.kind != StageKind.caseClosure || config.policy.pullForwardAfterClosure ? previous : nil
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
            if stored != "yes" { try keepsFlag(stage, key, catalogue, doing: "change") }
            payload[key] = .string(stored)
        }
        try answerScreens(stage, &payload, catalogue)
        try Likelihood.answerIndicative(stage, &payload, config.policy)
        var change: [String: JSONValue] = ["stage": .string(stage.id), "answers": .object(payload)]
        if let owner = onBehalfOf(stage, actor) { change["onBehalfOf"] = .string(owner) }
        return Change(EventType.stageAnswered, change)
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
            try keepsFlag(stage, key, catalogue, doing: "clear")
            payload[key] = .string("")
        }
        // The indicative LoR followed from the score: without the score it has no source.
        if payload[Likelihood.score] != nil, stage.answers["indicative-lor"] != nil {
            payload["indicative-lor"] = .string("")
        }
        var change: [String: JSONValue] = ["stage": .string(stage.id), "answers": .object(payload)]
        if let owner = onBehalfOf(stage, actor) { change["onBehalfOf"] = .string(owner) }
        return Change(EventType.stageAnswered, change)
    }

    /// A trigger answered yes in a stage already submitted once keeps its yes: the flag was
    /// seen by whoever read the submission, so only a new stage can say otherwise (issue 24).
    static func keepsFlag(_ stage: Stage, _ key: String, _ catalogue: Catalogue, doing: String) throws {
        guard let submitted = stage.submittedAt, let answer = stage.answers[key], answer.value == "yes",
            !(submitted < answer.at), catalogue.question(key)?.isTrigger == true
        else { return }
        throw APError.refused(
            "cannot \(doing) '\(key)': it was answered yes when stage \(stage.id) was submitted, and a flagged "
                + "trigger stands until a new stage; add to '\(key)\(Catalogue.explanationSuffix)' instead")
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
        let payload: [String: JSONValue] = [
            "stage": .string(stage.id), "section": .string(section), "user": .string(user.id),
        ]
        return Change(EventType.stageAssigned, payload)
    }

    /// Completes the stage in progress, or sends it for countersignature when the policy applies.
    public static func submit(_ state: CaseState, actor: Actor, config: Config) throws -> Change {
        let stage = try inProgress(state, doing: "submit")
        try maySubmit(stage, actor)
        // The catalogue is built from the config: once here, not in each check.
        let catalogue = config.catalogue
        let evidence = missingEvidence(stage, config: config, catalogue: catalogue)
        let screens = unansweredScreens(stage, in: state, config: config, catalogue: catalogue)
        let unreviewed = unreviewedTargets(stage)
        let missing = missingMandatory(stage, config: config, catalogue: catalogue)
        if let disagreement = Likelihood.disagreement(stage, config.policy) {
            throw APError.refused(
                "cannot submit the \(config.kindName(stage.kind)) stage of '\(state.id)': \(disagreement)")
        }
        let unexplained = Likelihood.unexplained(stage, config.policy)
        guard missing.isEmpty, evidence.isEmpty, screens.isEmpty, unreviewed.isEmpty, unexplained.isEmpty else {
            throw APError.refused(
                "cannot submit the \(config.kindName(stage.kind)) stage of '\(state.id)': "
                    + whatIsMissing(
                        missing, unreviewed: unreviewed, screens: screens, evidence: evidence, overrides: unexplained))
        }
        var criteria = Countersignature.criteria(
            for: stage, policy: config.policy, countersignKinds: config.countersignKinds)
        var payload: [String: JSONValue] = ["stage": .string(stage.id)]
        if let owner = onBehalfOf(stage, actor) { payload["onBehalfOf"] = .string(owner) }
        if let limit = config.policy.yetToClarifyPercent {
            let share = Countersignature.yetToClarifyPercent(stage)
            if share > limit {
                payload["yetToClarifyPercent"] = .int(share)
                criteria.append(Countersignature.yetToClarify)
            }
        }
        payload["criteria"] = .array(criteria.map(JSONValue.string))
        // The referrals flagged, as this repository's catalogue names them now (001 Annex B).
        let flags = catalogue.referrals(stage.answers.mapValues(\.value))
        if !flags.isEmpty {
            payload["flags"] = .array(flags.map {
                ["question": .string($0.key), "referral": .string($0.referral ?? "")]
            })
        }
        return Change(EventType.stageSubmitted, payload)
    }

    /// The mandatory keys and required ratings without an answer, and the explanations a
    /// `yes` to a trigger makes mandatory (001 §1.5.1, §3.1).
    public static func missingAnswers(_ stage: Stage, config: Config, catalogue: Catalogue) -> [String] {
        missingMandatory(stage, config: config, catalogue: catalogue)
            + missingEvidence(stage, config: config, catalogue: catalogue).map(\.part) + unreviewedTargets(stage)
            + Likelihood.unexplained(stage, config.policy).map(\.reasonKey)
    }

    /// The mandatory keys and required ratings without an answer (a list part without an
    /// entry), and the explanations a `yes` to a trigger makes mandatory.
    static func missingMandatory(_ stage: Stage, config: Config, catalogue: Catalogue) -> [String] {
        func blank(_ key: String) -> Bool {
            if catalogue.question(key)?.type == .list { return stage.entries(key).isEmpty }
            return !(stage.answer(key)?.contains { !$0.isWhitespace } ?? false)
        }
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

    /// Takes back a submission not yet countersigned, to amend it: its owner or a manager
    /// (issue 25). A countersigned stage is put right by a new stage, not withdrawn.
    public static func withdraw(_ state: CaseState, reason: String, actor: Actor) throws -> Change {
        guard let open = state.openStage, open.status == .awaitingCountersignature else {
            throw APError.refused(
                "case '\(state.id)' has no submission awaiting countersignature to withdraw; a countersigned stage "
                    + "is put right by a new stage")
        }
        guard open.owner == actor.id || actor.user.has(.manager) else {
            throw APError.permission(
                "'\(actor.id)' cannot withdraw stage \(open.id): its owner (\(open.owner)) or a manager does")
        }
        let reason = try requiredText(reason, "--reason")
        return Change(EventType.stageWithdrawn, ["stage": .string(open.id), "reason": .string(reason)])
    }

    /// A copy this YOT no longer holds (transferred out, or caretaking ended) keeps no stage
    /// open: it would wait for ever and count as overdue. Nil when nothing is to stop.
    public static func stopOnRelease(_ state: CaseState, here: String, reason: String) -> Change? {
        guard state.holding(for: here) == .released, let open = state.openStage else { return nil }
        return Change(EventType.stageStopped, ["stage": .string(open.id), "reason": .string(reason)])
    }

    public static let transferredReason = "transferred"
    public static let caretakingEndedReason = "caretaking ended"

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
        stage.isOwned(by: actor) || actor.user.isProxy || actor.user.has(.manager) || standsIn(stage, actor)
    }

    /// Any YOT officer is a proxy on a stage whose owner is absent (001 §2.2: "to progress a
    /// stage where the stage owner is on short term leave"); never a countersigner.
    static func standsIn(_ stage: Stage, _ actor: Actor) -> Bool {
        actor.user.has(.practitioner) && actor.absentColleagues.contains(stage.owner) && !stage.isOwned(by: actor)
    }

    /// The owner a proxy acts for, named in the event so the history says on whose behalf;
    /// nil for the owner, a manager or a contributor acting in their own right.
    static func onBehalfOf(_ stage: Stage, _ actor: Actor) -> String? {
        guard !stage.isOwned(by: actor), !actor.user.has(.manager) else { return nil }
        return actor.user.isProxy || standsIn(stage, actor) ? stage.owner : nil
    }

    /// "Stage owners will need to validate and complete stages" (001 §2.2): the owner submits;
    /// while the owner is absent, a practitioner, manager or proxy submits on their behalf.
    static func maySubmit(_ stage: Stage, _ actor: Actor) throws {
        if stage.isOwned(by: actor) { return }
        let standIn = actor.user.isProxy || actor.user.has(.practitioner) || actor.user.has(.manager)
        guard standIn, actor.absentColleagues.contains(stage.owner) else {
            throw APError.permission(
                "'\(actor.id)' cannot submit stage \(stage.id): its owner '\(stage.owner)' validates and submits it, "
                    + "or while they are absent ('ap user absent') a colleague on their behalf (001 §2.2)")
        }
    }

    /// The stage owner, proxies and managers update a stage (001 §2).
    static func mayUpdate(_ stage: Stage, _ actor: Actor, doing: String) throws {
        guard mayUpdateAll(stage, actor) else {
            throw APError.permission(
                "'\(actor.id)' cannot \(doing) this stage: it is owned by '\(stage.owner)'; the owner, managers and proxies (business support, admin) can")
        }
    }

    public static func requiredText(_ text: String, _ option: String) throws -> String {
        let t = text.trimmingNewlines
        guard !t.isEmpty else { throw APError.usage("\(option) needs a non-empty text") }
        guard t.utf8.count <= 2000 else { throw APError.usage("\(option) is longer than 2000 bytes") }
        return t
    }
}
