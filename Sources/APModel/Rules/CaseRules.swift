/// Rules for creating and updating a case's own details. Pure: values in, a `Change` out.
public enum CaseRules {
    /// `home` is the YOT opening the case, which holds responsibility until a transfer.
    public static func create(name: String, dob: String, lookedAfter: Bool, today: Day, home: YOT? = nil) throws -> Change {
        let name = try validName(name)
        try validDOB(dob, today: today)
        var payload: [String: JSONValue] = ["name": .string(name), "dob": .string(dob), "lookedAfter": .bool(lookedAfter)]
        if let home { payload["home"] = home.json }
        return Change(EventType.caseCreated, payload)
    }

    /// The fields `ap case update` changes, by their command-line keys.
    public static let updatableKeys = [
        "name", "dob", "looked-after", "social-care", "social-worker", "gender", "designated-authority", "mappa-level",
    ]
    /// Whether the young person is known to social care (004 §2).
    public static let socialCareValues = ["known", "not-known"]

    /// The legal basis of a looked-after status (004; 003 §1.7). A case opened with
    /// `--looked-after` has none recorded ("unspecified") until a manager sets it.
    public static let lookedAfterBases = ["care-order", "section-20", "remand", "other"]
    public static let unspecifiedBasis = "unspecified"
    /// A remand to local authority or youth detention accommodation makes a child looked after (004 §24).
    public static let remandBasis = "remand"

    /// Why and on what basis the looked-after status changes: only a manager of the home YOT
    /// changes it, with a reason that stays in the history.
    public struct LookedAfterChange: Sendable {
        public var basis: String?
        public var reason: String?
        public var actor: Actor
        /// This YOT's code: the home YOT holds the designated local authority's responsibility.
        public var here: String

        public init(basis: String?, reason: String?, actor: Actor, here: String) {
            self.basis = basis
            self.reason = reason
            self.actor = actor
            self.here = here
        }
    }

    public static func update(
        _ state: CaseState, fields: [(key: String, value: String)], today: Day, lookedAfter: LookedAfterChange? = nil
    ) throws -> Change {
        guard !fields.isEmpty else { throw APError.usage("nothing to update; give key=value pairs: \(updatableKeys.joined(separator: ", "))") }
        var payload: [String: JSONValue] = [:]
        for (key, value) in fields {
            switch key {
            case "name": payload["name"] = .string(try validName(value))
            case "dob":
                try validDOB(value, today: today)
                payload["dob"] = .string(value)
            case "social-care":
                let status = value.lowercased()
                guard socialCareValues.contains(status) else {
                    let allowed = socialCareValues.joined(separator: ", ")
                    throw APError.data("invalid value for 'social-care'; allowed: \(allowed)")
                }
                payload["socialCare"] = .string(status)
            case "gender":
                payload["gender"] = .string(try Gender.parse(value, field: key))
            case "social-worker":
                // A name, and who the child's social worker is: kept, never repeated in errors.
                guard let name = try? validName(value) else {
                    throw APError.data("invalid 'social-worker': give 1 to 200 characters on one line")
                }
                payload["socialWorker"] = .string(name)
            case "looked-after":
                let yes = try yesNo(value, field: key)
                payload["lookedAfter"] = .bool(yes)
                try lookedAfterChange(state, yes: yes, lookedAfter, into: &payload)
            case "mappa-level":
                guard MAPPA.levels.contains(value.lowercased()) else {
                    let allowed = MAPPA.levels.joined(separator: ", ")
                    throw APError.data("invalid value for 'mappa-level'; allowed: \(allowed)")
                }
                payload["mappaLevel"] = .string(value.lowercased())
            case "designated-authority":
                // Part of the looked-after status: changed as it is, by a manager of the home YOT.
                guard let change = lookedAfter, change.actor.user.has(.manager),
                    state.holding(for: change.here) == .home
                else {
                    throw APError.permission(
                        "'\(lookedAfter?.actor.id ?? "?")' cannot set the designated authority: only a manager of "
                            + "the home YOT does (003 §1.7)")
                }
                guard let name = try? validName(value) else {
                    throw APError.data("invalid 'designated-authority': give 1 to 200 characters on one line")
                }
                payload["designatedAuthority"] = .string(name)
            default:
                throw APError.usage("cannot update '\(key)'; case fields: \(updatableKeys.joined(separator: ", "))")
            }
        }
        if payload["designatedAuthority"] != nil, !(payload["lookedAfter"]?.boolValue ?? state.lookedAfter) {
            throw APError.refused(
                "'designated-authority' is recorded for a looked-after child; '\(state.id)' is not (003 §1.7)")
        }
        if payload["lookedAfter"] == nil, lookedAfter?.basis != nil || lookedAfter?.reason != nil {
            throw APError.usage("--basis and --reason go with looked-after=yes|no")
        }
        return Change(EventType.caseUpdated, payload)
    }

