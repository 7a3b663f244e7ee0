import APModel

/// Help text rendered from the command declarations, never kept by hand.
enum Help {
    static let version = "0.1.0"

    static func page(_ c: Command) -> String {
        var out = "usage: ap \(c.name) \(c.usage)".trimmingTrailingSpace + "\n\n\(c.summary)\n"
        if !c.details.isEmpty { out += "\n\(c.details)\n" }
        if !c.aliases.isEmpty { out += "\nAliases: " + c.aliases.map { "ap " + $0.joined(separator: " ") }.joined(separator: ", ") + "\n" }
        out += "\nOptions:\n" + optionLines(c.options + Registry.commonOptions)
        if !c.examples.isEmpty { out += "\nExamples:\n" + c.examples.map { "  \($0)\n" }.joined() }
        return out
    }

    static func optionLines(_ options: [Opt]) -> String {
        let labels = options.map { o -> String in
            var label = o.short.map { "-\($0), " } ?? "    "
            label += o.display
            if let v = o.value { label += " \(v)" }
            return label
        }
        let w = min((labels.map(\.count).max() ?? 0) + 2, 28)
        return zip(labels, options).map { label, o in
            let padded = label.count >= w ? label + "\n" + String(repeating: " ", count: w + 2) : label + String(repeating: " ", count: w - label.count)
            return "  " + padded + o.help + "\n"
        }.joined()
    }

    static var overview: String {
        var out = """
            usage: ap [-C DIR] [--as USER] COMMAND [ARGS] [--json]

            ap keeps AssetPlus assessment cases in a plain-file repository: stages,
            countersignature, transfers between YOTs, merges.

            Commands:

            """
        let w = (Registry.commands.map(\.name.count).max() ?? 0) + 2
        for c in Registry.commands {
            out += "  \(c.name)" + String(repeating: " ", count: w - c.name.count) + c.summary + "\n"
        }
        out += """

            'ap help COMMAND' or 'ap COMMAND --help' shows a command's options and examples.
            The acting user comes from --as or AP_USER; the repository from -C, AP_REPO, or
            the nearest folder upwards holding .ap/. See ap(1).

            """
        return out
    }
}

enum HelpCommand {
    static let command = Command(
        path: ["help"], summary: "show help for ap or for one command", usage: "[COMMAND...]",
        arguments: 0...3, examples: ["ap help", "ap help stage new"],
        run: { inv in
            guard !inv.arguments.isEmpty else { return Output(text: Help.overview, json: commandList) }
            if let c = Registry.lookup(inv.arguments), c.matchedLength(inv.arguments) == inv.arguments.count {
                return Output(text: Help.page(c), json: ["command": .string(c.name), "help": .string(Help.page(c))])
            }
            let group = Registry.group(inv.arguments[0])
            if inv.arguments.count == 1, !group.isEmpty {
                let text = group.map { "  ap \($0.name)  \($0.summary)" }.joined(separator: "\n")
                return Output(text: "Commands under '\(inv.arguments[0])':\n" + text + "\n", json: commandList)
            }
            throw APError.usage(Suggest.unknownCommand(inv.arguments))
        })

    static var commandList: JSONValue {
        .array(Registry.commands.map { ["command": .string($0.name), "summary": .string($0.summary), "usage": .string($0.usage)] })
    }
}

enum VersionCommand {
    static let command = Command(
        path: ["version"], summary: "print ap's version", usage: "",
        run: { _ in Output(text: "ap \(Help.version)", json: ["version": .string(Help.version)]) })
}

extension String {
    var trimmingTrailingSpace: String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
