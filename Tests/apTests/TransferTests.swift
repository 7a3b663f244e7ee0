import APModel
import Foundation
import XCTest

/// Two YOTs, each with its own repository, exchanging only files (issue 5).
final class TransferTests: TwoYOTs {
    func testCompleteTransferAccepted() throws {
        try readyToSend()
        try barnet.expectFailure(["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name", "Nottinghamshire YJS", "--kind", "complete"],
                                 as: "pat", status: 77, message: "managers QA and sign off")
        let sent = try packaged(barnet, ["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                "Nottinghamshire YJS", "--kind", "complete"])
        XCTAssertTrue(try barnet.expectOK(["case", "show", "YP-0001"]).stdout.contains("awaiting a decision"))
        try barnet.expectFailure(["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name", "N", "--kind", "complete"],
                                 as: "mo", status: 1, message: "awaiting a decision")

        try notts.expectFailure(["transfer", "import", sent.eml], as: "pat", status: 77, message: "needs the role admin or business-support")
        let imported = try notts.takeIn(sent.eml)
        XCTAssertTrue(imported.stdout.contains("awaits a manager's decision"), imported.stdout)
        let again = try notts.takeIn(sent.json)
        XCTAssertTrue(again.stdout.contains("already imported; nothing changed"), again.stdout)
        let incoming = try notts.expectOK(["transfer", "list", "--incoming", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(incoming.count, 1)
        XCTAssertEqual(incoming.first?["status"], "pending")
        XCTAssertFalse(notts.caseExists("YP-0001"), "the case arrives only when accepted")

        try notts.expectFailure(["transfer", "accept", sent.transfer!], as: "pat", status: 77, message: "operational managers")
        let reply = try packaged(notts, ["transfer", "accept", sent.transfer!])
        XCTAssertEqual(try notts.loadCase("YP-0001").state.holding(for: "NOTTS"), .home)
        try notts.expectOK(["stage", "new", "YP-0001", "--kind", "review"], as: "pat")

        let back = try barnet.takeIn(reply.eml)
        XCTAssertTrue(back.stdout.contains("NOTTS accepted the complete transfer"), back.stdout)
        let state = try barnet.loadCase("YP-0001").state
        XCTAssertEqual(state.home?.code, "NOTTS")
        XCTAssertEqual(state.holding(for: "BARNET"), .released)
        try barnet.expectFailure(["stage", "new", "YP-0001", "--kind", "review"], as: "pat", status: 1, message: "this copy is kept read-only")
        let list = try barnet.expectOK(["case", "list", "--json"]).json?.arrayValue?.first
        XCTAssertEqual(list?["holding"], "released")
        XCTAssertEqual(try barnet.expectOK(["transfer", "list", "--outgoing", "--json"]).json?.arrayValue?.first?["status"], "accepted")
    }

    func testCaretakingWithUpdatesBothWaysThenEnded() throws {
        try readyToSend()
        let sent = try packaged(barnet, ["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                "Nottinghamshire YJS", "--kind", "caretaking"])
        try notts.takeIn(sent.json)
        notts.now = "2026-11-10T09:00:00.000Z"
        barnet.now = notts.now  // two machines' clocks agree within a day
        let reply = try packaged(notts, ["transfer", "accept", sent.transfer!])
        try barnet.takeIn(reply.json)
        for h in [barnet!, notts!] {
            let s = try h.loadCase("YP-0001").state
            XCTAssertEqual([s.home?.code, s.host?.code], ["BARNET", "NOTTS"])
            XCTAssertEqual(s.reviewDate?.description, "2027-02-10", "three months after acceptance")
        }
        let wide = ["COLUMNS": "200"]
        XCTAssertTrue(try notts.expectOK(["case", "show", "YP-0001"], env: wide).stdout.contains(
            "host, caretaking for Barnet YJS (BARNET)"))
        XCTAssertTrue(try barnet.expectOK(["case", "show", "YP-0001"], env: wide).stdout.contains(
            "home; caretaking by Nottinghamshire YJS (NOTTS)"))

        // The host completes a stage and sends the update home.
        notts.now = "2026-11-12T09:00:00.000Z"
        barnet.now = notts.now
        // Without the Review's ratings: a prevention stage completes without countersignature.
        try notts.expectOK(["stage", "new", "YP-0001", "--kind", "prevention", "--no-pull-forward"], as: "pat")
        try notts.expectOK(["stage", "set", "YP-0001", "pfs.education=settled at school"], as: "pat")
        try notts.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        let update = try packaged(notts, ["transfer", "send", "YP-0001", "--update"])
        try barnet.takeIn(update.eml)
        XCTAssertNil(try barnet.loadCase("YP-0001").state.stages.first { $0.kind == "prevention" },
                "an update arrives when accepted")
        let ack = try packaged(barnet, ["transfer", "accept", update.transfer!])
        XCTAssertEqual(try barnet.loadCase("YP-0001").state.stages.last?.answers["pfs.education"]?.value,
                "settled at school")
        try notts.takeIn(ack.json)

        // Home sends an update the other way.
        barnet.now = "2026-11-16T09:00:00.000Z"
        notts.now = barnet.now
        try barnet.expectOK(["stage", "new", "YP-0001", "--kind", "prevention", "--no-pull-forward"], as: "pat")
        try barnet.expectOK(["stage", "set", "YP-0001", "pfs.education=home view"], as: "pat")
        try barnet.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        let down = try packaged(barnet, ["transfer", "send", "YP-0001", "--update"])
        try notts.takeIn(down.json)
        try packaged(notts, ["transfer", "accept", down.transfer!])
        XCTAssertEqual(try notts.loadCase("YP-0001").state.stages.last?.answers["pfs.education"]?.value, "home view")

        // Only home ends caretaking; the host is told by a package.
        try notts.expectFailure(["caretake", "end", "YP-0001", "--outcome", "return-home"], as: "mo", status: 1, message: "only the home YOT")
        let end = try packaged(barnet, ["caretake", "end", "YP-0001", "--outcome", "complete-transfer"])
        XCTAssertEqual(try barnet.loadCase("YP-0001").state.holding(for: "BARNET"), .released)
        try notts.takeIn(end.eml)
        let s = try notts.loadCase("YP-0001").state
        XCTAssertEqual(s.home?.code, "NOTTS")
        XCTAssertNil(s.host)
    }

    func testCaretakingEndedReturnHome() throws {
        try readyToSend()
        let sent = try packaged(barnet, ["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                "Nottinghamshire YJS", "--kind", "caretaking"])
        try notts.takeIn(sent.json)
        try barnet.takeIn(try packaged(notts, ["transfer", "accept",
                sent.transfer!]).json)
        try barnet.expectFailure(["caretake", "end", "YP-0001", "--outcome", "return-home"], as: "pat", status: 77, message: "home YOT's managers")
        let end = try packaged(barnet, ["caretake", "end", "YP-0001", "--outcome", "return-home"])
        try notts.takeIn(end.json)
        XCTAssertEqual(try notts.loadCase("YP-0001").state.holding(for: "NOTTS"), .released)
        XCTAssertEqual(try barnet.loadCase("YP-0001").state.holding(for: "BARNET"), .home)
        try notts.expectFailure(["stage", "new", "YP-0001", "--kind", "review"], as: "pat", status: 1, message: "read-only")
    }

    func testEachRejectionReasonAndTheInitialOnlyRule() throws {
        for reason in RejectionReason.allCases {
            let id = "YP-" + String(RejectionReason.allCases.firstIndex(of: reason)! + 10)
            try readyToSend(id)
            let sent = try packaged(barnet, ["transfer", "send", id, "--to", "NOTTS", "--to-name",
                    "Nottinghamshire YJS", "--kind", "complete"])
            try notts.takeIn(sent.json)
            if reason == .other {
                try notts.expectFailure(["transfer", "reject", sent.transfer!, "--reason", "other"], as: "mo", status: 64, message: "needs --detail")
            }
            let reply = try packaged(notts, ["transfer", "reject", sent.transfer!, "--reason", reason.rawValue,
                    "--detail", "see notes"])
            XCTAssertFalse(notts.caseExists(id), "a rejected case is not taken in")
            let back = try barnet.takeIn(reply.json)
            XCTAssertTrue(back.stdout.contains("NOTTS rejected the complete transfer of \(id): \(reason.rawValue)"), back.stdout)
            let state = try barnet.loadCase(id).state
            XCTAssertEqual(state.transfers.last?.reason, reason.rawValue)
            XCTAssertEqual(state.holding(for: "BARNET"), .home, "responsibility stays as it was")
        }
        try notts.expectFailure(["transfer", "reject", "t-none", "--reason", "other", "--detail", "x"], as: "mo", status: 66, message: "no transfer 't-none'")

        // During caretaking, an update cannot be rejected with a starred reason.
        try readyToSend("YP-0100")
        let sent = try packaged(barnet, ["transfer", "send", "YP-0100", "--to", "NOTTS", "--to-name",
                "Nottinghamshire YJS", "--kind", "caretaking"])
        try notts.takeIn(sent.json)
        try barnet.takeIn(try packaged(notts, ["transfer", "accept",
                sent.transfer!]).json)
        let update = try packaged(barnet, ["transfer", "send", "YP-0100", "--update"])
        try notts.takeIn(update.json)
        for starred in RejectionReason.allCases where starred.initialOnly {
            try notts.expectFailure(["transfer", "reject", update.transfer!, "--reason", starred.rawValue], as: "mo", status: 64,
                                    message: "initial transfer request only")
        }
        try notts.expectFailure(["transfer", "reject", update.transfer!, "--reason", "bogus"], as: "mo", status: 64, message: "unknown reason 'bogus'")
        try packaged(notts, ["transfer", "reject", update.transfer!, "--reason", "errors-of-fact", "--detail",
                "wrong school"])
    }

    func testNoCompleteTransferForALookedAfterChild() throws {
        try readyToSend(lookedAfter: true)
        try barnet.expectFailure(["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name", "N", "--kind", "complete"], as: "mo", status: 1,
                                 message: "no complete transfer for a looked-after child")
        let sent = try packaged(barnet, ["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                "Nottinghamshire YJS", "--kind", "caretaking"])
        try notts.takeIn(sent.json)
        try barnet.takeIn(try packaged(notts, ["transfer", "accept",
                sent.transfer!]).json)
        try barnet.expectFailure(["caretake", "end", "YP-0001", "--outcome", "complete-transfer"], as: "mo", status: 1,
                                 message: "no complete transfer for a looked-after child")
    }

    func testSendNeedsACompletedTransferStageWithItsQuestions() throws {
        try barnet.expectOK(["case", "new", "YP-0001", "--name", "A", "--dob", "2010-01-01"], as: "bo")
        try barnet.expectFailure(["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name", "N", "--kind", "complete"], as: "mo", status: 1,
                                 message: "needs a completed Transfer YOT to YOT stage")
        try barnet.expectFailure(["transfer", "send", "YP-0001", "--to", "BARNET", "--to-name", "B", "--kind", "complete"], as: "mo", status: 64,
                                 message: "names this YOT")
        try barnet.expectFailure(["transfer", "send", "YP-0001", "--update"], as: "mo", status: 1, message: "not in caretaking")
        try barnet.expectFailure(["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name", "N", "--kind", "sideways"], as: "mo", status: 64,
                                 message: "--kind takes complete or caretaking")
    }
}

extension Harness {
    func caseExists(_ id: String) -> Bool { FileManager.default.fileExists(atPath: caseFile(id)) }
}
