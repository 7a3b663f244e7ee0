/// Staff grades (domain.md, "Allocation and case responsibility"; 002 §§4–6).
public enum Grade: String, CaseIterable, Sendable {
    case student
    /// YJSO / case manager.
    case bandA = "band-a"
    /// Senior case manager.
    case bandB = "band-b"
    /// Advanced practitioner.
    case bandC = "band-c"

    /// May hold a high or very high RoSH or SaW case, or supervise one (002 §§4.1, 5.1).
    public var isSenior: Bool { self == .bandB || self == .bandC }

    public static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }

    public static func parse(_ text: String) throws -> Grade {
        guard let grade = Grade(rawValue: text.lowercased()) else {
            throw APError.usage("unknown grade '\(text)'; grades: \(allNames)")
        }
        return grade
    }
}

/// How a person identifies, for the allocation of girls and young women (002 §2.2).
public enum Gender {
    public static let values = ["female", "male", "other", "unknown"]

    public static func parse(_ text: String, field: String) throws -> String {
        let value = text.lowercased()
        guard values.contains(value) else {
            throw APError.data("invalid value for '\(field)'; allowed: \(values.joined(separator: ", "))")
        }
        return value
    }
}

/// A period of leave (002 §7): planned leave names a cover worker; unplanned leave (sickness)
/// may have no end date yet.
public struct Absence: Equatable, Sendable {
    public var from: Day
    public var to: Day?
    public var planned: Bool
    public var cover: String?

    public init(from: Day, to: Day? = nil, planned: Bool = false, cover: String? = nil) {
        self.from = from
        self.to = to
        self.planned = planned
        self.cover = cover
    }

    /// Whether the person is away on `day`.
    public func covers(_ day: Day) -> Bool { !(day < from) && (to.map { !($0 < day) } ?? true) }

    /// Who covers on `day`: the named cover of planned leave under way (002 §7.1).
    public func cover(on day: Day) -> String? { planned && covers(day) ? cover : nil }

    /// Over once its last day has passed.
    public func isOver(on day: Day) -> Bool { to.map { $0 < day } ?? false }

    public var json: JSONValue {
        var o: [String: JSONValue] = ["from": .string(from.description), "planned": .bool(planned)]
        if let to { o["to"] = .string(to.description) }
        if let cover { o["cover"] = .string(cover) }
        return .object(o)
    }

    public init(json: JSONValue, path: String) throws {
        let r = try JSONReader(json, path: path)
        guard let from = Day(try r.string("from")) else { throw APError.data("field '\(path).from' is not a date") }
        self.from = from
        let to = try r.optionalString("to")
        self.to = try to.map {
            guard let d = Day($0) else { throw APError.data("field '\(path).to' is not a date") }
            return d
        }
        planned = try r.bool("planned", default: false)
        cover = try r.optionalString("cover")
    }

    public var text: String {
        (planned ? "planned leave" : "absent") + " from \(from)" + (to.map { " to \($0)" } ?? "")
            + (cover.map { ", cover \($0)" } ?? "")
    }
}

extension Config {
    /// Users on leave, by id.
    public var absences: [String: Absence] { users.compactMapValues(\.absence) }
}
