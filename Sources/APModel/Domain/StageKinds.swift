/// A kind of assessment stage (domain.md, "Stage kinds named in the sources").
public struct StageKind: Equatable, Sendable {
    public var slug: String
    public var name: String

    public init(slug: String, name: String) {
        self.slug = slug
        self.name = name
    }

    public static let builtIn: [StageKind] = [
        StageKind(slug: "start-of-intervention", name: "Start of intervention"),
        StageKind(slug: "review", name: "Review"),
        StageKind(slug: "case-closure", name: "Case Closure"),
        StageKind(slug: "psr", name: "PSR (all options)"),
        StageKind(slug: "referral-order-report", name: "Referral Order report"),
        StageKind(slug: "bail-recommendation", name: "Bail Recommendation"),
        StageKind(slug: "post-court-report", name: "Post-Court Report"),
        StageKind(slug: "placement-notification", name: "Placement Notification"),
        StageKind(slug: "entering-custody", name: "Entering into Custody"),
        StageKind(slug: "pre-release", name: "Pre-Release from Custody"),
        StageKind(slug: "transfer-yot-to-yot", name: "Transfer YOT to YOT"),
        StageKind(slug: "prevention", name: "Prevention/Out of court"),
    ]

    public static let caseClosure = "case-closure"
    public static let startOfIntervention = "start-of-intervention"
    public static let review = "review"
    public static let psr = "psr"
    public static let enteringCustody = "entering-custody"
    public static let transfer = "transfer-yot-to-yot"

    /// The questions of the Transfer YOT to YOT stage (000 §19.3), mandatory by default.
    public static let transferQuestions = [
        "reason-for-transfer", "coping-with-change", "transition-help", "specific-needs",
        "continuing-services", "compliance-and-breach", "requirements-deliverable",
    ]

    /// The transfer-in summary the receiving YOT's manager reads (002 Appendix A), mandatory
    /// by default beside the questions (issue 24).
    public static let transferSummary = [
        "transfer.order-type", "transfer.order-start", "transfer.order-length", "transfer.iom",
        "transfer.mappa-category", "transfer.mappa-level", "transfer.child-protection-plan", "transfer.safeguarding",
        "transfer.documents",
    ]
}

/// The rating keys and their value sets (domain.md, "Answers"; 001 §3.1, §15.4).
public enum Ratings {
    public static let levels4 = ["low", "medium", "high", "very-high"]
    public static let levels3 = ["low", "medium", "high"]
    public static let scaledApproach = ["standard", "enhanced", "intensive"]

    public static let valueSets: [String: [String]] = [
        "rosh": levels4,
        "saw": levels4,
        "indicative-lor": levels3,
        "lor": levels3,
        "scaled-approach": scaledApproach,
        "scaled-approach-override": scaledApproach,
    ]

    public static let keys = ["rosh", "saw", "indicative-lor", "lor", "scaled-approach", "scaled-approach-override"]

    /// The position of a value in its ordered set, for comparisons (low < medium < ...).
    public static func rank(_ key: String, _ value: String) -> Int? {
        valueSets[key]?.firstIndex(of: value)
    }
}

/// Answer keys: a slug of lowercase letters, digits, `-` and `.`.
public enum AnswerKey {
    public static let yetToClarify = "yet-to-clarify"

    public static func validate(_ key: String) throws {
        let bytes = Array(key.utf8)
        let ok = !bytes.isEmpty && bytes.count <= 64
            && bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E }
            && bytes[0] != 0x2E && bytes[0] != 0x2D
        guard ok else {
            throw APError.usage(
                "invalid answer key '\(key)': use lowercase letters, digits, '-' and '.', e.g. pfs.living-arrangements")
        }
    }
}
