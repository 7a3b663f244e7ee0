import Foundation
import XCTest

@testable import APModel

/// The stage and transfer safeguards (domain.md, "Stage rules by kind"; 000 §19, 001 §§2,
/// 11, 13, 15, 002 §12), each rule both ways.
final class SafeguardTests: XCTestCase {
    let calendar = WorkingDays()
    func day(_ s: String) -> Day { Day(s)! }

    func testCourtStagesAreAlwaysCountersigned() throws {
        var f = Fixture()
        f.config.countersignKinds = Config.courtKinds
        try f.newCase()
        try f.startStage("bail-recommendation")
        try f.set([("bail.package", "tag and curfew")])
        try f.submit()
        XCTAssertEqual(try f.state.stages[0].criteria, ["court-stage"])
        XCTAssertEqual(try f.state.stages[0].status, .awaitingCountersignature)
        // Not a court stage: completes when nothing else applies.
        var g = Fixture()
        g.config.countersignKinds = Config.courtKinds
        try g.newCase()
        try g.startStage("pre-release")
        try g.set([("leaving-custody.release-address", "with aunt")])
        try g.submit()
        XCTAssertEqual(try g.state.stages[0].status, .completed)
        XCTAssertEqual(
            Config(yotCode: "X", yotName: "X", admin: User(id: "a", name: "A", roles: [.admin])).countersignKinds,
            ["psr", "bail-recommendation", "post-court-report"])
    }

    func testADueDateEarlierThanTheTimescaleSetsTheDeadline() {
        // Started Monday 2 Nov 2026: 15 working days end on Monday 23 Nov.
        let byTimescale = Deadline.of(
            started: day("2026-11-02"), clockStart: nil, dueDate: nil, timescale: 15,
            today: day("2026-11-20"), calendar: calendar)
        XCTAssertEqual(byTimescale.due.description, "2026-11-23")
        XCTAssertEqual(byTimescale.basis, "timescale")
        XCTAssertEqual(byTimescale.left, 1)
        let court = Deadline.of(
            started: day("2026-11-02"), clockStart: nil, dueDate: day("2026-11-18"), timescale: 15,
            today: day("2026-11-20"), calendar: calendar)
        XCTAssertEqual(court.due.description, "2026-11-18")
        XCTAssertEqual(court.basis, "due-date")
        XCTAssertEqual(court.left, -2)
        XCTAssertTrue(court.overdue)
        let later = Deadline.of(
            started: day("2026-11-02"), clockStart: nil, dueDate: day("2026-12-18"), timescale: 15,
            today: day("2026-11-20"), calendar: calendar)
        XCTAssertEqual(later.basis, "timescale", "a due date after the timescale changes nothing")
        // A Case Closure counts from the end of involvement (001 §6.21).
        let closure = Deadline.of(
            started: day("2026-11-16"), clockStart: day("2026-11-09"), dueDate: nil, timescale: 15,
            today: day("2026-11-20"), calendar: calendar)
        XCTAssertEqual(closure.start.description, "2026-11-09")
        XCTAssertEqual(closure.elapsed, 9)
        XCTAssertEqual(closure.due.description, "2026-11-30")
    }

    func testTimescalesByKindAndStartOptionsAreValidated() throws {
        var config = Fixture().config
        try config.setTimescale(kind: "bail-recommendation", days: 2)
        XCTAssertEqual(config.timescale(for: "bail-recommendation"), 2)
        XCTAssertEqual(config.timescale(for: "review"), 15)
        XCTAssertThrowsAPError(try config.setTimescale(kind: "review", days: 0), "data", "1 to 100")
        try config.setTimescale(kind: "bail-recommendation", days: nil)
        XCTAssertEqual(config.timescale(for: "bail-recommendation"), 15)
        var f = Fixture()
        try f.newCase()
        let c = f.config
        func start(_ kind: String, _ options: StageRules.StartOptions) throws {
            try f.act("pat") { s, a in
                try StageRules.start(
                    s, kind: try c.stageKind(kind), owner: c.users["pat"]!, options: options, stageID: "st-1",
                    actor: a, config: c, today: Day("2026-11-02")!)
            }
        }
        XCTAssertThrowsAPError(
            try start("review", .init(involvementEnded: day("2026-10-30"))), "usage", "goes with a Case Closure")
        XCTAssertThrowsAPError(try start("review", .init(due: day("2026-10-30"))), "usage", "in the past")
        try start("case-closure", .init(due: day("2026-11-20"), involvementEnded: day("2026-10-30")))
        XCTAssertEqual(try f.state.stages[0].due?.description, "2026-11-20")
        XCTAssertEqual(try f.state.stages[0].involvementEnded?.description, "2026-10-30")
    }

