/// Answers checked against the catalogue (domain.md, "The AssetPlus framework as data").
/// Errors name the key and what is allowed, never the value typed: it may be about a child.
extension Catalogue {
    public static let yesNoValues = ["yes", "no", AnswerKey.yetToClarify]
    public static let agreementValues = ["agree", "not-sure", "disagree"]
    /// The longest answer, documented in ap(1): pages of text, far below what a case file holds.
    public var maxBytes: Int { 20_000 }

    /// The value as stored for `key` in a stage of `kind`, or an error naming what is wrong.
    public func check(key: String, value: String, kind: String, kindName: (String) -> String) throws -> String {
        let q = try heldQuestion(key, kind: kind, kindName: kindName)
        guard q.type != .list else {
            throw APError.data(
                "'\(key)' is a list part: add an entry with 'ap stage add CASE \(key) FIELD=VALUE...' "
                    + "(fields: \(q.fields.map(\.name).joined(separator: ", ")))")
        }
        guard value.utf8.count <= maxBytes else {
            throw APError.data("answer '\(key)' is \(value.utf8.count) bytes, longer than \(maxBytes) (ap(1))")
        }
        guard value.contains(where: { !$0.isWhitespace }) else {
            throw APError.data("answer '\(key)' is blank; give a value, or clear it with 'ap stage clear CASE \(key)'")
        }
        switch q.type {
        case .text, .list:
            return value
        case .yesNo:
            let v = value.lowercased()
            guard Catalogue.yesNoValues.contains(v) else {
                throw APError.data(
                    "'\(key)' is a yes-no question; allowed: \(Catalogue.yesNoValues.joined(separator: ", "))")
            }
            return v
        case .rating:
            let v = value.lowercased()
            let allowed = Ratings.valueSets[key] ?? []
            guard allowed.contains(v) else {
                throw APError.data("invalid value for rating '\(key)'; allowed: \(allowed.joined(separator: ", "))")
            }
            return v
        case .date:
            guard Day(value) != nil else { throw APError.data("'\(key)' takes a date like 2026-11-23") }
            return value
        case .choice:
            let v = value.lowercased()
            guard q.values.contains(v) else {
                throw APError.data("'\(key)' takes one of: \(q.values.joined(separator: ", "))")
            }
            return v
        case .number:
            let range = q.range ?? 0...Int.max
            guard let n = Int(value), range.contains(n) else {
                throw APError.data("'\(key)' takes a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return String(n)
        case .percent:
            guard let p = Catalogue.percent(value) else {
                throw APError.data("'\(key)' takes a percentage from 0 to 100, to one decimal place, like 62 or 62.5")
            }
            return p
        case .agreement:
            let v = value.lowercased()
            guard Catalogue.agreementValues.contains(v) else {
                throw APError.data(
                    "'\(key)' is a statement to agree with or not; allowed: "
                        + Catalogue.agreementValues.joined(separator: ", "))
            }
            return v
        }
    }

    /// The question `key` when a stage of `kind` holds it; otherwise an error that names the
    /// nearest keys, or the kinds that hold it.
    public func heldQuestion(_ key: String, kind: String, kindName: (String) -> String) throws -> Question {
        try AnswerKey.validate(key)
        guard let q = question(key) else {
            let near = nearest(key)
            let hint =
                near.isEmpty
                ? "; 'ap stage questions' lists them"
                : "; did you mean " + near.map { "'\($0)'" }.joined(separator: " or ") + "?"
            throw APError.data("unknown question '\(key)'\(hint)")
        }
        guard holds(kind: kind, key: key) else {
            let holders = kinds(holding: q.section)
            throw APError.data(
                "question '\(key)' (\(section(q.section)?.name ?? q.section)) "
                    + "is not part of a \(kindName(kind)) stage; "
                    + (holders.isEmpty
                        ? "no stage kind holds it" : "kinds that hold it: \(holders.joined(separator: ", "))"))
        }
        if q.notFor.contains(kind) {
            throw APError.data(
                "question '\(key)' does not apply to a \(kindName(kind)) stage (001 §3.1: the likelihood of "
                    + "reoffending is not applicable to prevention)")
        }
        return q
    }

    /// A percentage as stored, `62` or `62.5` (a trailing `%` allowed), or nil when it is not
    /// one: digits only, so `1e1`, `nan` and `-0` are refused.
    public static func percent(_ text: String) -> String? {
        let t = text.hasSuffix("%") ? text.dropLast() : Substring(text)
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        let digits = { (s: Substring) in !s.isEmpty && s.count <= 3 && s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
        guard parts.count <= 2, parts.allSatisfy(digits), parts.count == 1 || parts[1].count == 1,
            let whole = Int(parts[0]), let tenth = parts.count == 2 ? Int(parts[1]) : 0, whole * 10 + tenth <= 1000
        else { return nil }
        return tenth == 0 ? String(whole) : "\(whole).\(tenth)"
    }

    /// Keys a stage holds that the catalogue does not know (written before it, or by a
    /// repository whose local questions were removed): shown apart, never dropped.
    public func unknownKeys(_ stage: Stage) -> [String] {
        stage.answers.keys.filter { question($0) == nil }.sorted()
    }

    /// The referrals the stage's answers flag: a `yes` to a trigger (001 Annex A item 4, Annex B).
    public func referrals(_ answers: [String: String]) -> [Question] {
        triggers.filter { answers[$0.key] == "yes" }
    }
}
