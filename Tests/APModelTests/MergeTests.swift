@testable import APModel
import XCTest

/// The merge laws, checked on generated histories (fixed seeds): commutative,
/// associative, idempotent; and "the latest data entered wins" field by field.
final class MergeTests: XCTestCase {
    struct Rng {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
    }

    /// Random valid actions on a copy; actions a rule refuses are skipped, as a user would be refused.
    static func grow(_ f: inout Fixture, _ rng: inout Rng, steps: Int) {
        let keys = ["rosh", "saw", "pfs.health", "pfs.education", "lor"]
        let values: [String: [String]] = ["rosh": Ratings.levels4, "saw": Ratings.levels4, "lor": Ratings.levels3]
        for _ in 0..<steps {
            f.clock = f.clock.adding(millis: Int64(rng.next(3)) * 1000)  // copies' clocks interleave, sometimes tie
            switch rng.next(8) {
            case 0, 1, 2:
                let key = keys[rng.next(keys.count)]
                let value = values[key].map { $0[rng.next($0.count)] } ?? "text \(rng.next(50))"
                try? f.set([(key, value)], by: ["pat", "mo", "bo"][rng.next(3)])
            case 3: try? f.submit()
            case 4: try? f.act("mo") { s, a in try CountersignRules.countersign(s, stageID: nil, comment: nil, actor: a) }
            case 5: try? f.act("lee") { s, a in try CountersignRules.returnForAmendment(s, stageID: nil, reason: "redo", actor: a) }
            case 6: try? f.startStage(["review", "psr", "case-closure"][rng.next(3)])
            default:
                let today = Day("2026-11-02")!
                try? f.act("bo") { s, _ in try CaseRules.update(s, fields: [("name", "Name \(rng.next(9))")], today: today) }
            }
        }
    }

    static func copies(seed: UInt64) throws -> (CaseFile, CaseFile, CaseFile) {
        var rng = Rng(state: seed)
        var base = Fixture()
        try base.newCase()
        try base.startStage()
        grow(&base, &rng, steps: rng.next(6))
        var made: [CaseFile] = []
        for copy in 0..<3 {
            var f = base
            f.counter = 1000 * (copy + 1)  // distinct event ids per copy
            grow(&f, &rng, steps: 1 + rng.next(10))
            made.append(try CaseFile(id: "YP-1", events: f.events))
        }
        return (made[0], made[1], made[2])
    }

    func merged(_ a: CaseFile, _ b: CaseFile) throws -> CaseFile { try Merge.merge(a, b, into: "YP-1").file }

    func testLawsHoldOnGeneratedHistories() throws {
        var withConflicts = 0, withSuperseded = 0
        for seed in 1...300 as ClosedRange<UInt64> {
            let (a, b, c) = try MergeTests.copies(seed: seed)
            let outcome = try Merge.merge(a, b, into: "YP-1")
            if !outcome.conflicts.isEmpty { withConflicts += 1 }
            if outcome.file.state.stages.contains(where: { $0.stopReason == Merge.supersededReason }) { withSuperseded += 1 }
            XCTAssertEqual(try merged(a, b), try merged(b, a), "commutative, seed \(seed)")
            XCTAssertEqual(try merged(a, try merged(b, c)), try merged(try merged(a, b), c), "associative, seed \(seed)")
            let aa = try merged(a, a)
            XCTAssertEqual(aa.state, a.state, "idempotent, seed \(seed)")
            XCTAssertEqual(Set(aa.events.map(\.id)), Set(a.events.map(\.id)), "idempotent, seed \(seed)")
        }
        // The generated histories must exercise the hard cases, or the laws prove little.
        XCTAssertGreaterThan(withConflicts, 100)
        XCTAssertGreaterThan(withSuperseded, 10)
    }

