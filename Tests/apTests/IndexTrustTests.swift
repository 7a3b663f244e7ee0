import APModel
import Foundation
import XCTest

/// Issue 29: the index trusts a shard folder whose stamp is unchanged, as git's untracked
/// cache does, and sees every change made by rename (ap, git, an outside copy); an edit in
/// place is found by `--verify`.
final class IndexTrustTests: XCTestCase {
    var h: Harness!

    override func setUpWithError() throws {
        h = try Harness()
        for (i, id) in ["YP-1", "YP-2", "YP-3"].enumerated() {
            try h.caseWithStage(id)
            try h.expectOK(["stage", "set", id, "rosh=low", "saw=low", "lor=low", "scaled-approach=standard",
                            "indicative-lor=\(["low", "medium", "high"][i])", "lor.override-reason=Recent progress"],
                           as: "pat")
            try h.expectOK(["stage", "submit", id], as: "pat")
        }
    }

    /// Every shard folder dated an hour back, as if written long ago (no racy stamps).
    func ageFolders() throws {
        let cases = h.dir + "/cases"
        let old = Date().addingTimeInterval(-3600)
        for shard in try FileManager.default.contentsOfDirectory(atPath: cases) {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: cases + "/" + shard)
        }
    }

    func queued(_ extra: [String] = []) throws -> [String] {
        try h.expectOK(["queue", "--json"] + extra).json?.arrayValue?.compactMap { $0["case"]?.stringValue }.sorted()
            ?? []
    }

    func shardsLine() throws -> String {
        try String(contentsOfFile: h.dir + "/.ap/index", encoding: .utf8).split(separator: "\n")[1].description
    }

    func testAFolderChangedJustNowIsNeverTrusted() throws {
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        let line = try shardsLine()
        XCTAssertTrue(line.hasPrefix("shards\t") && line.contains(":1:-"), "racy: no stamp recorded\n\(line)")
        try ageFolders()
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        XCTAssertFalse(try shardsLine().contains(":1:-"), "old enough: stamps recorded")
    }

    func testAnEditInPlaceIsFoundByVerifyAndEveryRenameByTheNextCommand() throws {
        try ageFolders()
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        XCTAssertEqual(try CaseIndex.summaries(Repository(root: h.dir)).refreshed, 0)
        // YP-1 countersigned elsewhere, its file written in place: the folder keeps its time.
        let path = h.caseFile("YP-1")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let shard = (path as NSString).deletingLastPathComponent
        let stamp = try FileManager.default.attributesOfItem(atPath: shard)[.modificationDate] as! Date
        try h.expectOK(["countersign", "YP-1"], as: "mo")
        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        try before.write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: stamp], ofItemAtPath: shard)
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: after)
        try handle.close()
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"], "trusted: the folder did not change")
        XCTAssertEqual(try queued(["--verify"]), ["YP-2", "YP-3"], "--verify checks every file")
        XCTAssertEqual(try queued(), ["YP-2", "YP-3"], "and puts the index right")
        // A copy renamed in from outside changes the folder: seen at once.
        try ageFolders()
        _ = try queued()
        let other = h.caseFile("YP-2")
        let temp = (other as NSString).deletingLastPathComponent + "/.incoming"
        try h.expectOK(["countersign", "YP-2"], as: "mo")
        try Data(contentsOf: URL(fileURLWithPath: other)).write(to: URL(fileURLWithPath: temp))
        try ageFolders()
        _ = try queued()
        XCTAssertEqual(rename(temp, other), 0)
        XCTAssertEqual(try queued(), ["YP-3"])
        // ap's own write, by rename, is seen by the next command.
        try ageFolders()
        _ = try queued()
        try h.expectOK(["countersign", "YP-3"], as: "mo")
        XCTAssertEqual(try queued(), [])
    }

    /// A row cut short (its file signature intact) is read again from its file, never dropped.
    func testADamagedRowIsReadAgainNotDropped() throws {
        try ageFolders()
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        let index = h.dir + "/.ap/index"
        var lines = try String(contentsOfFile: index, encoding: .utf8).split(separator: "\n").map(String.init)
        let row = try XCTUnwrap(lines.firstIndex { $0.split(separator: "\t").dropFirst(3).first == "YP-2" })
        lines[row] = lines[row].split(separator: "\t", omittingEmptySubsequences: false).dropLast(3)
            .joined(separator: "\t")
        try (lines.joined(separator: "\n") + "\n").write(toFile: index, atomically: true, encoding: .utf8)
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        let listed = try h.expectOK(["case", "list", "--json"]).json?.arrayValue?.compactMap { $0["id"]?.stringValue }
        XCTAssertEqual(listed, ["YP-1", "YP-2", "YP-3"])
    }

    func testAnIndexOfAnEarlierFormatIsRebuiltNotTrusted() throws {
        try ageFolders()
        _ = try queued()
        let index = h.dir + "/.ap/index"
        var text = try String(contentsOfFile: index, encoding: .utf8)
        text = text.replacingOccurrences(of: CaseIndex.format, with: "ap-index\t10")
        try text.write(toFile: index, atomically: true, encoding: .utf8)
        try h.expectOK(["countersign", "YP-1"], as: "mo")
        XCTAssertEqual(try queued(), ["YP-2", "YP-3"])
        XCTAssertTrue(try String(contentsOfFile: index, encoding: .utf8).hasPrefix(CaseIndex.format + "\t"))
    }
}
