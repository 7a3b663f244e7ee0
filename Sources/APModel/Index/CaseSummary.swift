/// What lists and the queue need of a case: its identity and its open stage.
/// Built from a case's stored `state`, kept in the index.
public struct CaseSummary: Equatable, Sendable {
    public var id: String
    public var name: String
    public var dob: String
    public var lookedAfter: Bool
    public var updatedAt: String
    public var open: OpenStage?
    /// The YOT codes holding the case (empty: not recorded) and the caretaking review date.
    public var homeCode = ""
    public var hostCode = ""
    public var reviewDate = ""
    /// Obligations still open (`ap due`), and who answers for the case: the owner of its
    /// latest stage, else who opened it.
    public var obligations: [Obligation] = []
    public var responsible = ""
    /// The allocated case manager, co-worker and team ("" if none; 002).
    public var manager = ""
    public var coWorker = ""
    public var team = ""
    /// An internal transfer whose three-way meeting is dated after the case was last written:
    /// its manager, co-worker and team take over when the meeting's time has come (`settle`).
    public var handover: Handover?
    /// Merge conflicts awaiting a manager's review (`ap case resolve`).
    public var needsReview = 0
    /// Events that do not verify against the identity record (ap-identity(7)); the summary is
    /// then derived without them, so a forged countersignature never counts as done.
    public var unverified = 0
    /// Social care's knowledge of the child as recorded (`known`, `not-known`; "" never recorded),
    /// and whether the YOT's involvement has ended.
    public var socialCare = ""
    public var involvementEnded = false

    /// An open case whose social-care status was never recorded: ap prompts for it (004 §2).
    public var socialCareUnrecorded: Bool { socialCare.isEmpty && !involvementEnded }

    public struct Handover: Equatable, Sendable {
        public var at: Timestamp
        public var manager: String
        public var coWorker: String
        public var team: String
    }

    /// The summary as it stands at `now`: an internal transfer whose meeting has happened
    /// since the case was written has moved the case (002 §11.7).
    public mutating func settle(at now: Timestamp) {
        guard let h = handover, !(now < h.at) else { return }
        manager = h.manager
        coWorker = h.coWorker
        team = h.team
        responsible = h.manager
        handover = nil
    }

    public struct OpenStage: Equatable, Sendable {
        public var id: String
        public var kind: String
        public var owner: String
        public var status: String
        public var startedAt: String
        public var submittedAt: String
        public var criteria: [String]
        public var yetToClarifyPercent: Int?
        /// Why it was last returned for amendment, while it is in progress again.
        public var returnReason: String
        /// The stage's own due date and, for a Case Closure, the end of involvement ("" if none).
        public var due = ""
        public var involvementEnded = ""
        /// The owner's YOT where recorded ("" if not).
        public var ownerYOT = ""
        /// Sections allocated to contributors: section slug to user id (001 §2).
        public var contributors: [String: String] = [:]

        /// The sections `user` contributes, sorted.
        public func sections(of user: String) -> [String] {
            contributors.filter { $0.value == user }.map(\.key).sorted()
        }

        /// The owner as lists show it: qualified when of another YOT than `here`.
        public func ownerShown(here: String) -> String {
            qualified(owner, yot: ownerYOT, here: here)
        }

        /// Whether `user` of `here` owns it.
        public func isOwned(by user: String, here: String) -> Bool {
            owner == user && (ownerYOT.isEmpty || ownerYOT == here)
        }

        /// When it is due, by its kind's timescale or its due date (`Deadline`).
        public func deadline(timescale: Int, today: Day, calendar: WorkingDays) -> Deadline? {
            guard let started = Timestamp(startedAt)?.day else { return nil }
            return Deadline.of(
                started: started, clockStart: Day(involvementEnded), dueDate: Day(due), timescale: timescale,
                today: today, calendar: calendar)
        }
    }

