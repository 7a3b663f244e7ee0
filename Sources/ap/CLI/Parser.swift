import APModel

/// Finds the command in the words of a command line and parses its options and arguments.
enum Parser {
    struct Parsed {
        var command: Command
        var values: [String: [String]]
        var arguments: [String]
    }

    /// The global options allowed before the command words.
    static let leadingGlobals: Set<String> = ["C", "as"]

    static func parse(_ args: [String]) throws -> Parsed {
        // Leading global options: ap -C DIR --as USER stage new ...
        var values: [String: [String]] = [:]
        var rest = args[...]
        while let first = rest.first, first.hasPrefix("-"), first != "-" {
            let (name, inline) = split(first)
            guard let opt = Registry.commonOptions.first(where: { matches($0, name) }) else { break }
            rest = rest.dropFirst()
            if opt.value != nil {
                guard let v = inline ?? rest.first else { throw APError.usage("option \(first) needs a value \(opt.value!)") }
                if inline == nil { rest = rest.dropFirst() }
                values[opt.long, default: []].append(v)
            } else {
                values[opt.long, default: []].append("")
            }
        }
        let words = Array(rest.prefix(while: { !$0.hasPrefix("-") }))
        // A group's words alone (`ap stage`, `ap config question --help`) show its page.
        // (Every word must name the group: `ap stage set CASE ...` is not a page. Asked in
        // that order, a batch of thousands of lines does not search the registry for each.)
        let found = Registry.lookup(words)
        if !words.isEmpty, (found?.matchedLength(words) ?? 0) < words.count,
            rest.dropFirst(words.count).allSatisfy({ $0 == "--help" || $0 == "-h" }), !Registry.under(words).isEmpty
        {
            return Parsed(command: Registry.help, values: values, arguments: words)
        }
        guard let command = found else {
            if words.isEmpty {
                if values["help"] != nil || rest.isEmpty { return Parsed(command: Registry.help, values: values, arguments: []) }
                if rest.first == "--version" { return Parsed(command: Registry.version, values: values, arguments: []) }
                let option = rest.first!
                throw APError.usage("unknown option '\(option)' before a command\(Suggest.hint(option, Registry.commonOptions.map(\.display)))")
            }
            throw APError.usage(Suggest.unknownCommand(words))
        }
        let consumed = command.matchedLength(words)
        var parsed = Parsed(command: command, values: values, arguments: [])
        try parseOptions(Array(rest.dropFirst(consumed)), into: &parsed)
        if parsed.values["help"] == nil {
            guard command.arguments.contains(parsed.arguments.count) else {
                let what = parsed.arguments.count < command.arguments.lowerBound ? "missing arguments" : "too many arguments"
                throw APError.usage("\(what); usage: ap \(command.name) \(command.usage)")
            }
        }
        return parsed
    }

    static func parseOptions(_ args: [String], into parsed: inout Parsed) throws {
        let options = parsed.command.allOptions
        var i = 0
        var onlyArguments = false
        while i < args.count {
            let arg = args[i]
            i += 1
            if onlyArguments || !arg.hasPrefix("-") || arg == "-" {
                parsed.arguments.append(arg)
                continue
            }
            if arg == "--" { onlyArguments = true; continue }
            let (name, inline) = split(arg)
            guard let opt = options.first(where: { matches($0, name) }) else {
                let c = parsed.command
                throw APError.usage(
                    "unknown option '\(arg)' for 'ap \(c.name)'\(Suggest.hint(arg, options.map(\.display)))\n"
                        + "usage: ap \(c.name) \(c.usage)\nSee 'ap \(c.name) --help'.")
            }
            if let placeholder = opt.value {
                let v: String
                if let inline { v = inline } else {
                    guard i < args.count else { throw APError.usage("option --\(opt.long) needs a value \(placeholder)") }
                    v = args[i]
                    i += 1
                }
                if !opt.repeatable, parsed.values[opt.long] != nil, !Registry.commonOptions.contains(where: { $0.long == opt.long }) {
                    throw APError.usage("option --\(opt.long) given twice")
                }
                parsed.values[opt.long, default: []].append(v)
            } else {
                guard inline == nil else { throw APError.usage("option --\(opt.long) takes no value") }
                parsed.values[opt.long, default: []].append("")
            }
        }
    }

    /// `--name=value` → ("name", "value"); `-C` → ("C", nil).
    static func split(_ arg: String) -> (String, String?) {
        let body = arg.hasPrefix("--") ? arg.dropFirst(2) : arg.dropFirst()
        if arg.hasPrefix("--"), let eq = body.firstIndex(of: "=") {
            return (String(body[..<eq]), String(body[body.index(after: eq)...]))
        }
        return (String(body), nil)
    }

    static func matches(_ opt: Opt, _ name: String) -> Bool {
        opt.long == name || (opt.short.map { String($0) == name } ?? false)
    }
}

extension Command {
    /// How many of `words` this command's path (or an alias) takes, or nil.
    func matchedLength(_ words: [String]) -> Int {
        for p in [path] + aliases where words.starts(with: p) { return p.count }
        return 0
    }
}

/// "Did you mean" suggestions by edit distance.
enum Suggest {
    static func distance(_ a: String, _ b: String) -> Int { EditDistance.between(a, b) }

    static func nearest(_ word: String, _ candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        guard let (best, d) = scored, d <= max(2, word.count / 3) else { return nil }
        return best
    }

    static func hint(_ word: String, _ candidates: [String]) -> String {
        nearest(word, candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Suggests by the words' place: a group's subcommands for the word after a group
    /// (`ap stage nwe` → `stage new`), the first words of all commands otherwise (`ap stag` →
    /// `stage`).
    static func unknownCommand(_ words: [String]) -> String {
        let typed = words.joined(separator: " ")
        var known: [String] = [], corrected = false, help = ""
        for word in words {
            let next = Set(Registry.commands.flatMap { c in [c.path] + c.aliases }
                .filter { $0.count > known.count && Array($0.prefix(known.count)) == known }.map { $0[known.count] })
            if next.isEmpty { break }
            if next.contains(word) { known.append(word); continue }
            guard let near = nearest(word, next.sorted()) else { break }
            // The first unknown word names the help to see; later words may still correct further.
            if !corrected { help = known.joined(separator: " ") }
            known.append(near)
            corrected = true
        }
        var message = "unknown command '\(typed)'"
        if corrected { message += "; did you mean 'ap \(known.joined(separator: " "))'?" }
        return message + " See 'ap help\(help.isEmpty ? "" : " " + help)'."
    }
}
