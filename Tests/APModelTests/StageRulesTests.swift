@testable import APModel
import XCTest

final class StageRulesTests: XCTestCase {
    func testDerivationFollowsTheLifecycle() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage()
        try f.set([("rosh", "low"), ("pfs.health", "x")])
        try f.submit()
        let stage = try f.state.stages[0]
        XCTAssertEqual(stage.status, .awaitingCountersignature)
        XCTAssertEqual(stage.criteria, ["rosh"])
        XCTAssertEqual(try f.state.openStage?.id, stage.id)
        try f.act("mo") { s, a in try CountersignRules.countersign(s, stageID: nil, comment: "ok", actor: a) }
        let done = try f.state.stages[0]
        XCTAssertEqual(done.status, .completed)
        XCTAssertEqual(done.countersignedBy, "mo")
        XCTAssertNil(try f.state.openStage)
    }

    func testDerivationIsIndependentOfStoredOrder() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage()
        try f.set([("rosh", "low")])
        try f.set([("rosh", "high")], by: "mo")
        let forward = try f.state
        let backward = try CaseState.derive(id: "YP-1", events: f.events.reversed())
        XCTAssertEqual(forward, backward)
        XCTAssertEqual(forward.stages[0].answers["rosh"]?.value, "high")
    }

    func testStartRefusedWhileAStageIsOpenIncludingAwaitingCountersignature() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage()
        XCTAssertThrowsAPError(try f.startStage("review"), "refused", "already has a stage in-progress")
        try f.set([("rosh", "low")])
        try f.submit()
        XCTAssertThrowsAPError(try f.startStage("review"), "refused", "already has a stage awaiting-countersignature")
    }

    func testOnlyManagersStop() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage()
        let config = f.config
        XCTAssertThrowsAPError(try f.act("pat") { s, a in try StageRules.stop(s, reason: "x", actor: a, config: config) }, "permission", "only managers")
        XCTAssertThrowsAPError(try f.act("bo") { s, a in try StageRules.stop(s, reason: "x", actor: a, config: config) }, "permission", "only managers")
        try f.act("mo") { s, a in try StageRules.stop(s, reason: "sickness", actor: a, config: config) }
        XCTAssertEqual(try f.state.stages[0].status, .stopped)
        try f.startStage("bail-recommendation")
    }

    func testContributorsOutsideTheStageCannotUpdate() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage()
        XCTAssertThrowsAPError(try f.set([("rosh", "low")], by: "kim"), "permission", "owned by 'pat'")
        try f.set([("rosh", "low")], by: "bo")
        try f.set([("saw", "low")], by: "mo")
    }

    func testPullForwardTakesTheLatestCompletedOrStoppedStageOrTheOneNamed() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage()
        try f.set([("pfs.health", "first")])
        try f.submit()
        try f.startStage("review")
        try f.set([("pfs.health", "work done before the stop"), ("pfs.education", "attends")])
        let config = f.config
        try f.act("mo") { s, a in try StageRules.stop(s, reason: "re-allocation: sickness", actor: a, config: config) }
        // 001 §2.3: the new owner starts from the work done in the stopped stage.
        try f.startStage("review", owner: "kim", by: "mo")
        let stage = try f.state.stages[2]
        XCTAssertEqual(stage.answers["pfs.health"]?.value, "work done before the stop")
        XCTAssertEqual(stage.answers["pfs.health"]?.pulled, true)
        XCTAssertEqual(stage.pulledFrom, try f.state.stages[1].id)
        XCTAssertEqual(stage.filledBy, [])
        // --pull-from names an earlier stage instead; a stage that does not exist is refused.
        try f.act("mo") { s, a in try StageRules.stop(s, reason: "restart", actor: a, config: config) }
        let first = try f.state.stages[0].id
        let kind = try config.stageKind("review")
        func start(_ options: StageRules.StartOptions) throws {
            let id = "st-x\(f.counter)"
            try f.act("pat") { s, a in
                try StageRules.start(s, kind: kind, owner: config.users["pat"]!, options: options, stageID: id,
                        actor: a, config: config)
            }
        }
        XCTAssertThrowsAPError(try start(.init(pullFrom: "st-nope")), "not-found", "no stage 'st-nope' to pull from")
        XCTAssertThrowsAPError(try start(.init(pullForward: false, pullFrom: first)), "usage", "contradict")
        try start(.init(pullFrom: first))
        XCTAssertEqual(try f.state.openStage?.answers["pfs.health"]?.value, "first")
        XCTAssertNil(try f.state.openStage?.answers["pfs.education"])
    }

    func testMergedHistoryWithTwoOpenStagesStopsTheEarlier() throws {
        var a = Fixture()
        try a.newCase()
        var b = a
        try a.startStage("psr")
        b.counter = 100
        b.clock = b.clock.adding(millis: 30_000)
        try b.startStage("review", owner: "kim")
        let merged = try CaseState.derive(id: "YP-1", events: a.events + b.events.dropFirst())
        XCTAssertEqual(merged.stages.map(\.status), [.stopped, .inProgress])
        XCTAssertEqual(merged.stages[0].stopReason, "superseded in merge")
        XCTAssertEqual(merged.openStage?.kind, "review")
    }

    func testDerivationRejectsHistoriesThatCannotBe() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage()
        XCTAssertThrowsAPError(try CaseState.derive(id: "YP-1", events: Array(f.events.dropFirst())), "data", "first event")
        var unknown = f.events
        unknown[1].type = "stage.teleported"
        XCTAssertThrowsAPError(try CaseState.derive(id: "YP-1", events: unknown), "data", "unknown event type 'stage.teleported'")
        var dangling = f.events
        dangling.append(Event(id: "z", at: f.clock.adding(millis: 1), by: "pat", osUser: "t", type: EventType.stageAnswered,
                              payload: ["stage": "st-none", "answers": ["a": "b"]]))
        XCTAssertThrowsAPError(try CaseState.derive(id: "YP-1", events: dangling), "data", "no stage 'st-none'")
        XCTAssertThrowsAPError(try CaseState.derive(id: "YP-1", events: []), "data", "has no events")
    }

    func testCaseFileRoundTripsAndChecksItsState() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage()
        let file = try CaseFile(id: "YP-1", events: f.events)
        XCTAssertEqual(try CaseFile(bytes: file.bytes), file)
        var json = file.json.objectValue!
        var state = json["state"]!.objectValue!
        state["name"] = "Someone Else"
        json["state"] = .object(state)
        XCTAssertThrowsAPError(try CaseFile(json: .object(json)), "data", "disagrees")
    }

    func testCaseIdsAndShards() throws {
        XCTAssertEqual(try CaseID.normalize("yp-0042"), "YP-0042")
        for bad in ["", "../x", "a/b", "-a", "a b", "é", String(repeating: "9", count: 33)] {
            XCTAssertThrowsError(try CaseID.normalize(bad), bad)
        }
        XCTAssertEqual(CaseID.shard("YP-0042").count, 2)
        XCTAssertEqual(CaseID.shard("YP-0042"), CaseID.shard("YP-0042"))
        let shards = Set((0..<5000).map { CaseID.shard("YP-\($0)") })
        XCTAssertGreaterThan(shards.count, 200, "ids should spread over the 256 shard folders")
    }
}
