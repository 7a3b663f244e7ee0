import APModel
import Foundation

enum BatchCommand {
    static let command = Command(
        path: ["batch"], summary: "run many commands from JSON Lines, under one lock",
        usage: "[FILE|-] [--atomic] [--dry-run]",
        details: """
            Each line is a command as an argument array, ["stage","set","YP-0001","rosh=high"],
            or an object {"as": "pat", "args": [...]} to act as another user for that line;
            otherwise the user is --as or AP_USER. Blank lines and lines starting with # are
            skipped. Each line's result is printed as a JSON line:
              {"line":3,"ok":true,"result":{...}}
              {"line":4,"ok":false,"error":{"kind":"refused","message":"...","exit":1}}
            and a last line sums it up, {"summary":true,"ok":3,"failed":1,"applied":true}
            ("dryRun":true with --dry-run, "atomic":true with --atomic), the same with --json;
            standard error gets the summary in words.
            By default each line stands on its own and the exit status is 0 only if all
            succeeded (1 otherwise). --atomic: all lines or none. --dry-run: check every line,
            write nothing. Transfers, merges, fsck and set-up commands run on their own, not in a
            batch. The repository lock is held for the whole batch; each case is written
            once, durably, at the end (before the results are printed), and where the repository
            uses git the batch makes one commit.
            """,
        options: [
            Opt(long: "atomic", help: "apply all lines or none"),
            Opt(long: "dry-run", help: "check every line, write nothing"),
        ],
        arguments: 0...1,
        examples: ["ap batch updates.jsonl", "generate-updates | ap batch --atomic -", "ap batch --dry-run monday.jsonl"],
        run: { inv in
            let source = inv.arguments.first ?? "-"
            let bytes = source == "-" ? try FileHandleInput.read(limit: FileSystem.maxFileBytes)
                : try FileSystem.read(source, followLinks: true)
            let atomic = inv.flag("atomic"), dryRun = inv.flag("dry-run")
            let lines = try parse(bytes, source: source, strict: atomic || dryRun)
            let context = inv.context
            let batchUser = context.actingUser
            let session = try context.session()
            // Each line's result as compact JSON text: a line that wrote says what it did (case,
            // event, stage, keys), not the whole stage, so results grow with the lines, no faster.
            var results: [String] = []
            var failed = 0
            try session.locked {
                session.repo.beginBuffering()
                var ok = false
                defer { if !ok { session.repo.discard() } }
                for line in lines {
                    session.actorID = line.user ?? batchUser
                    context.userOption = session.actorID
                    session.forgetAppended()
                    do {
                        if let malformed = line.malformed { throw malformed }
                        let output = try run(line.args, context)
                        let did = session.appended.isEmpty ? output.json : done(session.appended)
                        var result: JSONValue = ["line": .int(line.number), "ok": true, "result": did]
                        if dryRun { result["dryRun"] = true }
                        results.append(JSONWriter.compact(result))
                    } catch let e as APError {
                        failed += 1
                        let error: JSONValue = [
                            "kind": .string(e.kind), "message": .string(e.message), "exit": .int(Int(e.exitStatus)),
                        ]
                        results.append(JSONWriter.compact(["line": .int(line.number), "ok": false, "error": error]))
                    }
                }
                session.actorID = batchUser
                // One commit for the batch, named for it, not for its last line.
                session.commitSubject = nil
                session.forgetAppended()
                ok = true
                try session.endBuffering(write: !dryRun && !(atomic && failed > 0))
            }
            let applied = !dryRun && !(atomic && failed > 0)
            var summary: JSONValue = [
                "summary": true, "ok": .int(results.count - failed), "failed": .int(failed), "applied": .bool(applied),
            ]
            if dryRun { summary["dryRun"] = true }
            if atomic { summary["atomic"] = true }
            // JSON Lines with --json too: one result a line, then the summary.
            let text = (results + [JSONWriter.compact(summary)]).joined(separator: "\n") + "\n"
            var output = Output(text: text, json: .null, jsonBytes: { Array(text.utf8) })
            output.status = failed > 0 ? 1 : 0
            let ok = results.count - failed
            let counts = "\(ok) line\(ok == 1 ? "" : "s") ok, \(failed) failed"
            output.note = "batch: " + counts + "; "
                + (dryRun ? "nothing written (a dry run: the ok lines would be written)"
                    : applied ? "written" : "nothing written (--atomic and a line failed)")
            return output
        })

