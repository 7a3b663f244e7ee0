/// A Youth Offending Team, by its short code and display name.
public struct YOT: Equatable, Hashable, Sendable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }

    public var json: JSONValue { ["code": .string(code), "name": .string(name)] }

    public init(json: JSONValue, path: String) throws {
        let r = try JSONReader(json, path: path)
        code = try r.string("code")
        name = try r.string("name")
        try Config.validateYOTCode(code)
    }
}

/// A transfer or caretaking arrangement between two YOTs, as the case's events make it
/// (domain.md, "Transfers between YOTs"; 000 §19, 001 §13, 002 §12).
public struct Transfer: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case complete, caretaking, update
    }
    public enum Status: String, Sendable {
        case pending, accepted, rejected
    }

    public var id: String
    public var kind: Kind
    public var from: YOT
    public var to: YOT
    public var status: Status = .pending
    public var sentAt: Timestamp
    public var sentBy: String
    /// For an update: the stage it carries.
    public var stage: String?
    public var decidedAt: Timestamp?
    public var decidedBy: String?
    public var reason: String?
    public var detail: String?
    /// For caretaking accepted: the agreement of who does what (002 §12.7, Appendix B).
    public var hostTasks: String?
    public var homeTasks: String?
}

/// Which part this YOT plays in a case: the sources ask that it always be clear (000 §19.2).
public enum Holding: String, Sendable {
    /// Holds case responsibility.
    case home
    /// Delivers services for the home YOT during caretaking.
    case host
    /// Neither any more: transferred out, or caretaking ended. The copy is kept, read-only.
    case released

    /// The part `yot` plays given the case's home and host codes (nil: not recorded).
    /// A case with no recorded home is held where it is.
    public static func of(_ yot: String, home: String?, host: String?) -> Holding {
        if host == yot { return .host }
        if home == nil || home == yot { return .home }
        return .released
    }
}

/// The reasons a receiving YOT may give for rejecting a transfer (000 §19.2).
public enum RejectionReason: String, CaseIterable, Sendable {
    case noAgreement = "no-agreement"
    case wrongAssetPlus = "wrong-assetplus"
    case wrongYOT = "wrong-yot"
    case levelOfCompleteness = "level-of-completeness"
    case errorsOfFact = "errors-of-fact"
    case conflictInStages = "conflict-in-stages"
    case caretakingEnded = "caretaking-ended"
    case other

    /// The starred reasons: for an initial transfer request only, not an update.
    public var initialOnly: Bool { self == .noAgreement || self == .wrongAssetPlus || self == .wrongYOT }

    public var label: String {
        switch self {
        case .noAgreement: return "No agreement to transfer in place"
        case .wrongAssetPlus: return "Wrong AssetPlus"
        case .wrongYOT: return "Wrong YOT"
        case .levelOfCompleteness: return "Level of completeness"
        case .errorsOfFact: return "Errors of fact"
        case .conflictInStages: return "Conflict in stages"
        case .caretakingEnded: return "Caretaking has ended"
        case .other: return "Other"
        }
    }
}
