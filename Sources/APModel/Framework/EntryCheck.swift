/// An entry's fields checked against its list part (issue 24). Errors name the part and
/// the field and what is allowed, never the value typed: it may be about a child.
extension Catalogue {
    /// The most entries one list part of a stage holds: far more than any assessment needs.
    public static let maxEntries = 200

    /// The fields as stored. Adding: every required field present. Editing (`adding` false):
    /// only the fields given, where a blank value clears an optional field.
    public func checkEntry(part: Question, fields: [(name: String, value: String)], adding: Bool) throws
        -> [String: String]
    {
        guard !fields.isEmpty else {
            throw APError.usage(
                "no fields given for '\(part.key)'; give FIELD=VALUE, fields: "
                    + part.fields.map(\.summary).joined(separator: "; "))
        }
        var out: [String: String] = [:]
        for (name, value) in fields {
            guard let field = part.fields.first(where: { $0.name == name }) else {
                let names = part.fields.map(\.name)
                throw APError.data(
                    "'\(part.key)' has no field '\(name)'; fields: \(names.joined(separator: ", "))"
                        + hint(name, names))
            }
            guard out[name] == nil else { throw APError.usage("field '\(name)' of '\(part.key)' is given twice") }
            out[name] = try check(field, of: part.key, value: value, adding: adding)
        }
        if adding {
            let missing = part.fields.filter { $0.required && out[$0.name] == nil }.map(\.name)
            guard missing.isEmpty else {
                throw APError.data("an entry of '\(part.key)' needs \(missing.joined(separator: ", "))")
            }
            out = out.filter { !$0.value.isEmpty }
        }
        return out
    }

    private func check(_ field: EntryField, of part: String, value: String, adding: Bool) throws -> String {
        let name = "field '\(field.name)' of '\(part)'"
        guard value.contains(where: { !$0.isWhitespace }) else {
            guard !adding, !field.required else {
                throw APError.data("\(name) is blank; it is required" + (adding ? "" : " and cannot be cleared"))
            }
            return ""
        }
        guard value.utf8.count <= maxBytes else {
            throw APError.data("\(name) is \(value.utf8.count) bytes, longer than \(maxBytes) (ap(1))")
        }
        if let values = field.values {
            let v = value.lowercased()
            guard values.contains(v) else { throw APError.data("\(name) allows: \(values.joined(separator: ", "))") }
            return v
        }
        if field.isDate, Day(value) == nil { throw APError.data("\(name) takes a date like 2026-11-23") }
        return value
    }

    private func hint(_ typed: String, _ names: [String]) -> String {
        let near = names.filter { EditDistance.between(typed, $0) <= max(2, typed.count / 3) }
        return near.isEmpty ? "" : "; did you mean '\(near[0])'?"
    }
}
