import APModel
import Foundation
import XCTest

/// The audit's findings (issue 16), each reproduced as written and refused.
final class HardeningTests: XCTestCase {
    /// Runs ap under `timeout`, so that a hang fails the test instead of the run.
    func bounded(_ h: Harness, _ args: [String], user: String = "pat") throws -> (status: Int32, output: String) {
        try Harness.tool(
            "timeout", ["10", Harness.binary] + args,
            env: ["AP_REPO": h.dir, "AP_USER": user, "AP_NOW": h.now, "AP_TEST_CLOCK": "1", "NO_COLOR": "1"])
    }

    func testTimestampsAtTheEndOfTimeAreRefused() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        let last = ["AP_NOW": "9998-12-31T23:59:59.999Z"]
        try h.expectFailure(
            ["stage", "set", "YP-0001", "pfs.health=x"], as: "pat", status: 64, message: "between 1970-01-01",
            env: ["AP_NOW": "9999-12-31T23:59:59.999Z"])
        try h.expectOK(["stage", "set", "YP-0001", "pfs.health=x"], as: "pat", env: last)
        // The next write would be stamped after the last instant: refused, the case still reads.
        try h.expectFailure(
            ["stage", "set", "YP-0001", "pfs.health=y"], as: "pat", status: 65, message: "is not between", env: last)
        try h.expectOK(["case", "show", "YP-0001"])
        // A file holding a time outside the range is refused by name.
        let path = h.caseFile("YP-0001")
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "9998-12-31T23:59:59.999Z", with: "9999-12-31T23:59:59.999Z")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try h.expectFailure(["case", "show", "YP-0001"], status: 65, message: "YP-0001.json")
    }

    func testAFIFOIsRefusedInsteadOfHangingWithTheLock() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        let path = h.caseFile("YP-0001")
        try FileManager.default.removeItem(atPath: path)
        XCTAssertEqual(mkfifo(path, 0o640), 0)
        let show = try bounded(h, ["case", "show", "YP-0001"])
        XCTAssertEqual(show.status, 65, show.output)
        XCTAssertTrue(show.output.contains("YP-0001.json' is not a regular file"), show.output)
        let set = try bounded(h, ["stage", "set", "YP-0001", "pfs.health=x"])
        XCTAssertEqual(set.status, 65, set.output)
        XCTAssertNotEqual(try bounded(h, ["fsck"]).status, 124, "fsck finishes")
        // A FIFO at the index is taken for a damaged index: rebuilt, not waited on.
        try FileManager.default.removeItem(atPath: path)
        let index = h.dir + "/.ap/index"
        try? FileManager.default.removeItem(atPath: index)
        XCTAssertEqual(mkfifo(index, 0o640), 0)
        XCTAssertEqual(try bounded(h, ["case", "list"]).status, 0)
        let config = h.dir + "/.ap/config.json"
        try FileManager.default.removeItem(atPath: config)
        XCTAssertEqual(mkfifo(config, 0o640), 0)
        let list = try bounded(h, ["case", "list"])
        XCTAssertEqual(list.status, 65, list.output)
        XCTAssertTrue(list.output.contains("config.json' is not a regular file"), list.output)
    }

    func testSymbolicLinksInsideTheRepositoryAreNeverFollowed() throws {
        let h = try Harness()
        let outside = h.dir + "-outside"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: outside) }
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(outside, 0o755), 0)
        // A symlinked cases/ folder: nothing is written through it, fsck reports it and never chmods the target.
        try FileManager.default.removeItem(atPath: h.dir + "/cases")
        try FileManager.default.createSymbolicLink(atPath: h.dir + "/cases", withDestinationPath: outside)
        try h.expectFailure(
            ["case", "new", "YP-0001", "--name", "A", "--dob", "2010-01-01"], as: "bo", status: 65,
            message: "cases' is a symbolic link")
        for list in [["queue"], ["case", "list"]] {
            try h.expectFailure(list, as: "bo", status: 65, message: "cases' is a symbolic link")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), [])
        let fsck = try h.run(["fsck", "--repair"], as: "alex")
        XCTAssertTrue(fsck.stdout.contains("cases: is a symbolic link"), fsck.stdout)
        XCTAssertEqual(FileSystem.mode(outside), 0o755, "the link's target keeps its mode")
        // A symlinked shard folder.
        try FileManager.default.removeItem(atPath: h.dir + "/cases")
        try FileManager.default.createDirectory(atPath: h.dir + "/cases", withIntermediateDirectories: true)
        let shard = FileSystem.parent(h.caseFile("YP-0001"))
        try FileManager.default.createSymbolicLink(atPath: shard, withDestinationPath: outside)
        try h.expectFailure(
            ["case", "new", "YP-0001", "--name", "A", "--dob", "2010-01-01"], as: "bo", status: 65,
            message: "is a symbolic link")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), [])
        // A symlinked .ap: refused before anything is read or written.
        let other = try Harness(users: false)
        try FileManager.default.moveItem(atPath: other.dir + "/.ap", toPath: outside + "/ap")
        try FileManager.default.createSymbolicLink(atPath: other.dir + "/.ap", withDestinationPath: outside + "/ap")
        let r = try other.run(["case", "list"])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains(".ap' is a symbolic link"), r.stderr)
    }

    func testInitMakesAWorldWritableFolderPrivate() throws {
        let dir = NSTemporaryDirectory() + "ap-open-" + UUID().uuidString
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(dir, 0o777), 0)
        let r = try Harness.tool(
            Harness.binary, ["init", dir, "--yot", "BARNET", "--yot-name", "B", "--admin", "alex"])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertEqual(FileSystem.mode(dir), 0o750)
    }

    func testControlCharactersNeverReachTheTerminal() throws {
        let h = try Harness()
        try h.expectOK(
            ["case", "new", "YP-0001", "--name", "Evil\u{1B}]0;owned\u{07}Name\u{08}", "--dob", "2010-01-01"], as: "bo")
        for args in [["case", "list"], ["case", "show", "YP-0001"], ["log", "YP-0001"]] {
            let out = try h.expectOK(args).stdout
            XCTAssertFalse(out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(args): \(out)")
            XCTAssertTrue(out.contains("Evil\u{FFFD}]0;owned\u{FFFD}Name"), out)
        }
        let json = try h.expectOK(["case", "list", "--json"]).stdout
        XCTAssertTrue(json.contains("Evil\\u001b]0;owned\\u0007Name"), json)
        XCTAssertEqual(
            try h.expectOK(["case", "list", "--json"]).json?.arrayValue?.first?["name"],
            "Evil\u{1B}]0;owned\u{07}Name\u{08}")
    }

    func testInvalidUTF8ArgumentsAreRefusedNotChanged() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        let before = try h.snapshot()
        let r = try Harness.tool(
            "/bin/bash", ["-c", "'\(Harness.binary)' stage set YP-0001 \"$(printf 'pfs.health=x\\377')\""],
            cwd: h.dir, env: ["AP_USER": "pat", "AP_NOW": h.now, "AP_TEST_CLOCK": "1"])
        XCTAssertEqual(r.status, 65, r.output)
        XCTAssertTrue(r.output.contains("argument 4 is not valid UTF-8"), r.output)
        XCTAssertEqual(try h.snapshot(), before)
    }

    func testAnswersFromAFileStayOutOfTheProcessListAndErrors() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        let file = h.dir + "/../answers-\(UUID().uuidString).txt"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: file) }
        try """
        # the young person's health
        pfs.health<<END
        Asthma, inhaler at school.
        Sees the school nurse weekly.
        END
        rosh=low
        """.write(toFile: file, atomically: true, encoding: .utf8)
        try h.expectOK(["stage", "set", "YP-0001", "--from", file], as: "pat")
        let answers = try h.loadCase("YP-0001").state.stages[0].answers
        XCTAssertEqual(answers["pfs.health"]?.value, "Asthma, inhaler at school.\nSees the school nurse weekly.")
        XCTAssertEqual(answers["rosh"]?.value, "low")
        let piped = try h.run(
            ["stage", "set", "YP-0001", "--from", "-"], as: "pat", stdin: "pfs.education=Attends daily\n")
        XCTAssertEqual(piped.status, 0, piped.stderr)
        try "pfs.life-events=Bereavement\nnot an answer about Jordan\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let bad = try h.expectFailure(
            ["stage", "set", "YP-0001", "--from", file], as: "pat", status: 65,
            message: "line 2: expected key=value or KEY<<MARK")
        XCTAssertFalse(bad.stderr.contains("Jordan") || bad.stderr.contains("Bereavement"), bad.stderr)
        try "pfs.health<<END\nnever closed\n".write(toFile: file, atomically: true, encoding: .utf8)
        try h.expectFailure(
            ["stage", "set", "YP-0001", "--from", file], as: "pat", status: 65, message: "no line 'END' ends")
    }

    func testANamedButUnknownUserCannotRead() throws {
        let h = try Harness()
        try h.caseWithStage()
        try h.expectFailure(["case", "show", "YP-0001"], as: "nobody", status: 77, message: "unknown user 'nobody'")
        try h.expectFailure(["queue"], as: "nobody", status: 77, message: "unknown user 'nobody'")
        try h.expectOK(["case", "show", "YP-0001"])  // no user at all: reading is open
    }

    func testACaseFileWithABadIdIsBadDataNamingTheFile() throws {
        let h = try Harness()
        try h.caseWithStage()
        let path = h.caseFile("YP-0001")
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "\"id\": \"YP-0001\"", with: "\"id\": \"../../etc\"")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try h.expectFailure(
            ["case", "show", "YP-0001"], status: 65, message: "YP-0001.json: field 'id': invalid case id")
    }

    func testLeftoverTemporaryFilesAreFoundAndRemovedAnywhere() throws {
        let h = try Harness()
        let transfers = h.dir + "/.ap/transfers"
        try FileManager.default.createDirectory(atPath: transfers, withIntermediateDirectories: true)
        let temp = transfers + "/.t-1a2b.json.tmp-123-456"
        try Data("{}".utf8).write(to: URL(fileURLWithPath: temp))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: h.dir + "/.ap/.config.json.tmp-1-2"))
        // What a print killed half-way leaves: the page about a child, and a browser profile.
        let print = h.dir + "/.ap/.print.tmp-a1B2c3"
        try FileManager.default.createDirectory(atPath: print + "/profile", withIntermediateDirectories: true)
        try Data("<p>child</p>".utf8).write(to: URL(fileURLWithPath: print + "/document.html"))
        let fsck = try h.run(["fsck", "--json"])
        let problems = fsck.json?["problems"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
        XCTAssertTrue(
            problems.contains(".ap/transfers/.t-1a2b.json.tmp-123-456")
                && problems.contains(".ap/.config.json.tmp-1-2") && problems.contains(".ap/.print.tmp-a1B2c3"),
            "\(problems)")
        try h.expectOK(["fsck", "--repair"], as: "alex")
        XCTAssertFalse(FileManager.default.fileExists(atPath: temp))
        XCTAssertFalse(FileManager.default.fileExists(atPath: print), "the page and profile removed")
    }

    func testACommitHoldsOnlyWhatTheCommandWrote() throws {
        let h = try Harness()
        try h.expectOK(["git", "setup"], as: "alex")
        try h.caseWithStage("YP-0001")
        try h.caseWithStage("YP-0002")
        // A process killed after writing YP-0002 but before committing it.
        let stray = h.caseFile("YP-0002")
        var file = try h.loadCase("YP-0002")
        try file.append([
            Event(
                id: "stray", at: Timestamp("2026-11-02T10:00:00.000Z")!, by: "pat", osUser: "t",
                type: EventType.stageAnswered,
                payload: ["stage": .string(file.state.stages[0].id), "answers": ["rosh": "low"]])
        ])
        try FileSystem.writeAtomically(stray, file.bytes)
        try h.expectOK(["stage", "set", "YP-0001", "rosh=high"], as: "pat")
        let shown = try Harness.tool("git", ["-C", h.dir, "show", "--name-only", "--format=%s", "HEAD"]).output
        XCTAssertTrue(shown.contains(CaseID.relativePath("YP-0001")), shown)
        XCTAssertFalse(shown.contains(CaseID.relativePath("YP-0002")), shown)
        let status = try Harness.tool("git", ["-C", h.dir, "status", "--porcelain"]).output
        XCTAssertTrue(
            status.contains(CaseID.relativePath("YP-0002")), "the stray change is left for its owner: \(status)")
        // A stale index.lock is reported with the way out.
        try Data().write(to: URL(fileURLWithPath: h.dir + "/.git/index.lock"))
        let fsck = try h.run(["fsck"])
        XCTAssertTrue(
            fsck.stdout.contains(".git/index.lock") && fsck.stdout.contains("rm .git/index.lock"), fsck.stdout)
    }

    /// A batch killed between its renames left a journal: the next command that writes
    /// finishes it before anything else, and fsck says so meanwhile.
    func testTheNextWriterFinishesAnInterruptedBatch() throws {
        let h = try Harness()
        try h.caseWithStage("YP-0001")
        var file = try h.loadCase("YP-0001")
        try file.append([
            Event(
                id: "late", at: Timestamp("2026-11-02T10:00:00.000Z")!, by: "bo", osUser: "t",
                type: EventType.caseUpdated, payload: ["name": "Jordan A Smith"])
        ])
        let temp = try FileSystem.writeTemporary(for: h.caseFile("YP-0001"), file.bytes)
        let rel = String(temp.dropFirst(h.dir.count + 1))
        let journal = "ap-journal 1\n\(rel)\t\(CaseID.relativePath("YP-0001"))\nend 1\n"
        try Data(journal.utf8).write(to: URL(fileURLWithPath: h.dir + "/.ap/journal"))
        XCTAssertTrue(try h.run(["fsck"]).stdout.contains("a batch was interrupted"))
        try h.expectOK(["case", "new", "YP-0002", "--name", "B", "--dob", "2010-01-01"], as: "bo")
        XCTAssertEqual(try h.loadCase("YP-0001").state.name, "Jordan A Smith")
        XCTAssertFalse(FileManager.default.fileExists(atPath: h.dir + "/.ap/journal"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: temp))
    }

    /// A user the repository's folder keeps out is told so (77), not that there is no repository.
    func testNoPermissionOnTheRepositoryIsAPermissionError() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            throw XCTSkip("needs root and setpriv to act as another user")
        }
        let h = try Harness()
        XCTAssertEqual(FileSystem.mode(h.dir), 0o750)
        let r = try Harness.tool(
            "/usr/bin/setpriv",
            [
                "--reuid", "65534", "--regid", "65534", "--clear-groups",
                Harness.binary, "-C", h.dir, "case", "list",
            ])
        XCTAssertEqual(r.status, 77, r.output)
        XCTAssertTrue(r.output.contains("no permission to look into"), r.output)
    }
}