    func testOnlyAManagerOfTheHomeYOTChangesLookedAfterWithAReasonAndBasis() throws {
        let f = Fixture()
        var state = CaseState(id: "YP-1", createdAt: Timestamp("2026-11-02T09:00:00.000Z")!)
        state.home = YOT(code: "BARNET", name: "Barnet")
        func update(
            _ user: String, _ value: String, basis: String?, reason: String?, here: String = "BARNET"
        ) throws -> Change {
            try CaseRules.update(
                state, fields: [("looked-after", value)], today: day("2026-11-02"),
                lookedAfter: .init(basis: basis, reason: reason, actor: f.actor(user), here: here))
        }
        XCTAssertThrowsAPError(
            try update("pat", "yes", basis: "care-order", reason: "x"), "permission", "only a manager")
        XCTAssertThrowsAPError(
            try update("bo", "yes", basis: "care-order", reason: "x"), "permission", "only a manager")
        XCTAssertThrowsAPError(
            try update("mo", "yes", basis: "care-order", reason: "x", here: "NOTTS"), "permission",
            "changed by the home YOT (BARNET)")
        XCTAssertThrowsAPError(try update("mo", "yes", basis: "care-order", reason: nil), "usage", "needs --reason")
        XCTAssertThrowsAPError(
            try update("mo", "yes", basis: nil, reason: "x"), "usage", "care-order, section-20, remand, other")
        XCTAssertThrowsAPError(
            try update("mo", "no", basis: "remand", reason: "x"), "usage", "--basis goes with looked-after=yes")
        let change = try update("mo", "yes", basis: "section-20", reason: "Accommodated by agreement")
        XCTAssertEqual(change.payload["lookedAfterBasis"], "section-20")
        XCTAssertEqual(change.payload["reason"], "Accommodated by agreement")
        // Other fields stay open to everyone who could change them; --reason alone is refused.
        XCTAssertNoThrow(try CaseRules.update(state, fields: [("name", "A B")], today: day("2026-11-02")))
        XCTAssertThrowsAPError(
            try CaseRules.update(
                state, fields: [("name", "A B")], today: day("2026-11-02"),
                lookedAfter: .init(basis: nil, reason: "x", actor: f.actor("mo"), here: "BARNET")),
            "usage", "go with looked-after")
    }

    func testLookedAfterBasisIsDerivedAndUnspecifiedWhenOpenedSo() throws {
        var f = Fixture()
        try f.newCase(lookedAfter: true)
        XCTAssertTrue(try f.state.lookedAfter)
        XCTAssertNil(try f.state.lookedAfterBasis)
        XCTAssertNil(try f.state.json["lookedAfterBasis"], "files from before the change keep their state")
        try f.act("mo") { s, a in
            try CaseRules.update(
                s, fields: [("looked-after", "yes")], today: Day("2026-11-02")!,
                lookedAfter: .init(basis: "care-order", reason: "order made", actor: a, here: "BARNET"))
        }
        XCTAssertEqual(try f.state.lookedAfterBasis, "care-order")
        try f.act("mo") { s, a in
            try CaseRules.update(
                s, fields: [("looked-after", "no")], today: Day("2026-11-02")!,
                lookedAfter: .init(basis: nil, reason: "order discharged", actor: a, here: "BARNET"))
        }
        XCTAssertNil(try f.state.lookedAfterBasis)
    }

    /// A case at Barnet with a completed transfer stage answered by `answeredBy`.
    func transferReady(answeredBy: String = "pat", values: String = "answered") throws -> Fixture {
        var f = Fixture()
        try f.newCase()
        try f.startStage("transfer-yot-to-yot", owner: answeredBy == "lee" ? "lee" : "pat")
        try f.set(StageKind.transferQuestions.map { ($0, values) } + EntryTests.summary, by: answeredBy)
        try f.submit(by: answeredBy)
        return f
    }

    func send(_ f: inout Fixture, by user: String) throws {
        let config = f.config
        try f.act(user) { s, a in
            try TransferRules.send(
                s, kind: .caretaking, to: YOT(code: "NOTTS", name: "Notts"), here: YOT(code: "BARNET", name: "B"),
                transferID: "t-\(s.transfers.count)", actor: a, config: config)
        }
    }

    func testTransfersAreQualityAssuredByASecondManager() throws {
        var f = try transferReady(answeredBy: "lee")
        XCTAssertThrowsAPError(try send(&f, by: "lee"), "permission", "owns the Transfer YOT to YOT stage")
        try send(&f, by: "mo")
        // A manager who answered any of the stage's questions does not send it either.
        var h = Fixture()
        try h.newCase()
        try h.startStage("transfer-yot-to-yot")
        try h.set(StageKind.transferQuestions.map { ($0, "answered") } + EntryTests.summary)
        try h.set([("transition-help", "a handover")], by: "mo")
        try h.submit()
        XCTAssertThrowsAPError(try send(&h, by: "mo"), "permission", "answered the Transfer YOT to YOT stage")
        h.config.policy.transferNeedsSecondManager = false
        try send(&h, by: "mo")
    }

