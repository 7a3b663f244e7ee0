import Foundation

/// What a user may do in `ap`; a user may hold several roles.
public enum Role: String, CaseIterable, Sendable {
    case practitioner
    case manager
    case businessSupport = "business-support"
    case admin

    public static func parseList(_ text: String) throws -> [Role] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard !parts.isEmpty else { throw APError.usage("no role given; roles: \(Role.allNames)") }
        return try parts.map { name in
            guard let role = Role(rawValue: name) else {
                throw APError.usage("unknown role '\(name)'; roles: \(Role.allNames)")
            }
            return role
        }
    }

    public static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A person known to the repository.
public struct User: Equatable, Sendable {
    public var id: String
    public var name: String
    public var roles: [Role]
    /// Grade, gender and leave, where recorded (002 §§2, 4–7).
    public var grade: Grade?
    public var gender: String?
    public var absence: Absence?
    /// OpenSSH public keys and the operating-system login, as the config holds them before
    /// signatures are turned on; from then on the signed identity record holds them.
    public var keys: [PublicKey] = []
    public var login: String?

    public init(id: String, name: String, roles: [Role]) {
        self.id = id
        self.name = name
        self.roles = roles
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }

    /// Away on `day`.
    public func isAbsent(on day: Day) -> Bool { absence?.covers(day) ?? false }
    /// Proxies complete stages on the owner's behalf (domain.md, "Stage lifecycle").
    public var isProxy: Bool { has(.businessSupport) || has(.admin) }

    /// A login as `useradd` allows it: it is matched against the account running ap.
    public static func validateLogin(_ login: String) throws {
        let ok = !login.isEmpty && login.utf8.count <= 32 && login.utf8.first != 0x2D && login.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E
                || b == 0x5F
        }
        guard ok else { throw APError.usage("invalid login '\(login)': use the operating-system account's name") }
    }

    public static func validateID(_ id: String) throws {
        let ok = !id.isEmpty && id.count <= 32 && id.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E || b == 0x5F
        }
        guard ok else {
            throw APError.usage("invalid user id '\(id)': use 1 to 32 lowercase letters, digits, '.', '_' or '-'")
        }
    }
}

/// Who is acting: the `ap` user checked against the config, and the operating-system
/// account beside it so that the events say who really typed the command.
public struct Actor: Equatable, Sendable {
    public var user: User
    public var osUser: String
    /// The YOT the user belongs to (this repository's), recorded in each event.
    public var yot: String?
    /// Users absent today: any YOT officer may stand in as proxy on their stages (001 §2.2).
    public var absentColleagues: Set<String> = []

    public init(user: User, osUser: String, yot: String? = nil) {
        self.user = user
        self.osUser = osUser
        self.yot = yot
    }

    public var id: String { user.id }
}
