import APModel
import Foundation
import XCTest

/// Issue 23, bounds and output: what a full disk, a test clock left set, a far-future time
/// or a huge case does.
final class BoundsTests: XCTestCase {
    func testOutputToAFullDiskExits74() throws {
        for args in [["version"], ["help"], ["version", "--json"]] {
            let r = try Harness.tool("/bin/sh", ["-c", "'\(Harness.binary)' \(args.joined(separator: " ")) >/dev/full"])
            XCTAssertEqual(r.status, 74, "\(args): \(r.output)")
            XCTAssertTrue(r.output.contains("cannot write output: No space left on device"), r.output)
        }
        // A closed pipe ends quietly, as git does.
        let piped = try Harness.tool("/bin/bash", ["-c", "'\(Harness.binary)' help | true; echo ${PIPESTATUS[0]}"])
        XCTAssertEqual(piped.output.trimmingCharacters(in: .whitespacesAndNewlines), "141", piped.output)
        // After a write: the change is kept, the status says the output was lost.
        let h = try Harness()
        let r = try Harness.tool(
            "/bin/sh", ["-c", "'\(Harness.binary)' case new YP-0001 --name 'A B' --dob 2010-01-01 >/dev/full"],
            cwd: h.dir, env: ["AP_USER": "bo", "AP_NOW": h.now, "AP_TEST_CLOCK": "1"])
        XCTAssertEqual(r.status, 74, r.output)
        XCTAssertNoThrow(try h.loadCase("YP-0001"))
    }

    func testTheTestClockIsForTestsOnly() throws {
        let h = try Harness()
        try h.expectFailure(
            ["case", "new", "YP-0001", "--name", "A B", "--dob", "2010-01-01"], as: "bo", status: 64,
            message: "AP_NOW is for tests only", env: ["AP_TEST_CLOCK": ""])
        // Never where signatures are required: a countersignature cannot be backdated.
        let s = try Harness(signed: true)
        try s.caseWithStage()
        try s.expectFailure(
            ["stage", "set", "YP-0001", "rosh=low"], as: "pat", status: 77, message: "never takes",
            env: ["AP_NOW": "2026-01-01", "AP_TEST_CLOCK": "1"])
    }

    func testAFarFutureEventIsRefusedAndRepaired() throws {
        let h = try Harness()
        try h.caseWithStage()
        // The attack: one write a far-future clock stamped.
        let frozen = "9998-12-31T23:59:59.999Z"
        try Forger.edit(file: h.caseFile("YP-0001")) { events in
            events.append(
                Forger.event(
                    after: events, id: "future00000000000001", type: EventType.caseUpdated, by: "bo",
                    payload: ["name": "Far Future"], at: frozen))
        }
        try h.expectFailure(
            ["stage", "set", "YP-0001", "rosh=low"], as: "pat", status: 65, message: "more than a day ahead")
        let check = try h.run(["fsck", "--json"])
        XCTAssertEqual(check.status, 65, check.stdout)
        XCTAssertTrue(check.stdout.contains("dated more than a day ahead"), check.stdout)
        let repaired = try h.run(["fsck", "--repair"], as: "alex")
        XCTAssertEqual(repaired.status, 0, repaired.stdout + repaired.stderr)
        let file = try h.loadCase("YP-0001")
        XCTAssertEqual(file.state.name, "Far Future", "the event is kept, only dated again")
        XCTAssertLessThan(file.latestEventTime!.description, "2027")
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        // A package or a merge bringing one is refused.
        let other = h.dir + "-other.json"
        defer { try? FileManager.default.removeItem(atPath: other) }
        try Forger.edit(file: h.caseFile("YP-0001"), to: other) { events in
            events.append(
                Forger.event(
                    after: events, id: "future00000000000002", type: EventType.caseUpdated, by: "bo",
                    payload: ["name": "Far Future"], at: frozen))
        }
        try h.expectFailure(
            ["merge", "YP-0001", "--with", other], as: "mo", status: 65, message: "more than a day ahead")
    }

