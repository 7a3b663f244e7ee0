import APModel

/// Every command, listed once. Order here is the order of `ap help`.
enum Registry {
    static let commonOptions: [Opt] = [
        Opt(long: "C", value: "DIR", help: "use the repository at DIR (else AP_REPO, else the nearest .ap/ upwards)"),
        Opt(long: "as", value: "USER", help: "act as USER (else AP_USER)"),
        Opt(long: "json", help: "print JSON for scripts instead of text"),
        Opt(long: "help", short: "h", help: "show help for this command"),
    ]

    static let commands: [Command] =
        [InitCommand.command, HelpCommand.command, VersionCommand.command]
        + UserCommands.all + ConfigCommands.all + ConfigFrameworkCommands.all + CaseCommands.all + StageCommands.all
        + [CountersignCommand.command, QueueCommand.command, ReportCommand.command, LogCommand.command]
        + TransferCommands.all
        + [MergeCommand.command, GitCommand.setup, BatchCommand.command, FsckCommand.command, CompletionsCommand.command]

    static var help: Command { HelpCommand.command }
    static var version: Command { VersionCommand.command }

    /// The command whose words (or an alias's) begin `words`, preferring the longest.
    static func lookup(_ words: [String]) -> Command? {
        commands
            .filter { $0.matchedLength(words) > 0 }
            .max { $0.matchedLength(words) < $1.matchedLength(words) }
    }

    /// Commands under a group word like `stage`.
    static func group(_ word: String) -> [Command] {
        commands.filter { $0.path.count > 1 && $0.path[0] == word }
    }
}