    /// What a line that wrote did: its case, and each event it appended with the stage and
    /// the answer keys it concerns (never the answers).
    static func done(_ appended: [(caseID: String, event: Event)]) -> JSONValue {
        let first = appended[0].caseID
        let events: [JSONValue] = appended.map { a in
            var e: [String: JSONValue] = ["id": .string(a.event.id), "type": .string(a.event.type)]
            if let stage = a.event.payload["stage"] { e["stage"] = stage }
            if let part = a.event.payload["part"], let entry = a.event.payload["entry"] {
                e["part"] = part
                e["entry"] = entry
            }
            if let answers = a.event.payload["answers"]?.objectValue {
                e["keys"] = .array(answers.keys.sorted().map(JSONValue.string))
            }
            if a.caseID != first { e["case"] = .string(a.caseID) }
            return .object(e)
        }
        return ["case": .string(first), "events": .array(events)]
    }

    struct Line {
        var number: Int
        var args: [String]
        var user: String?
        /// Why the line could not be read, in the default mode, where it fails alone.
        var malformed: APError?
    }

    /// Reads the JSON Lines. A malformed line is an error naming it: with `strict` (--atomic,
    /// --dry-run) before anything runs; otherwise that line's own failure, and the rest run.
    static func parse(_ bytes: [UInt8], source: String, strict: Bool = true) throws -> [Line] {
        var out: [Line] = []
        for (i, raw) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            do {
                if let line = try parseLine(raw, number: i + 1, source: source) { out.append(line) }
            } catch let e as APError where !strict {
                out.append(Line(number: i + 1, args: [], user: nil, malformed: e))
            }
        }
        return out
    }

    static func parseLine(_ raw: ArraySlice<UInt8>, number: Int, source: String) throws -> Line? {
        let where_ = "\(source == "-" ? "standard input" : source), line \(number)"
        guard let decoded = String(validating: raw, as: UTF8.self) else {
            throw APError.data("\(where_): not valid UTF-8")
        }
        let text = decoded.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty || text.hasPrefix("#") { return nil }
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch let e as APError {
            throw APError.data("\(where_): \(e.message)")
        }
        var args: [JSONValue]? = value.arrayValue
        var user: String? = nil
        if case .object(let o) = value {
            args = o["args"]?.arrayValue
            if let u = o["as"] {
                guard let name = u.stringValue else { throw APError.data("\(where_): \"as\" must be a user id") }
                user = name
            }
        }
        guard let list = args, !list.isEmpty, list.allSatisfy({ $0.stringValue != nil }) else {
            throw APError.data(
                "\(where_): expected an array of strings, like [\"stage\",\"set\",\"YP-0001\",\"rosh=high\"], "
                    + "or {\"as\": USER, \"args\": [...]}")
        }
        return Line(number: number, args: list.compactMap(\.stringValue), user: user)
    }

    /// Commands that write outside the case files (packages, records, moved files) or set up
    /// the repository: they cannot be held back for --atomic or --dry-run, so they run alone.
    /// `config question remove` reads every case from disk, where a batch's writes are not yet.
    static let notInBatch: Set<String> = [
        "batch", "init", "git setup", "help", "version", "completions", "fsck", "merge",
        "transfer send", "transfer import", "transfer accept", "transfer reject", "caretake end",
        "config question remove",
    ]

    static func run(_ args: [String], _ context: Context) throws -> Output {
        let parsed = try Parser.parse(args)
        guard !notInBatch.contains(parsed.command.name), parsed.values["git"] == nil else {
            throw APError.usage("'ap \(parsed.command.name)' cannot run inside a batch")
        }
        guard parsed.values["C"] == nil, parsed.values["as"] == nil else {
            throw APError.usage("-C and --as belong to 'ap batch' itself; give a line's user as {\"as\": USER, \"args\": [...]}")
        }
        guard parsed.values["help"] == nil else { throw APError.usage("--help cannot run inside a batch") }
        return try Runner.execute(parsed, context)
    }
}

/// Standard input, read whole; no prompt, since a batch comes from a script or a file.
enum FileHandleInput {
    /// Standard input to its end, or `limit` bytes and one more (which the caller refuses):
    /// a script's input gets the same size cap as a file.
    static func read(limit: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        while out.count <= limit, let chunk = try FileHandle.standardInput.read(upToCount: 1 << 16), !chunk.isEmpty {
            out += chunk
        }
        guard out.count <= limit else { throw APError.data("standard input is larger than \(limit >> 20) MiB") }
        return out
    }
}
