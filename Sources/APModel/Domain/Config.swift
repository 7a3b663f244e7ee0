/// The repository's settings, `.ap/config.json`: this YOT, its users, and the local
/// choices the sources leave open (domain.md), each with the stated default.
public struct Config: Equatable, Sendable {
    public static let currentFormat = 1

    public var yotCode: String
    public var yotName: String
    public var users: [String: User]
    public var policy: Policy
    /// Mandatory answer keys by stage kind slug.
    public var mandatory: [String: [String]]
    /// Keys `x` for which the answer `yes` makes `x.explanation` mandatory.
    public var furtherExploration: [String]
    /// Ratings a completed stage of a kind should hold; `ap report missing-ratings` lists the gaps.
    public var requiredRatings: [String: [String]]
    /// Kinds this YOT adds to the built-in list.
    public var extraStageKinds: [StageKind]
    /// Bank holidays added to the shipped list (`YYYY-MM-DD`).
    public var extraBankHolidays: [String]
    /// Questions this YOT adds to the shipped catalogue (`ap config question add`).
    public var localQuestions: [Question]
    /// Sections and modules a kind holds beyond the shipped ones, by kind slug.
    public var kindSections: [String: [String]]
    /// The referral a trigger's `yes` flags, where this YOT names another (001 Annex A item 4).
    public var referrals: [String: String]
    /// Kinds countersigned whatever their ratings: the court stages (001 §§11.2, 11.22).
    public var countersignKinds: [String]
    /// Working days to complete and countersign a stage, by kind; others take the policy's
    /// `timescale-working-days` (001 §1.2, §6.21).
    public var timescales: [String: Int]
    /// Local times for obligation rules by rule id, as typed: `2d`, `48h`, `5wd`.
    public var obligationTimes: [String: String]
    /// Secure establishments, the YCS Placements Team, social care, partners and YOTs known
    /// here (003; 001 §3.2.1), by code.
    public var organisations: [Organisation]
    /// What a receiver type may be sent of a stage, where this YOT differs from
    /// `SharingPolicy.defaults` (001 §3.2.1).
    public var sharing: [String: [String]]
    /// Fields this version does not know, kept as they were.
    public var unknown: [String: JSONValue]

    public init(yotCode: String, yotName: String, admin: User) {
        self.yotCode = yotCode
        self.yotName = yotName
        self.users = [admin.id: admin]
        self.policy = Policy()
        self.mandatory = [StageKind.transfer: StageKind.transferQuestions + StageKind.transferSummary]
        self.furtherExploration = []
        self.requiredRatings = Config.defaultRequiredRatings
        self.extraStageKinds = []
        self.extraBankHolidays = []
        self.localQuestions = []
        self.kindSections = [:]
        self.referrals = [:]
        self.countersignKinds = Config.courtKinds
        self.timescales = [:]
        self.obligationTimes = [:]
        self.organisations = []
        self.sharing = [:]
        self.unknown = [:]
    }

    /// The full assessments carry the four judgements (001 §3.1, §17): RoSH, Safety and
    /// Wellbeing, Likelihood of Reoffending and the Scaled Approach level.
    public static let defaultRequiredRatings: [String: [String]] = Dictionary(
        uniqueKeysWithValues: ShippedCatalogue.assessmentKinds.map {
            ($0, ["rosh", "saw", "lor", "scaled-approach"])
        })

    /// "Manager countersignature will be required before the stage can be sent" (001 §§11.2, 11.22).
    public static let courtKinds = ["psr", "bail-recommendation", "post-court-report"]

    public var stageKinds: [StageKind] { StageKind.builtIn + extraStageKinds }

    /// Working days a stage of `kind` has, from its start (or the end of involvement).
    public func timescale(for kind: String) -> Int { timescales[kind] ?? policy.timescaleWorkingDays }

    /// The shipped catalogue with this repository's additions.
    public var catalogue: Catalogue { Catalogue(config: self) }

    /// This YOT.
    public var yot: YOT { YOT(code: yotCode, name: yotName) }

    /// The kind named by a slug (case-insensitive), or an error listing the kinds.
    public func stageKind(_ slug: String) throws -> StageKind {
        let wanted = slug.lowercased()
        guard let kind = stageKinds.first(where: { $0.slug == wanted }) else {
            throw APError.usage("unknown stage kind '\(slug)'; kinds: \(stageKinds.map(\.slug).joined(separator: ", "))")
        }
        return kind
    }

