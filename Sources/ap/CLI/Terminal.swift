/// Text safe for a terminal: a name or answer holding ESC, BEL, NUL or another control
/// character must not move the cursor, retitle the window or hide what follows. Control
/// characters become U+FFFD; line breaks (CSV's CRLF too) and tabs stay. The two colour
/// codes ap itself writes stay only in output ap coloured (`keepColours`), whose user data
/// was made safe before it was coloured: an answer's own ESC[31m never reaches the terminal.
/// JSON output needs none of this: its writer escapes control characters.
enum Terminal {
    static let colours = ["\u{1B}[31m", "\u{1B}[0m"]

    static func safe(_ text: String, keepColours: Bool = false) -> String {
        // Most output holds no control character: one pass over the bytes, no copy.
        let needs = text.utf8.withContiguousStorageIfAvailable { b -> Bool in
            var i = 0
            while i < b.count {
                let c = b[i]
                let lineEnd = c == 0x0D && i + 1 < b.count && b[i + 1] == 0x0A  // CSV's CRLF
                if (c < 0x20 && c != 0x0A && c != 0x09 && !lineEnd) || c == 0x7F
                    || (c == 0xC2 && i + 1 < b.count && b[i + 1] < 0xA0) {
                    return true
                }
                i += 1
            }
            return false
        } ?? true
        guard needs else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var rest = Substring(text)
        while let c = rest.unicodeScalars.first {
            if keepColours, c == "\u{1B}", let colour = colours.first(where: { rest.hasPrefix($0) }) {
                out += colour
                rest = rest.dropFirst(colour.count)
                continue
            }
            let v = c.value
            let lineEnd = v == 0x0D && rest.unicodeScalars.dropFirst().first == "\n"
            let control = (v < 0x20 && v != 0x0A && v != 0x09 && !lineEnd) || (v >= 0x7F && v < 0xA0)
            out.unicodeScalars.append(control ? "\u{FFFD}" : c)
            rest = Substring(rest.unicodeScalars.dropFirst())
        }
        return out
    }
}
