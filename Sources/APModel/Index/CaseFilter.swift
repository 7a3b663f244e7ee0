import Foundation

/// `ap case list`'s filters over the index's summaries (issue 17). Pure: a summary in, a yes
/// or no out.
public struct CaseFilter: Sendable {
    /// The owner of the case's open stage.
    public var owner: String?
    /// The open stage's status, or `none` for a case with no open stage.
    public var status: String?
    public var kind: String?
    /// A case- and accent-insensitive part of the young person's name.
    public var lookedAfter = false
    /// `home`, `host` or `out`.
    public var held: String?
    public var overdue = false
    /// The allocated case manager (or co-worker), and team (002).
    public var manager: String?
    public var team: String?
    /// Social care's knowledge as recorded: `known`, `not-known`, or `unrecorded` for an open
    /// case where it never was (004 §2).
    public var socialCare: String?

    public init() {}

    public static let socialCareValues = CaseRules.socialCareValues + ["unrecorded"]

    public static let statuses = [
        StageStatus.inProgress.rawValue, StageStatus.awaitingCountersignature.rawValue, "none",
    ]
    public static let holdings = ["home", "host", "out"]

    /// `name` folded once: `matches` meets it for every case.
    public var name: String? { didSet { foldedName = name.map(CaseFilter.folded) } }
    private var foldedName: String?

    static func folded(_ s: String) -> String {
        // Plain ASCII needs no Foundation: lowercase bytes fold it (most names, every id).
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
        }
        return s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// Whether `name` holds the part asked for (true when none is): also asked of an index
    /// row's name before the row is decoded.
    public func matchesName(_ name: String) -> Bool {
        guard let foldedName else { return true }
        return CaseFilter.folded(name).contains(foldedName)
    }

    /// Whether an open stage's status (empty when none) can match: an index row's status is
    /// read before the row is decoded.
    public func matchesStatus(_ openStatus: String) -> Bool {
        guard let status else { return true }
        return (openStatus.isEmpty ? "none" : openStatus) == status
    }

    /// `deadline` works out when an open stage is due, for `--overdue`.
    public func matches(_ s: CaseSummary, here: String, deadline: (CaseSummary.OpenStage) -> Deadline?) -> Bool {
        if let owner, s.open.map({ $0.isOwned(by: owner, here: here) || $0.ownerShown(here: here) == owner }) != true {
            return false
        }
        if let status, (s.open?.status ?? "none") != status { return false }
        if let kind, s.open?.kind != kind { return false }
        if !matchesName(s.name) { return false }
        if lookedAfter && !s.lookedAfter { return false }
        if let manager, s.manager != manager, s.coWorker != manager { return false }
        if let team, CaseFilter.folded(s.team) != CaseFilter.folded(team) { return false }
        if let socialCare, socialCare == "unrecorded" ? !s.socialCareUnrecorded : s.socialCare != socialCare {
            return false
        }
        if let held {
            let h = s.holding(for: here)
            if (h == .home ? "home" : h == .host ? "host" : "out") != held { return false }
        }
        if overdue {
            guard s.holding(for: here) != .released, let open = s.open, deadline(open)?.overdue == true else {
                return false
            }
        }
        return true
    }
}
