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

    /// Nothing asked: every case matches.
    public var isEmpty: Bool {
        owner == nil && status == nil && kind == nil && name == nil && !lookedAfter && held == nil && !overdue
            && manager == nil && team == nil && socialCare == nil
    }

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

    /// Whether `name` holds the part asked for (true when none is).
    public func matchesName(_ name: String) -> Bool {
        guard let foldedName else { return true }
        var name = name
        if let found = name.withUTF8({ CaseFilter.asciiContains($0[...], foldedName) }) { return found }
        return CaseFilter.folded(name).contains(foldedName)
    }

    /// `matchesName` asked of an index row's name as stored (escaped), before the row is decoded.
    public func matchesName(stored field: ArraySlice<UInt8>) -> Bool {
        guard let foldedName else { return true }
        if !field.contains(0x5C),
            let found = field.withUnsafeBufferPointer({ CaseFilter.asciiContains($0[...], foldedName) })
        {
            return found
        }
        return matchesName(CaseIndex.text(field))
    }

    /// Whether ASCII `name` holds ASCII `part` (already lower case), ignoring case; nil when
    /// either is not ASCII, for the folding way to decide. Bytes compared in place: Foundation's
    /// `contains` and a folded copy of every name were most of a name search's time.
    static func asciiContains(_ name: Slice<UnsafeBufferPointer<UInt8>>, _ part: String) -> Bool? {
        guard name.allSatisfy({ $0 < 0x80 }) else { return nil }
        var part = part
        return part.withUTF8 { p -> Bool? in
            guard p.allSatisfy({ $0 < 0x80 }) else { return nil }
            // An empty part matches nothing, as Foundation's `contains` said.
            guard !p.isEmpty, p.count <= name.count else { return false }
            let n = name.base, start = name.startIndex
            outer: for i in 0...(name.count - p.count) {
                for j in 0..<p.count {
                    var b = n[start + i + j]
                    if b >= 0x41 && b <= 0x5A { b += 0x20 }
                    if b != p[j] { continue outer }
                }
                return true
            }
            return false
        }
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
