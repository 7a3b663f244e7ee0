import APModel

/// One option of a command, declared once: the parser, help and completions read it.
struct Opt: Sendable {
    var long: String
    var short: Character? = nil
    /// The value's placeholder (`KIND`); nil for a flag.
    var value: String? = nil
    var help: String
    var repeatable = false

    /// `-C` for one-letter names, `--kind` otherwise.
    var display: String { long.count == 1 ? "-\(long)" : "--\(long)" }
}

/// What a command produces: text for people and a value for `--json`.
struct Output {
    /// Made only when printed as text: a large queue's table costs time `--json` need not pay.
    private let makeText: () -> String
    var text: String { makeText() }
    /// `text` of a long listing (`--csv`), handed to `emit` in parts as they are made.
    private(set) var textStream: (((String) -> Bool) -> Void)?
    /// Made only when printed as JSON (or used by `ap batch`).
    private let makeJSON: () -> JSONValue
    var json: JSONValue { makeJSON() }
    /// `json`'s canonical text, from a command that writes its rows straight to bytes (`ap queue`),
    /// handed to `emit` in parts that follow one another as they are written: a long list is
    /// printed part by part, never copied whole (`JSONWriter.prettyRowStream`).
    private let streamJSON: ((([UInt8]) -> Bool) -> Void)?
    func writeJSON(_ emit: ([UInt8]) -> Bool) {
        if let streamJSON { streamJSON(emit) } else { _ = emit(JSONWriter.pretty(json)) }
    }
    /// Damaged files passed over: printed to stderr after the output, and the exit status is 65.
    var warnings: [String] = []
    /// Per-item failures of a command that goes on past them (`ap transfer import`): to stderr.
    var errors: [String] = []
    /// An exit status other than 0 for a command that printed its result (`ap batch` with failed lines).
    var status: Int32? = nil
    /// The text holds ap's own colours, its user data already made safe (`Terminal.safe`).
    var coloured = false
    /// A line for people on standard error, after the output (`ap batch`'s summary).
    var note: String?

    init(text: @autoclosure @escaping () -> String, json: @autoclosure @escaping () -> JSONValue, warnings: [String] = [],
         jsonBytes: (() -> [UInt8])? = nil) {
        self.makeText = text
        self.makeJSON = json
        self.streamJSON = jsonBytes.map { bytes in { emit in _ = emit(bytes()) } }
        self.warnings = warnings
    }

    /// A listing whose JSON is written as bytes; its value (`ap batch`) is read back from
    /// them, so the two can never differ.
    init(text: @autoclosure @escaping () -> String, warnings: [String] = [],
         jsonStream: @escaping (([UInt8]) -> Bool) -> Void) {
        self.makeText = text
        self.makeJSON = {
            var parts: [[UInt8]] = []
            jsonStream { parts.append($0); return true }
            return (try? JSONParser.parse(JSONWriter.joined(parts))) ?? .null
        }
        self.streamJSON = jsonStream
        self.warnings = warnings
    }

    /// A listing whose text is written in parts (`Report.csvStream`).
    init(json: @autoclosure @escaping () -> JSONValue, warnings: [String] = [],
         textStream: @escaping ((String) -> Bool) -> Void) {
        self.init(text: {
            var parts: [String] = []
            textStream { parts.append($0); return true }
            return parts.joined()
        }(), json: json(), warnings: warnings)
        self.textStream = textStream
    }

    /// A confirmation line and the object it concerns.
    static func done(
        _ text: @autoclosure @escaping () -> String, _ json: @autoclosure @escaping () -> JSONValue
    ) -> Output {
        Output(text: text(), json: json())
    }
}

/// A command as data: its words, its usage, its options and what it runs
/// (the git `cmd_struct` table, style.md). A new command is one value in `Registry.commands`.
struct Command: Sendable {
    var path: [String]
    var aliases: [[String]] = []
    var summary: String
    /// The usage after the command words, e.g. `CASE --kind KIND [--owner USER]`.
    var usage: String
    var details: String = ""
    var options: [Opt] = []
    var arguments: ClosedRange<Int> = 0...0
    var examples: [String] = []
    /// Long text goes through the pager on a terminal (`ap log`), unless `--no-pager`.
    var pages = false
    var run: @Sendable (Invocation) throws -> Output

