/// The countersignature criteria (domain.md, "Ratings and countersignature"; 001 §15.3–15.4).
public enum Countersignature {
    public static let allStages = "all-stages"
    /// A court stage: always countersigned before it is sent (001 §§11.2, 11.22; config `countersignKinds`).
    public static let courtStage = "court-stage"
    public static let rosh = "rosh"
    public static let saw = "saw"
    public static let lorOverride = "lor-override"
    public static let scaledApproach = "scaled-approach"
    public static let scaledApproachOverride = "scaled-approach-override"
    /// More answers `yet-to-clarify` than the policy allows: held for a manager whatever the
    /// ratings (001 §17; policy `yet-to-clarify-percent`).
    public static let yetToClarify = "yet-to-clarify"

    /// The criteria a stage meets under the policy; empty means it completes without countersignature.
    public static func criteria(for stage: Stage, policy: Policy, countersignKinds: [String] = []) -> [String] {
        var out: [String] = []
        if policy.countersign == "all" { out.append(allStages) }
        if countersignKinds.contains(stage.kind) { out.append(courtStage) }
        if stage.answer("rosh") != nil { out.append(rosh) }
        if stage.answer("saw") != nil { out.append(saw) }
        if let indicative = stage.answer("indicative-lor").flatMap({ Ratings.rank("indicative-lor", $0) }),
            let judged = stage.answer("lor").flatMap({ Ratings.rank("lor", $0) }),
            lorDiffers(indicative: indicative, judged: judged, direction: policy.lorDirection)
        {
            out.append(lorOverride)
        }
        if let level = stage.answer("scaled-approach").flatMap({ Ratings.rank("scaled-approach", $0) }),
            let threshold = Ratings.rank("scaled-approach", policy.scaledApproachThreshold), level >= threshold
        {
            out.append(scaledApproach)
        }
        // A professional override set, or a level other than the one the LoR and RoSH indicate.
        let overridden = stage.answer("scaled-approach-override").map { $0 != stage.answer("scaled-approach") }
        let levelOverride = Likelihood.overrides(stage, policy).contains { $0.rating == "scaled-approach" }
        if overridden == true || levelOverride {
            out.append(scaledApproachOverride)
        }
        return out
    }

    /// `higher`: the indicative level is above the practitioner's judgement (Barnet's rule);
    /// `lower`: below it; `either`: any difference.
    static func lorDiffers(indicative: Int, judged: Int, direction: String) -> Bool {
        switch direction {
        case "higher": return indicative > judged
        case "lower": return indicative < judged
        default: return indicative != judged
        }
    }

    /// Words for people, for tables and messages.
    public static func describe(_ criterion: String) -> String {
        switch criterion {
        case allStages: return "all stages are countersigned (policy)"
        case courtStage: return "a court stage, always countersigned"
        case rosh: return "RoSH rating"
        case saw: return "Safety and Wellbeing rating"
        case lorOverride: return "LoR differs from the indicative LoR"
        case scaledApproach: return "Scaled Approach level at or above the threshold"
        case scaledApproachOverride: return "Scaled Approach professional override"
        case yetToClarify: return "more answers yet to clarify than the policy allows"
        default: return criterion
        }
    }

    /// The share of answers that are `yet-to-clarify`, in whole percent (domain.md; 001 §1.3).
    public static func yetToClarifyPercent(_ stage: Stage) -> Int {
        let answers = stage.answers.values.filter { !$0.value.isEmpty }
        guard !answers.isEmpty else { return 0 }
        let unclear = answers.filter { $0.value == AnswerKey.yetToClarify }.count
        return unclear * 100 / answers.count
    }
}
