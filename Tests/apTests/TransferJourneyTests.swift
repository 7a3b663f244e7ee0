import APModel
import Foundation
import XCTest

/// Issue 25, transfers that follow the seeds: a request stayed pending information (002 §12.4)
/// and a MAPPA level 2 or 3 case moving only once the MAPPA meeting endorsed it (002 §11.5).
final class TransferJourneyTests: TwoYOTs {
    func send(_ id: String = "YP-0001") throws -> (json: String, eml: String, transfer: String?) {
        try packaged(barnet, ["transfer", "send", id, "--to", "NOTTS", "--to-name", "Nottinghamshire YJS",
                              "--kind", "complete"])
    }

    func testARequestIsStayedPendingInformationThenDecided_002_12_4() throws {
        try readyToSend()
        let sent = try send()
        try notts.expectOK(["transfer", "import", sent.json], as: "bo")
        let owed = {
            try self.notts.expectOK(["due", "--json"]).json?.arrayValue?.compactMap { $0["rule"]?.stringValue }
        }
        XCTAssertEqual(try owed(), ["transfer-confirmation"])
        let id = try XCTUnwrap(sent.transfer)
        try notts.expectFailure(["transfer", "stay", id, "--reason", "No RoSH assessment"], as: "pat", status: 77,
                                message: "manager")
        try notts.expectFailure(["transfer", "stay", id], as: "mo", status: 64, message: "--reason")
        let before = try notts.snapshot()
        try notts.expectFailure(["transfer", "stay", "t-none", "--reason", "x"], as: "mo", status: 66,
                                message: "no transfer request 't-none'")
        XCTAssertEqual(try notts.snapshot(), before, "a refusal changes nothing")
        let stayed = try notts.expectOK(["transfer", "stay", String(id.prefix(8)), "--reason", "No RoSH assessment",
                                         "--json"], as: "mo").json
        XCTAssertEqual(stayed?["status"], "stayed")
        XCTAssertEqual(stayed?["stayReason"], "No RoSH assessment")
        XCTAssertEqual(try owed(), [], "reviewed in time: no longer awaiting a decision")
        let list = try notts.expectOK(["transfer", "list", "--incoming"]).stdout
        XCTAssertTrue(list.contains("stayed") && list.contains("stayed: No RoSH assessment"), list)
        XCTAssertEqual(try notts.expectOK(["status", "--json"]).json?["transfersAwaitingDecision"], [])
        try notts.expectFailure(["transfer", "stay", id, "--reason", "again"], as: "mo", status: 1,
                                message: "already stayed")
        // The information came: accepted, and the stay stays on record.
        try packaged(notts, ["transfer", "accept", id])
        XCTAssertTrue(notts.caseExists("YP-0001"))
        let record = try XCTUnwrap(try Repository(root: notts.dir).transferRecords().first)
        XCTAssertEqual(record.status, "accepted")
        XCTAssertEqual(record.stayedBy, "mo")
        XCTAssertEqual(record.stayReason, "No RoSH assessment")
    }

    func testAMAPPALevel2Or3CaseMovesOnlyOnceTheMeetingEndorsedIt_002_11_5() throws {
        try readyToSend()
        try barnet.expectFailure(["case", "update", "YP-0001", "mappa-level=4"], as: "pat", status: 65,
                                 message: "allowed: 1, 2, 3, none")
        try barnet.expectOK(["case", "update", "YP-0001", "mappa-level=2"], as: "pat")
        try barnet.expectFailure(
            ["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name", "Nottinghamshire YJS", "--kind", "complete",
             "--out", outbox], as: "mo", status: 1, message: "MAPPA level 2: the MAPPA meeting endorses")
        try barnet.expectOK(["record", "YP-0001", "mappa-endorsed", "--date", "2026-11-02"], as: "pat")
        _ = try send()
        // Between teams too, and each move needs its own endorsement.
        try barnet.expectOK(["case", "new", "YP-0002", "--name", "Sam Lee", "--dob", "2010-01-02"], as: "bo")
        try barnet.expectOK(["case", "update", "YP-0002", "mappa-level=3"], as: "pat")
        try barnet.expectOK(["case", "allocate", "YP-0002", "--to", "pat", "--team", "North"], as: "mo")
        let move = ["case", "allocate", "YP-0002", "--to", "lee", "--team", "South", "--reason", "Moved"]
        try barnet.expectFailure(move, as: "mo", status: 1, message: "endorses a move between teams first")
        try barnet.expectOK(["record", "YP-0002", "mappa-endorsed", "--date", "2026-11-02"], as: "pat")
        try barnet.expectOK(move, as: "mo")
        try barnet.expectOK(["record", "YP-0002", "three-way-meeting", "--date", "2026-11-02"], as: "lee")
        try barnet.expectFailure(["case", "allocate", "YP-0002", "--to", "pat", "--team", "North", "--reason", "Back"],
                                 as: "mo", status: 1, message: "MAPPA level 3")
        try barnet.expectOK(["case", "update", "YP-0002", "mappa-level=1"], as: "pat")
        try barnet.expectOK(["case", "allocate", "YP-0002", "--to", "pat", "--team", "North", "--reason", "Back"],
                            as: "mo")
    }
}
