/// A JSON document as plain values.
///
/// `ap` reads and writes JSON itself (see `JSONParser`, `JSONWriter`) so that unknown
/// fields survive a round trip, numbers keep their exact text, and output is canonical:
/// sorted keys, two-space indentation, trailing newline — a change makes a small diff.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's literal text, kept exactly as read.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public static func int(_ value: Int) -> JSONValue { .number(String(value)) }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
    public var intValue: Int? {
        if case .number(let n) = self { return Int(n) }
        return nil
    }
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }
    public subscript(key: String) -> JSONValue? {
        get { objectValue?[key] }
        set {
            guard case .object(var o) = self else { return }
            o[key] = newValue
            self = .object(o)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(nilLiteral: ()) { self = .null }
}

/// Reads typed fields out of a JSON object, naming the field path in every error.
public struct JSONReader {
    public let object: [String: JSONValue]
    /// Made only for a message: replaying thousands of events must not build thousands of paths.
    let describePath: () -> String
    /// Where this object sits, e.g. `events[3].payload`; used in messages.
    public var path: String { describePath() }

    public init(_ value: JSONValue, path: @autoclosure @escaping () -> String) throws {
        guard case .object(let o) = value else {
            let p = path()
            throw APError.data("\(p.isEmpty ? "document" : "'\(p)'") is not a JSON object")
        }
        self.object = o
        self.describePath = path
    }

    func field(_ key: String) -> String {
        let p = path
        return p.isEmpty ? key : "\(p).\(key)"
    }

    public func string(_ key: String) throws -> String {
        guard let v = object[key] else { throw APError.data("missing field '\(field(key))'") }
        guard let s = v.stringValue else { throw APError.data("field '\(field(key))' must be a string") }
        return s
    }
    public func optionalString(_ key: String) throws -> String? {
        guard let v = object[key], v != .null else { return nil }
        guard let s = v.stringValue else { throw APError.data("field '\(field(key))' must be a string") }
        return s
    }
    public func int(_ key: String) throws -> Int {
        guard let v = object[key] else { throw APError.data("missing field '\(field(key))'") }
        guard let i = v.intValue else { throw APError.data("field '\(field(key))' must be a whole number") }
        return i
    }
    public func optionalInt(_ key: String) throws -> Int? {
        guard let v = object[key], v != .null else { return nil }
        guard let i = v.intValue else { throw APError.data("field '\(field(key))' must be a whole number") }
        return i
    }
    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let v = object[key], v != .null else { return fallback }
        guard let b = v.boolValue else { throw APError.data("field '\(field(key))' must be true or false") }
        return b
    }
    public func array(_ key: String) throws -> [JSONValue] {
        guard let v = object[key], v != .null else { return [] }
        guard let a = v.arrayValue else { throw APError.data("field '\(field(key))' must be an array") }
        return a
    }
    public func strings(_ key: String) throws -> [String] {
        try array(key).enumerated().map { i, v in
            guard let s = v.stringValue else { throw APError.data("field '\(field(key))[\(i)]' must be a string") }
            return s
        }
    }
    /// An object whose every value is a string: an entry's fields.
    public func stringFields(_ key: String) throws -> [String: String] {
        try object(key).mapValues { v in
            guard let s = v.stringValue else { throw APError.data("field '\(field(key))' must hold only strings") }
            return s
        }
    }
    public func object(_ key: String) throws -> [String: JSONValue] {
        guard let v = object[key], v != .null else { return [:] }
        guard let o = v.objectValue else { throw APError.data("field '\(field(key))' must be an object") }
        return o
    }
    public func timestamp(_ key: String) throws -> Timestamp {
        let s = try string(key)
        guard let t = Timestamp(s) else {
            throw APError.data(
                "field '\(field(key))' is not a UTC timestamp \(Timestamp.rangeText) "
                    + "like 2026-11-23T09:30:00.000Z: '\(s)'")
        }
        return t
    }
    public func optionalTimestamp(_ key: String) throws -> Timestamp? {
        guard let s = try optionalString(key) else { return nil }
        guard let t = Timestamp(s) else {
            throw APError.data(
                "field '\(field(key))' is not a UTC timestamp \(Timestamp.rangeText) "
                    + "like 2026-11-23T09:30:00.000Z: '\(s)'")
        }
        return t
    }
}
