/// What a repository needs to know who acts: the signature seam, the memory of checked
/// signatures, and the process's environment (AP_SIGNING_KEY, SSH_AUTH_SOCK).
public final class Trust: @unchecked Sendable {
    public let tool: SignatureTool
    public let verifier: SignatureVerifier
    public let environment: [String: String]

    public init(tool: SignatureTool, verifier: SignatureVerifier, environment: [String: String]) {
        self.tool = tool
        self.verifier = verifier
        self.environment = environment
    }

    /// The system's ssh-keygen, and the account's own memory of checked signatures.
    public static func system(root: String, environment: [String: String]) -> Trust {
        let tool = SSHKeygen(environment: environment)
        let cache = SignatureVerifier.cachePath(root: root, environment: environment)
        return Trust(tool: tool, verifier: SignatureVerifier(tool: tool, cachePath: cache), environment: environment)
    }
}

extension Config {
    /// The users as the signed identity record has them: names, roles and logins from the
    /// record; grade, gender and leave from the config. A user only the config names is
    /// dropped: nobody can act as, or be allocated, someone the record does not hold.
    public func overlaying(_ identity: IdentityState) -> Config {
        var out = self
        out.users = [:]
        for (id, person) in identity.users {
            var user = users[id] ?? User(id: id, name: person.name, roles: person.roles)
            user.name = person.name
            user.roles = person.roles
            user.keys = person.currentKeys
            user.login = person.login
            out.users[id] = user
        }
        return out
    }

    /// Users the config names that the identity record does not (added by editing the file).
    public func unsignedUsers(_ identity: IdentityState) -> [String] {
        users.keys.filter { identity.users[$0] == nil }.sorted()
    }

    /// Users whose keys in the config differ from the signed record's current keys.
    public func changedKeys(_ identity: IdentityState) -> [String] {
        users.compactMap { id, user in
            guard let signed = identity.users[id], !user.keys.isEmpty,
                Set(signed.currentKeys) != Set(user.keys)
            else { return nil }
            return id
        }.sorted()
    }

    /// Users whose roles in the config differ from the signed record's.
    public func changedRoles(_ identity: IdentityState) -> [String] {
        users.compactMap { id, user in
            guard let signed = identity.users[id], Set(signed.roles) != Set(user.roles) else { return nil }
            return id
        }.sorted()
    }
}
