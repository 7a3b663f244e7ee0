import APModel

/// Keys, deactivation, `whoami` and `verify`: who acted, proven (ap-identity(7)).
enum IdentityCommands {
    static let all = [keyAdd, keyList, keyRevoke, deactivate, whoami, verify]

    static let keyAdd = Command(
        path: ["user", "key", "add"], summary: "register a user's OpenSSH public key (admin only)",
        usage: "ID FILE.pub",
        details: """
            Before signatures are on, the key is kept in the config; turning them on signs it
            into the identity record with the rest. A key belongs to one user only.
            """,
        arguments: 2...2,
        examples: ["ap user key add pat pat.pub"],
        run: { inv in
            let id = inv.argument(0)
            let key = try PublicKey.read(file: inv.argument(1))
            let session = try inv.context.session()
            try session.locked {
                _ = try session.requireRole([.admin], doing: "register keys")
                guard let user = session.config.users[id] else { throw UserCommands.unknown(id) }
                if let owner = try owner(of: key, session) {
                    throw APError.exists("\(key.fingerprint) is already registered to '\(owner)'")
                }
                if try session.repo.identity() != nil {
                    try session.appendIdentity(
                        IdentityEntryType.keyAdded, ["id": .string(id), "key": .string(key.line)])
                } else {
                    var config = try session.repo.loadRawConfig()
                    config.users[id]?.keys = user.keys + [key]
                    try session.saveConfig(config)
                }
            }
            return .done(
                "Registered \(key.fingerprint) (\(key.type)) to \(id)",
                ["user": .string(id), "fingerprint": .string(key.fingerprint), "type": .string(key.type)])
        })

    static func owner(of key: PublicKey, _ session: Session) throws -> String? {
        if let identity = try session.repo.identity() { return identity.state.keyOwners[key.fingerprint] }
        return session.config.users.values.first { $0.keys.contains(key) }?.id
    }

    static let keyList = Command(
        path: ["user", "key", "list"], summary: "list users' keys with their fingerprints", usage: "[ID]",
        arguments: 0...1,
        examples: ["ap user key list", "ap user key list pat --json"],
        run: { inv in
            let repo = try inv.context.repository()
            let wanted = inv.arguments.first
            var rows: [[String]] = []
            var json: [JSONValue] = []
            if let identity = try repo.identity()?.state {
                if let wanted, identity.users[wanted] == nil { throw UserCommands.unknown(wanted) }
                for user in identity.users.values.sorted(by: { $0.id < $1.id }) where wanted == nil || user.id == wanted
                {
                    for k in user.keys {
                        let status =
                            k.revoked.map { "revoked \($0.day)" + (k.reason.map { ": \($0)" } ?? "") } ?? "active"
                        rows.append([user.id, k.key.fingerprint, k.key.type, k.added.day.description, status])
                        var o: [String: JSONValue] = [
                            "user": .string(user.id), "fingerprint": .string(k.key.fingerprint),
                            "type": .string(k.key.type),
                            "added": .string(k.added.description),
                            "status": .string(k.revoked == nil ? "active" : "revoked"),
                        ]
                        if let r = k.revoked { o["revoked"] = .string(r.description) }
                        if let r = k.reason { o["reason"] = .string(r) }
                        json.append(.object(o))
                    }
                }
            } else {
                let config = try repo.loadRawConfig()
                if let wanted, config.users[wanted] == nil { throw UserCommands.unknown(wanted) }
                for user in config.users.values.sorted(by: { $0.id < $1.id }) where wanted == nil || user.id == wanted {
                    for k in user.keys {
                        rows.append([user.id, k.fingerprint, k.type, "", "not signed (signatures off)"])
                        json.append([
                            "user": .string(user.id), "fingerprint": .string(k.fingerprint),
                            "type": .string(k.type), "status": "unsigned",
                        ])
                    }
                }
            }
            let text =
                rows.isEmpty
                ? "No keys registered\n"
                : Table.render(
                    ["USER", "FINGERPRINT", "TYPE", "ADDED", "STATUS"], rows,
                    fixed: ["USER", "FINGERPRINT", "TYPE", "ADDED", "STATUS"])
            return Output(text: text, json: .array(json))
        })

    static let keyRevoke = Command(
        path: ["user", "key", "revoke"], summary: "revoke a key: what it signed before stays valid (admin only)",
        usage: "ID FINGERPRINT --reason TEXT",
        options: [Opt(long: "reason", value: "TEXT", help: "why: lost laptop, left, replaced")],
        arguments: 2...2,
        examples: ["ap user key revoke pat SHA256:abc... --reason 'laptop stolen'"],
        run: { inv in
            let id = inv.argument(0)
            let fingerprint = inv.argument(1)
            let reason = try StageRules.requiredText(try inv.required("reason"), "--reason")
            let session = try inv.context.session()
            try session.locked {
                _ = try session.requireRole([.admin], doing: "revoke keys")
                guard let identity = try session.repo.identity()?.state else {
                    var config = try session.repo.loadRawConfig()
                    guard let user = config.users[id] else { throw UserCommands.unknown(id) }
                    guard user.keys.contains(where: { $0.fingerprint == fingerprint }) else {
                        throw APError.notFound(
                            "'\(id)' holds no key \(fingerprint); 'ap user key list \(id)' shows them")
                    }
                    config.users[id]?.keys.removeAll { $0.fingerprint == fingerprint }
                    try session.saveConfig(config)
                    return
                }
                guard let user = identity.users[id] else { throw UserCommands.unknown(id) }
                guard user.keys.contains(where: { $0.key.fingerprint == fingerprint && $0.revoked == nil }) else {
                    throw APError.notFound(
                        "'\(id)' holds no active key \(fingerprint); 'ap user key list \(id)' shows them")
                }
                try session.appendIdentity(
                    IdentityEntryType.keyRevoked,
                    [
                        "id": .string(id), "fingerprint": .string(fingerprint), "reason": .string(reason),
                    ])
            }
            return .done("Revoked \(fingerprint) of \(id)", ["user": .string(id), "fingerprint": .string(fingerprint)])
        })

