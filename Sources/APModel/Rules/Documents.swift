/// Who a document is for, and what it may hold (issue 28): a court reads a PSR, a panel a
/// Referral Order Report, the YCS Placements Team and an establishment what the sharing
/// policy sends them; `internal` holds everything, the return notes among it.
public enum Audience: String, CaseIterable, Sendable {
    case court, panel, placements, establishment, `internal`

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The document's title.
    public var title: String {
        switch self {
        case .court: return "Pre-sentence report"
        case .panel: return "Referral Order report"
        case .placements: return "Report to the YCS Placements Team"
        case .establishment: return "Report to the secure establishment"
        case .internal: return "AssetPlus case record"
        }
    }

    /// The kinds whose latest stage the document is made from when no stage is named, in
    /// order of preference; empty for `internal`, which holds every stage.
    public var kinds: [String] {
        switch self {
        case .court: return ["psr"]
        case .panel: return ["referral-order-report"]
        case .placements: return ["post-court-report", "bail-recommendation", "placement-notification", "psr"]
        case .establishment: return ["entering-custody", "placement-notification", "post-court-report", "pre-release"]
        case .internal: return []
        }
    }

    /// Managers' notes between themselves and practitioners (returns, withdrawals, stops, the
    /// countersignature comment) stay inside the YOT.
    public var holdsInternalNotes: Bool { self == .internal }

    /// Whether an answer or list part `key` of a stage goes in this audience's document: a
    /// court report holds what a PSR holds, a panel's what a Referral Order Report holds,
    /// a partner's what the sharing policy sends it (001 §3.2.1).
    /// Made once per document: it is asked of every question.
    public func allows(config: Config, catalogue: Catalogue) -> (String) -> Bool {
        switch self {
        case .internal: return { _ in true }
        case .court, .panel:
            let held = Set(catalogue.sections(ofKind: kinds[0]))
            return { key in catalogue.question(key).map { held.contains($0.section) } ?? false }
        case .placements, .establishment:
            let entries = config.sharing(for: self == .placements ? .placements : .establishment)
            return { SharingPolicy.allows(entries, key: $0) }
        }
    }

    /// The stages the document is made from: the one named, else the latest of the kinds
    /// the audience reads, else (internal) every stage.
    public func stages(of state: CaseState, named id: String?) throws -> [Stage] {
        if let id { return [try state.stage(named: id)] }
        guard self != .internal else { return state.stages }
        for kind in kinds {
            if let stage = state.stages.last(where: { $0.kind == kind }) { return [stage] }
        }
        throw APError.refused(
            "case '\(state.id)' has no stage for a \(rawValue) document (kinds: \(kinds.joined(separator: ", "))); "
                + "name one with --stage")
    }

    /// The keys a court reads first: the proposal, then the report's headings (the PSR format).
    public static let courtOrder = [
        "psr.proposal", "psr.options", "psr.offence-analysis", "psr.young-person", "psr.risk",
    ]
}

/// How a document names a stage's standing.
public enum DocumentStatus {
    public static func of(_ stage: Stage) -> String {
        if stage.stoppedAt != nil { return "stopped" }
        if stage.countersignedAt != nil { return "countersigned" }
        if stage.completedAt != nil { return "completed" }
        if stage.submittedAt != nil { return "submitted, awaiting countersignature" }
        return "draft"
    }
}

/// Dates as a UK reader writes them: `4 December 2026`.
public enum UKDate {
    static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    public static func long(_ day: Day) -> String {
        let c = day.components
        return "\(c.day) \(months[c.month - 1]) \(c.year)"
    }

    /// `2026-11-24` or `2026-11-24T10:00` written long, the time kept: `24 November 2026, 10:00`.
    public static func long(_ text: String) -> String {
        guard let day = Day(String(text.prefix(10))) else { return text }
        return long(day) + (text.count > 11 ? ", " + text.dropFirst(11) : "")
    }

    /// Whole years from `birth` to `on`.
    public static func age(born birth: Day, on: Day) -> Int {
        let b = birth.components, d = on.components
        return d.year - b.year - ((d.month, d.day) < (b.month, b.day) ? 1 : 0)
    }
}
