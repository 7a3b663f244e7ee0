import APModel
import Foundation
import XCTest

/// Issue 23, attacks 2 to 5: someone with push access to the hub commits what they like with
/// plain git; `ap sync` at a site must refuse it before anything is merged, and leave no merge
/// in progress.
final class HostileRemoteTests: XCTestCase {
    var site: Harness!
    var hub: String!
    /// The attacker's clone of the hub.
    var attacker: String!

    var bin: String { URL(fileURLWithPath: Harness.binary).deletingLastPathComponent().path }

    override func setUpWithError() throws {
        site = try Harness()
        try site.expectOK(["git", "setup"], as: "alex")
        try site.caseWithStage()
        hub = site.dir + "-hub.git"
        attacker = site.dir + "-attacker"
        let (hub, attacker) = (hub!, attacker!)
        addTeardownBlock {
            for dir in [hub, attacker] { try? FileManager.default.removeItem(atPath: dir) }
        }
        try git(["init", "-q", "--bare", hub], in: NSTemporaryDirectory())
        try git(["remote", "add", "origin", hub], in: site.dir)
        try git(["push", "-q", "origin", "HEAD:master"], in: site.dir)
        try git(["clone", "-q", hub, attacker], in: NSTemporaryDirectory())
    }

    @discardableResult
    func git(_ args: [String], in dir: String) throws -> String { try Harness.git(args, in: dir, author: "eve") }

