/// The users, their roles, logins and keys, and the signature and login policies, as a chain
/// of signed entries in `.ap/identity.json` (ap-identity(7)). The first entry is signed by the
/// first admin's own key, which it records (the anchor); each later one names the digest of
/// the one before it and is signed by an admin holding a key at the time. A user, role or
/// key typed into `.ap/config.json` is not in the chain and is never trusted.
public struct IdentityEntry: Equatable, Sendable {
    public var at: Timestamp
    public var by: String
    public var type: String
    public var payload: [String: JSONValue]
    /// The digest of the entry before this one; empty for the first.
    public var prev: String
    public var seal: Seal?

    public init(at: Timestamp, by: String, type: String, payload: [String: JSONValue], prev: String) {
        self.at = at
        self.by = by
        self.type = type
        self.payload = payload
        self.prev = prev
    }

    var signedJSON: JSONValue {
        [
            "at": .string(at.description), "by": .string(by), "type": .string(type), "payload": .object(payload),
            "prev": .string(prev),
        ]
    }

    public var digest: String { Digest.of(signedJSON) }
    /// What the signer signs: the digest, under a prefix no event's message shares.
    public var message: String { "ap-identity-v1 " + digest }

    public var json: JSONValue {
        var o = signedJSON
        if let seal { o["seal"] = seal.json }
        return o
    }

    public init(json: JSONValue, path: String) throws {
        let r = try JSONReader(json, path: path)
        at = try r.timestamp("at")
        by = try r.string("by")
        type = try r.string("type")
        payload = try r.object("payload")
        prev = try r.string("prev")
        seal = r.object["seal"] == nil ? nil : try Seal(json: r.object["seal"]!, at: path + ".seal")
    }
}

public enum IdentityEntryType {
    public static let created = "identity.created"
    public static let userAdded = "user.added"
    public static let userUpdated = "user.updated"
    public static let userDeactivated = "user.deactivated"
    public static let keyAdded = "key.added"
    public static let keyRevoked = "key.revoked"
    public static let policySet = "policy.set"
    /// Another YOT's or establishment's key, pinned (`ap org key add`, `transfer import --trust`).
    public static let orgKeyAdded = "org.key.added"
}

/// A key as the chain holds it: when it was added and, once revoked, when and why.
public struct KeyRecord: Equatable, Sendable {
    public var key: PublicKey
    public var added: Timestamp
    public var revoked: Timestamp?
    public var reason: String?

    /// Signatures made before the revocation stay valid, later ones do not.
    public func valid(at t: Timestamp) -> Bool { t >= added && (revoked.map { t < $0 } ?? true) }
}

public struct IdentityUser: Equatable, Sendable {
    public var id: String
    public var name: String
    public var roles: [Role]
    public var login: String?
    public var keys: [KeyRecord] = []
    public var deactivated: Timestamp?
    public var deactivationReason: String?

    public func active(at t: Timestamp) -> Bool { deactivated.map { t < $0 } ?? true }
    public var isActive: Bool { deactivated == nil }
    public func keys(validAt t: Timestamp) -> [PublicKey] { keys.filter { $0.valid(at: t) }.map(\.key) }
    public var currentKeys: [PublicKey] { keys.filter { $0.revoked == nil }.map(\.key) }
    public var user: User { User(id: id, name: name, roles: roles) }
}

/// What the chain says now, and when signatures were required.
public struct IdentityState: Equatable, Sendable {
    public var yot = ""
    public var anchor = ""
    public var users: [String: IdentityUser] = [:]
    public var logins = false
    /// Keys pinned for other organisations, by code.
    public var orgKeys: [String: [PublicKey]] = [:]
    /// Times at which signatures were turned on or off, in order; on from the first entry.
    public var signaturePeriods: [(at: Timestamp, on: Bool)] = []

    public init() {}

    public static func == (a: IdentityState, b: IdentityState) -> Bool {
        a.yot == b.yot && a.anchor == b.anchor && a.users == b.users && a.logins == b.logins && a.orgKeys == b.orgKeys
            && a.signaturePeriods.map(\.at) == b.signaturePeriods.map(\.at)
            && a.signaturePeriods.map(\.on) == b.signaturePeriods.map(\.on)
    }

    public var signaturesRequired: Bool { signaturePeriods.last?.on ?? false }

