/// Plain-text tables that fit the terminal: columns padded to their widest cell, the
/// widest column cut with '…' when the line would pass `width`. Columns in `fixed`
/// (ids, dates, numbers) are never cut; a table of only those may pass `width`. Widths
/// are display columns (a wide character counts two); no line ends in spaces. Piped, the
/// width is unbounded and nothing is cut.
enum Table {
    /// No limit: output that is not a terminal.
    static let unbounded = 1_000_000
    /// The width a command's tables take unless it says otherwise (`Context.width`).
    nonisolated(unsafe) static var width = 80

    static func render(_ headers: [String], _ rows: [[String]], width: Int? = nil, fixed: Set<String> = []) -> String {
        guard !rows.isEmpty else { return "" }
        let width = width ?? Table.width
        // Each cell measured once, and the lines written as bytes into one buffer: a listing
        // of 100,000 cases measured each cell three times and joined a String per cell.
        let measured = rows.map { $0.map(TextWrap.width) }
        let headerWidths = headers.map(TextWrap.width)
        var widths = headerWidths
        for row in measured {
            for (i, w) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], w) }
        }
        let gap = 2
        while widths.reduce(0, +) + gap * (widths.count - 1) > width {
            let cuttable = widths.indices.filter { !fixed.contains(headers[$0]) }
            guard let widest = cuttable.max(by: { widths[$0] < widths[$1] }), widths[widest] > 8 else { break }
            widths[widest] -= 1
        }
        var out: [UInt8] = []
        out.reserveCapacity((rows.count + 1) * (widths.reduce(0, +) + gap * widths.count + 1))
        func line(_ cells: [String], _ cellWidths: [Int]) {
            let start = out.count
            for (i, cell) in cells.enumerated() {
                if i > 0 { out.append(contentsOf: repeatElement(0x20, count: gap)) }
                let w = widths[i]
                let text = cellWidths[i] > w ? cut(cell, to: w) : cell
                out.append(contentsOf: text.utf8)
                let used = cellWidths[i] > w ? TextWrap.width(text) : cellWidths[i]
                out.append(contentsOf: repeatElement(0x20, count: max(0, w - used)))
            }
            while out.count > start, out.last == 0x20 { out.removeLast() }
            out.append(0x0A)
        }
        line(headers, headerWidths)
        for (cells, cellWidths) in zip(rows, measured) { line(cells, cellWidths) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` cut to `width` display columns, ending in '…'.
    static func cut(_ text: String, to width: Int) -> String {
        var out = "", used = 0
        for c in text {
            let w = TextWrap.width(c)
            if used + w > width - 1 { break }
            out.append(c)
            used += w
        }
        while out.last == " " { out.removeLast() }
        return out + "…"
    }

    /// `text` padded with spaces to `width` characters.
    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - TextWrap.width(text)))
    }

    /// `label: value` lines with the labels aligned; with `width`, long values wrap under
    /// their first line, never cut (wide characters count two columns).
    static func fields(_ pairs: [(String, String)], width: Int? = nil) -> String {
        let w = pairs.map(\.0.count).max() ?? 0
        return pairs.map { label, value in
            let head = label + ":" + String(repeating: " ", count: w - label.count + 1)
            guard let width, TextWrap.width(head + value) > width || value.contains(where: \.isNewline) else {
                return head + value
            }
            var lines = TextWrap.wrap(value, columns: width, indent: String(repeating: " ", count: head.count))
            lines[0] = head + lines[0].dropFirst(head.count)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n") + "\n"
    }
}
