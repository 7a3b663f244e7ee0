/// `ap help` by task and role, as gh groups its commands (issue 26): everyday commands first,
/// with their summaries; the other groups as one line each, so the page fits one screen.
/// `ap help --all` lists every command with its summary, by group. Every command is in
/// exactly one group (a test checks), so a new command cannot be left out.
enum HelpGroups {
    static let groups: [(name: String, commands: [String])] = [
        ("Everyday", ["status", "case list", "case show", "case new", "case update", "log", "whoami"]),
        ("Stages", [
            "stage new", "stage set", "stage clear", "stage add", "stage edit", "stage remove", "stage show",
            "stage submit", "stage withdraw",
            "stage stop", "stage assign",
            "stage unassign", "stage questions", "stage kinds", "stage send",
        ]),
        ("Countersignature", ["queue", "countersign"]),
        ("Transfers and caretaking", [
            "transfer send", "transfer import", "transfer list", "transfer accept", "transfer reject", "transfer stay",
            "caretake end",
            "caretake review",
        ]),
        ("Custody and care", ["record", "due", "referral list", "referral made", "referral outcome"]),
        ("Allocation", ["case allocate", "user absent", "user back"]),
        ("Reports", ["report", "case export"]),
        ("Repository and sync", [
            "sync", "git setup", "git resolve", "merge", "case resolve", "batch", "fsck", "verify", "completions",
        ]),
        ("Administration", [
            "init", "user add", "user update", "user list", "user key add", "user key list", "user key revoke",
            "user deactivate", "org add", "org list", "org remove", "org key add", "org key list", "config show",
            "config set", "config sharing", "config question add", "config question list", "config question remove",
            "config mandatory add", "config mandatory remove", "config mandatory list", "config trigger add",
            "config trigger remove", "config trigger list", "config required-ratings", "config kind-section add",
            "config kind-section remove", "config holiday add", "config holiday remove", "config holiday list",
            "config countersign-kinds", "config timescale", "config obligation", "help", "version",
        ]),
    ]

    static let head = """
        usage: ap [-C DIR] [--as USER] COMMAND [ARGS] [--json]

        ap keeps AssetPlus assessment cases in a plain-file repository: stages,
        countersignature, transfers between YOTs, merges.

        """

    static let foot = """

        'ap help COMMAND' or 'ap COMMAND --help' shows a command's options and examples;
        'ap help --all' lists every command. The acting user comes from --as or AP_USER;
        the repository from -C, AP_REPO, or the nearest folder upwards holding .ap/.
        See ap(1).

        """

    /// One screen: the everyday commands with their summaries, the rest by name.
    static var overview: String {
        var out = head + "\n" + groups[0].name + "\n" + summaries(groups[0].commands)
        for group in groups.dropFirst() {
            let line = "\(group.name): " + families(group.commands)
            out += "\n" + Help.wrap(line, width: 78).joined(separator: "\n    ") + "\n"
        }
        return out + foot
    }

    /// Commands of one family said once each: `stage new, set, show; queue`; a family's
    /// deeper commands by their next word (`config question` for add, list and remove).
    static func families(_ names: [String]) -> String {
        var order: [String] = []
        var members: [String: [String]] = [:]
        for name in names {
            let words = name.split(separator: " ").map(String.init)
            let family = words[0]
            if members[family] == nil { order.append(family) }
            if words.count > 1, !(members[family] ?? []).contains(words[1]) {
                members[family, default: []].append(words[1])
            }
            if words.count == 1 { members[family] = members[family] ?? [] }
        }
        return order.map { f in
            let rest = members[f] ?? []
            return rest.isEmpty ? f : f + " " + rest.joined(separator: ", ")
        }.joined(separator: "; ")
    }

    /// Every command with its summary, by group.
    static var all: String {
        head + "\n" + groups.map { $0.name + "\n" + summaries($0.commands) }.joined(separator: "\n") + foot
    }

    static func summaries(_ names: [String]) -> String {
        let commands = names.compactMap { name in Registry.commands.first { $0.name == name } }
        let w = (commands.map(\.name.count).max() ?? 0) + 2
        return commands.map { c in
            "  " + c.name + String(repeating: " ", count: w - c.name.count)
                + Help.wrap(c.summary, width: 80 - w - 2).joined(separator: "\n" + String(repeating: " ", count: w + 2))
                + "\n"
        }.joined()
    }
}
