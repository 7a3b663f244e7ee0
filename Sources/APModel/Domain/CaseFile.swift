/// One case on disk: `format`, `id`, the append-only `events` and the derived `state`
/// (ap-case(5)). Fields this version does not know are kept.
public struct CaseFile: Equatable, Sendable {
    public static let currentFormat = 1

    public var id: String
    public private(set) var events: [Event]
    public private(set) var state: CaseState
    public var unknown: [String: JSONValue] = [:]
    /// The last event in replay order, kept so an append need not search the history.
    private var last: Event?
    /// The state as JSON, made when written: a batch appends to one case many times and
    /// writes it once.
    var stateJSON: JSONValue { state.json }

    /// A case from its events; the state is derived.
    public init(id: String, events: [Event]) throws {
        self.id = id
        self.events = events
        self.state = try CaseState.derive(id: id, events: events)
        self.last = events.max(by: Event.replayOrder)
    }

    static let knownKeys: Set<String> = ["format", "id", "events", "state"]

    /// Reads a case document, derives its state from the events and refuses a document
    /// whose stored state disagrees (someone edited derived data by hand) or whose events clash.
    public init(json: JSONValue) throws {
        try self.init(json: json, checkState: true)
    }

    /// `checkState: false` is for `ap fsck --repair`, which derives a disagreeing state again.
    public init(json: JSONValue, checkState: Bool) throws {
        let r = try JSONReader(json, path: "")
        let format = try r.int("format")
        guard format == CaseFile.currentFormat else {
            throw APError.data("unsupported case format \(format); this ap reads format \(CaseFile.currentFormat)")
        }
        let id = try r.string("id")
        // A bad id in a file is bad data (65), not a bad command line.
        do { try CaseID.validate(id) } catch let e as APError { throw APError.data("field 'id': \(e.message)") }
        let events = try Event.list(r)
        var seen = Set<String>()
        for e in events where !seen.insert(e.id).inserted {
            throw APError.data("duplicate event id '\(e.id)'")
        }
        try self.init(id: id, events: events)
        unknown = r.object.filter { !CaseFile.knownKeys.contains($0.key) }
        if checkState, let stored = r.object["state"], stored != stateJSON {
            throw APError.data("stored 'state' disagrees with the events; 'ap fsck --repair' derives it again")
        }
    }

    public init(bytes: [UInt8]) throws {
        try self.init(json: try JSONParser.parse(bytes))
    }

    public var json: JSONValue {
        var out = unknown
        out["format"] = .int(CaseFile.currentFormat)
        out["id"] = .string(id)
        out["events"] = .array(events.map(\.json))
        out["state"] = stateJSON
        return .object(out)
    }

    /// Exactly `JSONWriter.pretty(json)`, with the events written straight from their
    /// fields (most of a file is events; building their dictionaries doubled the time).
    public var bytes: [UInt8] {
        guard unknown.isEmpty else { return JSONWriter.pretty(json) }
        var out = ByteBuffer(capacity: events.count * 600 + 4096)
        // Keys in byte order: events, format, id, state.
        JSONWriter.key("events", first: true, indent: 0, into: &out)
        if events.isEmpty { out.append("[]" as StaticString) } else {
            out.append(0x5B)
            for (i, event) in events.enumerated() {
                if i > 0 { out.append(0x2C) }
                JSONWriter.newline(&out, 2)
                event.writeJSON(into: &out, indent: 2)
            }
            JSONWriter.newline(&out, 1)
            out.append(0x5D)
        }
        JSONWriter.key("format", first: false, indent: 0, into: &out)
        JSONWriter.write(.int(CaseFile.currentFormat), into: &out, indent: 1, pretty: true)
        JSONWriter.key("id", first: false, indent: 0, into: &out)
        JSONWriter.writeString(id, into: &out)
        JSONWriter.key("state", first: false, indent: 0, into: &out)
        JSONWriter.write(stateJSON, into: &out, indent: 1, pretty: true)
        JSONWriter.endObject(indent: 0, into: &out)
        out.append(0x0A)
        return out.bytes
    }

    /// The latest event time: new events are stamped after it even if this machine's clock
    /// is behind another site's (a hybrid logical clock, engineering.md).
    public var latestEventTime: Timestamp? { last?.at }

    /// Undoes the last `count` events appended (a change that failed half way), deriving again.
    mutating func dropLast(_ count: Int) throws {
        guard count > 0 else { return }
        self = try CaseFile(id: id, events: Array(events.dropLast(count)))
    }

    /// Names, in each event of `fresh` (this write's), the events no signed event has named
    /// yet, and returns the fresh events' places and digests to sign. Parents and seals
    /// change no state.
    mutating func nameParents(fresh: Set<String>) -> [(index: Int, digest: String)] {
        var named = Set<String>()
        for e in events where !fresh.contains(e.id) { named.formUnion(e.parents ?? []) }
        let parents = events.filter { !fresh.contains($0.id) }.map(\.digest).filter { !named.contains($0) }.sorted()
        var out: [(Int, String)] = []
        for i in events.indices where fresh.contains(events[i].id) {
            events[i].parents = parents
            out.append((i, events[i].digest))
        }
        return out
    }

    mutating func setSeal(_ index: Int, _ seal: Seal) {
        events[index].seal = seal
        if last?.id == events[index].id { last = events[index] }
    }

    /// Appends events and derives the state again.
    public mutating func append(_ new: [Event]) throws {
        for e in new where !e.at.isInRange {
            throw APError.data("event time \(e.at) is not \(Timestamp.rangeText); nothing was written")
        }
        // Events stamped after all the case holds replay on from the state as it is, and are
        // added in place: a full derivation and a copy of the history per append made a batch
        // of many lines on one case quadratic. A stop that supersedes for an update, and a key
        // event voided or re-dated, are seen ahead of the replay (`CaseState.withdrawn`,
        // `corrections`): what they change happened earlier, so the case derives again.
        let inOrder = new.indices.allSatisfy { i in
            (i == 0 ? last.map { Event.replayOrder($0, new[0]) } ?? true : Event.replayOrder(new[i - 1], new[i]))
                && new[i].payload["supersede"] == nil && !Corrections.types.contains(new[i].type)
        }
        if inOrder {
            var s = state
            for e in new { try s.apply(e) }
            state = s
            events.append(contentsOf: new)
            last = new.last ?? last
        } else {
            let all = events + new
            state = try CaseState.derive(id: id, events: all)
            events = all
            last = events.max(by: Event.replayOrder)
        }
    }
}

/// Case ids: letters, digits and `-`, starting with a letter or digit, at most 32 long,
/// stored in capitals. Nothing that passes can name a path outside `cases/`.
public enum CaseID {
    public static func normalize(_ text: String) throws -> String {
        let id = text.uppercased()
        try validate(id)
        return id
    }

    public static func validate(_ id: String) throws {
        let b = Array(id.utf8)
        let ok = !b.isEmpty && b.count <= 32
            && b.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
            && b[0] != 0x2D
        guard ok else {
            throw APError.usage("invalid case id '\(id)': use 1 to 32 letters, digits or '-', e.g. YP-0042")
        }
    }

    /// The shard folder: two hex digits of an FNV-1a hash, so 256 folders share the cases.
    public static func shard(_ id: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for b in id.utf8 { hash = (hash ^ UInt32(b)) &* 16_777_619 }
        let v = Int(hash & 0xFF)
        let digits = Array("0123456789abcdef")
        return String([digits[v >> 4], digits[v & 0xF]])
    }

    public static func relativePath(_ id: String) -> String { "cases/\(shard(id))/\(id).json" }
}
