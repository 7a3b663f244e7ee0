/// Ids typed short, as git takes a short SHA (issue 26): the id itself, or a prefix of
/// exactly one of them.
public enum Prefix {
    /// `text` resolved among `ids`: not found is 66, a prefix of several is 64 naming them.
    public static func resolve(_ text: String, among ids: [String], what: String, in place: String) throws -> String {
        if ids.contains(text) { return text }
        let matches = ids.filter { $0.hasPrefix(text) }
        guard matches.count <= 1 else {
            let listed = matches.sorted().joined(separator: ", ")
            throw APError.usage(
                "'\(text)' is the start of \(matches.count) \(what)s of \(place): \(listed); give more of the id")
        }
        guard let only = matches.first, !text.isEmpty else {
            throw APError.notFound("\(place) has no \(what) '\(text)'")
        }
        return only
    }
}
