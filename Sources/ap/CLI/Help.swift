import APModel

/// Help text rendered from the command declarations, never kept by hand.
enum Help {
    static let version = "0.1.0"

    static func page(_ c: Command) -> String {
        // Alternative forms (`A | B`) each get a line.
        let forms = c.usage.components(separatedBy: " | ")
        var out = forms.enumerated().map { i, form in "\(i == 0 ? "usage" : "   or"): ap \(c.name) \(form)".trimmingTrailingSpace }
            .joined(separator: "\n") + "\n\n" + fit(c.summary) + "\n"
        if !c.details.isEmpty { out += "\n" + fit(c.details) + "\n" }
        if !c.aliases.isEmpty { out += "\nAliases: " + c.aliases.map { "ap " + $0.joined(separator: " ") }.joined(separator: ", ") + "\n" }
        out += "\nOptions:\n" + optionLines(c.options + Registry.commonOptions)
        if !c.examples.isEmpty { out += "\nExamples:\n" + c.examples.map { "  \($0)\n" }.joined() }
        return out
    }

    /// A group's page, in swift-argument-parser's layout: OVERVIEW, USAGE, OPTIONS,
    /// SUBCOMMANDS with their summaries, EXAMPLES.
    static func groupPage(_ words: [String]) -> String {
        let name = words.joined(separator: " ")
        let commands = Registry.under(words)
        var subcommands: [(word: String, summary: String)] = []
        for c in commands where !subcommands.contains(where: { $0.word == c.path[words.count] }) {
            let word = c.path[words.count]
            let summary = c.path.count == words.count + 1 ? c.summary
                : Registry.groupSummaries[(words + [word]).joined(separator: " ")] ?? "more commands"
            subcommands.append((word, summary))
        }
        let w = min((subcommands.map(\.word.count).max() ?? 0) + 2, 24)
        var out = "OVERVIEW: " + (Registry.groupSummaries[name] ?? "the 'ap \(name)' commands") + "\n\n"
        out += "USAGE: ap \(name) <subcommand>\n\nOPTIONS:\n  -h, --help" + String(repeating: " ", count: max(2, w - 8))
            + "show help for this command\n\nSUBCOMMANDS:\n"
        for s in subcommands {
            let indent = String(repeating: " ", count: w + 2)
            let pad = s.word.count >= w ? "\n" + indent : String(repeating: " ", count: w - s.word.count)
            out += "  " + s.word + pad + wrap(s.summary, width: 80 - w - 2).joined(separator: "\n" + indent) + "\n"
        }
        out += "\n  See 'ap help \(name) <subcommand>' for detailed help.\n"
        let examples = commands.compactMap(\.examples.first).prefix(3)
        if !examples.isEmpty { out += "\nEXAMPLES:\n" + examples.map { "  \($0)\n" }.joined() }
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
        let indent = String(repeating: " ", count: w + 2)
        return zip(labels, options).map { label, o in
            let padded = label.count >= w ? label + "\n" + indent : label + String(repeating: " ", count: w - label.count)
            return "  " + padded + wrap(o.help, width: 80 - w - 2).joined(separator: "\n" + indent) + "\n"
        }.joined()
    }

    /// `text` wrapped at 80 columns: lines that start at the margin run on as one paragraph,
    /// indented lines (lists, examples) stay lines of their own, keeping their indentation.
    static func fit(_ text: String) -> String {
        var out: [String] = []
        var paragraph: [Substring] = []
        func flush() {
            if !paragraph.isEmpty { out += wrap(paragraph.joined(separator: " "), width: 80) }
            paragraph = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty || line.first == " " {
                flush()
                let indent = String(line.prefix(while: { $0 == " " }))
                out += line.count > 80 ? wrap(String(line.dropFirst(indent.count)), width: 80 - indent.count).map { indent + $0 } : [String(line)]
            } else {
                paragraph.append(line)
            }
        }
        flush()
        return out.joined(separator: "\n")
    }

    /// Words in lines of at most `width` characters, so help fits an 80-column terminal.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return lines + [line]
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
            let lines = wrap(c.summary, width: 80 - w - 2)
            out += "  \(c.name)" + String(repeating: " ", count: w - c.name.count)
                + lines.joined(separator: "\n" + String(repeating: " ", count: w + 2)) + "\n"
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
            let under = Registry.under(inv.arguments)
            if !under.isEmpty {
                return Output(
                    text: Help.groupPage(inv.arguments),
                    json: .array(under.map {
                        ["command": .string($0.name), "summary": .string($0.summary), "usage": .string($0.usage)]
                    }))
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
