import APModel

enum ConfigCommands {
    static let all = [show, set]

    static let show = Command(
        path: ["config", "show"], summary: "show this YOT and the policy settings", usage: "",
        examples: ["ap config show", "ap config show --json | jq .policy"],
        run: { inv in
            let config = try inv.context.repository().loadConfig()
            var pairs: [(String, String)] = [("yot", "\(config.yotName) (\(config.yotCode))")]
            for setting in Policy.settings { pairs.append((setting.key, config.policy.value(of: setting.key))) }
            return Output(text: Table.fields(pairs), json: Shapes.config(config))
        })

    static let set = Command(
        path: ["config", "set"], summary: "change a policy setting (admin only)", usage: "SETTING VALUE",
        details: "Settings:\n" + Policy.settings.map { "  \($0.key)  \($0.help)" }.joined(separator: "\n")
            + "\n  signatures  required | off (signed in the identity record; see ap-identity(7))"
            + "\n  logins  required | off (ap acts as the user bound to your login; needs signatures)",
        arguments: 2...2,
        examples: ["ap config set countersign all", "ap config set lor-direction either", "ap config set yet-to-clarify-percent 30"],
        run: { inv in
            let key = Policy.settingName(inv.argument(0)), value = inv.argument(1)
            if key == "signatures" || key == "logins" { return try setIdentityPolicy(inv, key, value) }
            let session = try inv.context.session()
            let config = try session.locked { () -> Config in
                _ = try session.requireRole([.admin], doing: "change settings")
                var config = session.config
                try config.policy.set(key, value)
                try session.saveConfig(config)
                session.commitSubject = "config set \(key)=\(config.policy.value(of: key))"
                return config
            }
            return .done("\(key) = \(config.policy.value(of: key))", Shapes.config(config))
        })

    /// `signatures` and `logins` live in the signed identity record, where editing the
    /// config cannot turn them off. Turning signatures on the first time starts the record.
    static func setIdentityPolicy(_ inv: Invocation, _ key: String, _ value: String) throws -> Output {
        guard value == "required" || value == "off" else {
            throw APError.data("invalid value '\(value)' for '\(key)'; allowed: required, off")
        }
        let session = try inv.context.session()
        let note = try session.locked { () -> String in
            _ = try session.requireRole([.admin], doing: "change \(key)")
            let identity = try session.repo.identity()?.state
            if key == "signatures", value == "required", identity == nil {
                let record = try session.startIdentity()
                let key = record.entries[0].seal!.key
                return "; the identity record is anchored on \(record.state.anchor)'s key \(key)"
            }
            guard let identity else {
                throw APError.refused(key == "logins"
                    ? "logins are kept in the signed identity record: turn signatures on first"
                    : "signatures are already off")
            }
            let current = key == "logins" ? identity.logins : identity.signaturesRequired
            guard current != (value == "required") else { throw APError.refused("\(key) is already \(value)") }
            if key == "logins", value == "required", identity.user(login: session.osUserName) == nil {
                throw APError.refused("your login '\(session.osUserName)' is bound to no user: bind it first "
                    + "('ap user update ID --login \(session.osUserName)'), or nobody here could act")
            }
            try session.appendIdentity(IdentityEntryType.policySet, ["setting": .string(key), "value": .string(value)])
            return ""
        }
        return .done("\(key) = \(value)\(note)", ["setting": .string(key), "value": .string(value)])
    }
}
