/// Plain-text tables that fit the terminal: columns padded to their widest cell, the
/// widest column cut with '…' when the line would pass `width`. Columns in `fixed`
/// (ids, dates, numbers) are never cut; a table of only those may pass `width`.
enum Table {
    static func render(_ headers: [String], _ rows: [[String]], width: Int = 80, fixed: Set<String> = []) -> String {
        guard !rows.isEmpty else { return "" }
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        let gap = 2
        while widths.reduce(0, +) + gap * (widths.count - 1) > width {
            let cuttable = widths.indices.filter { !fixed.contains(headers[$0]) }
            guard let widest = cuttable.max(by: { widths[$0] < widths[$1] }), widths[widest] > 8 else { break }
            widths[widest] -= 1
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let w = widths[i]
                let text = cell.count > w ? String(cell.prefix(w - 1)) + "…" : cell
                parts.append(i == cells.count - 1 ? text : text + String(repeating: " ", count: w - text.count))
            }
            return parts.joined(separator: String(repeating: " ", count: gap))
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// `text` padded with spaces to `width` characters.
    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
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
