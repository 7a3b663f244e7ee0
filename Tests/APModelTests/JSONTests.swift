@testable import APModel
import XCTest

final class JSONTests: XCTestCase {
    /// Every ASCII byte, at every place in strings of 1 to 24 bytes, is written as escaping byte by
    /// byte writes it: the words tested eight bytes at a time never pass over one to escape.
    func testEveryByteIsEscapedWhereverItSits() {
        func reference(_ s: String) -> String {
            var out = "\""
            for b in s.utf8 {
                switch b {
                case 0x22: out += "\\\""
                case 0x5C: out += "\\\\"
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                case 0..<0x20: out += String(format: "\\u%04x", b)
                default: out.unicodeScalars.append(UnicodeScalar(b))
                }
            }
            return out + "\""
        }
        for length in 1...24 {
            for at in 0..<length {
                for byte in UInt8(0)...0x7F {
                    var bytes = Array(repeating: UInt8(ascii: "a"), count: length)
                    bytes[at] = byte
                    let s = String(decoding: bytes, as: UTF8.self)
                    XCTAssertEqual(JSONWriter.compact(.string(s)), reference(s), "byte \(byte) at \(at) of \(length)")
                    let plain = bytes.withUnsafeBufferPointer(JSONWriter.plainPrefix)
                    XCTAssertEqual(plain % 8, 0)
                    XCTAssertLessThanOrEqual(plain, byte < 0x20 || byte == 0x22 || byte == 0x5C ? at : length)
                }
            }
        }
        XCTAssertEqual(JSONWriter.compact(.string("é😀ab\"cdefgh\u{7F}")), "\"é😀ab\\\"cdefgh\u{7F}\"")
        XCTAssertEqual([UInt8]("abcdefgh_abcdefgh".utf8).withUnsafeBufferPointer(JSONWriter.plainPrefix), 16)
    }

    func testRoundTripIsCanonical() throws {
        let text = #"{"b": [1, 2.50, -3e2, true, false, null], "a": {"z": "x\"y\\\n\u0001é😀", "a": {}} , "c": []}"#
        let value = try JSONParser.parse(text)
        let pretty = JSONWriter.prettyString(value)
        XCTAssertEqual(pretty, """
            {
              "a": {
                "a": {},
                "z": "x\\"y\\\\\\n\\u0001é😀"
              },
              "b": [
                1,
                2.50,
                -3e2,
                true,
                false,
                null
              ],
              "c": []
            }

            """)
        XCTAssertEqual(try JSONParser.parse(pretty), value)
        XCTAssertEqual(JSONWriter.compact(value), #"{"a":{"a":{},"z":"x\"y\\\n\u0001é😀"},"b":[1,2.50,-3e2,true,false,null],"c":[]}"#)
    }

    func testEscapesAndSurrogatePairs() throws {
        XCTAssertEqual(try JSONParser.parse(#""\ud83d\ude00 \u00e9 \/ \b\f\r\t""#), .string("😀 é / \u{08}\u{0C}\r\t"))
    }

    func testRejectsMalformedInputWithPosition() {
        let cases: [(String, String)] = [
            ("{\"a\": 1,}", "expected a quoted key"),
            ("[1 2]", "expected ',' or ']'"),
            ("{\"a\" 1}", "expected ':'"),
            ("\"abc", "unterminated string"),
            ("01", "unexpected text after"),
            ("1.", "digits expected after '.'"),
            ("-", "incomplete number"),
            ("tru", "unexpected end of input"),
            ("\"\\x\"", "invalid escape"),
            ("\"\\ud800\"", "unpaired surrogate"),
            ("{\"a\":1,\"a\":2}", "duplicate key"),
            ("\"a\nb\"", "control character"),
            ("", "unexpected end of input"),
            ("{}\n\n  x", "line 3, column 3"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try JSONParser.parse(text), text) { error in
                XCTAssertTrue("\(error)".contains(message), "\(text): \(error)")
            }
        }
    }

    func testRejectsInvalidUTF8AndDeepNesting() {
        XCTAssertThrowsError(try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]))
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        XCTAssertThrowsError(try JSONParser.parse(deep)) { XCTAssertTrue("\($0)".contains("nested deeper")) }
        let ok = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        XCTAssertNoThrow(try JSONParser.parse(ok))
    }

    func testReaderNamesTheFieldPath() throws {
        let r = try JSONReader(["a": 1, "t": "2026-13-01T00:00:00.000Z"], path: "events[2]")
        XCTAssertThrowsError(try r.string("a")) { XCTAssertEqual("\($0)", "field 'events[2].a' must be a string") }
        XCTAssertThrowsError(try r.string("b")) { XCTAssertEqual("\($0)", "missing field 'events[2].b'") }
        XCTAssertThrowsError(try r.timestamp("t")) { XCTAssertTrue("\($0)".contains("events[2].t")) }
    }

    /// A long list written on all cores, a run of rows each, is byte for byte `pretty` of
    /// the same values, whichever runs the rows fall in.
    func testRowsWrittenInRunsAreThePrettyList() {
        for count in [0, 1, 255, 256, 5001, 20_000] {
            var parts: [[UInt8]] = []
            JSONWriter.prettyRowStream(count, emit: { parts.append($0); return true }) { i, row in
                row.string("case", "YP-\(i)")
                row.int("n", i)
                if i % 3 == 0 { row.bool("overdue", true) }
                if i % 5 == 0 {
                    row.object("stage") { stage in
                        stage.string("id", "s\(i)")
                        stage.string("kind", "psr \"quoted\"")
                        stage.value("more", ["x": [1, 2]])
                        stage.strings("notes", ["a", "b"])
                    }
                }
                row.strings("tags", i % 4 == 0 ? [] : (0..<(i % 4)).map { "t\($0) \"x\"" })
                if i % 7 == 0 { row.object("z") { _ in } }
            }
            let bytes = JSONWriter.joined(parts)
            let values: [JSONValue] = (0..<count).map { i in
                var o: [String: JSONValue] = ["case": .string("YP-\(i)"), "n": .int(i)]
                if i % 3 == 0 { o["overdue"] = .bool(true) }
                if i % 5 == 0 {
                    o["stage"] = .object([
                        "id": .string("s\(i)"), "kind": .string("psr \"quoted\""),
                        "notes": .array([.string("a"), .string("b")]), "more": .object(["x": .array([1, 2])]),
                    ])
                }
                o["tags"] = .array(i % 4 == 0 ? [] : (0..<(i % 4)).map { .string("t\($0) \"x\"") })
                if i % 7 == 0 { o["z"] = .object([:]) }
                return .object(o)
            }
            XCTAssertEqual(bytes, JSONWriter.pretty(.array(values)), "\(count) rows")
        }
    }
}
