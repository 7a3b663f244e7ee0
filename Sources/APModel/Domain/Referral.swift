/// A referral a trigger question flagged, followed through (001 §9, Annex B; issue 24): the
/// flag raised when a stage with a `yes` is submitted, then made to someone, then its outcome.
public struct Referral: Equatable, Sendable {
    public static let outcomes = ["accepted", "declined", "not-needed"]

    /// `rf-` and six hex digits of the stage and question: the same in every copy.
    public var id: String
    public var question: String
    /// The service the catalogue names for the question (MASE, CAMHS, ...).
    public var service: String
    public var stage: String
    public var flaggedAt: Timestamp
    public var madeTo: String?
    public var madeOn: Day?
    public var madeAt: Timestamp?
    public var madeBy: String?
    public var outcome: String?
    public var outcomeOn: Day?
    public var outcomeReason: String?
    public var outcomeAt: Timestamp?
    public var outcomeBy: String?

    public static func id(stage: String, question: String) -> String {
        "rf-" + SHA256.hex(Array((stage + "/" + question).utf8)).prefix(6)
    }

    /// `flagged` (nothing done yet), `made` (awaiting its outcome), or the outcome.
    public var progress: String { outcome ?? (madeAt == nil ? "flagged" : "made") }

    /// Not yet concluded: flagged, or made and awaiting an outcome (`ap referral list --open`).
    public var isOpen: Bool { outcome == nil }

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "id": .string(id), "question": .string(question), "referral": .string(service), "stage": .string(stage),
            "flaggedAt": .string(flaggedAt.description), "progress": .string(progress),
        ]
        func put(_ key: String, _ value: String?) { if let value { o[key] = .string(value) } }
        put("madeTo", madeTo)
        put("madeOn", madeOn?.description)
        put("madeAt", madeAt?.description)
        put("madeBy", madeBy)
        put("outcome", outcome)
        put("outcomeOn", outcomeOn?.description)
        put("outcomeReason", outcomeReason)
        put("outcomeAt", outcomeAt?.description)
        put("outcomeBy", outcomeBy)
        return .object(o)
    }

    public init(id: String, question: String, service: String, stage: String, flaggedAt: Timestamp) {
        self.id = id
        self.question = question
        self.service = service
        self.stage = stage
        self.flaggedAt = flaggedAt
    }

    /// A referral as the case file's derived state holds it (for reports and `ap due`).
    public init(json: JSONValue, path: String) throws {
        let r = try JSONReader(json, path: path)
        id = try r.string("id")
        question = try r.string("question")
        service = try r.string("referral")
        stage = try r.string("stage")
        flaggedAt = try r.timestamp("flaggedAt")
        madeTo = try r.optionalString("madeTo")
        madeOn = try r.optionalString("madeOn").flatMap(Day.init)
        madeAt = try r.optionalTimestamp("madeAt")
        madeBy = try r.optionalString("madeBy")
        outcome = try r.optionalString("outcome")
        outcomeOn = try r.optionalString("outcomeOn").flatMap(Day.init)
        outcomeReason = try r.optionalString("outcomeReason")
        outcomeAt = try r.optionalTimestamp("outcomeAt")
        outcomeBy = try r.optionalString("outcomeBy")
    }
}

extension CaseState {
    /// The flags a submission carries become referrals, once: a flag already being followed,
    /// or a `yes` pulled forward into a later stage after its referral concluded, raises none.
    mutating func raiseReferrals(_ p: JSONReader, stage stageID: String, at: Timestamp) throws {
        guard let stage = stage(stageID) else { return }
        for value in try p.array("flags") {
            let f = try JSONReader(value, path: p.path + ".flags")
            let question = try f.string("question")
            let id = Referral.id(stage: stageID, question: question)
            let earlier = referrals.filter { $0.question == question }
            if earlier.contains(where: { $0.id == id || $0.isOpen }) { continue }
            if !earlier.isEmpty, stage.answers[question]?.pulled == true { continue }
            referrals.append(Referral(
                id: id, question: question, service: try f.string("referral"), stage: stageID, flaggedAt: at))
        }
    }

    /// `referral.made` and `referral.outcome`. One that names no referral is refused: only a
    /// hand edit makes one, since the flag that raised it is earlier in the same history.
    mutating func applyReferral(_ e: Event, _ p: JSONReader) throws {
        let id = try p.string("referral")
        guard let i = referrals.firstIndex(where: { $0.id == id }) else {
            throw APError.data("\(p.path): no referral '\(id)' flagged before it")
        }
        if e.type == EventType.referralMade {
            referrals[i].madeTo = try p.string("to")
            referrals[i].madeOn = Day(try p.string("date"))
            referrals[i].madeAt = e.at
            referrals[i].madeBy = e.by
        } else {
            referrals[i].outcome = try p.string("outcome")
            referrals[i].outcomeOn = Day(try p.string("date"))
            referrals[i].outcomeReason = try p.string("reason")
            referrals[i].outcomeAt = e.at
            referrals[i].outcomeBy = e.by
        }
    }
}
