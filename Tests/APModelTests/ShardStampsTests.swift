@testable import APModel
import XCTest

/// The index's shard line, read by bytes on every run: what ap writes reads back the same,
/// and anything else is damage (nil: the index is rebuilt), never a crash or a guess.
final class ShardStampsTests: XCTestCase {
    func testTheLineReadsBackAsWritten() {
        XCTAssertEqual(ShardStamps.Rows().count, CaseIndex.Group.count, "a count for each group")
        let stamps = ShardStamps(folder: .init(modified: 5, changed: 6, inode: 7), shards: [
            .init(name: "00", rows: [0, 0, 3], stamp: .init(modified: 1_764_590_000_000_000_000,
                                                            changed: 1_764_590_000_000_000_001, inode: 42)),
            .init(name: "0a", rows: [12, 1, 0], stamp: nil),
            .init(name: "ff", rows: [0, 0, 0], stamp: .init(modified: -1, changed: .min, inode: .max)),
        ])
        XCTAssertEqual(ShardStamps(line: stamps.line.dropLast()), stamps)
        XCTAssertEqual(ShardStamps(line: ShardStamps().line.dropLast()), ShardStamps())
    }

    func testADamagedLineIsNotRead() {
        let damaged = [
            "shard\t-\t00:0,0,3:-", "shards\t-\t00:0,0:-", "shards\t-\t00:0,0,3,1:-", "shards\t-\t00:0,,3:-",
            "shards\t-\t00:0,0,x:-", "shards\t-\t00:0,0,3", "shards\t-\t00-0,0,3-1", "shards\t-\t00:0,0,3:1:2",
            "shards\t-\t00:0,0,3:-\t\t01:0,0,0:-", "shards\t-\t00:0,0,99999999999999999999:-",
            "shards\t-\t00:0,0,\(FileSystem.maxFileBytes + 1):-",
            "shards\t-\t00:0,0,3:", "shards\t-\t00:0,0,3:1.2", "shards\t-\t00:0,0,3:1.2.3.4",
            "shards\t-\t00:0,0,3:1..3",
            "shards\t-\t00:0,0,3:1.2.-3", "shards\t-\t00:0,0,3:--1.2.3", "shards\t-\t00:0,0,3:+1.2.3",
            "shards\t-\t00:0,0,3:9223372036854775808.2.3", "shards\t-\t00:0,0,3:1.-9223372036854775809.3",
            "shards\t-\t00:0,0,3:1.2.18446744073709551616", "shards\t-\t00:0,0,3:1.2.x",
            // `cases/`'s own stamp: missing, damaged, or followed by something other than a tab.
            "shards\t", "shards\t00:0,0,3:-", "shards\t1.2\t00:0,0,3:-", "shards\t-x", "shards\t--", "shards\t-\t",
            "shards\t1.2.3:4",
        ]
        for line in damaged {
            XCTAssertNil(ShardStamps(line: ArraySlice(line.utf8)), line)
        }
        XCTAssertNotNil(ShardStamps(line: ArraySlice("shards\t-\t00:0,0,\(FileSystem.maxFileBytes):-".utf8)))
        XCTAssertEqual(ShardStamps(line: ArraySlice("shards\t-".utf8)), ShardStamps())
        let folder = ShardStamps(line: ArraySlice("shards\t-1.2.3".utf8))?.folder
        XCTAssertEqual(folder, .init(modified: -1, changed: 2, inode: 3))
    }

    /// A stamp is written by hand as the interpolation wrote it, and read back as the same
    /// numbers, at every size and sign.
    func testAStampIsWrittenAsInterpolatedAndReadBack() {
        let values: [Int64] = [0, 1, -1, 9, 10, 99, 100, 1_764_590_000_123_456_789, -1_000_000_000, .max, .min]
        for m in values {
            for c in values {
                for inode: UInt64 in [0, 7, 1_234_567, .max] {
                    let text = ShardStamps.text(m, c, inode)
                    XCTAssertEqual(text, "\(m).\(c).\(inode)")
                    let stamps = ShardStamps(shards: [.init(name: "0f", rows: [1, 2, 3], stamp: .init(
                        modified: m, changed: c, inode: inode))])
                    XCTAssertEqual(ShardStamps(line: stamps.line.dropLast()), stamps)
                }
            }
        }
    }

    /// Listed folders are found in the line by walking both in order; one the line lacks, or
    /// holds out of order, is not found (and so is scanned).
    func testListedFoldersAreFoundInOrder() {
        func line(_ names: [String]) -> ShardStamps {
            ShardStamps(shards: names.map { .init(name: $0, rows: [0, 0, 0], stamp: nil) })
        }
        XCTAssertEqual(line(["00", "01", "ff"]).positions(of: ["00", "01", "ff"]), [0, 1, 2])
        XCTAssertEqual(line(["00", "ff"]).positions(of: ["00", "01", "ff"]), [0, nil, 1])
        XCTAssertEqual(line(["00", "01", "02"]).positions(of: ["01"]), [1])
        XCTAssertEqual(line(["01", "00"]).positions(of: ["00", "01"]), [nil, 0])
        XCTAssertEqual(line(["00", "00", "01"]).positions(of: ["00", "01"]), [0, 2])
        XCTAssertEqual(line([]).positions(of: ["00"]), [nil])
        XCTAssertEqual(line(["00"]).positions(of: []), [])
    }

    /// Each folder's stamp through the open parent is its own lstat's; what is not a folder,
    /// a link to one included, has none; an unreadable parent gives none.
    func testStampsAreEachFoldersOwn() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stamps-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for name in ["00", "01", "ff"] {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
        }
        _ = FileManager.default.createFile(atPath: root + "/0a", contents: Data())
        try FileManager.default.createSymbolicLink(atPath: root + "/0b", withDestinationPath: root + "/00")
        let stamps = ShardStamps.stamps(in: root, ["00", "01", "ff", "0a", "0b", "zz"])
        for (i, name) in ["00", "01", "ff"].enumerated() {
            var st = stat()
            XCTAssertEqual(lstat(root + "/" + name, &st), 0)
            #if canImport(Darwin)
            let (mt, ct) = (st.st_mtimespec, st.st_ctimespec)
            #else
            let (mt, ct) = (st.st_mtim, st.st_ctim)
            #endif
            let m = Int64(mt.tv_sec) * 1_000_000_000 + Int64(mt.tv_nsec)
            let c = Int64(ct.tv_sec) * 1_000_000_000 + Int64(ct.tv_nsec)
            XCTAssertEqual(stamps[i]?.text, "\(m).\(c).\(st.st_ino)", name)
            XCTAssertEqual(stamps[i], .init(modified: m, changed: c, inode: UInt64(st.st_ino)), name)
        }
        XCTAssertNil(stamps[3], "a file")
        XCTAssertNil(stamps[4], "a link to a folder")
        XCTAssertNil(stamps[5], "nothing there")
        XCTAssertTrue(ShardStamps.stamps(in: root + "/0b", ["00"]).allSatisfy { $0 == nil }, "a linked parent")
        XCTAssertTrue(ShardStamps.stamps(in: root + "/none", ["00"]).allSatisfy { $0 == nil })
    }
}
