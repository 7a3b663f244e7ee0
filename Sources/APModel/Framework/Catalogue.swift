/// A section (information gathering and conclusions) or a module (a task view) of a stage.
public struct Section: Equatable, Sendable {
    public var slug: String
    public var name: String
    public var isModule = false
}

public enum QuestionType: String, Equatable, Sendable, CaseIterable {
    case text
    case yesNo = "yes-no"
    case rating
    case date
    /// A part made of numbered entries, each a record of `fields` (`ap stage add`).
    case list
    /// A statement of a self-assessment questionnaire: agree, not-sure or disagree (001 §5).
    case agreement = "agree-disagree"
    /// One of the question's `values` (a MAPPA category: 1, 2, 3 or n/a).
    case choice
    /// A whole number within the question's `range` (previous sanctions, an age).
    case number
    /// A percentage from 0 to 100, to one decimal place (a YOGRS score).
    case percent

    /// What a repository's own questions may be: a rating or a list needs more than a type.
    public static let localTypes: [QuestionType] = [.text, .yesNo, .date, .agreement]
    public static var localNames: String { localTypes.map(\.rawValue).joined(separator: ", ") }
}

/// One field of a list part's entries.
public struct EntryField: Equatable, Sendable {
    public var name: String
    public var label: String
    /// The values a choice field takes; nil for free text or a date.
    public var values: [String]?
    public var isDate = false
    public var required = false

    public static func text(_ name: String, _ label: String, required: Bool = false) -> EntryField {
        EntryField(name: name, label: label, required: required)
    }
    public static func choice(_ name: String, _ label: String, _ values: [String], required: Bool = true)
        -> EntryField
    {
        EntryField(name: name, label: label, values: values, required: required)
    }
    public static func date(_ name: String, _ label: String, required: Bool = false) -> EntryField {
        EntryField(name: name, label: label, isDate: true, required: required)
    }

    /// How the field is described in `ap stage questions`: `likelihood (low|medium|high)`.
    public var summary: String {
        var notes = values.map { [$0.joined(separator: "|")] } ?? (isDate ? ["a date"] : [])
        if !required { notes.append("optional") }
        return notes.isEmpty ? name : name + " (" + notes.joined(separator: ", ") + ")"
    }
}

/// One question of the framework, answered under `key`.
public struct Question: Equatable, Sendable {
    public var key: String
    public var label: String
    public var section: String
    public var type: QuestionType
    /// Set on a further-exploration trigger: the referral a `yes` flags (001 Annex B).
    public var referral: String?
    /// Added by this repository's config rather than shipped.
    public var local = false
    /// The trigger whose `yes` makes this explanation mandatory.
    public var explains: String?
    /// A list part's fields, in the order they are shown.
    public var fields: [EntryField] = []
    /// For a choice: the values it takes.
    public var values: [String] = []
    /// For an item of a screening tool: the screen's trigger question, which a `yes` to any
    /// item answers `yes` (001 §4.1).
    public var screen: String?
    /// For a number: the values it may take.
    public var range: ClosedRange<Int>?
    /// Stage kinds that do not take this question although they hold its section: the
    /// likelihood of reoffending is not applicable to prevention (001 §3.1).
    public var notFor: [String] = []

    public init(
        key: String, label: String, section: String, type: QuestionType, referral: String? = nil,
        local: Bool = false, explains: String? = nil
    ) {
        self.key = key
        self.label = label
        self.section = section
        self.type = type
        self.referral = referral
        self.local = local
        self.explains = explains
    }

    public var isTrigger: Bool { referral != nil }
}

/// The questions a repository knows: the shipped catalogue with its config's local
/// questions, extra triggers, referral targets and widened kinds. Built once per command.
public struct Catalogue: Sendable {
    public let sections: [Section]
    /// In display order: shipped, then local; each explanation after its trigger.
    public let questions: [Question]
    private let index: [String: Int]
    private let kindSections: [String: [String]]

    public static let explanationSuffix = ".explanation"

    public init(config: Config) {
        var questions: [Question] = []
        let extraTriggers = Set(config.furtherExploration)
        for var q in ShippedCatalogue.questions + config.localQuestions {
            if q.type == .yesNo, extraTriggers.contains(q.key) || q.isTrigger {
                q.referral = config.referrals[q.key] ?? q.referral ?? "Further exploration"
            }
            questions.append(q)
            if q.isTrigger {
                questions.append(
                    Question(
                        key: q.key + Catalogue.explanationSuffix, label: "Further exploration: " + q.label,
                        section: q.section, type: .text, local: q.local, explains: q.key))
            }
        }
        self.questions = questions
        self.sections = ShippedCatalogue.sections
        var index: [String: Int] = [:]
        for (i, q) in questions.enumerated() where index[q.key] == nil { index[q.key] = i }
        self.index = index
        var kinds = ShippedCatalogue.kindSections
        for kind in config.extraStageKinds where kinds[kind.slug] == nil {
            kinds[kind.slug] = ShippedCatalogue.defaultSectionsForNewKinds
        }
        for (kind, extra) in config.kindSections {
            kinds[kind] = (kinds[kind] ?? []) + extra.filter { !(kinds[kind] ?? []).contains($0) }
        }
        self.kindSections = kinds
    }

    public func question(_ key: String) -> Question? { index[key].map { questions[$0] } }

    public func section(_ slug: String) -> Section? { sections.first { $0.slug == slug } }

    /// The sections and modules a stage of `kind` holds, in catalogue order.
    public func sections(ofKind kind: String) -> [String] {
        let held = Set(kindSections[kind] ?? [])
        return sections.map(\.slug).filter(held.contains)
    }

    /// The kinds whose stages hold `section`, sorted.
    public func kinds(holding section: String) -> [String] {
        kindSections.filter { $0.value.contains(section) }.map(\.key).sorted()
    }

    public func holds(kind: String, key: String) -> Bool {
        guard let q = question(key) else { return false }
        return kindSections[kind]?.contains(q.section) ?? false
    }

    public var triggers: [Question] { questions.filter(\.isTrigger) }

    /// Up to three known keys nearest `key`: edit distance over the whole key and over
    /// the part after the section, so `rohs` finds `rosh` and `gangs` finds `pfs.gangs`.
    public func nearest(_ key: String) -> [String] {
        func tail(_ s: String) -> Substring { s.firstIndex(of: ".").map { s[s.index(after: $0)...] } ?? s[...] }
        let typedTail = tail(key)
        let limit = max(2, key.count / 3)
        let scored = questions.map { q -> (String, Int) in
            var d = EditDistance.between(key, q.key)
            d = min(d, EditDistance.between(key, tail(q.key)))
            if typedTail.count < key.count { d = min(d, EditDistance.between(typedTail, tail(q.key)) + 1) }
            return (q.key, d)
        }
        return scored.filter { $0.1 <= limit }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }
}

/// Levenshtein distance over characters.
public enum EditDistance {
    public static func between<A: StringProtocol, B: StringProtocol>(_ a: A, _ b: B) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...b.count {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
