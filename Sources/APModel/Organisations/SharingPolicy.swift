/// What each kind of receiver may be sent of a stage (001 §3.2.1; domain.md, "Organisations").
/// An entry is `*` (the whole stage) or an answer key, which also covers the keys under it
/// (`pfs.substance-misuse` covers `pfs.substance-misuse.explanation`).
public enum SharingPolicy {
    public static let wholeStage = "*"
    static let judgements = ["rosh", "saw"]

    /// The defaults, by receiver type. Social care (for a looked-after child), probation,
    /// YOTs, establishments and Placements receive the most recent stage whole.
    public static let defaults: [String: [String]] = [
        Organisation.Kind.education.rawValue: judgements,
        Organisation.Kind.camhs.rawValue: judgements + [
            "pfs.health", "pfs.physical-health-screen", "pfs.mental-health-screen", "pfs.slcn-screen",
            "screening.physical", "screening.mental", "screening.slcn",
        ],
        Organisation.Kind.ypdas.rawValue: judgements + ["pfs.substance-misuse", "screening.substance"],
        Organisation.Kind.socialCare.rawValue: [wholeStage],
        Organisation.Kind.probation.rawValue: [wholeStage],
        Organisation.Kind.yot.rawValue: [wholeStage],
        Organisation.Kind.establishment.rawValue: [wholeStage],
        Organisation.Kind.placements.rawValue: [wholeStage],
        Organisation.Kind.court.rawValue: [],
    ]

    /// Whether `entries` let `key` leave the repository.
    public static func allows(_ entries: [String], key: String) -> Bool {
        entries.contains { $0 == wholeStage || key == $0 || key.hasPrefix($0 + ".") }
    }

    public static func isWhole(_ entries: [String]) -> Bool { entries.contains(wholeStage) }
}

extension Config {
    /// The entries a receiver of `kind` may be sent: the config's, else the default.
    public func sharing(for kind: Organisation.Kind) -> [String] {
        sharing[kind.rawValue] ?? SharingPolicy.defaults[kind.rawValue] ?? []
    }

    /// Sets (or, with nil, restores the default of) what a receiver type is sent.
    public mutating func setSharing(_ kind: Organisation.Kind, _ entries: [String]?) throws {
        guard let entries else {
            sharing[kind.rawValue] = nil
            return
        }
        guard !entries.isEmpty else { throw APError.usage("give '*' or at least one answer key") }
        for entry in entries where entry != SharingPolicy.wholeStage { try AnswerKey.validate(entry) }
        sharing[kind.rawValue] = entries
    }
}
