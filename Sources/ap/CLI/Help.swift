import Foundation
import APModel

/// Help text rendered from the command declarations, never kept by hand.
enum Help {
    static let version = "0.1.0"

    /// A command's page, in swift-argument-parser's layout: OVERVIEW (the summary, then the
    /// details), USAGE (each alternative form on its line), ARGUMENTS with each positional
    /// explained, OPTIONS, EXAMPLES.
    static func page(_ c: Command) -> String {
        var out = "OVERVIEW: " + wrap(c.summary, width: 70).joined(separator: "\n          ") + "\n"
        if !c.details.isEmpty { out += "\n" + fit(c.details) + "\n" }
        // Alternative forms (`A | B`) each get a line.
        let forms = c.usage.components(separatedBy: " | ")
        out += "\n" + forms.enumerated().map { i, form in
            "\(i == 0 ? "USAGE:" : "      ") ap \(c.name) \(form)".trimmingTrailingSpace
        }.joined(separator: "\n") + "\n"
        if !c.aliases.isEmpty {
            out += "\nALIASES: " + c.aliases.map { "ap " + $0.joined(separator: " ") }.joined(separator: ", ") + "\n"
        }
        let positionals = arguments(c)
        if !positionals.isEmpty {
            let w = min((positionals.map(\.count).max() ?? 0) + 4, 24)
            out += "\nARGUMENTS:\n"
            for name in positionals {
                let label = "<\(name)>"
                let indent = String(repeating: " ", count: w + 2)
                let pad = label.count >= w ? "\n" + indent : String(repeating: " ", count: w - label.count)
                out += "  " + label + pad
                    + wrap(argumentHelp[name] ?? "see the overview", width: 80 - w - 2).joined(separator: "\n" + indent)
                    + "\n"
            }
        }
        out += "\nOPTIONS:\n" + optionLines(c.options + Registry.commonOptions)
        if !c.examples.isEmpty { out += "\nEXAMPLES:\n" + c.examples.map { "  \($0)\n" }.joined() }
        return out
    }

    /// The positional arguments a command's usage names, in order, once each: words that
    /// are neither options nor an option's value.
    static func arguments(_ c: Command) -> [String] {
        let withValues = (c.options + Registry.commonOptions).filter { $0.value != nil }
        let valued = Set(withValues.map(\.display) + withValues.compactMap { $0.short.map { "-\($0)" } })
        var out: [String] = []
        for form in c.usage.components(separatedBy: " | ") {
            var skipValue = false
            for raw in form.split(separator: " ") {
                let word = raw.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                if skipValue { skipValue = false; continue }
                if word.hasPrefix("-") {
                    skipValue = valued.contains(String(word.split(separator: "=").first ?? ""))
                    continue
                }
                guard !word.isEmpty, word != "OPTIONS", word != "FILTERS",
                    word.first!.isUppercase || word.contains(".json") || word.contains("|"),
                    !out.contains(word)
                else { continue }
                out.append(word)
            }
        }
        return out
    }

    /// What each positional means, by its name in the usage lines.
    static let argumentHelp: [String: String] = [
        "CASE": "a case id, e.g. YP-0042 (any case)",
        "ID": "the id to create or change: a case (YP-0042), a user (pat) or a stage",
        "KEY=VALUE...": "answers or fields: a key and its value, e.g. rosh=medium; quote values with spaces",
        "KEY...": "question keys, e.g. pfs.gangs",
        "PART": "a list part's key, e.g. adverse-outcomes ('ap stage questions')",
        "N": "an entry's number as 'ap stage show' shows it, or its id",
        "REFERRAL": "a referral's id (rf-...) from 'ap referral list', or the question that flagged it",
        "OUTCOME": "what came of the referral: accepted, declined or not-needed",
        "FIELD=VALUE...": "an entry's fields, e.g. likelihood=high; quote values with spaces",
        "KEY": "a question key, e.g. pfs.young-carer",
        "SETTING": "a policy setting (listed in the overview)",
        "VALUE": "the setting's new value",
        "STAGE-ID": "a stage id, as 'ap case show' lists them (default: the latest)",
        "EVENT": "a key event's slug (listed in the overview)",
        "TRANSFER": "a transfer id, as 'ap transfer list --incoming' shows it",
        "PATH...": "packages (.json), mails (.eml, .msg, winmail.dat), mboxes, Maildirs, folders; - reads stdin",
        "NAME": "a report's name (listed in the overview)",
        "KIND": "a stage kind's slug ('ap stage kinds')",
        "DAYS|default": "whole working days, or 'default' for the policy's",
        "RULE": "an obligation rule's id, as 'ap config obligation' lists them",
        "SECTION": "a section or module slug, e.g. pfs or rj",
        "DATE": "a date, YYYY-MM-DD",
        "CODE": "an organisation's code, e.g. WETHERBY",
        "TYPE": "an organisation type: " + Organisation.Kind.allNames,
        "ENTRY...|default": "'*' for the whole stage, or answer keys; 'default' restores the type's default",
        "REMOTE": "a git remote (default origin)",
        "COMMAND...": "a command's words, e.g. stage new",
        "bash|zsh|fish": "the shell to complete in",
        "A.json": "one copy of the case: a case file",
        "B.json": "the other copy",
        "PATH": "the case file's path in the repository, as git gives it (for messages)",
        "FILE|-": "a file of JSON lines, one command each, or - for standard input",
        "DIR": "the folder for the new repository (default: the current folder)",
        "RATING...|none": "rating keys: rosh, saw, indicative-lor, lor, scaled-approach, or none",
        "KIND...|none": "stage kind slugs, or none",
        "FILE": "a file of JSON lines, or - for standard input",
        "BASE": "git's common ancestor of the two copies",
        "OURS": "our copy, which the merged case replaces",
        "THEIRS": "their copy",
        "FILE.pub": "an OpenSSH public key file (never the private key)",
        "FINGERPRINT": "a key's fingerprint, SHA256:..., as 'ap user key list' shows it",
        "CASE...": "case ids (default: every case)",
    ]

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
}

enum HelpCommand {
    static let command = Command(
        path: ["help"], summary: "show help for ap or for one command", usage: "[COMMAND...] [--all]",
        options: [Opt(long: "all", help: "every command with its summary, by task")],
        arguments: 0...3, examples: ["ap help", "ap help --all", "ap help stage new"],
        run: { inv in
            guard !inv.arguments.isEmpty else {
                return Output(text: inv.flag("all") ? HelpGroups.all : HelpGroups.overview, json: commandList)
            }
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
        .array(Registry.commands.map { c in
            let group = HelpGroups.groups.first { $0.commands.contains(c.name) }?.name ?? ""
            return [
                "command": .string(c.name), "summary": .string(c.summary), "usage": .string(c.usage),
                "group": .string(group),
            ]
        })
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