    func testATransferStageWithYetToClarifyOrOlderThanTheLastTransferIsRefused() throws {
        var f = try transferReady(values: "yet-to-clarify")
        XCTAssertThrowsAPError(
            try send(&f, by: "mo"), "refused", "still has yet-to-clarify answers: reason-for-transfer")
        var g = try transferReady()
        try send(&g, by: "mo")
        try g.act("lee") { s, a in
            try TransferRules.reject(
                s, transferID: "t-0", reason: "level-of-completeness", detail: nil,
                here: YOT(code: "NOTTS", name: "N"), actor: a)
        }
        XCTAssertThrowsAPError(try send(&g, by: "mo"), "refused", "before the last transfer")
    }

    func testAnUpdateIsRefusedWhileAStageIsOpenUnlessSuperseded() throws {
        var f = Fixture()
        try f.newCase()
        XCTAssertNil(
            try TransferRules.makeRoomForUpdate(
                f.state, transferID: "t-1", from: YOT(code: "NOTTS", name: "N"),
                supersede: false, actor: f.actor("mo"), config: f.config))
        try f.startStage("review")
        XCTAssertThrowsAPError(
            try TransferRules.makeRoomForUpdate(
                f.state, transferID: "t-1", from: YOT(code: "NOTTS", name: "N"), supersede: false,
                actor: f.actor("mo"), config: f.config),
            "refused", "this YOT has stage st-")
        let stop = try TransferRules.makeRoomForUpdate(
            f.state, transferID: "t-1", from: YOT(code: "NOTTS", name: "N"),
            supersede: true, actor: f.actor("mo"), config: f.config)
        XCTAssertEqual(stop?.payload["supersede"], true)
    }

    /// The host's stage overlaps in time with the home's open one, either way round: the
    /// home's stage is stopped by the accepting manager, the host's completes.
    func testASupersededStageIsStoppedByTheAcceptingManagerWhateverTheOrder() throws {
        func event(_ id: String, _ minutes: Int, _ by: String, _ type: String, _ payload: [String: JSONValue]) -> Event
        {
            Event(
                id: id, at: Timestamp("2026-11-02T09:00:00.000Z")!.adding(millis: Int64(minutes) * 60_000), by: by,
                osUser: "t", type: type, payload: payload)
        }
        let created = event(
            "e0", 0, "bo", EventType.caseCreated, ["name": "J", "dob": "2010-01-01", "lookedAfter": false])
        let home = event("h1", 10, "pat", EventType.stageStarted, ["stage": "home", "kind": "review", "owner": "pat"])
        for hostStart in [5, 20] {
            let host = [
                event(
                    "n1", hostStart, "kim", EventType.stageStarted,
                    ["stage": "host", "kind": "review", "owner": "kim"]),
                event("n2", 30, "kim", EventType.stageSubmitted, ["stage": "host", "criteria": []]),
            ]
            let stop = event(
                "h2", 40, "mo", EventType.stageStopped, ["stage": "home", "reason": "superseded", "supersede": true])
            let state = try CaseState.derive(id: "YP-1", events: [created, home] + host + [stop])
            XCTAssertEqual(state.stage("host")?.status, .completed, "host started at \(hostStart)")
            XCTAssertEqual(state.stage("home")?.status, .stopped)
            XCTAssertEqual(state.stage("home")?.stoppedBy, "mo")
            XCTAssertNil(state.openStage)
            // Without the supersede stop, the merge rule stops the earlier stage as before.
            let plain = try CaseState.derive(id: "YP-1", events: [created, home] + host)
            XCTAssertEqual(plain.stages.filter { $0.stopReason == Merge.supersededReason }.count, 1)
        }
    }

    func testCaretakingReviewsAreForHomeManagersWithinTheLimit() throws {
        var state = CaseState(id: "YP-1", createdAt: Timestamp("2026-11-02T09:00:00.000Z")!)
        let f = Fixture()
        func review(_ next: String, by user: String = "mo", here: String = "BARNET") throws -> Change {
            try TransferRules.reviewCaretaking(
                state, next: day(next), note: nil, here: YOT(code: here, name: here),
                actor: f.actor(user), today: day("2026-11-23"), months: 3)
        }
        state.home = YOT(code: "BARNET", name: "B")
        XCTAssertThrowsAPError(try review("2027-01-10"), "refused", "not in caretaking")
        state.host = YOT(code: "NOTTS", name: "N")
        XCTAssertThrowsAPError(try review("2027-01-10", by: "pat"), "permission", "home YOT's managers")
        XCTAssertThrowsAPError(try review("2027-01-10", here: "NOTTS"), "permission", "this YOT is host")
        XCTAssertThrowsAPError(try review("2027-03-01"), "usage", "no later than 2027-02-23")
        XCTAssertThrowsAPError(try review("2026-11-20"), "usage", "after today")
        XCTAssertEqual(try review("2027-02-23").payload["next"], "2027-02-23")
    }

