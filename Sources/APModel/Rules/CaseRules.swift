/// Rules for creating and updating a case's own details. Pure: values in, a `Change` out.
public enum CaseRules {
    /// `home` is the YOT opening the case, which holds responsibility until a transfer.
    public static func create(name: String, dob: String, lookedAfter: Bool, today: Day, home: YOT? = nil) throws -> Change {
        let name = try validName(name)
        try validDOB(dob, today: today)
        var payload: [String: JSONValue] = ["name": .string(name), "dob": .string(dob), "lookedAfter": .bool(lookedAfter)]
        if let home { payload["home"] = home.json }
        return Change(EventType.caseCreated, payload)
    }

    /// The fields `ap case update` changes, by their command-line keys.
    public static let updatableKeys = ["name", "dob", "looked-after"]

    public static func update(_ state: CaseState, fields: [(key: String, value: String)], today: Day) throws -> Change {
        guard !fields.isEmpty else { throw APError.usage("nothing to update; give key=value pairs: \(updatableKeys.joined(separator: ", "))") }
        var payload: [String: JSONValue] = [:]
        for (key, value) in fields {
            switch key {
            case "name": payload["name"] = .string(try validName(value))
            case "dob":
                try validDOB(value, today: today)
                payload["dob"] = .string(value)
            case "looked-after": payload["lookedAfter"] = .bool(try yesNo(value, field: key))
            default:
                throw APError.usage("cannot update '\(key)'; case fields: \(updatableKeys.joined(separator: ", "))")
            }
        }
        return Change(EventType.caseUpdated, payload)
    }

    static func validName(_ name: String) throws -> String {
        let trimmed = name.trimmingNewlines.drop(while: { $0 == " " })
        guard !trimmed.isEmpty, trimmed.count <= 200, !trimmed.contains(where: { $0.isNewline }) else {
            throw APError.data("invalid name: give 1 to 200 characters on one line")
        }
        return String(trimmed)
    }

    static func validDOB(_ dob: String, today: Day) throws {
        guard let day = Day(dob) else { throw APError.data("invalid date of birth '\(dob)': use YYYY-MM-DD") }
        guard day < today else { throw APError.data("invalid date of birth '\(dob)': it is not in the past") }
    }

    public static func yesNo(_ value: String, field: String) throws -> Bool {
        switch value.lowercased() {
        case "yes", "true", "y": return true
        case "no", "false", "n": return false
        default: throw APError.data("invalid value '\(value)' for '\(field)'; allowed: yes, no")
        }
    }
}
