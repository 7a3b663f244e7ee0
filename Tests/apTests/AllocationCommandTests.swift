import APModel
import Foundation
import XCTest

/// Allocation and case responsibility as a YOT uses them (issue 18; 002).
final class AllocationCommandTests: XCTestCase {
    var h: Harness!

    override func setUpWithError() throws {
        h = try Harness()
        h.now = "2026-11-23T09:00:00.000Z"
        try h.expectOK(["user", "update", "pat", "--grade", "band-a", "--gender", "male"], as: "alex")
        try h.expectOK(["user", "update", "kim", "--grade", "student"], as: "alex")
        try h.expectOK(["user", "update", "lee", "--grade", "band-b", "--gender", "female"], as: "alex")
        try h.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
    }

    func due(as user: String? = nil, _ args: [String] = []) throws -> [String] {
        (try h.expectOK(["due", "--json"] + args, as: user).json?.arrayValue ?? []).compactMap {
            $0["rule"]?.stringValue
        }
    }

    func testStaffGradesAndLeave() throws {
        let list = try h.expectOK(["user", "list", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(list.first { $0["id"]?.stringValue == "lee" }?["grade"]?.stringValue, "band-b")
        try h.expectFailure(["user", "update", "pat", "--grade", "band-z"], as: "alex", status: 64, message: "grades:")
        try h.expectFailure(["user", "update", "pat", "--grade", "band-b"], as: "mo", status: 77, message: "admin")
        try h.expectFailure(
            ["user", "update", "nobody", "--grade", "band-b"], as: "alex", status: 66, message: "nobody")
        // Adding an existing id is refused (issue 22): 'user update' changes a user and keeps what was not given.
        try h.expectFailure(["user", "add", "pat", "--name", "Pat J", "--role", "admin"], as: "alex", status: 73,
                            message: "'ap user update pat'")
        try h.expectOK(["user", "update", "pat", "--name", "Pat J", "--role", "practitioner"], as: "alex")
        XCTAssertEqual(
            try h.expectOK(["user", "list", "--json"]).json?.arrayValue?.first {
                $0["id"]?.stringValue == "pat"
            }?["grade"]?.stringValue, "band-a")
        try h.expectFailure(
            ["user", "absent", "pat", "--from", "2026-11-30"], as: "pat", status: 77, message: "manager")
        try h.expectFailure(
            ["user", "absent", "pat", "--from", "2026-11-30", "--cover", "kim"], as: "mo", status: 64,
            message: "--cover goes with --planned")
        try h.expectFailure(
            ["user", "absent", "pat", "--from", "2026-11-30", "--to", "2026-11-01"], as: "mo",
            status: 64, message: "before --from")
        try h.expectOK(["user", "absent", "pat", "--from", "2026-11-30", "--to", "2026-12-04", "--planned"], as: "mo")
        let pat = try h.expectOK(["user", "list", "--json"]).json?.arrayValue?.first { $0["id"]?.stringValue == "pat" }
        XCTAssertEqual(pat?["absence"], ["from": "2026-11-30", "to": "2026-12-04", "planned": true])
        try h.expectOK(["user", "back", "pat"], as: "mo")
        try h.expectFailure(["user", "back", "pat"], as: "mo", status: 1, message: "no leave")
    }

    func testAllocationIsShownListedAndCountedInStatus() throws {
        try h.expectFailure(["case", "allocate", "YP-0001", "--to", "pat"], as: "pat", status: 77, message: "managers")
        try h.expectOK(["case", "allocate", "YP-0001", "--to", "pat", "--team", "North"], as: "mo")
        try h.expectOK(
            [
                "case", "new", "YP-0002", "--name", "Sam Lee", "--dob", "2010-01-01", "--manager", "lee",
                "--team", "South",
            ], as: "mo")
        try h.expectFailure(
            ["case", "new", "YP-0003", "--name", "X", "--dob", "2010-01-01", "--manager", "pat"],
            as: "bo", status: 77, message: "managers")
        try h.expectFailure(
            ["case", "new", "YP-0003", "--name", "X", "--dob", "2010-01-01", "--team", "North"],
            as: "mo", status: 64, message: "go with --manager")
        let shown = try h.expectOK(["case", "show", "YP-0001"]).stdout
        XCTAssertTrue(shown.contains("Case manager:  pat (band-a), team North"), shown)
        let ids = { (args: [String]) in
            try self.h.expectOK(["case", "list", "--json"] + args).json?.arrayValue?.compactMap {
                $0["id"]?.stringValue
            }
        }
        XCTAssertEqual(try ids(["--manager", "lee"]), ["YP-0002"])
        XCTAssertEqual(try ids(["--team", "north"]), ["YP-0001"])
        XCTAssertTrue(try h.expectOK(["status"], as: "pat").stdout.contains("You manage 1 case"))
    }

    func testAGirlAllocatedToAManNeedsARationaleThatIsKept() throws {
        try h.expectOK(["case", "update", "YP-0001", "gender=female"], as: "bo")
        try h.expectFailure(["case", "allocate", "YP-0001", "--to", "pat"], as: "mo", status: 1, message: "002 §2.2")
        try h.expectOK(["case", "allocate", "YP-0001", "--to", "pat", "--reason", "Her choice at the panel"], as: "mo")
        XCTAssertEqual(try h.loadCase("YP-0001").state.allocations.last?.reason, "Her choice at the panel")
    }

    /// High SaW with a band-a case manager: co-allocate, agree, review every six weeks (002 §5).
    func testACoAllocationCycle() throws {
        try h.expectOK(["case", "allocate", "YP-0001", "--to", "pat"], as: "mo")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "review"], as: "pat")
        try h.expectOK(
            ["stage", "set", "YP-0001", "rosh=medium", "saw=high", "lor=low", "scaled-approach=enhanced"],
            as: "pat")
        try h.evidence(for: ["saw=high"])
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectOK(["countersign", "YP-0001"], as: "mo")
        XCTAssertEqual(try due(), ["co-allocation-agreement"])
        try h.expectFailure(
            ["case", "allocate", "YP-0001", "--to", "pat", "--co", "kim"], as: "mo", status: 1,
            message: "band-b or band-c co-worker")
        try h.expectOK(["case", "allocate", "YP-0001", "--to", "pat", "--co", "lee"], as: "mo")
        try h.expectOK(
            [
                "record", "YP-0001", "co-allocation-agreed", "--date", "2026-11-23T10:00",
                "--note", "Lee leads on RoSH",
            ], as: "pat")
        XCTAssertEqual(try due(), ["co-allocation-review"])
        h.now = "2027-01-06T09:00:00.000Z"
        try h.expectOK(["record", "YP-0001", "co-allocation-reviewed", "--date", "2027-01-05"], as: "lee")
        let next = try h.expectOK(["due", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(next.first?["due"]?.stringValue, "2027-02-16T23:59:59.999Z", "six weeks after the review")
        XCTAssertEqual(try due(as: "pat", ["--mine"]), ["co-allocation-review"], "pat manages it")
    }

    func testAbsenceWithCover() throws {
        try h.expectOK(["case", "allocate", "YP-0001", "--to", "pat"], as: "mo")
        try h.expectOK(["user", "absent", "pat", "--from", "2026-12-01", "--planned"], as: "mo")
        XCTAssertEqual(try due(), ["cover-before-leave"])
        try h.expectOK(
            [
                "user", "absent", "pat", "--from", "2026-12-01", "--to", "2026-12-05", "--planned",
                "--cover", "kim",
            ], as: "mo")
        XCTAssertEqual(try due(), [])
        h.now = "2026-12-02T09:00:00.000Z"
        // During the leave the cover sees the case (issue 25; 002 §7.1).
        let agreed = try h.expectOK(["record", "YP-0001", "transfer-agreed", "--date", "2026-12-02", "--json"],
                                    as: "kim").json?["id"]?.stringValue ?? ""
        XCTAssertEqual(try due(as: "kim", ["--mine"]), ["transfer-request"])
        XCTAssertEqual(try h.expectOK(["status", "--json"], as: "kim").json?["obligationsMine"]?.arrayValue?.count, 1)
        XCTAssertTrue(try h.expectOK(["case", "show", "YP-0001"]).stdout.contains("kim while pat is on leave until"))
        try h.expectOK(["record", "YP-0001", "--void", agreed, "--reason", "not agreed after all"], as: "mo")
        try h.expectFailure(["case", "allocate", "YP-0001", "--to", "pat"], as: "mo", status: 1, message: "002 §2.1")
        try h.expectOK(["case", "allocate", "YP-0001", "--to", "pat", "--returning"], as: "mo")
        try h.expectOK(["user", "absent", "pat", "--from", "2026-12-01"], as: "mo")
        XCTAssertEqual(try due(), ["reallocation-to-consider"])
        h.now = "2026-12-16T09:00:00.000Z"
        XCTAssertEqual(try due(as: nil, ["--overdue"]), ["reallocation-to-consider"], "two weeks have passed")
        try h.expectOK(["case", "allocate", "YP-0001", "--to", "lee", "--reason", "Pat off long term"], as: "mo")
        XCTAssertEqual(try due(), [])
    }

    func testAnInternalTransferWithItsThreeWayMeeting() throws {
        try h.expectOK(["case", "allocate", "YP-0001", "--to", "pat", "--team", "North"], as: "mo")
        try h.expectFailure(
            ["case", "allocate", "YP-0001", "--to", "lee", "--team", "South"], as: "mo", status: 64,
            message: "internal transfer")
        let opened = try h.expectOK(
            [
                "case", "allocate", "YP-0001", "--to", "lee", "--team", "South", "--reason",
                "Moved to Mansfield",
            ], as: "mo"
        ).stdout
        XCTAssertTrue(opened.contains("takes effect at the three-way meeting"), opened)
        let shown = try h.expectOK(["case", "show", "YP-0001"]).stdout
        XCTAssertTrue(shown.contains("Case manager:  pat (band-a), team North"), shown)
        XCTAssertTrue(shown.contains("Transferring:  lee (band-b), team South"), shown)
        XCTAssertEqual(try due(), ["three-way-meeting"])
        XCTAssertEqual(try due(as: "pat", ["--mine"]), ["three-way-meeting"], "pat stays responsible until then")
        try h.expectOK(["record", "YP-0001", "three-way-meeting", "--date", "2026-11-23"], as: "lee")
        XCTAssertTrue(
            try h.expectOK(["case", "show", "YP-0001"]).stdout.contains("Case manager:  lee (band-b), team South"))
        XCTAssertEqual(try due(), [])
    }

    /// Issue 25, 002 §11.7: a three-way meeting recorded ahead moves nothing until it has
    /// happened; case show, case list --team, status and due agree; it can be rescheduled.
    func testAThreeWayMeetingDatedAheadMovesTheCaseOnlyWhenItHappens_002_11_7() throws {
        try h.expectOK(["case", "allocate", "YP-0001", "--to", "pat", "--team", "North"], as: "mo")
        try h.expectOK(["case", "allocate", "YP-0001", "--to", "lee", "--team", "South", "--reason", "Moved"],
                       as: "mo")
        try h.expectOK(["record", "YP-0001", "three-way-meeting", "--date", "2026-11-26T10:00"], as: "lee")
        func teams() throws -> (north: Int, south: Int) {
            let n = try h.expectOK(["case", "list", "--team", "North", "--json"]).json?.arrayValue?.count ?? -1
            let s = try h.expectOK(["case", "list", "--team", "South", "--json"]).json?.arrayValue?.count ?? -1
            return (n, s)
        }
        // Before the meeting: North and pat still answer for the case.
        let shown = { try self.h.expectOK(["case", "show", "YP-0001"]).stdout }
        XCTAssertTrue(try shown().contains("Case manager:  pat (band-a), team North"))
        XCTAssertTrue(try shown().contains("takes effect at the three-way meeting on 2026-11-26 10:00 GMT"))
        XCTAssertEqual(try teams().north, 1)
        XCTAssertEqual(try teams().south, 0)
        XCTAssertEqual(try due(as: "pat", ["--mine"]), ["three-way-meeting"], "owed until it has happened")
        XCTAssertEqual(try h.expectOK(["status", "--json"], as: "pat").json?["managing"], 1)
        // Rescheduled to the next day, before it happened.
        h.now = "2026-11-24T09:00:00.000Z"
        try h.expectOK(["record", "YP-0001", "three-way-meeting", "--date", "2026-11-27T10:00"], as: "lee")
        h.now = "2026-11-26T12:00:00.000Z"
        XCTAssertEqual(try teams().north, 1, "the first date no longer counts")
        XCTAssertEqual(try due(), ["three-way-meeting"], "nor discharges the meeting")
        // After the meeting: South and lee, with nothing written in between.
        h.now = "2026-11-27T12:00:00.000Z"
        XCTAssertTrue(try shown().contains("Case manager:  lee (band-b), team South"))
        XCTAssertEqual(try teams().north, 0)
        XCTAssertEqual(try teams().south, 1)
        XCTAssertEqual(try due(), [])
        XCTAssertEqual(try h.expectOK(["status", "--json"], as: "lee").json?["managing"], 1)
        XCTAssertEqual(try h.expectOK(["status", "--json"], as: "pat").json?["managing"], 0)
    }
}

/// Transfers between YOTs with the transfer-in summary and the caretaking agreement (002 §12).
final class TransferAgreementTests: TwoYOTs {
    func testCaretakingAcceptanceRecordsTheAgreement() throws {
        try readyToSend()
        try barnet.expectOK(["record", "YP-0001", "transfer-agreed", "--date", "2026-11-02"], as: "pat")
        XCTAssertEqual(
            try barnet.expectOK(["due", "--json"]).json?.arrayValue?.first?["rule"]?.stringValue,
            "transfer-request")
        let sent = try packaged(
            barnet,
            [
                "transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                "Nottinghamshire YJS", "--kind", "caretaking",
            ])
        XCTAssertEqual(try barnet.expectOK(["due", "--json"]).json?.arrayValue?.count, 0, "the request went")
        try notts.takeIn(sent.json)
        XCTAssertEqual(
            try notts.expectOK(["due", "--json"]).json?.arrayValue?.first?["rule"]?.stringValue,
            "transfer-confirmation")
        try notts.expectFailure(
            ["transfer", "accept", sent.transfer!, "--review", "2027-03-01", "--out", outbox],
            as: "mo", status: 1, message: "more than 3 months")
        try notts.expectOK(
            [
                "transfer", "accept", sent.transfer!, "--review", "2027-01-15", "--host-tasks",
                "Weekly contact; breach", "--home-tasks", "Reports; reviews", "--out", outbox,
            ], as: "mo")
        let t = try notts.loadCase("YP-0001").state
        XCTAssertEqual(t.reviewDate?.description, "2027-01-15")
        XCTAssertEqual(t.transfers.last?.hostTasks, "Weekly contact; breach")
        XCTAssertEqual(
            try notts.expectOK(["due", "--json"]).json?.arrayValue?.compactMap { $0["rule"]?.stringValue },
            ["full-transfer-to-consider"])
        XCTAssertTrue(try notts.expectOK(["case", "show", "YP-0001"]).stdout.contains("home keeps: Reports; reviews"))
    }

    func testTheTransferInSummaryShowsToTheReceiver() throws {
        try barnet.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
        try barnet.completedReview()
        try barnet.expectOK(["stage", "new", "YP-0001", "--kind", "transfer-yot-to-yot"], as: "pat")
        try barnet.expectOK(
            ["stage", "set", "YP-0001"] + transferAnswers
                + ["transfer.order-type=YRO with supervision", "transfer.iom=no", "transfer.mappa-level=n/a"],
            as: "pat")
        try barnet.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        let sent = try packaged(
            barnet,
            [
                "transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                "Nottinghamshire YJS", "--kind", "complete",
            ])
        try notts.takeIn(sent.json)
        let list = try notts.expectOK(["transfer", "list", "--incoming"]).stdout
        XCTAssertTrue(list.contains("order-type: YRO with supervision; order-start: 2026-10-01"), list)
        XCTAssertTrue(list.contains("iom: no; mappa-category: n/a; mappa-level: n/a"), list)
        let json = try notts.expectOK(["transfer", "list", "--incoming", "--json"]).json?.arrayValue?.first
        XCTAssertEqual(json?["summary"]?["transfer.iom"]?.stringValue, "no")
        let accepted = try notts.expectOK(["transfer", "accept", sent.transfer!, "--out", outbox], as: "mo").stdout
        XCTAssertTrue(accepted.contains("Transfer-in summary: order-type: YRO with supervision"), accepted)
        try notts.expectFailure(
            ["transfer", "accept", sent.transfer!, "--review", "2027-01-01", "--out", outbox],
            as: "mo", status: 1, message: "already")
    }
}

extension AllocationCommandTests {
    /// 002 §11.4: the manager endorses the move, then the receiving team allocates within 2
    /// working days, as its own step; the three-way meeting follows the allocation.
    func testTheReceivingTeamAllocatesWithinTwoWorkingDaysOfTheEndorsement_002_11_4() throws {
        try h.expectOK(["case", "allocate", "YP-0001", "--to", "pat", "--team", "North"], as: "mo")
        try h.expectFailure(["record", "YP-0001", "team-transfer-endorsed", "--date", "2026-11-23", "--team", "South"],
                            as: "pat", status: 77, message: "a manager does")
        try h.expectFailure(["record", "YP-0001", "team-transfer-endorsed", "--date", "2026-11-23"], as: "mo",
                            status: 64, message: "needs --team TEAM")
        try h.expectOK(["record", "YP-0001", "team-transfer-endorsed", "--date", "2026-11-23", "--team", "South"],
                       as: "mo")
        let owed = try h.expectOK(["due", "--json"]).json?.arrayValue?.first
        XCTAssertEqual(owed?["rule"], "receiving-team-allocation")
        XCTAssertEqual(owed?["due"]?.stringValue?.prefix(10), "2026-11-25", "two working days")
        try h.expectOK(["case", "allocate", "YP-0001", "--to", "lee", "--team", "South", "--reason", "Endorsed"],
                       as: "mo")
        XCTAssertEqual(try due(), ["three-way-meeting"])
        XCTAssertEqual(try due(as: nil, ["--all"]).sorted(), ["receiving-team-allocation", "three-way-meeting"])
    }
}

/// `ap status` counts the rows that can add nothing but their count without decoding them
/// (issue 29); a case whose only tie to the user is being its manager or co-worker is still
/// read, and every case is counted.
final class StatusCountsTests: XCTestCase {
    func testACaseTiedToTheUserOnlyByAllocationStillCounts() throws {
        let h = try Harness()
        for id in ["YP-1", "YP-2", "YP-3"] {
            try h.expectOK(["case", "new", id, "--name", "Sam Lee", "--dob", "2010-01-01"], as: "bo")
            try h.expectOK(["case", "update", id, "social-care=known"], as: "mo")
        }
        try h.expectOK(["case", "allocate", "YP-1", "--to", "pat", "--co", "kim"], as: "mo")
        XCTAssertEqual(try h.expectOK(["due", "--json"]).json, .array([]), "nothing owed: rows to count")
        let pat = try h.expectOK(["status", "--json"], as: "pat").json
        XCTAssertEqual(pat?["cases"], 3)
        XCTAssertEqual(pat?["managing"], 1)
        XCTAssertEqual(try h.expectOK(["status", "--json"], as: "kim").json?["coWorking"], 1)
        XCTAssertEqual(try h.expectOK(["status", "--json"], as: "lee").json?["managing"], 0)
        XCTAssertEqual(try h.expectOK(["status", "--json"]).json?["cases"], 3)
    }
}