    func testACopyNoLongerHeldKeepsNoStageOpen() throws {
        var state = CaseState(id: "YP-1", createdAt: Timestamp("2026-11-02T09:00:00.000Z")!)
        state.home = YOT(code: "NOTTS", name: "N")
        state.stages = [Stage(id: "st-1", kind: "review", owner: "pat", startedAt: state.createdAt, startedBy: "pat")]
        let stop = StageRules.stopOnRelease(state, here: "BARNET", reason: StageRules.transferredReason)
        XCTAssertEqual(stop?.payload["reason"], "transferred")
        XCTAssertNil(StageRules.stopOnRelease(state, here: "NOTTS", reason: "x"), "the holder keeps its stage")
    }

    func testIdentitiesQualifyAnotherYOTsUsers() throws {
        var ours = Event(
            id: "a", at: Timestamp("2026-11-02T09:00:00.000Z")!, by: "pat", osUser: "t", type: "x", payload: [:])
        ours.yot = "BARNET"
        ours.byName = "Pat Jones"
        var theirs = Event(
            id: "b", at: Timestamp("2026-11-02T10:00:00.000Z")!, by: "pat", osUser: "t", type: "x", payload: [:])
        theirs.yot = "NOTTS"
        theirs.byName = "Pat Lee"
        let old = Event(
            id: "c", at: Timestamp("2026-11-02T11:00:00.000Z")!, by: "kim", osUser: "t", type: "x", payload: [:])
        let ids = Identities(events: [ours, theirs, old], here: "BARNET")
        XCTAssertEqual(ids.show(ours), "pat")
        XCTAssertEqual(ids.show(theirs), "pat@NOTTS (Pat Lee)")
        XCTAssertEqual(ids.show(old), "kim")
        XCTAssertEqual(ids.show("pat", at: theirs.at), "pat@NOTTS (Pat Lee)")
        XCTAssertEqual(ids.id("pat", at: theirs.at), "pat@NOTTS")
        let stage: JSONValue = [
            "owner": "pat", "startedBy": "pat", "startedAt": .string(theirs.at.description),
            "answers": ["rosh": ["value": "low", "by": "pat", "at": .string(ours.at.description)]],
        ]
        let q = ids.qualify(stage: stage)
        XCTAssertEqual(q["owner"], "pat@NOTTS")
        XCTAssertEqual(q["answers"]?["rosh"]?["by"], "pat")
        // Events round-trip with their YOT and name, through both writers.
        let file = try CaseFile(
            id: "YP-1",
            events: [
                Event(
                    id: "e0", at: ours.at.adding(millis: -1), by: "bo", osUser: "t", type: EventType.caseCreated,
                    payload: ["name": "J", "dob": "2010-01-01", "lookedAfter": false])
            ]
                + [ours, theirs].map {
                    var e = $0
                    e.type = EventType.caseUpdated
                    e.payload = ["name": "K"]
                    return e
                })
        let again = try CaseFile(bytes: file.bytes)
        XCTAssertEqual(again.events, file.events)
        XCTAssertEqual(file.bytes, JSONWriter.pretty(file.json))
    }

    func testOwnersOfAnotherYOTAreNotOurs() throws {
        var stage = Stage(
            id: "st-1", kind: "review", owner: "pat", startedAt: Timestamp("2026-11-02T09:00:00.000Z")!,
            startedBy: "pat")
        let ourPat = Actor(user: User(id: "pat", name: "Pat", roles: [.practitioner]), osUser: "t", yot: "BARNET")
        XCTAssertTrue(stage.isOwned(by: ourPat), "a stage from before YOTs were recorded")
        stage.ownerYOT = "NOTTS"
        XCTAssertFalse(stage.isOwned(by: ourPat))
        stage.ownerYOT = "BARNET"
        XCTAssertTrue(stage.isOwned(by: ourPat))
    }

    /// A case file written before this change (the sample repository of the previous
    /// release): it loads, its bytes round-trip unchanged, and it shows as before.
    func testACaseFileFromBeforeTheChangeLoadsUnchanged() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/before-safeguards-YP-0002.json")
        let bytes = Array(try Data(contentsOf: url))
        let file = try CaseFile(bytes: bytes)
        XCTAssertEqual(file.bytes, bytes)
        XCTAssertTrue(file.state.lookedAfter)
        XCTAssertNil(file.state.lookedAfterBasis)
        XCTAssertTrue(file.events.allSatisfy { $0.yot == nil })
        XCTAssertNil(file.state.stages.first?.ownerYOT)
    }
}
