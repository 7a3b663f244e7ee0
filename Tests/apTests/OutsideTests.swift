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