    /// Whether an event written at `t` had to be signed.
    public func signaturesRequired(at t: Timestamp) -> Bool {
        signaturePeriods.last(where: { $0.at <= t })?.on ?? false
    }

    public var policyStart: Timestamp? { signaturePeriods.first?.at }

    /// Who holds each key, for a refusal that names the owner.
    public var keyOwners: [String: String] {
        var out: [String: String] = [:]
        for u in users.values { for k in u.keys { out[k.key.fingerprint] = u.id } }
        return out
    }

    /// The user bound to an operating-system login, if any.
    public func user(login: String) -> IdentityUser? { users.values.first { $0.login == login && $0.isActive } }

    mutating func apply(_ e: IdentityEntry, index: Int) throws {
        let r = try JSONReader(.object(e.payload), path: "entries[\(index)].payload")
        func user(_ id: String) throws -> IdentityUser {
            guard let u = users[id] else { throw APError.data("entries[\(index)] names unknown user '\(id)'") }
            return u
        }
        switch e.type {
        case IdentityEntryType.created:
            guard index == 0 else { throw APError.data("entries[\(index)] is a second identity.created") }
            yot = try r.string("yot")
            anchor = try r.string("anchor")
            for (i, u) in try r.array("users").enumerated() {
                try add(u, path: "entries[0].payload.users[\(i)]", at: e.at)
            }
            guard users[anchor]?.roles.contains(.admin) == true, users[anchor]?.keys.isEmpty == false else {
                throw APError.data("entries[0]: the anchor '\(anchor)' must be an admin with a key")
            }
            signaturePeriods = [(e.at, true)]
        case IdentityEntryType.userAdded:
            try add(.object(try r.object("user")), path: "entries[\(index)].payload.user", at: e.at)
        case IdentityEntryType.userUpdated:
            var u = try user(try r.string("id"))
            if let name = try r.optionalString("name") { u.name = name }
            if r.object["roles"] != nil { u.roles = try IdentityState.roles(try r.strings("roles"), index) }
            if let login = try r.optionalString("login") { u.login = login.isEmpty ? nil : login }
            users[u.id] = u
        case IdentityEntryType.userDeactivated:
            var u = try user(try r.string("id"))
            u.deactivated = e.at
            u.deactivationReason = try r.optionalString("reason")
            users[u.id] = u
        case IdentityEntryType.keyAdded:
            var u = try user(try r.string("id"))
            let key = try PublicKey(line: try r.string("key"), source: "entries[\(index)].payload.key")
            guard keyOwners[key.fingerprint] == nil else {
                throw APError.data("entries[\(index)] adds \(key.fingerprint), which is already registered")
            }
            u.keys.append(KeyRecord(key: key, added: e.at))
            users[u.id] = u
        case IdentityEntryType.keyRevoked:
            var u = try user(try r.string("id"))
            let fp = try r.string("fingerprint")
            guard let i = u.keys.firstIndex(where: { $0.key.fingerprint == fp && $0.revoked == nil }) else {
                throw APError.data("entries[\(index)] revokes \(fp), which '\(u.id)' does not hold")
            }
            u.keys[i].revoked = e.at
            u.keys[i].reason = try r.optionalString("reason")
            users[u.id] = u
        case IdentityEntryType.orgKeyAdded:
            let code = try r.string("org")
            try Config.validateYOTCode(code)
            let key = try PublicKey(line: try r.string("key"), source: "entries[\(index)].payload.key")
            guard !(orgKeys[code] ?? []).contains(key) else {
                throw APError.data("entries[\(index)] pins \(key.fingerprint) for \(code) a second time")
            }
            orgKeys[code, default: []].append(key)
        case IdentityEntryType.policySet:
            let on = try r.string("value") == "required"
            switch try r.string("setting") {
            case "signatures": signaturePeriods.append((e.at, on))
            case "logins": logins = on
            case let other: throw APError.data("entries[\(index)] sets unknown setting '\(other)'")
            }
        default:
            throw APError.data("entries[\(index)] has unknown type '\(e.type)'")
        }
    }

