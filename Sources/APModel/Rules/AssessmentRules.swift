/// What an assessment needs before it is submitted, beyond its mandatory answers (issue 24):
/// the screens of a first assessment, the entries a high rating rests on, the plan's targets
/// reviewed at a Review; and the screens' items answering their triggers.
extension StageRules {
    /// A `yes` to any item of a screening tool answers its trigger `yes` in the same event, so
    /// that its explanation is needed and its referral flagged (001 §4.1); the trigger cannot
    /// say otherwise while an item says yes.
    static func answerScreens(_ stage: Stage, _ payload: inout [String: JSONValue], _ catalogue: Catalogue) throws {
        func value(_ key: String) -> String? { payload[key]?.stringValue ?? stage.answer(key) }
        for screen in ShippedCatalogue.screens {
            let items = catalogue.questions.filter { $0.screen == screen.trigger }
            guard let yes = items.first(where: { value($0.key) == "yes" }) else { continue }
            if let given = payload[screen.trigger]?.stringValue, given != "yes" {
                throw APError.data(
                    "'\(screen.trigger)' cannot be \(given) while '\(yes.key)' is yes: a yes to any item of the "
                        + "\(screen.name) screen answers it yes (001 §4.1)")
            }
            if value(screen.trigger) != "yes" { payload[screen.trigger] = "yes" }
        }
    }

    /// The screening items a case's first Start of Intervention, PSR or Referral Order Report
    /// stage needs answered: the four screens, "in all cases" (001 §4.2; issue 24).
    public static let screenedKinds: Set<String> = [StageKind.startOfIntervention, "psr", "referral-order-report"]

    /// What the stage still needs before it can be submitted, as `stage show` lists it.
    public static func stillNeeded(_ stage: Stage, in state: CaseState, config: Config, catalogue: Catalogue)
        -> [String]
    {
        missingAnswers(stage, config: config, catalogue: catalogue)
            + unansweredScreens(stage, in: state, config: config, catalogue: catalogue)
    }

    /// The screening items still unanswered in a case's first screened stage (policy
    /// `first-assessment-screens`); none for a later stage or another kind.
    public static func unansweredScreens(_ stage: Stage, in state: CaseState, config: Config, catalogue: Catalogue)
        -> [String]
    {
        guard config.policy.firstAssessmentScreens == "required", screenedKinds.contains(stage.kind),
            catalogue.sections(ofKind: stage.kind).contains("screening"),
            !state.stages.contains(where: {
                $0.id != stage.id && screenedKinds.contains($0.kind) && $0.submittedAt != nil
            })
        else { return [] }
        return catalogue.questions.filter { $0.screen != nil && stage.answer($0.key) == nil }.map(\.key)
    }

    /// At a Review each target pulled forward has its status set again in this stage (001 §6.2:
    /// the plan is reviewed with the stage): `pp.targets N` for each one not yet looked at.
    public static func unreviewedTargets(_ stage: Stage) -> [String] {
        guard stage.kind == StageKind.review else { return [] }
        return stage.entries("pp.targets").enumerated()
            .filter { $0.element.pulled && $0.element.changedAt == nil }
            .map { "pp.targets \($0.offset + 1)" }
    }

    /// The ratings that `ap config set rating-evidence required` (the default) says need
    /// entries: a RoSH of high or very high its future behaviours, a SaW its adverse outcomes.
    public static let ratingEvidence = [("rosh", "future-behaviours"), ("saw", "adverse-outcomes")]

    public static func missingEvidence(_ stage: Stage, config: Config, catalogue: Catalogue)
        -> [(rating: String, value: String, part: String)]
    {
        guard config.policy.ratingEvidence == "required" else { return [] }
        return ratingEvidence.compactMap { rating, part in
            guard let value = stage.answer(rating), (Ratings.rank(rating, value) ?? 0) >= 2,
                stage.entries(part).isEmpty, catalogue.holds(kind: stage.kind, key: part)
            else { return nil }
            return (rating, value, part)
        }
    }

    /// The refusal of a submission in words: each thing missing, with how to supply it.
    static func whatIsMissing(
        _ missing: [String], unreviewed: [String], screens: [String],
        evidence: [(rating: String, value: String, part: String)], overrides: [Likelihood.Override] = []
    ) -> String {
        var answers = missing.isEmpty ? [] : ["mandatory answers missing: " + missing.joined(separator: ", ")]
        if !unreviewed.isEmpty {
            answers.append(
                "the plan's targets are reviewed at a Review: set the status of "
                    + unreviewed.joined(separator: ", ") + " with 'ap stage edit CASE pp.targets N status=...'")
        }
        if !screens.isEmpty {
            let byScreen = ShippedCatalogue.screens.compactMap { screen -> String? in
                let n = screens.filter { $0.hasPrefix("screening.\(screen.slug).") }.count
                return n == 0 ? nil : "\(screen.slug) (\(n) item\(n == 1 ? "" : "s"))"
            }
            answers.append(
                "a first assessment needs the four screens answered (001 §4.2): "
                    + byScreen.joined(separator: ", ") + "; 'ap stage questions --section screening' lists them")
        }
        let entries = evidence.map {
            "\($0.rating) is \($0.value), so '\($0.part)' needs at least one entry ('ap stage add')"
        }
        for o in overrides {
            answers.append(
                "\(o.rating) is \(o.given) where \(o.indicated) is indicated, an override: say why in "
                    + "'\(o.reasonKey)' (001 §15.4)")
        }
        return (answers + entries).joined(separator: "; ") + (entries.isEmpty ? "" : " (policy rating-evidence)")
    }
}
