import APModel
import Foundation
import XCTest

/// Sharing a repository between sites through git, as a new user would (issue 15).
final class SyncTests: XCTestCase {
    var bin: String { URL(fileURLWithPath: Harness.binary).deletingLastPathComponent().path }

    @discardableResult
    func git(_ args: [String], in dir: String, expect status: Int32 = 0) throws -> String {
        try Harness.git(args, in: dir, expect: status)
    }

    /// A hub (bare) and a repository pushed to it, with one case.
    func hubAndSite() throws -> (site: Harness, hub: String) {
        let h = try Harness()
        try h.expectOK(["git", "setup"], as: "alex")
        try h.caseWithStage()
        let hub = h.dir + "-hub.git"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: hub) }
        try git(["init", "-q", "--bare", hub], in: NSTemporaryDirectory())
        try git(["remote", "add", "origin", hub], in: h.dir)
        try git(["push", "-q", "origin", "HEAD:master"], in: h.dir)
        return (h, hub)
    }

    func clone(_ hub: String) throws -> String {
        let dir = NSTemporaryDirectory() + "ap-clone-" + UUID().uuidString
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        try git(["clone", "-q", hub, dir], in: NSTemporaryDirectory())
        return dir
    }

    func testAFreshCloneSetsItsDriverAndPullNeverWritesMarkers() throws {
        let (h, hub) = try hubAndSite()
        let other = try clone(hub)
        // The first ap command in the clone sets the driver, and says so once.
        let first = try h.run(["-C", other, "case", "list"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("set git's merge driver"), first.stderr)
        XCTAssertEqual(try h.run(["-C", other, "case", "list"]).stderr, "", "once")
        XCTAssertTrue(try git(["config", "--get", "merge.ap.driver"], in: other).contains("ap merge --git"))
        // git keeps no 0640: the clone's modes are set again.
        XCTAssertEqual(FileSystem.mode(other + "/" + CaseID.relativePath("YP-0001")), 0o640)
        XCTAssertEqual(FileSystem.mode(other + "/cases"), 0o750)
        // Both sides change the case; pull merges through ap.
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        try git(["push", "-q", "origin", "HEAD:master"], in: h.dir)
        h.now = "2026-11-03T09:00:00.000Z"
        try h.expectOK(["-C", other, "stage", "set", "YP-0001", "saw=medium"], as: "pat")
        let pull = try git(["pull", "-q", "--no-rebase", "--no-edit", "origin", "master"], in: other)
        XCTAssertFalse(pull.contains("CONFLICT"), pull)
        let merged = try h.expectOK(["-C", other, "stage", "show", "YP-0001", "--json"]).json
        XCTAssertEqual(merged?["answers"]?["rosh"]?["value"], "low")
        XCTAssertEqual(merged?["answers"]?["saw"]?["value"], "medium")
    }

    func testSyncBetweenTwoClonesAndABareHub() throws {
        let (h, hub) = try hubAndSite()
        let other = try clone(hub)
        try h.expectOK(
            ["-C", other, "case", "new", "YP-0002", "--name", "Casey Brown", "--dob", "2010-07-01"], as: "bo")
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        h.now = "2026-11-03T09:00:00.000Z"
        try h.expectOK(["-C", other, "stage", "set", "YP-0001", "saw=high"], as: "pat")
        let there = try h.expectOK(["-C", other, "sync", "--json"], as: "pat").json
        XCTAssertEqual(there?["pushed"], .bool(true))
        XCTAssertEqual(there?["ours"], .array(["YP-0001", "YP-0002"]))
        let here = try h.expectOK(["sync", "--json"], as: "pat").json
        XCTAssertEqual(here?["theirs"], .array(["YP-0001", "YP-0002"]))
        XCTAssertEqual(here?["ours"], .array(["YP-0001"]))
        try h.expectOK(["-C", other, "sync"], as: "pat")
        // Both sites now hold the same cases, merged by the latest data entered.
        for dir in [h.dir, other] {
            let s = try h.expectOK(["-C", dir, "stage", "show", "YP-0001", "--json"]).json
            XCTAssertEqual(s?["answers"]?["rosh"]?["value"], "low", dir)
            XCTAssertEqual(s?["answers"]?["saw"]?["value"], "high", dir)
            XCTAssertEqual(try h.expectOK(["-C", dir, "case", "list", "--json"]).json?.arrayValue?.count, 2)
            XCTAssertEqual(try git(["status", "--porcelain"], in: dir), "")
        }
        XCTAssertEqual(
            try git(["rev-parse", "HEAD"], in: h.dir), try git(["rev-parse", "HEAD"], in: other), "one history")
    }

    /// Cases changed on both sides are merged by `ap sync` itself, in one process: git never
    /// runs the driver for them (issue 29); a logging driver would say if it did.
    func testSyncMergesCasesChangedOnBothSidesInOneProcess() throws {
        let (h, hub) = try hubAndSite()
        try h.caseWithStage("YP-0002")
        try h.expectOK(["sync"], as: "pat")
        let other = try clone(hub)
        try h.expectOK(["-C", other, "case", "list"])  // sets the driver
        let log = other + "-driver.log"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: log) }
        let logging = "sh -c 'echo ran >> \(log); exec ap merge --git \"$@\"' merge --git %O %A %B %P"
        try git(["config", "merge.ap.driver", logging], in: other)
        for id in ["YP-0001", "YP-0002"] { try h.expectOK(["stage", "set", id, "rosh=low"], as: "pat") }
        try h.expectOK(["sync"], as: "pat")
        h.now = "2026-11-03T09:00:00.000Z"
        for id in ["YP-0001", "YP-0002"] { try h.expectOK(["-C", other, "stage", "set", id, "saw=high"], as: "pat") }
        let synced = try h.expectOK(["-C", other, "sync", "--json"], as: "pat").json
        XCTAssertEqual(synced?["pushed"], .bool(true))
        XCTAssertEqual(synced?["resolved"], .array([]), "nothing left for resolving: merged in the sync itself")
        XCTAssertFalse(FileManager.default.fileExists(atPath: log), "git ran the driver")
        for id in ["YP-0001", "YP-0002"] {
            let s = try h.expectOK(["-C", other, "stage", "show", id, "--json"]).json
            XCTAssertEqual(s?["answers"]?["rosh"]?["value"], "low", id)
            XCTAssertEqual(s?["answers"]?["saw"]?["value"], "high", id)
        }
        XCTAssertEqual(try git(["status", "--porcelain"], in: other), "")
        XCTAssertEqual(try git(["log", "-1", "--format=%P", "HEAD"], in: other).split(separator: " ").count, 2)
    }

    func testSyncWithoutARemoteChangesNothing() throws {
        let h = try Harness()
        try h.expectFailure(["sync"], as: "pat", status: 1, message: "not shared through git")
        try h.expectOK(["git", "setup"], as: "alex")
        try h.expectFailure(["sync"], as: "pat", status: 1, message: "no git remote")
        try h.expectFailure(["sync", "hub"], as: "pat", status: 1, message: "no git remote")
    }

    /// A case merged by git as text (before the driver was set): a specific error, and
    /// `ap git resolve` merges it from git's two sides.
    func testConflictMarkersAreNamedAndResolved() throws {
        let (h, hub) = try hubAndSite()
        let other = try clone(hub)
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        try git(["push", "-q", "origin", "HEAD:master"], in: h.dir)
        h.now = "2026-11-03T09:00:00.000Z"
        try h.expectOK(["-C", other, "stage", "set", "YP-0001", "saw=medium"], as: "pat")
        // No driver: git merges the JSON as text.
        try git(["config", "--unset", "merge.ap.driver"], in: other)
        try git(["config", "--unset", "merge.ap.name"], in: other)
        try git(
            ["-c", "core.attributesFile=/dev/null", "pull", "-q", "--no-rebase", "--no-edit", "origin", "master"],
            in: other, expect: 1)
        let r = try h.run(["-C", other, "stage", "show", "YP-0001"])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("holds git conflict markers") && r.stderr.contains("ap git resolve"), r.stderr)
        let resolved = try h.expectOK(["-C", other, "git", "resolve"], as: "pat").stdout
        XCTAssertTrue(resolved.contains("Resolved cases/"), resolved)
        try git(["commit", "-q", "--no-edit"], in: other)
        let s = try h.expectOK(["-C", other, "stage", "show", "YP-0001", "--json"]).json
        XCTAssertEqual(s?["answers"]?["rosh"]?["value"], "low")
        XCTAssertEqual(s?["answers"]?["saw"]?["value"], "medium")
        try h.expectFailure(["-C", other, "git", "resolve"], as: "pat", status: 1, message: "no git merge")
    }

    func testGitSetupInACloneNeedsNoAdminAndFsckNamesAMissingProgram() throws {
        let (h, hub) = try hubAndSite()
        let other = try clone(hub)
        try h.expectOK(["-C", other, "git", "setup"], as: "pat")
        let fresh = try Harness()
        try fresh.expectFailure(["git", "setup"], as: "pat", status: 77, message: "changes tracked files")
        // fsck, run where ap is not on PATH, names the driver that cannot run.
        let r = try Harness.tool(Harness.binary, ["-C", other, "fsck"], env: ["PATH": "/usr/bin:/bin"])
        XCTAssertTrue(r.output.contains("cannot be found on PATH"), r.output)
    }

    /// One manager countersigned while another returned the same submission at another
    /// site: the latest entry wins, and the case needs review until a manager resolves it.
    func testACountersignatureAgainstAReturnNeedsReview() throws {
        let (h, hub) = try hubAndSite()
        try h.expectOK(
            ["stage", "set", "YP-0001", "rosh=low", "saw=low", "lor=low", "scaled-approach=standard"], as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try git(["push", "-q", "origin", "HEAD:master"], in: h.dir)
        let other = try clone(hub)
        try h.expectOK(["countersign", "YP-0001", "--comment", "Agreed"], as: "mo")
        h.now = "2026-11-02T11:00:00.000Z"
        try h.expectOK(["-C", other, "countersign", "YP-0001", "--return", "Add the victim's view"], as: "lee")
        try h.expectOK(["sync"], as: "mo")
        let merged = try h.expectOK(["-C", other, "sync", "--json"], as: "lee")
        XCTAssertEqual(merged.json?["pushed"], .bool(true))
        XCTAssertEqual(merged.json?["needsReview"], .array(["YP-0001"]), "sync names what needs review")
        let path = other + "/" + CaseID.relativePath("YP-0001")
        let there = try CaseFile(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path)))).state
        XCTAssertEqual(there.stages[0].status, .inProgress, "the later return wins")
        XCTAssertEqual(there.needsReview.count, 1)
        let shown = try h.expectOK(["-C", other, "case", "show", "YP-0001"], env: ["COLUMNS": "200"]).stdout
        XCTAssertTrue(shown.contains("needs review: decisions in conflict, stage"), shown)
        XCTAssertTrue(shown.contains("countersigned by mo") && shown.contains("returned by lee"), shown)
        XCTAssertTrue(try h.expectOK(["-C", other, "status"], as: "lee").stdout.contains("Needs review after a merge"))
        try h.expectFailure(["-C", other, "case", "resolve", "YP-0001", "--note", "ok"], as: "pat", status: 77,
                            message: "a manager reviews them")
        try h.expectOK(["-C", other, "case", "resolve", "YP-0001", "--note", "The return stands"], as: "lee")
        XCTAssertFalse(try h.expectOK(["-C", other, "case", "show", "YP-0001"]).stdout.contains("needs review"))
        try h.expectFailure(["-C", other, "case", "resolve", "YP-0001", "--note", "again"], as: "lee", status: 1,
                            message: "no merge conflict")
    }

    /// Temporary files older than the lock holder are removed by the next writer that holds it.
    func testTheNextWriterRemovesStaleTemporaryFiles() throws {
        let h = try Harness()
        try h.caseWithStage()
        let shard = FileSystem.parent(h.caseFile("YP-0001"))
        let stale = [h.dir + "/.ap/.config.json.tmp-1-1", shard + "/.YP-0001.json.tmp-1-2"]
        let other = shard + "/.YP-0999.json.tmp-1-3"
        for path in stale + [other] {
            try Data("{".utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: path)
        }
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        for path in stale { XCTAssertFalse(FileManager.default.fileExists(atPath: path), path) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: other), "another case's is left to its writer or fsck")
    }
}