    public func kindName(_ slug: String) -> String {
        stageKinds.first(where: { $0.slug == slug })?.name ?? slug
    }

    /// Every kind's name by slug, for lists that name thousands of stages.
    public var kindNames: [String: String] {
        Dictionary(stageKinds.map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    public static func validateYOTCode(_ code: String) throws {
        let ok = !code.isEmpty && code.count <= 16 && code.utf8.allSatisfy { b in
            (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D
        }
        guard ok else { throw APError.usage("invalid YOT code '\(code)': use 1 to 16 capital letters, digits or '-'") }
    }
}

/// Local policy settings (domain.md, "Ratings and countersignature", "Stage lifecycle").
public struct Policy: Equatable, Sendable {
    /// `all`: every stage is countersigned; `criteria`: only where the criteria apply.
    public var countersign = "criteria"
    /// When a LoR differing from the indicative LoR needs countersignature:
    /// `higher` (indicative higher than the practitioner's judgement, Barnet's rule), `lower`, `either`.
    public var lorDirection = "higher"
    /// Scaled Approach level at or above which countersignature applies.
    public var scaledApproachThreshold = "standard"
    public var pullForwardAfterClosure = false
    public var timescaleWorkingDays = 15
    public var caretakingReviewMonths = 3
    /// Share of `yet-to-clarify` answers above which a stage is flagged (0–100); nil = off.
    public var yetToClarifyPercent: Int? = nil
    /// Seconds to wait for the repository lock.
    public var lockTimeoutSeconds = 10
    /// Seconds a network step of `ap sync` (fetch, push) may take before it is stopped.
    public var syncTimeoutSeconds = 120
    /// A manager may not send a transfer whose Transfer YOT to YOT stage they own or answered
    /// (001 §13.2: managers QA the transfer); a one-manager YOT turns it off.
    public var transferNeedsSecondManager = true
    /// `required`: a high or very high RoSH or SaW needs the entries it rests on before
    /// submit (issue 24); `off`: it does not.
    public var ratingEvidence = "required"
    /// `required`: a case's first Start of Intervention, PSR or Referral Order Report needs the
    /// four screening tools answered (001 §4.2); `off`: it does not.
    public var firstAssessmentScreens = "required"
    /// The YOGRS scores from which the indicative LoR is medium and high (issue 24): ap's
    /// defaults, not the seeds'; set them to the bands the Youth Justice Board publishes.
    public var yogrsMediumFrom = 50
    public var yogrsHighFrom = 75
    /// The Scaled Approach level a LoR (row) and a RoSH (low, medium, high, very-high) indicate:
    /// the intervention level rises with either (YJB, the Scaled Approach); config may change it.
    public var scaledApproachTable: [String: [String]] = [
        "low": ["standard", "enhanced", "intensive", "intensive"],
        "medium": ["enhanced", "enhanced", "intensive", "intensive"],
        "high": ["intensive", "intensive", "intensive", "intensive"],
    ]

    public init() {}

    public static let settings: [(key: String, help: String, allowed: [String]?)] = [
        ("countersign", "all | criteria", ["all", "criteria"]),
        ("lor-direction", "higher | lower | either", ["higher", "lower", "either"]),
        ("scaled-approach-threshold", "standard | enhanced | intensive", Ratings.scaledApproach),
        ("pull-forward-after-closure", "true | false", ["true", "false"]),
        ("timescale-working-days", "whole number, 1 to 100", nil),
        ("caretaking-review-months", "whole number, 1 to 12", nil),
        ("yet-to-clarify-percent", "off or a whole number, 0 to 100", nil),
        ("lock-timeout-seconds", "whole number, 0 to 600", nil),
        ("sync-timeout-seconds", "whole number, 1 to 3600", nil),
        ("transfer-needs-second-manager", "true | false", ["true", "false"]),
        ("rating-evidence", "required | off", ["required", "off"]),
        ("first-assessment-screens", "required | off", ["required", "off"]),
        ("yogrs-bands", "MEDIUM,HIGH: the whole YOGRS percents where the indicative LoR turns medium and high", nil),
        ("scaled-approach-lor-low", tableHelp, nil),
        ("scaled-approach-lor-medium", tableHelp, nil),
        ("scaled-approach-lor-high", tableHelp, nil),
    ]
    static let tablePrefix = "scaled-approach-lor-"
    static let tableHelp = "four levels for a RoSH of low,medium,high,very-high"

    /// A setting's name in `--json` output, camelCase as every other key (`lorDirection`);
    /// the command line and the config file keep `lor-direction`.
    public static func jsonName(_ key: String) -> String { Report.camelCase(key) }

    /// The setting a name means: `lor-direction`, or its `--json` name `lorDirection`.
    public static func settingName(_ name: String) -> String { keysByJSONName[name] ?? name }
    /// Made once: every command reads the config, and camel-casing each key for each setting
    /// was a tenth of a small queue's time.
    private static let keysByJSONName = Dictionary(settings.map { (jsonName($0.key), $0.key) }) { first, _ in first }

    /// Changes one setting from its command-line text, validated.
    public mutating func set(_ name: String, _ value: String) throws {
        // The name as the config file writes it first: the camelCase names are made only when asked.
        let key = Policy.settings.contains { $0.key == name } ? name : Policy.settingName(name)
        guard let setting = Policy.settings.first(where: { $0.key == key }) else {
            throw APError.usage("unknown setting '\(key)'; settings: \(Policy.settings.map(\.key).joined(separator: ", "))")
        }
        if let allowed = setting.allowed, !allowed.contains(value) {
            throw APError.data("invalid value '\(value)' for '\(key)'; allowed: \(allowed.joined(separator: ", "))")
        }
        func whole(_ range: ClosedRange<Int>) throws -> Int {
            guard let n = Int(value), range.contains(n) else {
                throw APError.data("invalid value '\(value)' for '\(key)'; expected \(setting.help)")
            }
            return n
        }
        switch key {
        case "countersign": countersign = value
        case "lor-direction": lorDirection = value
        case "scaled-approach-threshold": scaledApproachThreshold = value
        case "pull-forward-after-closure": pullForwardAfterClosure = value == "true"
        case "timescale-working-days": timescaleWorkingDays = try whole(1...100)
        case "caretaking-review-months": caretakingReviewMonths = try whole(1...12)
        case "yet-to-clarify-percent": yetToClarifyPercent = value == "off" ? nil : try whole(0...100)
        case "lock-timeout-seconds": lockTimeoutSeconds = try whole(0...600)
        case "sync-timeout-seconds": syncTimeoutSeconds = try whole(1...3600)
        case "transfer-needs-second-manager": transferNeedsSecondManager = value == "true"
        case "rating-evidence": ratingEvidence = value
        case "first-assessment-screens": firstAssessmentScreens = value
        case "yogrs-bands":
            let bands = value.commaParts(keepingEmpty: true).map { Int($0) }
            guard bands.count == 2, let medium = bands[0], let high = bands[1], 0 < medium, medium < high, high <= 100
            else { throw APError.data("invalid value '\(value)' for '\(key)'; expected two percents like 50,75") }
            (yogrsMediumFrom, yogrsHighFrom) = (medium, high)
        case _ where key.hasPrefix(Policy.tablePrefix):
            let levels = value.commaParts(keepingEmpty: true)
            guard levels.count == 4, levels.allSatisfy(Ratings.scaledApproach.contains) else {
                throw APError.data(
                    "invalid value '\(value)' for '\(key)'; expected \(Policy.tableHelp), each "
                        + Ratings.scaledApproach.joined(separator: "|")
                        + ", like standard,enhanced,intensive,intensive")
            }
            scaledApproachTable[String(key.dropFirst(Policy.tablePrefix.count))] = levels
        default: break
        }
    }

    public func value(of name: String) -> String {
        switch Policy.settingName(name) {
        case "countersign": return countersign
        case "lor-direction": return lorDirection
        case "scaled-approach-threshold": return scaledApproachThreshold
        case "pull-forward-after-closure": return String(pullForwardAfterClosure)
        case "timescale-working-days": return String(timescaleWorkingDays)
        case "caretaking-review-months": return String(caretakingReviewMonths)
        case "yet-to-clarify-percent": return yetToClarifyPercent.map(String.init) ?? "off"
        case "lock-timeout-seconds": return String(lockTimeoutSeconds)
        case "sync-timeout-seconds": return String(syncTimeoutSeconds)
        case "transfer-needs-second-manager": return String(transferNeedsSecondManager)
        case "rating-evidence": return ratingEvidence
        case "first-assessment-screens": return firstAssessmentScreens
        case "yogrs-bands": return "\(yogrsMediumFrom),\(yogrsHighFrom)"
        case let key where key.hasPrefix(Policy.tablePrefix):
            return (scaledApproachTable[String(key.dropFirst(Policy.tablePrefix.count))] ?? []).joined(separator: ",")
        default: return ""
        }
    }
}
