/// Where a stage is in its lifecycle (domain.md, "Stage lifecycle").
public enum StageStatus: String, Sendable {
    case inProgress = "in-progress"
    case awaitingCountersignature = "awaiting-countersignature"
    case completed
    case stopped

    /// Open stages block a new one: "as long as there is no stage currently open" (001 §11.2.1).
    public var isOpen: Bool { self == .inProgress || self == .awaitingCountersignature }
}

/// One recorded answer with who entered it and when.
public struct Answer: Equatable, Sendable {
    public var value: String
    public var at: Timestamp
    public var by: String
    /// Pre-populated from the previous stage rather than entered in this one.
    public var pulled: Bool
}

/// One numbered entry of a list part (an adverse outcome, a plan target, ...): its fields,
/// who added it and who last changed it. `id` stays the same through edits and pull forward.
public struct Entry: Equatable, Sendable {
    public var id: String
    public var fields: [String: String]
    public var at: Timestamp
    public var by: String
    /// Pre-populated from the previous stage rather than added in this one.
    public var pulled = false
    public var changedAt: Timestamp?
    public var changedBy: String?
}

/// An answer taken out of a stage: the history says who cleared what, never the answer.
public struct Clearing: Equatable, Sendable {
    public var key: String
    public var at: Timestamp
    public var by: String
}

/// A stage sent back to its owner for amendment.
public struct Return: Equatable, Sendable {
    public var at: Timestamp
    public var by: String
    public var reason: String
}

/// An assessment stage as derived from the case's events.
public struct Stage: Equatable, Sendable {
    public var id: String
    public var kind: String
    public var owner: String
    /// The owner's YOT, recorded since events carry one: another YOT's `pat` is not ours.
    public var ownerYOT: String?
    public var status: StageStatus = .inProgress
    public var startedAt: Timestamp
    public var startedBy: String
    public var pulledFrom: String?
    /// A due date given at the start (a court date); the stage is due at the earlier of it and the timescale.
    public var due: Day?
    /// For a Case Closure: when involvement ended, from which its timescale counts (001 §6.21).
    public var involvementEnded: Day?
    public var answers: [String: Answer] = [:]
    /// List parts' entries by part key, in the order they were added.
    public var entries: [String: [Entry]] = [:]
    /// Answers cleared in this stage, in order.
    public var cleared: [Clearing] = []
    /// Everyone who answered, cleared, added, changed or removed anything in this stage by
    /// hand: each of them filled it in, and none of them countersigns it.
    public var writers: Set<String> = []
    public var submittedAt: Timestamp?
    public var submittedBy: String?
    /// The countersignature criteria that applied when it was submitted.
    public var criteria: [String] = []
    /// The share of `yet-to-clarify` answers at submission, when it passed the policy's limit.
    public var yetToClarifyPercent: Int?
    public var completedAt: Timestamp?
    public var countersignedBy: String?
    public var countersignedAt: Timestamp?
    public var countersignComment: String?
    public var returns: [Return] = []
    /// Submissions taken back by their owner or a manager before countersignature (issue 25).
    public var withdrawals: [Return] = []
    public var stoppedAt: Timestamp?
    public var stoppedBy: String?
    public var stopReason: String?
    /// Sections allocated to contributors, section slug to user id (001 §2).
    public var contributors: [String: String] = [:]
    /// Where it was sent (`ap stage send`), in order.
    public var sends: [StageSend] = []

    public func answer(_ key: String) -> String? {
        guard let v = answers[key]?.value, !v.isEmpty else { return nil }
        return v
    }

    /// Whether `actor` is this stage's owner: the same user of the same YOT.
    public func isOwned(by actor: Actor) -> Bool {
        owner == actor.id && (ownerYOT == nil || actor.yot == nil || ownerYOT == actor.yot)
    }

    /// The sections allocated to `user`.
    public func sections(of user: String) -> [String] {
        contributors.filter { $0.value == user }.map(\.key).sorted()
    }

    /// Users who filled in this stage themselves: answers (not pulled forward), clearings
    /// and entries added, changed or removed.
    public var filledBy: Set<String> {
        writers.union(answers.values.filter { !$0.pulled }.map(\.by))
    }

    /// The entries of list part `part`, numbered from 1 as shown.
    public func entries(_ part: String) -> [Entry] { entries[part] ?? [] }
}

/// A stage sent to an organisation: when, by whom, the package, and the answer keys that
/// the sharing policy let leave (never their text).
public struct StageSend: Equatable, Sendable {
    public var at: Timestamp
    public var by: String
    public var to: Organisation
    public var package: String
    public var keys: [String]

    public var json: JSONValue {
        [
            "at": .string(at.description), "by": .string(by), "to": to.json, "package": .string(package),
            "keys": .array(keys.map(JSONValue.string)),
        ]
    }
}
