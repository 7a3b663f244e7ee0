import APModel
import Foundation
import XCTest

/// Issue 8: fsck, permissions whatever the umask, and short runs of the stress and fuzz tools
/// (`make stress` and `make fuzz` run them long).
final class IntegrityTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testFsckFindsAndRepairsDerivedDataButNeverEvents() throws {
        let h = try Harness()
        try h.caseWithStage("YP-0001")
        try h.caseWithStage("YP-0002")
        // An unsigned repository: one warning, that anyone who can write the folder can act as anyone.
        let clean = try h.expectOK(["fsck", "--json"]).json?["problems"]?.arrayValue ?? []
        XCTAssertEqual(clean.map { $0["class"] }, ["warning"])
        XCTAssertEqual(clean.first?["problem"]?.stringValue, Fsck.signaturesOffWarning)

        // A hand-edited state, a loose mode, a stray temporary file, a broken case.
        let path = h.caseFile("YP-0001")
        var json = try JSONParser.parse(try String(contentsOfFile: path, encoding: .utf8)).objectValue!
        let events = json["events"]!
        var state = json["state"]!.objectValue!
        state["name"] = "Edited By Hand"
        json["state"] = .object(state)
        try Data(JSONWriter.pretty(.object(json))).write(to: URL(fileURLWithPath: path))
        chmod(h.caseFile("YP-0002"), 0o644)
        let temp = FileSystem.parent(path) + "/.YP-0001.json.tmp-1-1"
        try Data("{".utf8).write(to: URL(fileURLWithPath: temp))
        try h.expectOK(["case", "new", "YP-0003", "--name", "C", "--dob", "2010-01-01"], as: "bo")
        try Data("{\"format\": 1, \"id\": \"YP-0003\", \"events\": []}".utf8).write(to: URL(fileURLWithPath: h.caseFile("YP-0003")))

        let check = try h.run(["fsck", "--json"])
        XCTAssertEqual(check.status, 65, "damage")
        let findings = check.json?["problems"]?.arrayValue ?? []
        let problems = findings.compactMap { $0["problem"]?.stringValue }
        let classes = Dictionary(
            findings.map { ($0["problem"]?.stringValue ?? "", $0["class"]?.stringValue ?? "") },
            uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(classes["stored state disagrees with the events"], "damage")
        XCTAssertEqual(classes["mode 644, expected 640"], "warning", "git keeps no 0640")
        XCTAssertEqual(problems.count, 5, "\(problems)")
        XCTAssertTrue(problems.contains(Fsck.signaturesOffWarning))
        XCTAssertTrue(problems.contains("stored state disagrees with the events"))
        XCTAssertTrue(problems.contains("mode 644, expected 640"))
        XCTAssertTrue(problems.contains { $0.hasPrefix("temporary file") })
        XCTAssertTrue(problems.contains { $0.contains("has no events") })

        try h.expectFailure(["fsck", "--repair"], as: "pat", status: 77, message: "needs the role admin")
        let repair = try h.run(["fsck", "--repair"], as: "alex")
        XCTAssertEqual(repair.status, 65, "the case with no events cannot be repaired: \(repair.stdout)")
        XCTAssertTrue(repair.stdout.contains("3 repaired"), repair.stdout)
        let repaired = try h.loadCase("YP-0001")
        XCTAssertEqual(repaired.state.name, "Jordan Smith", "state derived again from the events")
        XCTAssertEqual(repaired.json["events"], events, "events untouched")
        XCTAssertEqual(FileSystem.mode(h.caseFile("YP-0002")), 0o640)
        XCTAssertFalse(FileManager.default.fileExists(atPath: temp))
        XCTAssertEqual(try String(contentsOfFile: h.caseFile("YP-0003"), encoding: .utf8), "{\"format\": 1, \"id\": \"YP-0003\", \"events\": []}")
    }

    func testFsckWarnsWhenGitWouldTextMergeCases() throws {
        let h = try Harness()
        try h.expectOK(["git", "setup"], as: "alex")
        XCTAssertEqual(try h.run(["fsck"]).status, 0)
        XCTAssertEqual(try Harness.tool("git", ["-C", h.dir, "config", "--unset", "merge.ap.driver"]).status, 0)
        let r = try h.run(["fsck"])
        XCTAssertEqual(r.status, 0, "a warning")
        XCTAssertTrue(r.stdout.contains("warning: git does not run"), r.stdout)
        XCTAssertTrue(r.stdout.contains("run 'ap git setup'"), r.stdout)
    }

