/// What some key events say beyond their date and place: each option goes with the events
/// named in `KeyEventDetails.owners`, and some events need theirs.
public struct KeyEventDetails: Sendable {
    /// Who updates AssetPlus after a planning or review meeting (003 §§4.1, 4.5).
    public enum Updater: String, Sendable, CaseIterable { case yot, establishment }

    /// The operational manager who chaired a Case Planning Forum (001 §6).
    public var chair: User?
    /// A hearing where custody is a possible outcome (003 §2.1).
    public var custodyPossible = false
    /// A breach hearing: a Placement Notification stage goes to Placements before it (001 §11.2.1).
    public var breach = false
    /// Why a move happened (002 §11.3).
    public var reason: String?
    /// Social care told the YOT of offending (004 §14).
    public var bySocialCare = false
    /// Who updates after the meeting; the establishment unless agreed otherwise (003 §4.1).
    public var updatesBy: Updater?
    /// The team an internal transfer goes to, once endorsed (002 §11.4).
    public var team: String?

    public init() {}

    /// The option, the events it goes with, and whether they must have it.
    static let owners: [(option: String, events: [String], required: Bool)] = [
        ("--chair USER", ["cpf-held"], true),
        ("--custody-possible", ["court-hearing"], false),
        ("--breach", ["court-hearing"], false),
        ("--reason TEXT", ["moved"], true),
        ("--by-social-care", ["offending-reported"], true),
        ("--updates-by yot|establishment", ["planning-meeting"], false),
        ("--team TEAM", ["team-transfer-endorsed"], true),
    ]

    func given(_ option: String) -> Bool {
        switch option {
        case "--chair USER": return chair != nil
        case "--custody-possible": return custodyPossible
        case "--breach": return breach
        case "--reason TEXT": return reason != nil
        case "--by-social-care": return bySocialCare
        case "--team TEAM": return team != nil
        default: return updatesBy != nil
        }
    }

    /// Refuses an option given to an event it does not go with, or missing where needed.
    func check(for event: String) throws {
        for owner in Self.owners {
            let name = String(owner.option.prefix { $0 != " " })
            if given(owner.option), !owner.events.contains(event) {
                throw APError.usage("\(name) goes with \(owner.events.joined(separator: ", "))"
                    + (name == "--reason" ? ", --void or --correct" : ""))
            }
            if owner.required, owner.events.contains(event), !given(owner.option) {
                throw APError.usage("\(event) needs \(owner.option): \(Self.why[event] ?? "")")
            }
        }
    }

    static let why = [
        "cpf-held": "an operational manager chairs it (001 §6)",
        "moved": "say why (002 §11.3)",
        "offending-reported": "it records what social care told the YOT (004 §14)",
        "team-transfer-endorsed": "the team the case moves to (002 §11.4)",
    ]
}
