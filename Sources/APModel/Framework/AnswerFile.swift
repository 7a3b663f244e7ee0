/// Answers read from a file or standard input (`ap stage set CASE --from FILE`), so that
/// sensitive text never appears in the process list. One answer a line, `key=value`; a
/// multi-line answer is written `key<<MARK`, its lines, then `MARK` alone on a line.
/// Blank lines and lines starting with `#` are skipped. Errors name the line, never its text.
public enum AnswerFile {
    /// The most a file of answers may hold.
    public static let maxBytes = 4 << 20

    public static func parse(_ text: String, source: String) throws -> [(key: String, value: String)] {
        var out: [(key: String, value: String)] = []
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" })[...]
        var number = 0
        while let raw = lines.popFirst() {
            number += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.hasPrefix("#") { continue }
            if let heredoc = line.range(of: "<<"), !line[..<heredoc.lowerBound].contains("=") {
                let key = String(line[..<heredoc.lowerBound]).lowercased()
                let mark = String(line[heredoc.upperBound...])
                guard !mark.isEmpty, !mark.contains(" ") else {
                    throw APError.data(
                        "\(source), line \(number): a multi-line answer starts KEY<<MARK, e.g. pfs.health<<END")
                }
                let start = number
                var body: [Substring] = []
                var closed = false
                while let next = lines.popFirst() {
                    number += 1
                    let l = next.hasSuffix("\r") ? next.dropLast() : next
                    if l == mark { closed = true; break }
                    body.append(l)
                }
                guard closed else { throw APError.data("\(source), line \(start): no line '\(mark)' ends this answer") }
                out.append((key, body.joined(separator: "\n")))
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw APError.data("\(source), line \(number): expected key=value or KEY<<MARK")
            }
            out.append((String(line[..<eq]).lowercased(), String(line[line.index(after: eq)...])))
        }
        return out
    }
}
