/// Text laid out in terminal columns: East Asian wide and fullwidth characters (and
/// emoji) take two columns, so long answers wrap where the terminal does.
enum TextWrap {
    /// Columns one character takes: its first scalar decides.
    static func width(_ c: Character) -> Int {
        guard let v = c.unicodeScalars.first?.value else { return 0 }
        if v < 0x1100 { return 1 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
        ]
        return wide.contains { $0.contains(v) } ? 2 : 1
    }

    static func width<S: StringProtocol>(_ s: S) -> Int {
        // Most cells are ASCII: a column a byte, without walking grapheme clusters (every table
        // measures each cell; a queue of 100,000 rows has 800,000).
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return s.utf8.count }
        return s.reduce(0) { $0 + width($1) }
    }

    /// `text` wrapped to `columns`, each line prefixed with `indent` (`hanging` for the lines
    /// after a paragraph's first). Line breaks in the text are kept; a word longer than a
    /// line is broken where the line ends.
    static func wrap(_ text: String, columns: Int, indent: String, hanging: String? = nil) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = ""
            var used = 0
            var prefix = indent
            var room = max(10, columns - prefix.count)
            func flush() {
                lines.append(prefix + line)
                line = ""
                used = 0
                prefix = hanging ?? indent
                room = max(10, columns - prefix.count)
            }
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                var w = width(word)
                if used > 0, used + 1 + w > room { flush() }
                if used > 0 {
                    line += " "
                    used += 1
                }
                var rest = Substring(word)
                while w > room - used, let first = rest.first {
                    // Too long for any line: break it character by character.
                    if used + width(first) > room { flush() }
                    line.append(first)
                    used += width(first)
                    w -= width(first)
                    rest = rest.dropFirst()
                }
                line += rest
                used += width(rest)
            }
            flush()
        }
        return lines
    }
}