    func testACaseIsNeverWrittenLargerThanItCanBeRead() throws {
        let h = try Harness()
        try h.caseWithStage()
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        // An answer over the documented maximum is refused by its key and size, not its text.
        let big = String(repeating: "x", count: 20_001)
        let r = try h.expectFailure(
            ["stage", "set", "YP-0001", "pfs.health=\(big)"], as: "pat", status: 65, message: "20001 bytes")
        XCTAssertFalse(r.stderr.contains("xxxx"))
        // A case grown by hand to just under the limit (the answer is in the event and the state):
        // the write that would pass it is refused.
        try Forger.edit(file: h.caseFile("YP-0001")) { events in
            events[events.count - 1]["payload"]?["answers"]?["rosh"] = .string(
                String(repeating: "y", count: (FileSystem.maxFileBytes - 30_000) / 2))
        }
        try h.expectFailure(
            ["stage", "set", "YP-0001", "pfs.health=\(String(repeating: "z", count: 19_000))"], as: "pat",
            status: 65, message: "more than the 67108864 ap reads back")
        try h.expectOK(["case", "show", "YP-0001"])
    }
}

/// Issue 23, the smaller findings: each as found, then refused or made safe.
final class OutsideDetailsTests: XCTestCase {
    func git(_ args: [String], in dir: String) throws { try Harness.git(args, in: dir) }

    func testAFreshCloneKeepsItsHistoryFromOtherAccounts() throws {
        let h = try Harness()
        try h.expectOK(["git", "setup"], as: "alex")
        try h.caseWithStage()
        let clone = h.dir + "-clone"
        defer { try? FileManager.default.removeItem(atPath: clone) }
        let old = umask(0o022)
        defer { umask(old) }
        try git(["clone", "-q", h.dir, clone], in: NSTemporaryDirectory())
        XCTAssertEqual(FileSystem.mode(clone + "/.git")! & 0o007, 0o005, "git's own clone is world-readable")
        try h.expectOK(["-C", clone, "status"], as: "pat")
        let objects = try FileManager.default.subpathsOfDirectory(atPath: clone + "/.git/objects")
        for path in [".git", ".git/objects", ".git/config"] + objects.prefix(20).map({ ".git/objects/" + $0 }) {
            XCTAssertEqual(FileSystem.mode(clone + "/" + path)! & 0o007, 0, path)
        }
        // Written later by git, too.
        try h.expectOK(["-C", clone, "stage", "set", "YP-0001", "rosh=low"], as: "pat")
        let newer = try FileManager.default.subpathsOfDirectory(atPath: clone + "/.git/objects")
        for path in newer { XCTAssertEqual(FileSystem.mode(clone + "/.git/objects/" + path)! & 0o007, 0, path) }
        // fsck warns when it is opened again, and --repair closes it.
        XCTAssertEqual(chmod(clone + "/.git", 0o755), 0)
        let check = try h.expectOK(["-C", clone, "fsck"])
        XCTAssertTrue(check.stdout.contains("other accounts can read it"), check.stdout)
        try h.expectOK(["-C", clone, "fsck", "--repair"], as: "alex")
        XCTAssertEqual(FileSystem.mode(clone + "/.git")! & 0o007, 0)
    }