    /// The words joined by hand: `joined(separator:)` is not specialized for an array of strings,
    /// and its first use looks up `String: StringProtocol` by scanning every conformance.
    var name: String {
        var name = path.first ?? ""
        for word in path.dropFirst() { name += " " + word }
        return name
    }
    var allOptions: [Opt] { options + Registry.commonOptions }

    /// The options the usage line names outside brackets (`CASE --to ORG [--out DIR]`): the
    /// ones every use needs. None for a usage of alternative forms.
    var requiredOptions: [String] {
        guard !usage.contains(" | ") else { return [] }
        var depth = 0, word = "", out: [String] = []
        for c in usage + " " {
            if c == " " || c == "[" || c == "]" {
                if depth == 0, word.hasPrefix("--") { out.append(String(word.dropFirst(2))) }
                word = ""
                if c == "[" { depth += 1 } else if c == "]" { depth -= 1 }
            } else if depth == 0 {
                word.append(c)
            }
        }
        return out.filter { name in options.contains { $0.long == name } }
    }
}

/// A parsed command line for one command.
struct Invocation {
    let command: Command
    let context: Context
    let values: [String: [String]]
    let arguments: [String]

    func flag(_ long: String) -> Bool { values[long] != nil }
    func value(_ long: String) -> String? { values[long]?.last }
    func all(_ long: String) -> [String] { values[long] ?? [] }

    /// A required option's value; when it is missing, every required option missing is named
    /// at once (those the usage line gives outside brackets), not one per try.
    func required(_ long: String) throws -> String {
        guard let v = value(long) else {
            let missing = command.requiredOptions.filter { value($0) == nil }
            let names = (missing.contains(long) ? missing : [long]).map { "--" + $0 }
            let listed = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names.last!
            throw APError.usage("'ap \(command.name)' needs \(listed); see 'ap \(command.name) --help'")
        }
        return v
    }

    /// `--csv`, which goes without `--json`.
    func csv() throws -> Bool {
        guard flag("csv") else { return false }
        guard !context.json else { throw APError.usage("--csv and --json go one at a time") }
        return true
    }

    /// With `--mine`, the acting user, who must be one of `config`'s users; else nil.
    func mine(_ config: Config) throws -> String? {
        guard flag("mine") else { return nil }
        guard let me = context.actingUser else {
            throw APError.usage("--mine needs the acting user: give --as USER or set AP_USER")
        }
        guard config.users[me] != nil else {
            throw APError.permission("unknown user '\(me)'; 'ap user list' shows the users")
        }
        return me
    }

    /// A filter's user (`--owner`, `--user`), checked: one nobody here is called is an error
    /// (66), not an empty list. Another YOT's user is written `pat@NOTTS`.
    func user(_ option: String, _ config: Config) throws -> String? {
        guard let id = value(option) else { return nil }
        guard config.users[id] != nil || id.contains("@") else {
            throw APError.notFound("no user '\(id)' (from --\(option)); 'ap user list' shows the users")
        }
        return id
    }

    /// A filter's day (`--since`, `--until`): a date, `today`, `yesterday`, or days from
    /// today as `+3` or `-7`.
    func day(_ option: String, today: Day) throws -> Day? {
        guard let text = value(option) else { return nil }
        guard let day = RelativeDay.parse(text, today: today) else {
            throw APError.usage(
                "--\(option) takes a date like 2026-11-23, today, yesterday, +3 or -7, not '\(text)'")
        }
        return day
    }

    /// The positional argument at `index`, which the command's arity guarantees.
    func argument(_ index: Int) -> String { arguments[index] }
    func caseID(_ index: Int = 0) throws -> String { try CaseID.normalize(arguments[index]) }

    /// `key=value` arguments from `index` on. The error names the argument's place, not its
    /// text: it may be an answer about a child.
    func pairs(from index: Int) throws -> [(key: String, value: String)] {
        try arguments.enumerated().dropFirst(index).map { position, text in
            guard let eq = text.firstIndex(of: "=") else {
                throw APError.usage(
                    "argument \(position + 1) is not key=value (e.g. rosh=medium); see 'ap \(command.name) --help'")
            }
            return (String(text[..<eq]).lowercased(), String(text[text.index(after: eq)...]))
        }
    }
}
