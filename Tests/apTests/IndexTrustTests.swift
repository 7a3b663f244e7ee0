@testable import APModel
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
        XCTAssertTrue(line.hasPrefix("shards\t") && line.contains(":1,0,0:-"), "racy: no stamp recorded\n\(line)")
        try ageFolders()
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        XCTAssertFalse(try shardsLine().contains(":-"), "old enough: stamps recorded")
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

    /// git writes case files too: a checkout and a pull change the folders they write into,
    /// and the next command sees what they wrote, whatever the index trusted before.
    func testACheckoutAndAPullAreSeenByTheNextCommand() throws {
        try h.expectOK(["git", "setup"], as: "alex")
        try ageFolders()
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        try h.expectOK(["countersign", "YP-1"], as: "mo")
        try ageFolders()
        XCTAssertEqual(try queued(), ["YP-2", "YP-3"])
        try Harness.git(["checkout", "-q", "HEAD~1", "--", "cases"], in: h.dir)
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"], "the checkout's copy of YP-1")
        try Harness.git(["checkout", "-q", "HEAD", "--", "cases"], in: h.dir)
        XCTAssertEqual(try queued(), ["YP-2", "YP-3"])
        // Countersigned at another site and pulled here.
        let other = try h.hubAndClone(self).clone
        try h.expectOK(["-C", other, "countersign", "YP-2"], as: "mo")
        try Harness.git(["push", "-q", "origin", "HEAD:master"], in: other)
        try ageFolders()
        XCTAssertEqual(try queued(), ["YP-2", "YP-3"])
        try Harness.git(["pull", "-q", "--ff-only", "origin", "master"], in: h.dir)
        XCTAssertEqual(try queued(), ["YP-3"], "the pull's copy of YP-2")
    }

    /// A row with too few fields (its file signature intact, its length unchanged, so the
    /// index's layout holds) is read again from its file, never dropped: by the queue, which
    /// reads only the first group, and by a list, which reads them all.
    func testADamagedRowIsReadAgainNotDropped() throws {
        try ageFolders()
        for reader in [["queue", "--json"], ["case", "list", "--json"]] {
            XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
            try damageRow("YP-2") { row in
                // The last three fields run into one: tabs become spaces, the length is kept.
                var fields = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                let tail = fields.suffix(3).joined(separator: " ")
                fields.removeLast(3)
                return (fields + [tail]).joined(separator: "\t")
            }
            let listed = try h.expectOK(reader).json?.arrayValue?.compactMap {
                ($0["case"] ?? $0["id"])?.stringValue
            }
            XCTAssertEqual(listed?.sorted(), ["YP-1", "YP-2", "YP-3"], reader.joined(separator: " "))
        }
    }

    /// A row whose file signature is damaged (same length) in a trusted folder: the queue
    /// settles it with the whole index and still lists the case.
    func testARowWithADamagedSignatureIsReadAgain() throws {
        try ageFolders()
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        try damageRow("YP-3") { row in "x" + row.dropFirst() }
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"], "and the index put right")
    }

    /// A number too large for the machine in the shard line or in a row's obligations: the
    /// index is rebuilt or the row read again; nothing stops the program (it trapped before).
    func testANumberTooLargeIsDamageNotACrash() throws {
        try ageFolders()
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        let index = h.dir + "/.ap/index"
        let text = try String(contentsOfFile: index, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: ":1,0,0:", with: ":99999999999999999999999,0,0:")
        try lines.joined(separator: "\n").write(toFile: index, atomically: true, encoding: .utf8)
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        XCTAssertEqual(try String(contentsOfFile: index, encoding: .utf8), text, "rebuilt as it was")
        // Numbers each within an Int whose sums are not: two shards' rows, the groups' lengths.
        let most = String(Int.max)
        let clean = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var shards = clean[1].split(separator: "\t").map(String.init)
        let full = shards.indices.filter { shards[$0].contains(":1,0,0:") }
        XCTAssertEqual(full.count, 3)
        for i in full.prefix(2) { shards[i] = shards[i].replacingOccurrences(of: ":1,0,0:", with: ":\(most),0,0:") }
        for damaged in [[clean[0], shards.joined(separator: "\t")] + clean.dropFirst(2),
                        [clean[0], clean[1], "groups\t\(most)\t\(most)\t0"] + clean.dropFirst(3)] {
            try damaged.joined(separator: "\n").write(toFile: index, atomically: true, encoding: .utf8)
            XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
            XCTAssertEqual(try String(contentsOfFile: index, encoding: .utf8), text, "rebuilt as it was")
        }
        // An obligation's time in a row, as digits past any Int (the length kept).
        try damageRow("YP-1") { row in
            var fields = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let at = 3 + CaseSummary.IndexField.obligations
            fields[at] = "x@" + String(repeating: "9", count: 30) + "@@@@"
            let changed = fields.joined(separator: "\t")
            // Kept the same length by trimming the name (the layout's lengths hold).
            let excess = changed.utf8.count - row.utf8.count
            let name = 3 + CaseSummary.IndexField.name
            fields[name] = String(fields[name].dropLast(max(0, excess)))
            return fields.joined(separator: "\t").padding(toLength: row.utf8.count, withPad: " ", startingAt: 0)
        }
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        let listed = try h.expectOK(["case", "list", "--json"]).json?.arrayValue?.compactMap { $0["id"]?.stringValue }
        XCTAssertEqual(listed, ["YP-1", "YP-2", "YP-3"])
    }

    func damageRow(_ id: String, _ change: (String) -> String) throws {
        let index = h.dir + "/.ap/index"
        var lines = try String(contentsOfFile: index, encoding: .utf8).split(separator: "\n").map(String.init)
        let row = try XCTUnwrap(lines.firstIndex { $0.split(separator: "\t").dropFirst(3).first == Substring(id) })
        let changed = change(lines[row])
        XCTAssertEqual(changed.utf8.count, lines[row].utf8.count)
        lines[row] = changed
        try (lines.joined(separator: "\n") + "\n").write(toFile: index, atomically: true, encoding: .utf8)
    }

    /// The index keeps stages awaiting countersignature first, so the queue reads the start of
    /// the file and no more while every folder is as the index says; a changed folder, or a
    /// reader that wants more, reads it whole.
    func testTheQueueReadsOnlyTheStagesAwaitingCountersignature() throws {
        try h.caseWithStage("YP-4")
        try h.expectOK(["case", "new", "YP-5", "--name", "Sam Closed", "--dob", "2010-01-01"], as: "bo")
        try ageFolders()
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        let index = h.dir + "/.ap/index"
        let text = try String(contentsOfFile: index, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let sizes = lines[2].split(separator: "\t").dropFirst().compactMap { Int($0) }
        XCTAssertEqual(lines[2].split(separator: "\t").first, "groups")
        XCTAssertEqual(sizes.count, 3)
        let ids = lines.dropFirst(3).map { String($0.split(separator: "\t")[3]) }
        XCTAssertEqual([ids.prefix(3).sorted(), [ids[3]], [ids[4]]], [["YP-1", "YP-2", "YP-3"], ["YP-4"], ["YP-5"]],
                       "awaiting, in progress, no open stage")
        // Cut after the first group: the queue answers from it and writes nothing.
        let head = lines.prefix(3).map { $0.utf8.count + 1 }.reduce(0, +) + sizes[0]
        let cut = Data(text.utf8.prefix(head))
        try cut.write(to: URL(fileURLWithPath: index))
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: index)), cut, "the rest was never asked for")
        // A list needs every group: the cut index is rebuilt.
        let listed = try h.expectOK(["case", "list", "--json"]).json?.arrayValue?.compactMap { $0["id"]?.stringValue }
        XCTAssertEqual(listed, ["YP-1", "YP-2", "YP-3", "YP-4", "YP-5"])
        XCTAssertEqual(try String(contentsOfFile: index, encoding: .utf8), text)
        // A folder changed since: the queue reads the whole index and sees the change.
        try cut.write(to: URL(fileURLWithPath: index))
        try h.expectOK(["countersign", "YP-2"], as: "mo")
        XCTAssertEqual(try queued(), ["YP-1", "YP-3"])
        XCTAssertEqual(try h.expectOK(["case", "list", "--json"]).json?.arrayValue?.count, 5)
    }

    /// `cases/` is trusted as its shard folders are: while its stamp is as recorded, the index's
    /// shard names stand for its listing; a folder taken away or put back is seen at once.
    func testAShardFolderTakenAwayOrPutBackIsSeenByTheNextCommand() throws {
        func ageAll() throws {
            try ageFolders()
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)],
                                                  ofItemAtPath: h.dir + "/cases")
        }
        try ageAll()
        _ = try h.expectOK(["case", "list", "--json"])
        let line = try shardsLine()
        XCTAssertNotNil(line.range(of: #"^shards\t[0-9]+\.[0-9]+\.[0-9]+\t"#, options: .regularExpression),
                        "cases/ old enough: its stamp recorded\n\(line)")
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        let folder = (h.caseFile("YP-1") as NSString).deletingLastPathComponent, away = h.dir + "/away"
        XCTAssertEqual(rename(folder, away), 0)
        XCTAssertEqual(try queued(), ["YP-2", "YP-3"])
        try ageAll()
        _ = try h.expectOK(["case", "list", "--json"])
        XCTAssertEqual(try queued(), ["YP-2", "YP-3"])
        XCTAssertEqual(rename(away, folder), 0)
        XCTAssertEqual(try queued(), ["YP-1", "YP-2", "YP-3"])
        XCTAssertEqual(try h.expectOK(["case", "list", "--json"]).json?.arrayValue?.count, 3)
    }

    /// A small repository is read on one thread, a large one on all cores: the same summaries.
    func testOneThreadAndAllCoresReadTheSame() throws {
        try ageFolders()
        let repo = Repository(root: h.dir)
        func read(_ threads: Bool, keep: @escaping (String) -> Bool = { _ in true }) throws -> [CaseSummary] {
            try CaseIndex.read(repo, keep: keep, owing: false, progress: nil, verify: false, onAllCores: threads)
                .summaries.sorted { $0.id < $1.id }
        }
        let whole = try read(false)
        XCTAssertEqual(whole.map(\.id), ["YP-1", "YP-2", "YP-3"])
        XCTAssertEqual(try read(true), whole)
        XCTAssertEqual(try read(true, keep: { !$0.isEmpty }), try read(false, keep: { !$0.isEmpty }))
        try h.expectOK(["countersign", "YP-2"], as: "mo")
        XCTAssertEqual(try read(true), try read(false))
        XCTAssertNotEqual(try read(true), whole)
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