    func testModesAreFixedWhateverTheUmask() throws {
        for umask in ["000", "077", "022"] {
            let dir = NSTemporaryDirectory() + "ap-umask-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let (status, output) = try Harness.tool("/bin/bash", ["-c", """
                umask \(umask) && "$AP" init "$D" --yot X --yot-name X --admin a && \
                AP_USER=a "$AP" -C "$D" case new YP-1 --name N --dob 2010-01-01 && AP_USER=a "$AP" -C "$D" case list
                """], env: ["AP": Harness.binary, "D": dir])
            XCTAssertEqual(status, 0, output)
            let file = dir + "/" + CaseID.relativePath("YP-1")
            XCTAssertEqual(FileSystem.mode(file), 0o640, "umask \(umask)")
            XCTAssertEqual(FileSystem.mode(FileSystem.parent(file)), 0o750, "umask \(umask)")
            XCTAssertEqual(FileSystem.mode(dir + "/.ap/config.json"), 0o640, "umask \(umask)")
            XCTAssertEqual(FileSystem.mode(dir + "/.ap/index"), 0o640, "umask \(umask)")
            XCTAssertEqual(FileSystem.mode(dir + "/.ap/lock"), 0o640, "umask \(umask)")
        }
    }

    func testConcurrentWritersAndKilledWritersLoseNothing() throws {
        let script = IntegrityTests.root.appendingPathComponent("scripts/stress.py").path
        let (status, output) = try Harness.tool("python3", [script, Harness.binary, "--procs", "4", "--changes", "15", "--cases", "3", "--kills", "15"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("60 reported done, 60 present once, 0 missing, 0 doubled"), output)
        XCTAssertTrue(output.contains("0 of those not in every case, 0 partly applied, 0 fsck problems"), output)
    }

    /// `ap-bench`, built beside `ap` by `make test`.
    func benchBinary() throws -> String {
        let bench = URL(fileURLWithPath: Harness.binary).deletingLastPathComponent().appendingPathComponent("ap-bench")
        guard FileManager.default.isExecutableFile(atPath: bench.path) else {
            throw XCTSkip("ap-bench not built; 'make test' builds it")
        }
        return bench.path
    }

    /// The bench generator follows the rules as they are (it writes through them): a rule it
    /// misses stops it, and with it every figure of `make bench`.
    func testTheBenchGeneratorMakesCasesThatLoad() throws {
        let bench = try benchBinary()
        let dir = NSTemporaryDirectory() + "ap-bench-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (status, output) = try Harness.tool(bench, ["generate", dir, "60"])
        XCTAssertEqual(status, 0, output)
        for command in [["queue", "--json"], ["due", "--json"], ["referral", "list", "--json"]] {
            let r = try Harness.tool(Harness.binary, ["-C", dir] + command, env: ["AP_USER": "m1"])
            XCTAssertEqual(r.status, 0, "\(command): \(r.output)")
        }
    }

    /// Long listings are printed run by run as they are written (on all cores, in order):
    /// what arrives is one canonical list, each case once and sorted, whichever run finished
    /// first; a reader that stops early ends the listing quietly.
    func testLongListingsArriveAsOneCanonicalList() throws {
        let bench = try benchBinary()
        let dir = NSTemporaryDirectory() + "ap-bench-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(try Harness.tool(bench, ["generate", dir, "800"]).status, 0)
        let env = ["AP_USER": "m1"]
        for command in [["case", "list", "--json"], ["due", "--json"], ["queue", "--json"]] {
            let r = try Harness.tool(Harness.binary, ["-C", dir] + command, env: env)
            XCTAssertEqual(r.status, 0, "\(command): \(r.output)")
            let value = try JSONParser.parse(r.output)
            XCTAssertEqual(JSONWriter.prettyString(value), r.output, "\(command): not one canonical list")
            if command[0] == "case" {
                let ids = value.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                XCTAssertEqual(ids.count, 800)
                XCTAssertEqual(ids, ids.sorted())
                XCTAssertEqual(Set(ids).count, ids.count)
            }
        }
        let csv = try Harness.tool(Harness.binary, ["-C", dir, "case", "list", "--csv"], env: env)
        let records = csv.output.components(separatedBy: "\r\n").dropLast()
        XCTAssertEqual(records.count, 801, "a header and a record per case")
        let ids = records.dropFirst().map { String($0.prefix { $0 != "," }) }
        XCTAssertEqual(ids, ids.sorted())
        let piped = try Harness.tool(
            "/bin/bash", ["-c", "AP_USER=m1 '\(Harness.binary)' -C '\(dir)' case list --json | head -c 10 >/dev/null; "
                + "echo ${PIPESTATUS[0]}"])
        XCTAssertEqual(piped.output.trimmingCharacters(in: .whitespacesAndNewlines), "141", piped.output)
        // A full disk stops a streamed list at its first part and is said once (74).
        for format in ["--json", "--csv"] {
            let full = try Harness.tool(
                "/bin/sh", ["-c", "AP_USER=m1 '\(Harness.binary)' -C '\(dir)' case list \(format) >/dev/full"])
            XCTAssertEqual(full.status, 74, full.output)
            XCTAssertEqual(full.output, "ap: cannot write output: No space left on device\n", format)
        }
    }

    func testMutatedInputsGiveCleanErrorsNeverCrashes() throws {
        let bench = try benchBinary()
        let corpus = IntegrityTests.root.appendingPathComponent("Tests/fuzz-corpus").path
        let (status, output) = try Harness.tool(bench, ["fuzz", corpus, "20", "3000", "7"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("0 crashes"), output)
    }
}
