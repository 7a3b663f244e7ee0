@testable import APModel
import XCTest

final class EmailReaderTests: XCTestCase {
    func testSHA256KnownVectors() {
        XCTAssertEqual(SHA256.hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    func testRFC2231ContinuationsInNumericOrderAndEncodedWords() {
        // Eleven sections given out of order: 10 must follow 9, not 1.
        var header = "attachment"
        let parts = (0...10).map { "p\($0)-" }
        for n in [10, 0, 2, 1, 3, 4, 5, 6, 7, 8, 9] {
            header += n == 0 ? "; filename*0*=utf-8''%C3%A9\(parts[0])" : "; filename*\(n)=\"\(parts[n])\""
        }
        XCTAssertEqual(EmailReader.parameters(header).1["filename"], "é" + parts.joined())
        XCTAssertEqual(EmailReader.parameters("application/json; name=\"=?utf-8?B?w6kuanNvbg==?=\"").1["name"], "é.json")
        XCTAssertEqual(EmailReader.parameters("text/plain; name==?utf-8?Q?caf=C3=A9_menu?=").1["name"], "café menu")
        XCTAssertEqual(EmailReader.decodeWords("=?utf-8?Q?a?= =?utf-8?Q?b?="), "ab")
    }

    func testQuotedPrintableSoftBreaksAndErrors() throws {
        XCTAssertEqual(try EmailReader.quotedPrintable(ArraySlice(Array("a=3Db=\r\nc=\nd".utf8))), Array("a=bcd".utf8))
        XCTAssertThrowsError(try EmailReader.quotedPrintable(ArraySlice(Array("bad=ZZ".utf8))))
    }

    func testCapsOnPartsAndNesting() {
        var nested = ""
        for n in 0..<12 { nested += "Content-Type: multipart/mixed; boundary=\"b\(n)\"\r\n\r\n--b\(n)\r\n" }
        XCTAssertThrowsError(try EmailReader.attachments(Array(nested.utf8))) { error in
            XCTAssertTrue("\(error)".contains("deeper") || "\(error)".contains("not closed"), "\(error)")
        }
        var many = "Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n"
        for _ in 0..<300 { many += "--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n" }
        many += "--x--\r\n"
        XCTAssertThrowsError(try EmailReader.attachments(Array(many.utf8))) { XCTAssertTrue("\($0)".contains("more than 200 parts")) }
    }
}
