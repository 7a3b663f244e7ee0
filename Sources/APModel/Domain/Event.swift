/// One entry of a case's append-only history: who did what, when.
public struct Event: Equatable, Sendable {
    public var id: String
    public var at: Timestamp
    /// The `ap` user.
    public var by: String
    /// The operating-system account that ran the command.
    public var osUser: String
    /// The acting user's YOT and display name, so that a copy held elsewhere can tell its
    /// own users from another YOT's; nil in events written before they were recorded.
    public var yot: String?
    public var byName: String?
    public var type: String
    public var payload: [String: JSONValue]
    /// The digests of the events its author had not yet seen acknowledged (as a git commit
    /// names its parents), and the author's signature; nil in unsigned events.
    public var parents: [String]?
    public var seal: Seal?
    /// Fields this version does not know, kept as they were.
    public var unknown: [String: JSONValue] = [:]

    public init(id: String, at: Timestamp, by: String, osUser: String, type: String, payload: [String: JSONValue]) {
        self.id = id
        self.at = at
        self.by = by
        self.osUser = osUser
        self.type = type
        self.payload = payload
    }

    /// Replay order: time, then id, so that every copy replays the same way (engineering.md, "Merge").
    public static func replayOrder(_ a: Event, _ b: Event) -> Bool {
        a.at != b.at ? a.at < b.at : a.id < b.id
    }

    static let knownKeys: Set<String> = [
        "id", "at", "by", "osUser", "type", "payload", "yot", "byName", "parents", "seal",
    ]

    public init(json: JSONValue, path: String) throws {
        let r = try JSONReader(json, path: path)
        id = try r.string("id")
        at = try r.timestamp("at")
        by = try r.string("by")
        osUser = try r.string("osUser")
        type = try r.string("type")
        payload = try r.object("payload")
        yot = try r.optionalString("yot")
        byName = try r.optionalString("byName")
        if r.object["parents"] != nil {
            let list = try r.strings("parents")
            let digests = list.allSatisfy { $0.utf8.count == 64 && $0.utf8.allSatisfy(Digest.isHex) }
            guard list.count <= 100_000, digests else {
                throw APError.data("field '\(path).parents' must list SHA-256 digests")
            }
            parents = list
        }
        if let s = r.object["seal"] { seal = try Seal(json: s, at: path + ".seal") }
        // Every key known and nothing else: the usual case, no filtering needed.
        let known = 6 + (yot == nil ? 0 : 1) + (byName == nil ? 0 : 1)
            + (parents == nil ? 0 : 1) + (seal == nil ? 0 : 1)
        unknown = r.object.count == known ? [:] : r.object.filter { !Event.knownKeys.contains($0.key) }
        guard !id.isEmpty, id.count <= 64 else { throw APError.data("field '\(path).id' must be 1 to 64 characters") }
    }

    /// A case document's `events`, each read and checked.
    static func list(_ r: JSONReader) throws -> [Event] {
        try r.array("events").enumerated().map { i, v in try Event(json: v, path: "events[\(i)]") }
    }

    public var json: JSONValue {
        var out = unknown
        out["id"] = .string(id)
        out["at"] = .string(at.description)
        out["by"] = .string(by)
        out["osUser"] = .string(osUser)
        out["type"] = .string(type)
        out["payload"] = .object(payload)
        if let yot { out["yot"] = .string(yot) }
        if let byName { out["byName"] = .string(byName) }
        if let parents { out["parents"] = .array(parents.map(JSONValue.string)) }
        if let seal { out["seal"] = seal.json }
        return .object(out)
    }

    /// The SHA-256 of the event as signed: everything but its seal.
    public var digest: String {
        var signed = json
        signed["seal"] = nil
        return Digest.of(signed)
    }