    static func lookedAfterChange(
        _ state: CaseState, yes: Bool, _ change: LookedAfterChange?, into payload: inout [String: JSONValue]
    ) throws {
        guard let change, change.actor.user.has(.manager) else {
            throw APError.permission(
                "'\(change?.actor.id ?? "?")' cannot change looked-after: only a manager of the home YOT does (004)")
        }
        guard state.holding(for: change.here) == .home else {
            throw APError.permission(
                "this YOT is not home for '\(state.id)'; looked-after is changed by the home YOT "
                    + "(\(state.home?.code ?? "?"))")
        }
        guard let reason = change.reason else { throw APError.usage("changing looked-after needs --reason TEXT") }
        payload["reason"] = .string(try StageRules.requiredText(reason, "--reason"))
        if yes {
            guard let basis = change.basis, lookedAfterBases.contains(basis) else {
                throw APError.usage("looked-after=yes needs --basis: \(lookedAfterBases.joined(separator: ", "))")
            }
            payload["lookedAfterBasis"] = .string(basis)
        } else if change.basis != nil {
            throw APError.usage("--basis goes with looked-after=yes")
        }
    }

    static func validName(_ name: String) throws -> String {
        let trimmed = name.trimmingNewlines.drop(while: { $0 == " " })
        guard !trimmed.isEmpty, trimmed.count <= 200, !trimmed.contains(where: { $0.isNewline }) else {
            throw APError.data("invalid name: give 1 to 200 characters on one line")
        }
        return String(trimmed)
    }

    /// A date typed on the command line that is not one, or not possible, is a usage error
    /// (64), as for every other date option (ap(1)).
    static func validDOB(_ dob: String, today: Day) throws {
        guard let day = Day(dob) else { throw APError.usage("invalid date of birth '\(dob)': use YYYY-MM-DD") }
        guard day < today else { throw APError.usage("invalid date of birth '\(dob)': it is not in the past") }
    }

    public static func yesNo(_ value: String, field: String) throws -> Bool {
        switch value.lowercased() {
        case "yes", "true", "y": return true
        case "no", "false", "n": return false
        default: throw APError.data("invalid value '\(value)' for '\(field)'; allowed: yes, no")
        }
    }

    /// A manager has reviewed the decisions a merge found in conflict (issue 15).
    public static func resolve(_ state: CaseState, note: String, actor: Actor) throws -> Change {
        guard actor.user.has(.manager) else {
            throw APError.permission("'\(actor.id)' cannot resolve merge conflicts: a manager reviews them")
        }
        guard !state.needsReview.isEmpty else {
            throw APError.refused("case '\(state.id)' has no merge conflict to review")
        }
        return Change(EventType.caseResolved, [
            "note": .string(try StageRules.requiredText(note, "--note")),
            "conflicts": .array(state.needsReview.map { .string($0.event) }),
        ])
    }
}