    static let deactivate = Command(
        path: ["user", "deactivate"], summary: "a leaver: kept in the history, can no longer act (admin only)",
        usage: "ID --reason TEXT",
        details:
            "Their keys verify only what they signed before. Needs signatures on "
            + "('ap config set signatures required').",
        options: [Opt(long: "reason", value: "TEXT", help: "why, e.g. 'left the service'")],
        arguments: 1...1,
        examples: ["ap user deactivate kim --reason 'left the service'"],
        run: { inv in
            let id = inv.argument(0)
            let reason = try StageRules.requiredText(try inv.required("reason"), "--reason")
            let session = try inv.context.session()
            try session.locked {
                let me = try session.requireRole([.admin], doing: "deactivate users")
                guard let identity = try session.repo.identity()?.state else {
                    throw APError.refused(
                        "deactivation is kept in the signed identity record: turn signatures on first "
                            + "('ap config set signatures required')")
                }
                guard let user = identity.users[id] else { throw UserCommands.unknown(id) }
                guard user.isActive else { throw APError.refused("'\(id)' is already deactivated") }
                guard id != me.id else { throw APError.refused("an admin cannot deactivate themselves") }
                try session.appendIdentity(
                    IdentityEntryType.userDeactivated, ["id": .string(id), "reason": .string(reason)])
            }
            return .done("Deactivated \(id)", ["user": .string(id), "deactivated": true])
        })

    static let whoami = Command(
        path: ["whoami"], summary: "who ap acts as here: user, roles, login and signing key", usage: "",
        examples: ["ap whoami", "AP_SIGNING_KEY=~/.ssh/id_ed25519 ap whoami --as pat --json"],
        run: { inv in
            let session = try inv.context.session()
            let actor = try session.actor()
            let identity = try session.repo.identity()?.state
            var json: [String: JSONValue] = [
                "user": .string(actor.id), "name": .string(actor.user.name),
                "roles": .array(actor.user.roles.map { .string($0.rawValue) }), "login": .string(actor.osUser),
                "signatures": .string(identity?.signaturesRequired == true ? "required" : "off"),
                "logins": .string(identity?.logins == true ? "required" : "off"),
            ]
            var lines = [
                ("user", "\(actor.id) (\(actor.user.name))"),
                ("roles", actor.user.roles.map(\.rawValue).joined(separator: ", ")),
                (
                    "login",
                    actor.osUser + (actor.user.login.map { $0 == actor.osUser ? " (bound)" : " (bound: \($0))" } ?? "")
                ),
            ]
            if identity?.signaturesRequired == true {
                do {
                    let key = try session.signingKey()
                    json["key"] = .string(key.publicKey.fingerprint)
                    json["keySource"] = .string(key.source)
                    lines.append(("signing key", "\(key.publicKey.fingerprint) from \(key.source)"))
                } catch let e as APError {
                    json["key"] = .null
                    json["keyProblem"] = .string(e.message)
                    lines.append(("signing key", "none usable: \(e.message)"))
                }
            } else {
                lines.append(
                    (
                        "signing key",
                        "not needed: signatures are off, so anyone who can write the folder can act as any user"
                    ))
            }
            if let identity { json["anchor"] = .string(identity.anchor) }
            return Output(text: Table.fields(lines), json: .object(json))
        })

    static let verify = Command(
        path: ["verify"], summary: "check every event's signature against the identity record",
        usage: "[CASE...] [--all]",
        details: """
            Exit 0 when every event in scope is signed by a key its author held at the time (or
            was written before signatures were required, or was seen by such a signed write);
            65 naming case, event, author and what is wrong otherwise. Signatures found good are
            remembered in your own cache folder; --all checks every one again.
            """,
        options: [Opt(long: "all", help: "check every signature again, forgetting those remembered")],
        arguments: 0...10_000,
        examples: ["ap verify", "ap verify YP-0042 --json", "ap verify --all"],
        run: { inv in
            let repo = try inv.context.repository()
            let report = try Verification.run(
                repo, cases: try inv.arguments.map { try CaseID.normalize($0) },
                again: inv.flag("all"))
            var output = Output(text: report.text, json: report.json)
            output.status = report.problems.isEmpty ? 0 : APError.data("").exitStatus
            return output
        })
}