    /// Writes `files` (path → text) in the attacker's clone, force-adds them, commits and pushes.
    func push(_ files: [String: String], remove: [String] = [], force: Bool = false) throws {
        for (path, text) in files {
            let full = attacker + "/" + path
            try FileManager.default.createDirectory(
                atPath: FileSystem.parent(full), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: full))
            try git(["add", "-f", path], in: attacker)
        }
        for path in remove { try git(["rm", "-q", path], in: attacker) }
        try git(["commit", "-qm", "routine tidy"], in: attacker)
        try git(["push", "-q"] + (force ? ["-f"] : []) + ["origin", "HEAD:master"], in: attacker)
    }

    var casePath: String { CaseID.relativePath("YP-0001") }

    /// Sync must refuse with `message`, changing no file and leaving no merge in progress.
    func expectRefusedSync(_ message: String, status: Int32 = 65, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let head = try git(["rev-parse", "HEAD"], in: site.dir)
        let before = try site.snapshot().filter { !$0.key.hasPrefix(".git/") }
        let r = try site.run(["sync"], as: "pat")
        XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains(message), r.stderr, file: file, line: line)
        XCTAssertEqual(try site.snapshot().filter { !$0.key.hasPrefix(".git/") }, before, file: file, line: line)
        XCTAssertEqual(try git(["rev-parse", "HEAD"], in: site.dir), head, file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: site.dir + "/.git/MERGE_HEAD"), file: file, line: line)
        XCTAssertEqual(try git(["status", "--porcelain"], in: site.dir), "", file: file, line: line)
    }

    func testAPushedJournalAndTemporaryFileNeverReplaceACase() throws {
        let shard = FileSystem.parent(casePath)
        let forged = try String(contentsOfFile: site.caseFile("YP-0001"), encoding: .utf8)
            .replacingOccurrences(of: "Jordan Smith", with: "Someone Else")
        try push([
            ".ap/journal": "ap-journal 1\n\(shard)/.YP-0001.json.tmp-1-1\t\(casePath)\nend 1\n",
            "\(shard)/.YP-0001.json.tmp-1-1": forged,
        ])
        try expectRefusedSync("'.ap/journal': ap keeps that file for itself")
        // Planted by hand instead: a link, and a file newer than the journal, are never taken.
        let temp = site.dir + "/\(shard)/.YP-0001.json.tmp-1-1"
        let outside = site.dir + "-outside.json"
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try Data(forged.utf8).write(to: URL(fileURLWithPath: outside))
        for planted in ["link", "newer"] {
            try Data("ap-journal 1\n\(shard)/.YP-0001.json.tmp-1-1\t\(casePath)\nend 1\n".utf8)
                .write(to: URL(fileURLWithPath: site.dir + "/.ap/journal"))
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: site.dir + "/.ap/journal")
            if planted == "link" {
                try FileManager.default.createSymbolicLink(atPath: temp, withDestinationPath: outside)
            } else {
                try Data(forged.utf8).write(to: URL(fileURLWithPath: temp))
            }
            try site.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
            XCTAssertEqual(try site.loadCase("YP-0001").state.name, "Jordan Smith", planted)
            XCTAssertFalse(FileManager.default.fileExists(atPath: site.dir + "/.ap/journal"), planted)
        }
        // A folder where the journal goes blocks no write.
        try FileManager.default.createDirectory(
            atPath: site.dir + "/.ap/journal/x", withIntermediateDirectories: true)
        try site.expectOK(["stage", "set", "YP-0001", "rosh=medium"], as: "pat")
        // init --git's .gitignore keeps ap's own files out of every commit.
        let ignored = try String(contentsOfFile: site.dir + "/.gitignore", encoding: .utf8)
        for line in [".ap/journal", ".ap/transfers/", ".ap/merged-away/"] {
            XCTAssertTrue(ignored.contains(line), line)
        }
    }

    func testAttributesThatMergeCasesAsTextAreRefused() throws {
        try push([".gitattributes": "cases/**/*.json merge=union\n"])
        try expectRefusedSync("'.gitattributes': its line 'cases/**/*.json merge=union' is not ap's")
        try git(["reset", "-q", "--hard", "HEAD~1"], in: attacker)
        try push(["cases/.gitattributes": "*.json merge=union\n"], force: true)
        try expectRefusedSync("case files must keep merging through ap's driver")
    }

    func testAPushedConfigWaitsForAnAdmin() throws {
        let path = site.dir + "/.ap/config.json"
        var config = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        config["users"]?["bo"]?["roles"] = ["admin", "business-support"]
        try push([".ap/config.json": String(decoding: JSONWriter.pretty(config), as: UTF8.self)])
        try expectRefusedSync("changes .ap/config.json", status: 1)
        let r = try site.run(["sync"], as: "pat")
        XCTAssertTrue(r.stderr.contains("+") && r.stderr.contains("ap sync --accept-config"), r.stderr)
        XCTAssertEqual(try site.run(["sync", "--accept-config"], as: "pat").status, 77)
        try site.expectOK(["sync", "--accept-config"], as: "alex")
    }

    func testPushedTransferRecordsLinksAndCasesOutOfPlaceNeverArrive() throws {
        try push([".ap/transfers/t-forged.json": "{}"])
        try expectRefusedSync("'.ap/transfers/t-forged.json': ap keeps that file for itself")
        try git(["reset", "-q", "--hard", "HEAD~1"], in: attacker)
        try FileManager.default.createSymbolicLink(atPath: attacker + "/cases/zz", withDestinationPath: "/tmp")
        try git(["add", "cases/zz"], in: attacker)
        try git(["commit", "-qm", "link"], in: attacker)
        try git(["push", "-q", "-f", "origin", "HEAD:master"], in: attacker)
        try expectRefusedSync("a symbolic link or submodule")
        // A merged-away folder that is a link would move a case out of the repository.
        try site.caseWithStage("YP-0002")
        let outside = site.dir + "-outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try FileManager.default.createSymbolicLink(atPath: site.dir + "/.ap/merged-away", withDestinationPath: outside)
        try site.expectFailure(
            ["merge", "YP-0001", "--with", site.caseFile("YP-0002"), "--into", "YP-0001", "--force"], as: "mo",
            status: 65, message: "is a symbolic link")
        XCTAssertTrue(FileManager.default.fileExists(atPath: site.caseFile("YP-0002")))
    }

    func testACaseDeletedThereIsKeptHere() throws {
        try push([:], remove: [casePath])
        let r = try site.expectOK(["sync", "--json"], as: "pat")
        XCTAssertEqual(r.json?["kept"], .array([.string(casePath)]))
        XCTAssertNoThrow(try site.loadCase("YP-0001"))
        try git(["pull", "-q", "origin", "master"], in: attacker)
        XCTAssertTrue(FileManager.default.fileExists(atPath: attacker + "/" + casePath), "pushed back to the hub")
        // Deleted there while changed here: a modify/delete conflict, kept, no merge left open.
        try push([:], remove: [casePath], force: false)
        try site.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        let both = try site.expectOK(["sync", "--json"], as: "pat")
        XCTAssertEqual(both.json?["kept"], .array([.string(casePath)]), both.stdout)
        XCTAssertEqual(try site.loadCase("YP-0001").state.stages.last?.answers["rosh"]?.value, "low")
        XCTAssertFalse(FileManager.default.fileExists(atPath: site.dir + "/.git/MERGE_HEAD"))
        XCTAssertEqual(try git(["status", "--porcelain"], in: site.dir), "")
        // Deleted there, left alone here while another case changed: kept in the merge itself.
        try git(["pull", "-q", "origin", "master"], in: attacker)
        try push([:], remove: [casePath])
        try site.expectOK(["case", "new", "YP-0002", "--name", "A B", "--dob", "2010-01-01"], as: "bo")
        let merged = try site.expectOK(["sync", "--json"], as: "pat")
        XCTAssertEqual(merged.json?["kept"], .array([.string(casePath)]), merged.stdout)
        XCTAssertEqual(try git(["log", "-1", "--format=%P"], in: site.dir).split(separator: " ").count, 2)
        XCTAssertNoThrow(try git(["cat-file", "-e", "HEAD:" + casePath], in: site.dir))
        XCTAssertEqual(try git(["status", "--porcelain"], in: site.dir), "")
    }

    func testAForgedCaseFromTheRemoteIsRefused() throws {
        // The case file rewritten by hand with its stored state left as it was.
        let path = attacker + "/" + casePath
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let name = text.range(of: "Jordan Smith")!
        try push([casePath: text.replacingCharacters(in: name, with: "Someone Else")])
        try expectRefusedSync("stored 'state' disagrees")
    }

    func testAFIFOWhereGitReadsIsRefusedBeforeGitRuns() throws {
        let attributes = site.dir + "/.gitattributes"
        try FileManager.default.removeItem(atPath: attributes)
        XCTAssertEqual(mkfifo(attributes, 0o640), 0)
        let r = try Harness.tool(
            "timeout", ["20", Harness.binary, "stage", "set", "YP-0001", "rosh=low"], cwd: site.dir,
            env: ["AP_USER": "pat", "AP_NOW": site.now, "AP_TEST_CLOCK": "1"])
        XCTAssertNotEqual(r.status, 124, "hung on the FIFO")
        XCTAssertTrue(r.output.contains("is not a regular file"), r.output)
    }

    /// A git that kills ap (kill -9) right after the step named, or sleeps through a fetch.
    func wrappedGit() throws -> String {
        let dir = site.dir + "-wrap"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = """
            #!/bin/sh
            step=$1; [ "$1" = -C ] && step=$3; [ "$step" = -c ] && step=$5
            if [ "$step" = "$AP_TEST_KILL_AT" ]; then /usr/bin/git "$@"; kill -9 $PPID; exit 1; fi
            if [ "$step" = fetch ] && [ -n "$AP_TEST_SLOW_FETCH" ]; then sleep "$AP_TEST_SLOW_FETCH"; fi
            exec /usr/bin/git "$@"
            """
        try Data(script.utf8).write(to: URL(fileURLWithPath: dir + "/git"))
        XCTAssertEqual(chmod(dir + "/git", 0o755), 0)
        return dir + ":" + bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    }

    func testASyncKilledAtEachGitStepIsFinishedByTheNext() throws {
        let path = try wrappedGit()
        // The merge is made from plumbing (`Git.treeMerge`) and the branch fast-forwarded to it.
        for (i, step) in ["fetch", "read-tree", "commit-tree", "merge", "push"].enumerated() {
            // Both sides move, so the sync merges and commits.
            let id = "YP-01\(i)"
            try git(["pull", "-q", "origin", "master"], in: attacker)
            try site.expectOK(["-C", attacker, "case", "new", id, "--name", "A B", "--dob", "2010-01-01"], as: "bo")
            try git(["push", "-q", "origin", "HEAD:master"], in: attacker)
            let saw = ["low", "medium", "high", "low", "medium"][i]
            try site.expectOK(["stage", "set", "YP-0001", "saw=\(saw)"], as: "pat")
            let killed = try site.run(["sync"], as: "pat", env: ["PATH": path, "AP_TEST_KILL_AT": step])
            XCTAssertEqual(killed.status, 9, "\(step): \(killed.stderr)")
            let again = try site.run(["sync"], as: "pat", env: ["PATH": path])
            XCTAssertEqual(again.status, 0, "\(step): \(again.stderr)")
            XCTAssertNoThrow(try site.loadCase(id), step)
            XCTAssertFalse(FileManager.default.fileExists(atPath: site.dir + "/.git/ap-sync-index"), step)
            XCTAssertEqual(try git(["status", "--porcelain"], in: site.dir), "", step)
            XCTAssertEqual(
                try git(["rev-parse", "HEAD"], in: site.dir), try git(["rev-parse", "master"], in: hub), step)
        }
    }

    /// A file other than a case changed on both sides is merged by git (the way back from the
    /// plumbing merge), the case changed on both sides by ap; a kill during git's merge is undone.
    func testAFileOtherThanACaseChangedOnBothSidesIsMergedByGit() throws {
        let path = try wrappedGit()
        let lines = (1...9).map { "line \($0)" }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: site.dir + "/NOTES"))
        try git(["add", "NOTES"], in: site.dir)
        try git(["commit", "-qm", "notes"], in: site.dir)
        try git(["push", "-q", "origin", "HEAD:master"], in: site.dir)
        try git(["pull", "-q", "origin", "master"], in: attacker)
        var theirs = lines, ours = lines
        theirs[0] = "their line"
        ours[8] = "our line"
        try site.expectOK(["-C", attacker, "stage", "set", "YP-0001", "saw=medium"], as: "pat")
        try push(["NOTES": theirs.joined(separator: "\n") + "\n"])
        try Data((ours.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: site.dir + "/NOTES"))
        try git(["commit", "-qam", "ours"], in: site.dir)
        try site.expectOK(["stage", "set", "YP-0001", "rosh=medium"], as: "pat")
        let killed = try site.run(["sync"], as: "pat", env: ["PATH": path, "AP_TEST_KILL_AT": "merge"])
        XCTAssertEqual(killed.status, 9, killed.stderr + killed.stdout)
        let again = try site.run(["sync"], as: "pat", env: ["PATH": path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("that merge was undone"), again.stdout)
        let notes = try String(contentsOfFile: site.dir + "/NOTES", encoding: .utf8)
        XCTAssertTrue(notes.contains("their line") && notes.contains("our line"), notes)
        let stage = try site.loadCase("YP-0001").state.stages.last!
        XCTAssertEqual(stage.answers["saw"]?.value, "medium")
        XCTAssertEqual(stage.answers["rosh"]?.value, "medium")
        XCTAssertEqual(try git(["status", "--porcelain"], in: site.dir), "")
    }

    /// A merge that fails leaves git as it was: what the user had staged stays staged.
    func testAMergeThatFailsLeavesWhatWasStaged() throws {
        try git(["pull", "-q", "origin", "master"], in: attacker)
        try site.expectOK(["-C", attacker, "stage", "set", "YP-0001", "saw=medium"], as: "pat")
        try git(["push", "-q", "origin", "HEAD:master"], in: attacker)
        // Our copy rewritten by hand and committed with plain git: its history is not theirs.
        let path = site.caseFile("YP-0001")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "Jordan Smith", with: "Someone Else").utf8)
            .write(to: URL(fileURLWithPath: path))
        try git(["commit", "-qam", "by hand"], in: site.dir)
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: site.dir + "/NOTES"))
        try git(["add", "NOTES"], in: site.dir)
        let head = try git(["rev-parse", "HEAD"], in: site.dir)
        let r = try site.run(["sync"], as: "pat")
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("differs between the two copies"), r.stderr)
        XCTAssertEqual(try git(["rev-parse", "HEAD"], in: site.dir), head)
        let staged = try git(["diff", "--cached", "--name-only"], in: site.dir)
        XCTAssertEqual(staged.trimmingCharacters(in: .whitespacesAndNewlines), "NOTES")
        XCTAssertFalse(FileManager.default.fileExists(atPath: site.dir + "/.git/ap-sync-index"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: site.dir + "/.git/ap-sync-merged"))
    }

    func testNetworkStepsTimeOutWithoutHoldingTheLock() throws {
        let path = try wrappedGit()
        try site.expectOK(["config", "set", "sync-timeout-seconds", "2"], as: "alex")
        let sync = Process()
        sync.executableURL = URL(fileURLWithPath: Harness.binary)
        sync.arguments = ["-C", site.dir, "sync"]
        sync.environment = ProcessInfo.processInfo.environment.merging(
            ["PATH": path, "AP_TEST_SLOW_FETCH": "30", "AP_USER": "pat", "AP_NOW": site.now, "AP_TEST_CLOCK": "1"]
        ) { $1 }
        let err = Pipe()
        sync.standardError = err
        sync.standardOutput = FileHandle.nullDevice
        let started = Date()
        try sync.run()
        usleep(500_000)
        // While the fetch hangs, others write.
        try site.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        let said = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        sync.waitUntilExit()
        XCTAssertEqual(sync.terminationStatus, 74, said)
        XCTAssertTrue(said.contains("took longer than 2s"), said)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
    }
}