    /// Appends exactly `JSONWriter.pretty(json)`'s text for this event at `indent`, without
    /// building a dictionary: a long history is mostly events.
    func writeJSON(into out: inout ByteBuffer, indent: Int) {
        guard unknown.isEmpty else { return JSONWriter.write(json, into: &out, indent: indent, pretty: true) }
        // Keys in byte order: at, by, byName, id, osUser, payload, type, yot.
        JSONWriter.key("at", first: true, indent: indent, into: &out)
        JSONWriter.writeTimestamp(at, into: &out)
        JSONWriter.key("by", first: false, indent: indent, into: &out)
        JSONWriter.writeString(by, into: &out)
        if let byName {
            JSONWriter.key("byName", first: false, indent: indent, into: &out)
            JSONWriter.writeString(byName, into: &out)
        }
        JSONWriter.key("id", first: false, indent: indent, into: &out)
        JSONWriter.writeString(id, into: &out)
        JSONWriter.key("osUser", first: false, indent: indent, into: &out)
        JSONWriter.writeString(osUser, into: &out)
        if let parents {
            JSONWriter.key("parents", first: false, indent: indent, into: &out)
            JSONWriter.write(.array(parents.map(JSONValue.string)), into: &out, indent: indent + 1, pretty: true)
        }
        JSONWriter.key("payload", first: false, indent: indent, into: &out)
        JSONWriter.write(.object(payload), into: &out, indent: indent + 1, pretty: true)
        if let seal {
            JSONWriter.key("seal", first: false, indent: indent, into: &out)
            JSONWriter.write(seal.json, into: &out, indent: indent + 1, pretty: true)
        }
        JSONWriter.key("type", first: false, indent: indent, into: &out)
        JSONWriter.writeString(type, into: &out)
        if let yot {
            JSONWriter.key("yot", first: false, indent: indent, into: &out)
            JSONWriter.writeString(yot, into: &out)
        }
        JSONWriter.endObject(indent: indent, into: &out)
    }
}

/// What a rule decides should happen, before it is stamped with an id, time and actor.
public struct Change: Equatable, Sendable {
    public var type: String
    public var payload: [String: JSONValue]

    public init(_ type: String, _ payload: [String: JSONValue]) {
        self.type = type
        self.payload = payload
    }
}

/// The event types, as written in case files.
public enum EventType {
    public static let caseCreated = "case.created"
    public static let caseUpdated = "case.updated"
    /// A record that another copy was merged in; it changes no state.
    public static let caseMerged = "case.merged"
    /// Two copies held different decisions on one stage or transfer; recorded by the merge.
    public static let mergeConflict = "merge.conflict"
    /// A manager reviewed the merge conflicts recorded before it (`ap case resolve`).
    public static let caseResolved = "case.resolved"
    /// A key event of the custody journey or of allocation (`ap record`).
    public static let caseRecorded = "case.recorded"
    /// A case manager, co-worker and team allocated (002).
    public static let caseAllocated = "case.allocated"
    /// A recorded key event voided or given its right date (issue 25).
    public static let recordVoided = "case.record-voided"
    public static let recordCorrected = "case.record-corrected"
    public static let stageStarted = "stage.started"
    public static let stageAnswered = "stage.answered"
    /// An entry of a list part added, changed or removed (issue 24).
    public static let entryAdded = "stage.entry-added"
    public static let entryEdited = "stage.entry-edited"
    public static let entryRemoved = "stage.entry-removed"
    public static let stageSubmitted = "stage.submitted"
    public static let stageCountersigned = "stage.countersigned"
    public static let stageReturned = "stage.returned"
    public static let stageStopped = "stage.stopped"
    /// A submission taken back before countersignature (issue 25).
    public static let stageWithdrawn = "stage.withdrawn"
    /// A section of the open stage allocated to a contributor, or taken back (001 §2).
    public static let stageAssigned = "stage.assigned"
    public static let stageUnassigned = "stage.unassigned"
    /// A completed stage sent to an organisation under the sharing policy (001 §11.2.1, §3.2.1).
    public static let stageSent = "stage.sent"
    public static let transferSent = "transfer.sent"
    public static let transferAccepted = "transfer.accepted"
    public static let transferRejected = "transfer.rejected"
    /// A package imported here (audit, and so the same package is never imported twice).
    public static let transferImported = "transfer.imported"
    public static let caretakingEnded = "caretaking.ended"
    /// The home YOT reviewed caretaking and set the next review date (002 Appendix B).
    public static let caretakingReviewed = "caretaking.reviewed"
    /// A flagged referral made, and what came of it (issue 24; 001 §9).
    public static let referralMade = "referral.made"
    public static let referralOutcome = "referral.outcome"

    /// Every type above, for filters (`ap log --type`).
    public static let known = [
        caseCreated, caseUpdated, caseMerged, mergeConflict, caseResolved, caseRecorded, caseAllocated,
        recordVoided, recordCorrected, stageStarted,
        stageAnswered, entryAdded, entryEdited, entryRemoved, stageSubmitted, stageCountersigned, stageReturned,
        stageStopped, stageWithdrawn,
        stageAssigned, stageUnassigned,
        stageSent, transferSent, transferAccepted, transferRejected, transferImported, caretakingEnded,
        caretakingReviewed, referralMade, referralOutcome,
    ]
}
