import APModel
import Foundation
import XCTest

/// Stage safeguards in one repository: pull forward after a stop, court stages, timescales
/// and due dates, looked-after changes, the whole case in view.
final class SafeguardCommandTests: XCTestCase {
    func testPullForwardAfterAStopNamesItsSource() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        try h.expectOK(["stage", "set", "YP-0001", "pfs.health=asthma", "pfs.education=attends"], as: "pat")
        try h.expectOK(["stage", "stop", "YP-0001", "--reason", "re-allocation: sickness"], as: "mo")
        let r = try h.expectOK(["stage", "new", "YP-0001", "--kind", "review", "--owner", "kim"], as: "mo").stdout
        XCTAssertTrue(r.contains("2 answers pulled forward from st-") && r.contains("(Review, stopped)"), r)
        try h.expectOK(["stage", "stop", "YP-0001", "--reason", "again"], as: "mo")
        try h.expectFailure(
            ["stage", "new", "YP-0001", "--kind", "review", "--pull-from", "st-nope"], as: "pat", status: 66,
            message: "no stage 'st-nope' to pull from")
        try h.expectFailure(
            ["stage", "new", "YP-0001", "--kind", "review", "--due", "next week"], as: "pat", status: 64,
            message: "--due takes a date")
    }

    func testCourtStagesQueueWhateverTheirRatingsAndDueDatesShorten() throws {
        let h = try Harness()
        try h.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "bail-recommendation", "--due", "2026-11-05"], as: "pat")
        try h.expectOK(["stage", "set", "YP-0001", "bail.package=Curfew and tag"], as: "pat")
        let submitted = try h.expectOK(["stage", "submit", "YP-0001"], as: "pat").stdout
        XCTAssertTrue(submitted.contains("a court stage, always countersigned"), submitted)
        h.now = "2026-11-09T09:00:00.000Z"
        let q = try h.expectOK(["queue", "--json"], as: "mo").json?.arrayValue ?? []
        XCTAssertEqual(q.first?["criteria"], ["court-stage"])
        XCTAssertEqual(q.first?["due"], "2026-11-05")
        XCTAssertEqual(q.first?["dueBy"], "due-date")
        XCTAssertEqual(q.first?["overdue"], true)
        let text = try h.expectOK(["queue"], as: "mo").stdout
        XCTAssertTrue(
            text.contains("-2*") && text.contains("court") && text.contains("* LEFT counts to the stage's due date"),
            text)
        let overdue = try h.expectOK(["report", "overdue", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(overdue.first?["dueBy"], "due-date")
        // A kind's own timescale, then the default again.
        try h.expectOK(["config", "countersign-kinds", "none"], as: "alex")
        try h.expectOK(["config", "timescale", "review", "5"], as: "alex")
        try h.expectFailure(["config", "timescale", "review", "soon"], as: "alex", status: 64, message: "whole number")
        try h.expectOK(["case", "new", "YP-0002", "--name", "Casey Brown", "--dob", "2010-07-01"], as: "bo")
        try h.expectOK(["stage", "new", "YP-0002", "--kind", "review"], as: "kim")
        let progress = try h.expectOK(["report", "in-progress", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(progress.first { $0["case"] == "YP-0002" }?["due"], "2026-11-16")
        XCTAssertEqual(progress.first { $0["case"] == "YP-0002" }?["dueBy"], "timescale")
    }

    func testLookedAfterChangesAreForHomeManagersWithAReason() throws {
        let h = try Harness()
        try h.expectOK(
            ["case", "new", "YP-0001", "--name", "Casey Brown", "--dob", "2010-07-01", "--looked-after"], as: "bo")
        XCTAssertTrue(try h.expectOK(["case", "show", "YP-0001"]).stdout.contains("yes (basis unspecified)"))
        for user in ["pat", "bo"] {
            try h.expectFailure(
                ["case", "update", "YP-0001", "looked-after=no", "--reason", "x"], as: user, status: 77,
                message: "only a manager of the home YOT")
        }
        try h.expectFailure(
            ["case", "update", "YP-0001", "looked-after=yes", "--basis", "care-order"], as: "mo", status: 64,
            message: "needs --reason")
        try h.expectOK(
            ["case", "update", "YP-0001", "looked-after=yes", "--basis", "care-order", "--reason", "Care order made"],
            as: "mo")
        XCTAssertTrue(try h.expectOK(["case", "show", "YP-0001"]).stdout.contains("Looked after:  yes (care-order)"))
        XCTAssertEqual(try h.expectOK(["case", "show", "YP-0001", "--json"]).json?["lookedAfterBasis"], "care-order")
        let log = try h.expectOK(["log", "YP-0001"], env: ["COLUMNS": "200"]).stdout
        XCTAssertTrue(log.contains("looked-after yes (care-order): Care order made"), log)
    }

    func testTheWholeCaseInView() throws {
        let h = try Harness()
        try h.caseWithStage()
        XCTAssertTrue(try h.expectOK(["case", "show", "YP-0001"]).stdout.contains("social-care status unrecorded"))
        try h.expectOK(["case", "update", "YP-0001", "social-care=known"], as: "pat")
        try h.expectOK(
            ["stage", "set", "YP-0001", "rosh=high", "saw=low", "lor=low", "scaled-approach=intensive"], as: "pat")
        try h.evidence(for: ["rosh=high"])
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        var show = try h.expectOK(["case", "show", "YP-0001"]).stdout
        XCTAssertTrue(show.contains("Needs attention:") && show.contains("awaits countersignature"), show)
        try h.expectOK(["countersign", "YP-0001", "--return", "Explain the RoSH"], as: "mo")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectOK(["countersign", "YP-0001", "--comment", "Agreed"], as: "lee")
        show = try h.expectOK(["case", "show", "YP-0001"]).stdout
        for part in ["submitted ", "returned ", "by mo: Explain the RoSH", "countersigned ", "by lee: Agreed"] {
            XCTAssertTrue(show.contains(part), "\(part) in\n\(show)")
        }
        XCTAssertFalse(show.contains("Needs attention:"), show)
    }
}

/// Transfer safeguards and identities, with two repositories.
final class TransferSafeguardTests: TwoYOTs {
    func testASecondManagerSendsAndAStaleOrUnclearStageIsRefused() throws {
        try barnet.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
        try barnet.expectOK(["stage", "new", "YP-0001", "--kind", "transfer-yot-to-yot"], as: "lee")
        try barnet.expectOK(
            ["stage", "set", "YP-0001"] + StageKind.transferQuestions.map { "\($0)=yet-to-clarify" }
                + transferSummary.map { "\($0.0)=\($0.1)" }, as: "lee")
        try barnet.expectOK(["stage", "submit", "YP-0001"], as: "lee")
        let send = [
            "transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name", "Nottinghamshire YJS", "--kind", "caretaking",
            "--out", outbox!,
        ]
        try barnet.expectFailure(send, as: "mo", status: 1, message: "still has yet-to-clarify answers")
        try barnet.expectOK(["stage", "new", "YP-0001", "--kind", "transfer-yot-to-yot"], as: "lee")
        try barnet.expectOK(
            ["stage", "set", "YP-0001"] + StageKind.transferQuestions.map { "\($0)=settled" }, as: "lee")
        try barnet.expectOK(["stage", "submit", "YP-0001"], as: "lee")
        try barnet.expectFailure(send, as: "lee", status: 77, message: "another manager QAs and sends it")
        let sent = try packaged(barnet, Array(send.dropLast(2)))
        try notts.takeIn(sent.json)
        try barnet.expectOK(
            [
                "transfer", "import",
                try packaged(
                    notts,
                    [
                        "transfer", "reject", sent.transfer!, "--reason",
                        "level-of-completeness",
                    ]
                ).json,
            ], as: "bo")
        try barnet.expectFailure(send, as: "mo", status: 1, message: "before the last transfer")
    }

    func testAnUpdateIsRefusedWhileAStageIsOpenAndSupersedeNamesTheManager() throws {
        try inCaretaking()
        // Home starts a stage; the host completes one and sends it.
        barnet.now = "2026-11-03T09:00:00.000Z"
        try barnet.expectOK(["stage", "new", "YP-0001", "--kind", "prevention", "--no-pull-forward"], as: "pat")
        notts.now = "2026-11-04T09:00:00.000Z"
        try notts.expectOK(["stage", "new", "YP-0001", "--kind", "prevention", "--no-pull-forward"], as: "pat")
        try notts.expectOK(["stage", "set", "YP-0001", "pfs.education=settled at school"], as: "pat")
        try notts.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        let update = try packaged(notts, ["transfer", "send", "YP-0001", "--update"])
        barnet.now = "2026-11-05T09:00:00.000Z"
        try barnet.takeIn(update.json)
        try barnet.expectFailure(
            ["transfer", "accept", update.transfer!, "--out", outbox], as: "mo", status: 1,
            message: "finish it first, or accept with --supersede")
        try packaged(barnet, ["transfer", "accept", update.transfer!, "--supersede"])
        let stages = try barnet.loadCase("YP-0001").state.stages.filter { $0.kind == "prevention" }
        XCTAssertEqual(stages.map(\.status), [.stopped, .completed])
        XCTAssertEqual(stages.first?.stoppedBy, "mo")
        // Another YOT's users are qualified wherever they appear.
        let show = try barnet.expectOK(["stage", "show", "YP-0001"]).stdout
        XCTAssertTrue(show.contains("pat@NOTTS (Pat Jones)"), show)
        let json = try barnet.expectOK(["stage", "show", "YP-0001", "--json"]).json
        XCTAssertEqual(json?["owner"], "pat@NOTTS")
        XCTAssertEqual(json?["answers"]?["pfs.education"]?["by"], "pat@NOTTS")
        let log = try barnet.expectOK(["log", "YP-0001"], env: ["COLUMNS": "200"]).stdout
        XCTAssertTrue(log.contains("pat@NOTTS") && log.contains("caretaking t-") && log.contains("(NOTTS)"), log)
        let mine = try notts.expectOK(["stage", "show", "YP-0001"]).stdout
        XCTAssertFalse(mine.contains("@NOTTS"), "a YOT's own users stay plain:\n\(mine)")
        XCTAssertTrue(mine.contains("@BARNET") || !mine.contains("by mo"), mine)
    }

    func testReleasedCopiesStopTheirStagesAndCaretakingReviews() throws {
        try inCaretaking()
        // A review of the arrangement moves the date 'report caretaking' counts from.
        try notts.expectFailure(
            ["caretake", "review", "YP-0001", "--next", "2027-01-15"], as: "mo", status: 77,
            message: "this YOT is host")
        try barnet.expectOK(
            ["caretake", "review", "YP-0001", "--next", "2027-01-15", "--note", "Placement stable"], as: "mo")
        XCTAssertEqual(try barnet.loadCase("YP-0001").state.reviewDate?.description, "2027-01-15")
        barnet.now = "2027-01-20T09:00:00.000Z"
        XCTAssertTrue(
            try barnet.expectOK(["case", "show", "YP-0001"]).stdout.contains("caretaking review was due 2027-01-15"))
        XCTAssertEqual(
            try barnet.expectOK(["report", "caretaking", "--json"]).json?.arrayValue?.first?["daysPast"], .int(5))
        // The host has a stage open when caretaking ends: its copy stops it.
        notts.now = "2027-01-20T09:00:00.000Z"
        try notts.expectOK(["stage", "new", "YP-0001", "--kind", "prevention"], as: "pat")
        let end = try packaged(barnet, ["caretake", "end", "YP-0001", "--outcome", "return-home"])
        try notts.takeIn(end.json)
        let stage = try notts.loadCase("YP-0001").state.stages.last
        XCTAssertEqual(stage?.status, .stopped)
        XCTAssertEqual(stage?.stopReason, "caretaking ended")
        XCTAssertEqual(try notts.expectOK(["report", "overdue", "--json"]).json?.arrayValue?.count, 0)
        let history = try barnet.expectOK(["case", "show", "YP-0001"]).stdout
        XCTAssertTrue(
            history.contains("Transfers and caretaking:") && history.contains("out caretaking to Nottinghamshire YJS")
                && history.contains("caretaking reviewed") && history.contains("caretaking ended"), history)
    }

    func testTheOldHomesOpenStageIsStoppedWhenTheTransferIsAccepted() throws {
        try readyToSend()
        let sent = try packaged(
            barnet,
            [
                "transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name", "Nottinghamshire YJS",
                "--kind", "complete",
            ])
        try barnet.expectOK(["stage", "new", "YP-0001", "--kind", "review"], as: "pat")
        try notts.takeIn(sent.json)
        let reply = try packaged(notts, ["transfer", "accept", sent.transfer!])
        try barnet.takeIn(reply.json)
        let stage = try barnet.loadCase("YP-0001").state.stages.last
        XCTAssertEqual(stage?.kind, "review")
        XCTAssertEqual(stage?.stopReason, "transferred")
        barnet.now = "2027-03-01T09:00:00.000Z"
        XCTAssertEqual(try barnet.expectOK(["report", "overdue", "--json"]).json?.arrayValue?.count, 0)
        XCTAssertEqual(try barnet.expectOK(["report", "in-progress", "--json"]).json?.arrayValue?.count, 0)
    }
}