    private mutating func add(_ json: JSONValue, path: String, at: Timestamp) throws {
        let r = try JSONReader(json, path: path)
        let id = try r.string("id")
        try User.validateID(id)
        guard users[id] == nil else { throw APError.data("\(path) adds '\(id)', who already exists") }
        var u = IdentityUser(
            id: id, name: try r.string("name"), roles: try IdentityState.roles(try r.strings("roles"), 0),
            login: try r.optionalString("login"))
        for line in r.object["keys"] == nil ? [] : try r.strings("keys") {
            let key = try PublicKey(line: line, source: path + ".keys")
            guard keyOwners[key.fingerprint] == nil else {
                throw APError.data("\(path) adds \(key.fingerprint), which is already registered")
            }
            u.keys.append(KeyRecord(key: key, added: at))
        }
        users[id] = u
    }

    static func roles(_ names: [String], _ index: Int) throws -> [Role] {
        try names.map {
            guard let role = Role(rawValue: $0) else { throw APError.data("entries[\(index)]: unknown role '\($0)'") }
            return role
        }
    }
}

/// The chain on disk, checked entry by entry.
public struct IdentityRecord: Sendable {
    public static let relativePath = ".ap/identity.json"
    public private(set) var entries: [IdentityEntry]
    public private(set) var state: IdentityState

    public init() {
        entries = []
        state = IdentityState()
    }

    /// Reads and verifies the chain: every entry linked to the one before, signed by a key
    /// of an admin at its time (the first by the anchor's own key), in time order.
    public init(json: JSONValue, verifier: SignatureVerifier) throws {
        let r = try JSONReader(json, path: "")
        guard try r.int("format") == 1 else { throw APError.data("unsupported identity format") }
        self.init()
        for (i, value) in try r.array("entries").enumerated() {
            try append(try IdentityEntry(json: value, path: "entries[\(i)]"), verifier: verifier)
        }
        guard !entries.isEmpty else { throw APError.data("the identity record has no entries") }
    }

    public var json: JSONValue { ["format": 1, "entries": .array(entries.map(\.json))] }

    /// Checks one entry against the chain so far and adds it.
    public mutating func append(_ e: IdentityEntry, verifier: SignatureVerifier) throws {
        let i = entries.count
        let expected = entries.last?.digest ?? ""
        guard e.prev == expected else {
            throw APError.data(
                "entries[\(i)] does not follow entries[\(i - 1)] (an entry was removed, changed or reordered)")
        }
        if let last = entries.last, e.at < last.at {
            throw APError.data("entries[\(i)] is dated before the entry it follows")
        }
        guard let seal = e.seal else { throw APError.data("entries[\(i)] (\(e.type) by \(e.by)) is not signed") }
        var next = state
        try next.apply(e, index: i)
        // The first entry is signed by the key it records; later ones by an admin's key of the time.
        let signer = i == 0 ? next : state
        if i == 0, e.by != next.anchor { throw APError.data("entries[0] is not signed by the anchor it names") }
        guard let author = signer.users[e.by], author.active(at: e.at), author.roles.contains(.admin) || i == 0 else {
            throw APError.data("entries[\(i)] (\(e.type)) is by '\(e.by)', who was not an active admin")
        }
        guard let key = author.keys(validAt: e.at).first(where: { $0.fingerprint == seal.key }) else {
            throw APError.data("entries[\(i)] (\(e.type)) is signed with \(seal.key), not a key '\(e.by)' held then")
        }
        guard try verifier.check(e.message, seal: seal, key: key, principal: e.by) else {
            throw APError.data("entries[\(i)] (\(e.type) by \(e.by)): the signature does not verify")
        }
        entries.append(e)
        state = next
    }
}

extension IdentityRecord {
    /// The first entry: the acting admin signs the users, roles, logins and keys the config
    /// holds now, and becomes the anchor.
    public static func genesis(config: Config, anchor: String, at: Timestamp) -> IdentityEntry {
        let users: [JSONValue] = config.users.values.sorted { $0.id < $1.id }.map { u in
            var o: [String: JSONValue] = [
                "id": .string(u.id), "name": .string(u.name), "roles": .array(u.roles.map { .string($0.rawValue) }),
                "keys": .array(u.keys.map { .string($0.line) }),
            ]
            if let login = u.login { o["login"] = .string(login) }
            return .object(o)
        }
        return IdentityEntry(
            at: at, by: anchor, type: IdentityEntryType.created,
            payload: ["yot": .string(config.yotCode), "anchor": .string(anchor), "users": .array(users)], prev: "")
    }
}
