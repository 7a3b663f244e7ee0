/// The likelihood of reoffending and the Scaled Approach level (001 §3.1, §15.4; issue 24):
/// the indicative LoR follows from the YOGRS score's band; the level the LoR and RoSH
/// indicate comes from the Scaled Approach table; a judgement that departs from either is an
/// override, which needs its reason before submit and is countersigned.
public enum Likelihood {
    public static let score = "yogrs"
    public static let lorReason = "lor.override-reason"
    public static let levelReason = "scaled-approach.override-reason"

    /// `low`, `medium` or `high` for a YOGRS percentage under the policy's bands; nil for
    /// what is not one (a hand-edited `nan` or `1e9` bands as nothing, not as low).
    public static func band(_ percent: String, _ policy: Policy) -> String? {
        guard let p = Catalogue.percent(percent).flatMap(Double.init) else { return nil }
        if p >= Double(policy.yogrsHighFrom) { return "high" }
        return p >= Double(policy.yogrsMediumFrom) ? "medium" : "low"
    }

    /// The Scaled Approach level a LoR and a RoSH indicate, from the policy's table.
    public static func indicatedLevel(lor: String?, rosh: String?, _ policy: Policy) -> String? {
        guard let lor, let rosh, let column = Ratings.levels4.firstIndex(of: rosh),
            let row = policy.scaledApproachTable[lor], row.count == Ratings.levels4.count
        else { return nil }
        return row[column]
    }

    /// The level the plan works to: the professional override where there is one.
    static func level(_ answer: (String) -> String?) -> String? {
        answer("scaled-approach-override") ?? answer("scaled-approach")
    }

    /// A judgement that departs from what the tools indicate.
    public struct Override: Equatable, Sendable {
        public var rating: String
        public var indicated: String
        public var given: String
        /// The answer that says why.
        public var reasonKey: String
    }

    /// The overrides a stage's answers make: a LoR other than the indicative one; a Scaled
    /// Approach level other than the one its LoR and RoSH indicate, or a professional override
    /// of the level set.
    public static func overrides(_ stage: Stage, _ policy: Policy) -> [Override] {
        let answer = { (key: String) in stage.answer(key) }
        var out: [Override] = []
        if let indicative = answer("indicative-lor"), let lor = answer("lor"), Ratings.rank("lor", lor) != nil,
            indicative != lor
        {
            out.append(Override(rating: "lor", indicated: indicative, given: lor, reasonKey: lorReason))
        }
        let indicated = indicatedLevel(lor: answer("lor"), rosh: answer("rosh"), policy) ?? answer("scaled-approach")
        if let indicated, let level = level(answer), Ratings.rank("scaled-approach", level) != nil,
            level != indicated
        {
            out.append(Override(rating: "scaled-approach", indicated: indicated, given: level, reasonKey: levelReason))
        }
        return out
    }

    /// The overrides whose reason is not yet given.
    public static func unexplained(_ stage: Stage, _ policy: Policy) -> [Override] {
        overrides(stage, policy).filter { !(stage.answer($0.reasonKey)?.contains { !$0.isWhitespace } ?? false) }
    }

    /// An indicative LoR that no longer follows from the score (two copies merged, each with
    /// one of them changed): refused at submit, in words that say how to put it right.
    public static func disagreement(_ stage: Stage, _ policy: Policy) -> String? {
        guard let score = stage.answer(score), let band = band(score, policy),
            let given = stage.answer("indicative-lor"), given != band
        else { return nil }
        // Errors never repeat an answer: the band is named, not the score or the rating.
        return "'indicative-lor' is not the band of the YOGRS score (\(band)): set 'yogrs' again to answer it"
    }

    /// What the tools indicate and the overrides of them, for `stage show`.
    public static func json(_ stage: Stage, _ policy: Policy) -> JSONValue? {
        var indicated: [String: JSONValue] = [:]
        if let score = stage.answer(score), let band = band(score, policy) {
            indicated["indicativeLor"] = .string(band)
        }
        if let level = indicatedLevel(lor: stage.answer("lor"), rosh: stage.answer("rosh"), policy) {
            indicated["scaledApproach"] = .string(level)
        }
        let overrides = overrides(stage, policy)
        guard !indicated.isEmpty || !overrides.isEmpty else { return nil }
        return [
            "indicated": .object(indicated),
            "overrides": .array(overrides.map { o in
                [
                    "rating": .string(o.rating), "indicated": .string(o.indicated), "given": .string(o.given),
                    "reasonKey": .string(o.reasonKey), "reasonGiven": .bool(stage.answer(o.reasonKey) != nil),
                ]
            }),
        ]
    }

    /// A YOGRS score answers the indicative LoR from its band in the same event; an indicative
    /// LoR that disagrees with the score's band is refused (001 §3.1: "automatically calculated").
    static func answerIndicative(_ stage: Stage, _ payload: inout [String: JSONValue], _ policy: Policy) throws {
        let score = payload[score]?.stringValue ?? stage.answer(score)
        guard let score, let band = band(score, policy) else { return }
        if let given = payload["indicative-lor"]?.stringValue, given != band {
            throw APError.data(
                "'indicative-lor' follows from the YOGRS score, whose band is \(band) (policy yogrs-bands "
                    + "\(policy.yogrsMediumFrom),\(policy.yogrsHighFrom)); set 'lor' for your judgement, "
                    + "or correct 'yogrs'")
        }
        if stage.answer("indicative-lor") != band { payload["indicative-lor"] = .string(band) }
    }
}