    /// `CaseFile.bytes` writes events straight from their fields; it must give exactly the
    /// canonical writer's text, and read back to the same case.
    func testCaseFileBytesMatchTheCanonicalWriter() throws {
        for seed in 1...40 as ClosedRange<UInt64> {
            let (a, b, _) = try MergeTests.copies(seed: seed)
            let file = try merged(a, b)
            XCTAssertEqual(file.bytes, JSONWriter.pretty(file.json), "seed \(seed)")
            XCTAssertEqual(try CaseFile(bytes: file.bytes), file, "seed \(seed)")
        }
        // Unknown fields (on an event, or at the top) take the general path; text needing escapes too.
        var f = Fixture()
        try f.newCase()
        try f.startStage()
        try f.set([("pfs.health", "line one\nline \"two\" \\ tab\t \u{01} é 😀")])
        var events = f.events
        events[1].unknown["zz-later"] = ["kept": true]
        for file in [try CaseFile(id: "YP-1", events: f.events), try CaseFile(id: "YP-1", events: events)] {
            XCTAssertEqual(file.bytes, JSONWriter.pretty(file.json))
            var json = try XCTUnwrap(file.json.objectValue)
            json["aa-extension"] = "x"
            let extended = try CaseFile(json: .object(json))
            XCTAssertEqual(extended.bytes, JSONWriter.pretty(.object(json)))
        }
    }

    func testLatestEntryWinsFieldByFieldAndConflictsAreReported() throws {
        var base = Fixture()
        try base.newCase()
        try base.startStage()
        var a = base, b = base
        b.counter = 100
        try a.set([("rosh", "low")])                 // a: 09:03
        try b.set([("saw", "high")], by: "mo")       // b: 09:03, another field: both kept
        b.clock = b.clock.adding(millis: 60_000)
        try b.set([("rosh", "high")], by: "mo")      // b: later rosh wins
        let outcome = try Merge.merge(try CaseFile(id: "YP-1", events: a.events), try CaseFile(id: "YP-1", events: b.events), into: "YP-1")
        let stage = outcome.file.state.stages[0]
        XCTAssertEqual(stage.answers["rosh"]?.value, "high")
        XCTAssertEqual(stage.answers["saw"]?.value, "high")
        let rosh = try XCTUnwrap(outcome.conflicts.first { $0.field.hasSuffix(".rosh") })
        XCTAssertEqual([rosh.ours, rosh.theirs, rosh.winner], ["low", "high", "high"])
        XCTAssertLessThan(try XCTUnwrap(rosh.oursAt), try XCTUnwrap(rosh.theirsAt))
        XCTAssertEqual(outcome.addedFromOurs, 1)
        XCTAssertEqual(outcome.addedFromTheirs, 2)
    }

    func testTwoOpenStagesKeepTheLaterAndReportIt() throws {
        var base = Fixture()
        try base.newCase()
        var a = base, b = base
        b.counter = 100
        try a.startStage("psr")
        b.clock = b.clock.adding(millis: 5_000)
        try b.startStage("bail-recommendation", owner: "kim")
        let outcome = try Merge.merge(try CaseFile(id: "YP-1", events: a.events), try CaseFile(id: "YP-1", events: b.events), into: "YP-1")
        XCTAssertEqual(outcome.file.state.openStage?.kind, "bail-recommendation")
        XCTAssertEqual(outcome.file.state.stages.first?.stopReason, "superseded in merge")
        XCTAssertTrue(outcome.conflicts.contains { $0.rule.contains("superseded in merge") })
    }

    func testEventsWithOneIdButDifferentContentAreRefused() throws {
        var base = Fixture()
        try base.newCase()
        var a = base, b = base
        try a.startStage("psr")
        try b.startStage("review")   // same counter: the same event id, different content
        XCTAssertThrowsAPError(
            try Merge.merge(try CaseFile(id: "YP-1", events: a.events), try CaseFile(id: "YP-1", events: b.events), into: "YP-1"),
            "data", "differs between the two copies")
    }
}
