import APModel

/// Every command, listed once. Order here is the order of `ap help`.
enum Registry {
    static let commonOptions: [Opt] = [
        Opt(long: "C", value: "DIR", help: "use the repository at DIR (else AP_REPO, else the nearest .ap/ upwards)"),
        Opt(long: "as", value: "USER", help: "act as USER (else AP_USER)"),
        Opt(long: "json", help: "print JSON for scripts instead of text"),
        Opt(
            long: "width", short: "w", value: "N",
            help: "lay text out for N columns (else the terminal's; piped, no limit)"),
        Opt(long: "help", short: "h", help: "show help for this command"),
    ]

    /// The commands in families, each with the first words its commands and aliases begin
    /// with, built only when one of those words is typed: building every command (its options,
    /// help and closures) was two fifths of `ap version`'s instructions, paid by every command.
    static let families: [(words: [String], make: @Sendable () -> [Command])] = [
        (["init"], { [InitCommand.command] }),
        (["help"], { [HelpCommand.command] }),
        (["version"], { [VersionCommand.command] }),
        (["user"], { UserCommands.all }),
        (["user", "verify", "whoami"], { IdentityCommands.all }),
        (["config", "org"], { OrgCommands.all }),
        (["config"], { ConfigCommands.all + ConfigFrameworkCommands.all }),
        (["case", "cases"], { CaseCommands.all }),
        (["stage"], { StageCommands.all + [StageSendCommand.command] }),
        (["countersign"], { [CountersignCommand.command] }),
        (["queue"], { [QueueCommand.command] }),
        (["status"], { [StatusCommand.command] }),
        (["report"], { [ReportCommand.command] }),
        (["log"], { [LogCommand.command] }),
        (["due", "record"], { CustodyCommands.all }),
        (["referral"], { ReferralCommands.all }),
        (["transfer", "caretake"], { TransferCommands.all }),
        (["merge"], { [MergeCommand.command] }),
        (["git", "sync"], { GitCommand.all }),
        (["batch"], { [BatchCommand.command] }),
        (["fsck"], { [FsckCommand.command] }),
        (["completions"], { [CompletionsCommand.command] }),
    ]

    /// Every command, in the order help lists them.
    static let commands: [Command] = families.flatMap { $0.make() }

    /// The commands whose words or aliases may begin with `word`.
    static func commands(startingWith word: String) -> [Command] {
        families.filter { $0.words.contains(word) }.flatMap { $0.make() }
    }

    static var help: Command { HelpCommand.command }
    static var version: Command { VersionCommand.command }

    /// The command whose words (or an alias's) begin `words`, preferring the longest.
    static func lookup(_ words: [String]) -> Command? {
        guard let first = words.first else { return nil }
        return commands(startingWith: first)
            .filter { $0.matchedLength(words) > 0 }
            .max { $0.matchedLength(words) < $1.matchedLength(words) }
    }

    /// Commands under a group word like `stage`.
    static func group(_ word: String) -> [Command] {
        commands.filter { $0.path.count > 1 && $0.path[0] == word }
    }

    /// Commands under the words `prefix` (`config question`), which are not a command themselves.
    static func under(_ prefix: [String]) -> [Command] {
        commands.filter { $0.path.count > prefix.count && Array($0.path.prefix(prefix.count)) == prefix }
    }

    /// What each group of commands is for, shown on its page (`ap stage`, `ap help config`).
    static let groupSummaries: [String: String] = [
        "user": "manage the repository's users and their roles",
        "org": "secure establishments, Placements, social care, partners and YOTs known here",
        "config": "show and change this YOT's settings, questions and calendar",
        "config question": "this repository's local questions",
        "config mandatory": "answers a stage kind must hold to be submitted",
        "config trigger": "further-exploration triggers and the referrals they flag",
        "config kind-section": "sections and modules a stage kind holds beyond the shipped ones",
        "config holiday": "bank holidays added to the shipped calendar",
        "case": "open, list, show and update cases",
        "stage": "start, answer, submit, stop and show assessment stages",
        "transfer": "send and receive cases between YOTs by package or secure email",
        "caretake": "review and end caretaking arrangements",
        "git": "share the repository through git",
    ]
}
