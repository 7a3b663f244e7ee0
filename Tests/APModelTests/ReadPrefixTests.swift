@testable import APModel
import Foundation
import XCTest

/// `FileSystem.readPrefix`, which reads only the start of the index the queue needs: the
/// length is asked of the first 64 KiB, and the rest comes from the same open file.
final class ReadPrefixTests: XCTestCase {
    func testTheStartAskedForAndNoMore() throws {
        let path = NSTemporaryDirectory() + "ap-read-prefix-" + UUID().uuidString
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var asked: [Int] = []
        for wanted in [0, 10, 65_536, 65_537, 150_000, 200_000, 300_000] {
            let got = try FileSystem.readPrefix(path) { start in
                asked.append(start.count)
                XCTAssertEqual(start, Array(bytes.prefix(65_536)))
                return wanted
            }
            XCTAssertEqual(got, Array(bytes.prefix(wanted)), "\(wanted)")
        }
        XCTAssertEqual(Set(asked), [65_536])
        // A file shorter than 64 KiB is asked of whole.
        try Data(bytes.prefix(100)).write(to: URL(fileURLWithPath: path))
        let short = try FileSystem.readPrefix(path) { start in
            XCTAssertEqual(start.count, 100)
            return 50
        }
        XCTAssertEqual(short, Array(bytes.prefix(50)))
        // A link is refused, as by `read`.
        let link = path + ".link"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: link) }
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        XCTAssertThrowsError(try FileSystem.readPrefix(link) { _ in 10 })
    }
}
