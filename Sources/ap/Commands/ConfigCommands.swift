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
            return Output(text: Table.fields(pairs), json: config.json)
        })

    static let set = Command(
        path: ["config", "set"], summary: "change a policy setting (admin only)", usage: "SETTING VALUE",
        details: "Settings:\n" + Policy.settings.map { "  \($0.key)  \($0.help)" }.joined(separator: "\n"),
        arguments: 2...2,
        examples: ["ap config set countersign all", "ap config set lor-direction either", "ap config set yet-to-clarify-percent 30"],
        run: { inv in
            let key = inv.argument(0), value = inv.argument(1)
            let session = try inv.context.session()
            let config = try session.locked { () -> Config in
                _ = try session.requireRole([.admin], doing: "change settings")
                var config = session.config
                try config.policy.set(key, value)
                try session.saveConfig(config)
                return config
            }
            return .done("\(key) = \(config.policy.value(of: key))", config.json)
        })
}
