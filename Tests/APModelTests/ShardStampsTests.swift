@testable import APModel
import XCTest

/// The index's shard line, read by bytes on every run: what ap writes reads back the same,
/// and anything else is damage (nil: the index is rebuilt), never a crash or a guess.
final class ShardStampsTests: XCTestCase {
    func testTheLineReadsBackAsWritten() {
        let stamps = ShardStamps(shards: [
            .init(name: "00", rows: [0, 0, 3], stamp: "1764590000000000000.1764590000000000001.42"),
            .init(name: "0a", rows: [12, 1, 0], stamp: nil),
            .init(name: "ff", rows: [0, 0, 0], stamp: "1.2.3"),
        ])
        XCTAssertEqual(ShardStamps(line: stamps.line.dropLast()), stamps)
        XCTAssertEqual(ShardStamps(line: ShardStamps().line.dropLast()), ShardStamps())
    }

    func testADamagedLineIsNotRead() {
        let damaged = [
            "shard\t00:0,0,3:-", "shards\t00:0,0:-", "shards\t00:0,0,3,1:-", "shards\t00:0,,3:-",
            "shards\t00:0,0,x:-", "shards\t00:0,0,3", "shards\t00-0,0,3-1", "shards\t00:0,0,3:1:2",
            "shards\t00:0,0,3:-\t\t01:0,0,0:-", "shards\t00:0,0,99999999999999999999:-",
            "shards\t00:0,0,\(FileSystem.maxFileBytes + 1):-",
        ]
        for line in damaged {
            XCTAssertNil(ShardStamps(line: ArraySlice(line.utf8)), line)
        }
        XCTAssertNotNil(ShardStamps(line: ArraySlice("shards\t00:0,0,\(FileSystem.maxFileBytes):-".utf8)))
    }
}
