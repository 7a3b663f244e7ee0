import APModel
import Foundation
import XCTest

/// Damaged repositories: every refusal names the file and changes nothing.
final class BadInputTests: XCTestCase {
    func write(_ h: Harness, _ id: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: h.caseFile(id)))
    }

    func testMalformedJSONNamesFileAndLine() throws {
        let h = try Harness()
        try h.caseWithStage()
        let original = try String(contentsOfFile: h.caseFile("YP-0001"), encoding: .utf8)
        try write(h, "YP-0001", String(original.dropLast(10)))
        let r = try h.expectFailure(["stage", "set", "YP-0001", "rosh=low"], as: "pat", status: 65, message: "malformed JSON at line")
        XCTAssertTrue(r.stderr.contains(h.caseFile("YP-0001")), r.stderr)
    }

    func testStoredStateThatDisagreesWithEventsIsReported() throws {
        let h = try Harness()
        try h.caseWithStage()
        var json = try JSONParser.parse(try String(contentsOfFile: h.caseFile("YP-0001"), encoding: .utf8)).objectValue!
        var state = json["state"]!.objectValue!
        state["lookedAfter"] = true
        json["state"] = .object(state)
        try write(h, "YP-0001", JSONWriter.prettyString(.object(json)))
        try h.expectFailure(["case", "show", "YP-0001"], status: 65, message: "stored 'state' disagrees with the events")
    }

    func testWrongFormatVersionAndDuplicateEventIds() throws {
        let h = try Harness()
        try h.caseWithStage()
        let original = try String(contentsOfFile: h.caseFile("YP-0001"), encoding: .utf8)
        try write(h, "YP-0001", original.replacingOccurrences(of: "\"format\": 1", with: "\"format\": 9"))
        try h.expectFailure(["case", "show", "YP-0001"], status: 65, message: "unsupported case format 9")
        var json = try JSONParser.parse(original).objectValue!
        var events = json["events"]!.arrayValue!
        events.append(events[1])
        json["events"] = .array(events)
        try write(h, "YP-0001", JSONWriter.prettyString(.object(json)))
        try h.expectFailure(["case", "show", "YP-0001"], status: 65, message: "duplicate event id")
    }

    func testUnknownFieldsAreKeptThroughAWrite() throws {
        let h = try Harness()
        try h.caseWithStage()
        var json = try JSONParser.parse(try String(contentsOfFile: h.caseFile("YP-0001"), encoding: .utf8)).objectValue!
        json["x-local-ref"] = "CMS-991"
        var events = json["events"]!.arrayValue!
        var first = events[0].objectValue!
        first["x-source"] = "import"
        events[0] = .object(first)
        json["events"] = .array(events)
        try write(h, "YP-0001", JSONWriter.prettyString(.object(json)))
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        let after = try JSONParser.parse(try String(contentsOfFile: h.caseFile("YP-0001"), encoding: .utf8))
        XCTAssertEqual(after["x-local-ref"], "CMS-991")
        XCTAssertEqual(after["events"]?.arrayValue?[0]["x-source"], "import")
    }

    func testSymlinkInPlaceOfACaseFileIsRefused() throws {
        let h = try Harness()
        try h.caseWithStage()
        let path = h.caseFile("YP-0001")
        let elsewhere = h.dir + "/../outside-\(UUID().uuidString).json"
        try FileManager.default.moveItem(atPath: path, toPath: elsewhere)
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: elsewhere)
        try h.expectFailure(["stage", "set", "YP-0001", "rosh=low"], as: "pat", status: 65, message: "symbolic link")
    }

    func testMalformedConfigIsNamed() throws {
        let h = try Harness()
        try Data("{\"format\": 1,".utf8).write(to: URL(fileURLWithPath: h.dir + "/.ap/config.json"))
        try h.expectFailure(["case", "list"], status: 65, message: ".ap/config.json: malformed JSON")
    }

    func testLockHeldByAnotherProcessTimesOutNamingTheHolder() throws {
        let h = try Harness()
        try h.caseWithStage()
        // Hold the lock from a Python process, as a concurrent ap would.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import fcntl, sys, time
            f = open(sys.argv[1], 'r+'); fcntl.flock(f, fcntl.LOCK_EX)
            f.write('pid 4242 (ap user kim, script)'); f.flush(); print('locked', flush=True); time.sleep(30)
            """, h.dir + "/.ap/lock"]
        let out = Pipe()
        holder.standardOutput = out
        try holder.run()
        defer { holder.terminate() }
        _ = out.fileHandleForReading.availableData  // wait for "locked"
        let configPath = h.dir + "/.ap/config.json"
        var config = try Config(json: try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: configPath)))))
        config.policy.lockTimeoutSeconds = 1
        try FileSystem.writeAtomically(configPath, JSONWriter.pretty(config.json))
        try h.expectFailure(["stage", "set", "YP-0001", "rosh=low"], as: "pat", status: 75, message: "locked by pid 4242 (ap user kim, script)")
    }
}
