import APModel
import Foundation

/// Runs one command line: parse, run, print; turns every error into a message and an
/// exit status (the only place that decides them, style.md).
enum Runner {
    /// Refuses an argument that is not valid UTF-8 (nil here), naming its place, not its bytes.
    static func run(checking arguments: [String?], _ context: Context) -> Int32 {
        let valid = arguments.compactMap { $0 }
        guard let bad = arguments.firstIndex(where: { $0 == nil }) else { return run(valid, context) }
        context.json = valid.contains("--json")
        let error = APError.data("argument \(bad + 1) is not valid UTF-8; nothing was changed")
        report(error, context)
        return error.exitStatus
    }

    static func run(_ args: [String], _ context: Context) -> Int32 {
        context.json = args.contains("--json")
        // A bare `ap` shows the overview and exits 1, as git does: it did nothing asked.
        if args.isEmpty {
            write(HelpGroups.overview, to: .standardOutput)
            return OutputStream.status ?? 1
        }
        do {
            let parsed = try Parser.parse(args)
            context.repoOption = parsed.values["C"]?.last
            context.commandName = parsed.command.name
            context.userOption = parsed.values["as"]?.last
            if let w = parsed.values["width"]?.last {
                guard let n = Int(w), n >= 20, n <= 10_000 else {
                    throw APError.usage("--width takes a number of columns from 20 to 10000, not '\(w)'")
                }
                context.widthOption = n
            }
            Table.width = context.width
            if parsed.values["help"] != nil && parsed.command.name != "help" {
                write(Help.page(parsed.command), to: .standardOutput)
                return OutputStream.status ?? 0
            }
            let output = try execute(parsed, context)
            UntilExit.keep(output)
            if context.json {
                output.writeJSON { part in
                    OutputStream.write(part, fd: 1)
                    return OutputStream.status == nil
                }
            } else if let stream = output.textStream, !(parsed.command.pages && isatty(1) == 1) {
                stream { part in
                    write(part, to: .standardOutput, colours: output.coloured)
                    return OutputStream.status == nil
                }
            } else {
                let text = output.text
                if !text.isEmpty {
                    // By the last byte: CSV's and iCalendar's CRLF is one Character, which hasSuffix("\n") misses.
                    let ended = text.utf8.last == 0x0A
                    let whole = ended ? text : text + "\n"
                    if parsed.command.pages, parsed.values["no-pager"] == nil, isatty(1) == 1,
                        let pager = Pager.command(context.environment),
                        Pager.page(Array(Terminal.safe(whole, keepColours: output.coloured).utf8), command: pager,
                                   environment: context.environment)
                    {
                        // Paged.
                    } else {
                        write(whole, to: .standardOutput, colours: output.coloured)
                    }
                }
            }
            if let note = output.note { write(note + "\n", to: .standardError) }
            for error in output.errors {
                report(.data(error), context)
            }
            for warning in output.warnings {
                report(.data(warning), context, prefix: "warning: ")
            }
            for warning in context.openSession?.warnings ?? [] {
                report(.io(warning), context, prefix: "warning: ")
            }
            if let failed = OutputStream.status { OutputStream.reportFailure(); return failed }
            return output.status ?? (output.warnings.isEmpty ? 0 : APError.data("").exitStatus)
        } catch let error as APError {
            report(error, context)
            return OutputStream.status ?? error.exitStatus
        } catch {
            report(.io("\(error)"), context)
            return 70
        }
    }

    static func execute(_ parsed: Parser.Parsed, _ context: Context) throws -> Output {
        try parsed.command.run(Invocation(command: parsed.command, context: context, values: parsed.values, arguments: parsed.arguments))
    }

    static func report(_ error: APError, _ context: Context, prefix: String = "") {
        if context.json {
            let value: JSONValue = ["error": ["kind": .string(error.kind), "message": .string(error.message), "exit": .int(Int(error.exitStatus))]]
            write(JSONWriter.compact(value) + "\n", to: .standardError)
        } else {
            write("ap: \(prefix)\(error.message)\n", to: .standardError)
        }
    }

    enum Stream { case standardOutput, standardError }

    static func write(_ text: String, to stream: Stream, colours: Bool = false) {
        OutputStream.write(
            Array(Terminal.safe(text, keepColours: colours).utf8), fd: stream == .standardError ? 2 : 1)
    }
}
