import XCTest

@testable import APModel

/// Two copies with different decisions on one stage or transfer (issue 15): the latest entry
/// wins, the merge records a merge.conflict once, and the merge laws hold.
final class DecisionConflictTests: XCTestCase {
    /// A case with a PSR awaiting countersignature, then two copies: one countersigned by mo,
    /// the other returned by lee, `returnLater` deciding which came last.
    func copies(returnLater: Bool) throws -> (CaseFile, CaseFile) {
        var f = Fixture()
        f.config.countersignKinds = ["psr"]
        try f.newCase()
        try f.startStage("psr")
        try f.submit()
        let base = f.events
        var a = f
        var b = f
        a.events = base
        b.events = base
        if returnLater {
            b.clock = b.clock.adding(millis: 3_600_000)
        } else {
            a.clock = a.clock.adding(millis: 3_600_000)
        }
        try a.act("mo") { s, actor in try CountersignRules.countersign(s, stageID: nil, comment: "Agreed", actor: actor)
        }
        try b.act("lee") { s, actor in
            try CountersignRules.returnForAmendment(s, stageID: nil, reason: "Add the victim's view", actor: actor)
        }
        // Distinct ids on each side, as two sites make.
        a.events[a.events.count - 1].id = "a-decision"
        b.events[b.events.count - 1].id = "b-decision"
        return (try CaseFile(id: "YP-1", events: a.events), try CaseFile(id: "YP-1", events: b.events))
    }

    func testTheLatestDecisionWinsAndTheConflictIsRecordedOnce() throws {
        let (signed, returned) = try copies(returnLater: true)
        let m = try Merge.merge(signed, returned, into: "YP-1")
        let stage = m.file.state.stages[0]
        XCTAssertEqual(stage.status, .inProgress, "the later return wins")
        XCTAssertNil(stage.countersignedAt)
        XCTAssertEqual(stage.returns.last?.by, "lee")
        XCTAssertEqual(m.file.state.needsReview.count, 1)
        XCTAssertEqual(m.file.state.needsReview[0].winner, "b-decision")
        XCTAssertTrue(m.conflicts.contains { $0.field.hasSuffix("decision") && $0.winner == EventType.stageReturned })
        XCTAssertEqual(m.file.events.filter { $0.type == EventType.mergeConflict }.count, 1)

        // The laws: commutative, idempotent, and associative with a third copy.
        let reversed = try Merge.merge(returned, signed, into: "YP-1")
        XCTAssertEqual(reversed.file.bytes, m.file.bytes)
        XCTAssertEqual(try Merge.merge(m.file, m.file, into: "YP-1").file.bytes, m.file.bytes)
        XCTAssertEqual(try Merge.merge(m.file, returned, into: "YP-1").file.bytes, m.file.bytes)
        XCTAssertEqual(
            try Merge.merge(signed, try Merge.merge(returned, signed, into: "YP-1").file, into: "YP-1").file.bytes,
            m.file.bytes)

        let (signedLater, returnedEarlier) = try copies(returnLater: false)
        let other = try Merge.merge(returnedEarlier, signedLater, into: "YP-1").file.state
        XCTAssertEqual(other.stages[0].status, .completed, "the later countersignature wins")
        XCTAssertEqual(other.stages[0].countersignedBy, "mo")
        XCTAssertEqual(other.needsReview.count, 1)
    }

    func testAResolutionClearsTheReviewAndOnlyAManagerMakesIt() throws {
        let (signed, returned) = try copies(returnLater: true)
        let merged = try Merge.merge(signed, returned, into: "YP-1").file
        let f = Fixture()
        XCTAssertThrowsAPError(
            try CaseRules.resolve(merged.state, note: "ok", actor: f.actor("pat")), "permission", "a manager")
        let change = try CaseRules.resolve(merged.state, note: "Return stands", actor: f.actor("mo"))
        var state = merged.state
        try state.apply(
            Event(
                id: "r1", at: merged.state.updatedAt.adding(millis: 1), by: "mo", osUser: "t",
                type: change.type, payload: change.payload))
        XCTAssertTrue(state.needsReview.isEmpty)
        XCTAssertThrowsAPError(
            try CaseRules.resolve(state, note: "again", actor: f.actor("mo")), "refused", "no merge conflict")
    }

    func testASingleCopyNeverHoldsAConflict() throws {
        var f = Fixture()
        f.config.countersignKinds = ["psr"]
        try f.newCase()
        try f.startStage("psr")
        try f.submit()
        try f.act("mo") { s, a in try CountersignRules.returnForAmendment(s, stageID: nil, reason: "More", actor: a) }
        try f.submit()
        try f.act("mo") { s, a in try CountersignRules.countersign(s, stageID: nil, comment: nil, actor: a) }
        XCTAssertEqual(
            DecisionConflicts.find(f.events.sorted(by: Event.replayOrder)).count, 0,
            "a return and a later countersignature answer different submissions")
    }
}
