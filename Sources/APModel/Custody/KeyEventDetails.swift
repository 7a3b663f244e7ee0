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

    /// An option, the events it goes with, whether they must have it, and whether it was given.
    struct Owner: Sendable {
        var option: String
        var events: [String]
        var required: Bool
        var given: @Sendable (KeyEventDetails) -> Bool
    }

    static let owners: [Owner] = [
        Owner(option: "--chair USER", events: ["cpf-held"], required: true) { $0.chair != nil },
        Owner(option: "--custody-possible", events: ["court-hearing"], required: false) { $0.custodyPossible },
        Owner(option: "--breach", events: ["court-hearing"], required: false) { $0.breach },
        Owner(option: "--reason TEXT", events: ["moved"], required: true) { $0.reason != nil },
        Owner(option: "--by-social-care", events: ["offending-reported"], required: true) { $0.bySocialCare },
        Owner(option: "--updates-by yot|establishment", events: ["planning-meeting"], required: false) {
            $0.updatesBy != nil
        },
        Owner(option: "--team TEAM", events: ["team-transfer-endorsed"], required: true) { $0.team != nil },
    ]

    /// Refuses an option given to an event it does not go with, or missing where needed.
    func check(for event: String) throws {
        for owner in Self.owners {
            let name = String(owner.option.prefix { $0 != " " })
            if owner.given(self), !owner.events.contains(event) {
                throw APError.usage("\(name) goes with \(owner.events.joined(separator: ", "))"
                    + (name == "--reason" ? ", --void or --correct" : ""))
            }
            if owner.required, owner.events.contains(event), !owner.given(self) {
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