    func testABatchFinishedByTheNextWriterIsCommittedUnderItsAuthor() throws {
        let h = try Harness()
        try h.expectOK(["git", "setup"], as: "alex")
        try h.caseWithStage()
        // What a batch by pat leaves when killed between writing its journal and renaming.
        let path = h.caseFile("YP-0001")
        let shard = FileSystem.parent(CaseID.relativePath("YP-0001"))
        let temp = "\(shard)/.YP-0001.json.tmp-1-1"
        try Forger.edit(file: path, to: h.dir + "/" + temp) { events in
            events.append(
                Forger.event(
                    after: events, id: "batch000000000000001", type: EventType.caseUpdated, by: "pat",
                    payload: ["socialCare": "known"]))
        }
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -120)], ofItemAtPath: h.dir + "/" + temp)
        try Data("ap-journal 1\nby\tpat\n\(temp)\t\(CaseID.relativePath("YP-0001"))\nend 1\n".utf8)
            .write(to: URL(fileURLWithPath: h.dir + "/.ap/journal"))
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: h.dir + "/.ap/journal")
        try h.expectOK(["case", "new", "YP-0002", "--name", "A B", "--dob", "2010-01-01"], as: "bo")
        XCTAssertEqual(try h.loadCase("YP-0001").state.socialCare, "known", "the batch was finished")
        let log = try Harness.tool("git", ["log", "--format=%an|%s", "-3"], cwd: h.dir)
        let lines = log.output.split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.hasPrefix("Pat Jones|batch of 1 files, finished") }, log.output)
        XCTAssertTrue(lines.first?.hasPrefix("Bo Fenn|") ?? false, log.output)
        XCTAssertEqual(try Harness.tool("git", ["status", "--porcelain"], cwd: h.dir).output, "")
    }

    func testCSVCellsAreNotFormulasAndUserDataCannotColourTheTerminal() throws {
        let h = try Harness()
        try h.expectOK(["case", "new", "YP-0001", "--name", "=HYPERLINK(\"x\")", "--dob", "2009-03-14"], as: "bo")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "review"], as: "pat")
        let csv = try h.expectOK(["case", "list", "--csv"]).stdout
        XCTAssertTrue(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), csv)
        XCTAssertFalse(csv.contains(",=HYPERLINK"), csv)
        // An ESC[31m typed into a name stays out of the terminal, coloured queue or not.
        try h.expectOK(["case", "update", "YP-0001", "name=Red \u{1B}[31mAlert"], as: "bo")
        for args in [["case", "show", "YP-0001"], ["case", "list"], ["log", "YP-0001"]] {
            let shown = try h.expectOK(args).stdout
            XCTAssertFalse(shown.contains("\u{1B}"), "\(args): \(shown)")
        }
    }

    func testASymlinkedShardFolderIsDamage() throws {
        let h = try Harness()
        try h.caseWithStage()
        let outside = h.dir + "-outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try FileManager.default.createSymbolicLink(atPath: h.dir + "/cases/ab", withDestinationPath: outside)
        let r = try h.run(["fsck"])
        XCTAssertEqual(r.status, 65, r.stdout)
        XCTAssertTrue(r.stdout.contains("cases/ab: is a symbolic link"), r.stdout)
    }

    func testMergingTwoDifferentYoungPeopleNeedsForce() throws {
        let h = try Harness()
        try h.caseWithStage()
        try h.expectOK(["case", "new", "YP-0002", "--name", "Casey Brown", "--dob", "2010-07-01"], as: "bo")
        let other = h.caseFile("YP-0002")
        let r = try h.expectFailure(
            ["merge", "YP-0001", "--with", other, "--into", "YP-0001"], as: "mo", status: 1,
            message: "is Jordan Smith (born 2009-03-14) but")
        XCTAssertTrue(r.stderr.contains("Casey Brown (born 2010-07-01)"), r.stderr)
        try h.expectOK(["merge", "YP-0001", "--with", other, "--into", "YP-0001", "--force"], as: "mo")
        XCTAssertFalse(FileManager.default.fileExists(atPath: other), "set aside")
    }

    func testAJournalNamingAFolderBlocksNoWrite() throws {
        let h = try Harness()
        try h.caseWithStage()
        let shard = FileSystem.parent(CaseID.relativePath("YP-0001"))
        let temp = "\(shard)/.YP-0001.json.tmp-1-1"
        try FileManager.default.createDirectory(atPath: h.dir + "/" + temp, withIntermediateDirectories: true)
        try Data("ap-journal 1\n\(temp)\t\(CaseID.relativePath("YP-0001"))\nend 1\n".utf8)
            .write(to: URL(fileURLWithPath: h.dir + "/.ap/journal"))
        for answer in ["low", "medium"] {
            try h.expectOK(["stage", "set", "YP-0001", "rosh=\(answer)"], as: "pat")
        }
        XCTAssertEqual(try h.loadCase("YP-0001").state.stages.last?.answers["rosh"]?.value, "medium")
    }

    func testTheLastAdminKeepsTheirRole() throws {
        let h = try Harness()
        try h.expectFailure(
            ["user", "update", "alex", "--role", "manager"], as: "alex", status: 1,
            message: "cannot remove their own admin role")
    }
}
