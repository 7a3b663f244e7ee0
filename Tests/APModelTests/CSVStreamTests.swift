@testable import APModel
import XCTest

/// A listing's CSV printed run by run is byte for byte the whole `csv`, and each cell is
/// written as the rule has always written it (quoted, doubled, formula-safe), the fast path
/// for plain cells included.
final class CSVStreamTests: XCTestCase {
    static let awkward = [
        "", "plain", "YP-000150", "2026-12-01", "-3", "-x", "=SUM(A1)", "+1+1", "@cmd", "\tlead", "\rlead",
        "a,b", "say \"hi\"", "two\nlines", "crlf\r\nhere", "line\u{2028}sep", "next\u{85}line", "café",
        "Zoë \"Z\", Smith", "~tilde", " space", "del\u{7F}", "ctrl\u{01}",
    ]

    /// The rule as it was before plain cells took a short cut.
    static func reference(_ text: String) -> String {
        var s = text
        if let first = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), !Report.isNumber(s) {
            s = "'" + s
        }
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    func testEachCellIsWrittenAsTheRuleSays() {
        for cell in CSVStreamTests.awkward {
            XCTAssertEqual(Report.csvField(cell), CSVStreamTests.reference(cell), cell.debugDescription)
        }
    }

    func testTheStreamIsTheWholeCSV() {
        let columns = ["case", "name", "note"]
        let cells = CSVStreamTests.awkward
        for count in [0, 1, 2047, 2048, 2049, 5000] {
            let rows = (0..<count).map { i in ["YP-\(i)", cells[i % cells.count], cells[(i * 7) % cells.count]] }
            var parts: [String] = []
            Report.csvStream(columns: columns, count: count, emit: { parts.append($0); return true }) { rows[$0] }
            XCTAssertEqual(parts.joined(), Report(columns: columns, rows: rows).csv, "\(count) rows")
            XCTAssertEqual(parts.count, 1 + (count + 2047) / 2048, "the header, then a part per run")
        }
    }
}