    public init(state: JSONValue) throws {
        let r = try JSONReader(state, path: "state")
        id = try r.string("id")
        name = try r.string("name")
        dob = try r.string("dob")
        lookedAfter = try r.bool("lookedAfter", default: false)
        updatedAt = try r.string("updatedAt")
        open = nil
        homeCode = r.object["home"]?["code"]?.stringValue ?? ""
        hostCode = r.object["host"]?["code"]?.stringValue ?? ""
        reviewDate = try r.optionalString("reviewDate") ?? ""
        // Open ones, and those a meeting dated ahead discharges once it has happened.
        let written = Timestamp(updatedAt) ?? Timestamp(millis: 0)
        obligations = try Obligations.of(state: state).filter { $0.isOpen(at: written) }
        let stages = try r.array("stages")
        let creator = try r.optionalString("createdBy") ?? ""
        // The allocation in effect when the case was written: the latest that had taken effect
        // (an internal transfer waits for its meeting, which may be dated ahead: `handover`).
        let allocations = try r.array("allocations")
        func effective(_ a: JSONValue) -> Timestamp? { a["effectiveAt"]?.stringValue.flatMap(Timestamp.init) }
        let allocation = allocations.last { effective($0).map { !(written < $0) } ?? false }
        manager = allocation?["manager"]?.stringValue ?? ""
        coWorker = allocation?["co"]?.stringValue ?? ""
        team = allocation?["team"]?.stringValue ?? ""
        if let last = allocations.last, let at = effective(last), written < at {
            handover = Handover(
                at: at, manager: last["manager"]?.stringValue ?? "", coWorker: last["co"]?.stringValue ?? "",
                team: last["team"]?.stringValue ?? "")
        }
        responsible = manager.isEmpty ? stages.last?["owner"]?.stringValue ?? creator : manager
        needsReview = try r.array("needsReview").count
        socialCare = r.object["socialCare"]?["status"]?.stringValue ?? ""
        involvementEnded = try r.array("keyEvents").contains { $0["event"]?.stringValue == "involvement-ended" }
        guard let openID = try r.optionalString("openStage") else { return }
        guard let stage = stages.first(where: { $0["id"]?.stringValue == openID }) else {
            throw APError.data("state.openStage names '\(openID)', which is not among state.stages")
        }
        let s = try JSONReader(stage, path: "state.stages[\(openID)]")
        let status = try s.string("status")
        let returns = try s.array("returns")
        open = OpenStage(
            id: openID, kind: try s.string("kind"), owner: try s.string("owner"), status: status,
            startedAt: try s.string("startedAt"), submittedAt: try s.optionalString("submittedAt") ?? "",
            criteria: try s.strings("criteria"), yetToClarifyPercent: try s.optionalInt("yetToClarifyPercent"),
            returnReason: status == StageStatus.inProgress.rawValue ? (returns.last?["reason"]?.stringValue ?? "") : "",
            due: try s.optionalString("due") ?? "", involvementEnded: try s.optionalString("involvementEnded") ?? "",
            ownerYOT: try s.optionalString("ownerYOT") ?? "")
        open?.contributors = s.object["contributors"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
    }

    public init(_ state: CaseState) {
        // One code path for both: the summary of a derived state is the summary of its JSON.
        self = try! CaseSummary(state: state.json)
    }

    /// Reads a case file's summary without parsing its events.
    public static func skim(_ bytes: [UInt8]) throws -> CaseSummary {
        guard let state = try JSONParser.topLevelField("state", in: bytes) else {
            throw APError.data("missing field 'state'")
        }
        return try CaseSummary(state: state)
    }

    // MARK: index rows

    /// The fields after the file signature in an index row, tab-separated and escaped.
    var indexFields: [String] {
        [id, open?.status ?? "", name, dob, lookedAfter ? "1" : "0", updatedAt,
         open?.id ?? "", open?.kind ?? "", open?.owner ?? "", open?.startedAt ?? "", open?.submittedAt ?? "",
         open?.criteria.joined(separator: ",") ?? "", open?.yetToClarifyPercent.map(String.init) ?? "", open?.returnReason ?? "",
         homeCode, hostCode, reviewDate, open?.due ?? "", open?.involvementEnded ?? "", open?.ownerYOT ?? "",
         obligations.map(\.indexText).joined(separator: ","), responsible, manager, coWorker, team,
         needsReview == 0 ? "" : String(needsReview), unverified == 0 ? "" : String(unverified),
         open?.contributors.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") ?? "",
         handover.map { String($0.at.millis) } ?? "", handover?.manager ?? "", handover?.coWorker ?? "",
         handover?.team ?? "", socialCare, involvementEnded ? "1" : ""]
    }

    static let indexFieldCount = 34
    /// What a damaged index row decodes to: no case has an empty id.
    static let unreadable = CaseSummary(indexFields: Array(repeating: "", count: indexFieldCount))!
    static let obligationsField = IndexField.obligations

    /// Where `indexFields` puts what a row is asked of before it is decoded (`CaseIndex.RowField`).
    public enum IndexField {
        public static let status = 1, name = 2, host = 15, obligations = 20, manager = 22, coWorker = 23
        public static let needsReview = 25, handoverManager = 29, handoverCoWorker = 30
        public static let socialCare = 32, involvementEnded = 33
    }

    init?(indexFields f: [String]) {
        guard f.count == CaseSummary.indexFieldCount else { return nil }
        self.init(indexField: { f[$0] })
    }

    /// From a row's fields, each asked for once (`IndexFile.summary` makes each String as it
    /// is asked for, with no array of them between).
    init(obligations read: Bool = true, indexField field: (Int) -> String) {
        let status = field(1)
        func f(_ n: Int) -> String { n == 1 ? status : field(n) }
        id = f(0)
        name = f(2)
        dob = f(3)
        lookedAfter = f(4) == "1"
        updatedAt = f(5)
        let criteria = f(11)
        open = status.isEmpty ? nil : OpenStage(
            id: f(6), kind: f(7), owner: f(8), status: status, startedAt: f(9), submittedAt: f(10),
            criteria: criteria.commaParts(keepingEmpty: false),
            yetToClarifyPercent: Int(f(12)), returnReason: f(13), due: f(17), involvementEnded: f(18), ownerYOT: f(19))
        homeCode = f(14)
        hostCode = f(15)
        reviewDate = f(16)
        let owed = read ? f(CaseSummary.obligationsField) : ""
        obligations = owed.isEmpty ? [] : owed.utf8.split(separator: UInt8(ascii: ",")).compactMap {
            Obligation(indexText: Substring($0).utf8)
        }
        responsible = f(21)
        manager = f(22)
        coWorker = f(23)
        team = f(24)
        needsReview = Int(f(25)) ?? 0
        unverified = Int(f(26)) ?? 0
        let contributors = f(27)
        if !contributors.isEmpty {
            for pair in contributors.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { open?.contributors[String(parts[0])] = String(parts[1]) }
            }
        }
        if let millis = Int64(f(28)) {
            handover = Handover(at: Timestamp(millis: millis), manager: f(29), coWorker: f(30), team: f(31))
        }
        socialCare = f(32)
        involvementEnded = f(33) == "1"
    }

    /// The part `yot` plays (see `CaseState.holding`).
    public func holding(for yot: String) -> Holding {
        .of(yot, home: homeCode.isEmpty ? nil : homeCode, host: hostCode.isEmpty ? nil : hostCode)
    }
}
