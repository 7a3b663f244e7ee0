import XCTest

@testable import APModel

final class AllocationTests: XCTestCase {
    /// A fixture whose users have grades and genders: pat band-a (male), kim student, lee
    /// band-b manager-practitioner (female), mo band-c manager.
    func staffed() -> Fixture {
        var f = Fixture()
        f.config.users["pat"]!.grade = .bandA
        f.config.users["pat"]!.gender = "male"
        f.config.users["kim"]!.grade = .student
        f.config.users["lee"]!.grade = .bandB
        f.config.users["lee"]!.gender = "female"
        f.config.users["mo"]!.grade = .bandC
        return f
    }

    func allocate(
        _ f: inout Fixture, to manager: String, co: String? = nil, team: String? = nil, reason: String? = nil,
        returning: Bool = false, today: String = "2026-11-02", by: String = "mo"
    ) throws {
        let users = f.config.users, now = f.clock
        try f.act(by) { s, a in
            try AllocationRules.allocate(
                s,
                .init(
                    manager: users[manager]!, co: co.map { users[$0]! }, team: team, reason: reason,
                    returning: returning),
                actor: a, today: Day(today)!, now: now)
        }
    }

    func testOnlyManagersAllocateAndTheAllocationIsKept() throws {
        var f = staffed()
        try f.newCase()
        XCTAssertThrowsAPError(try allocate(&f, to: "pat", by: "pat"), "permission", "managers allocate")
        XCTAssertThrowsAPError(try allocate(&f, to: "bo"), "permission", "cannot be a case manager")
        try allocate(&f, to: "pat", team: "North")
        let a = try XCTUnwrap(try f.state.allocation(at: f.clock))
        XCTAssertEqual([a.manager, a.managerGrade, a.team], ["pat", "band-a", "North"])
        XCTAssertEqual(try f.state.responsible(at: f.clock), "pat")
    }

    func testNoAllocationToSomeoneAbsentUnlessReturning() throws {
        var f = staffed()
        f.config.users["pat"]!.absence = Absence(from: Day("2026-10-30")!, to: Day("2026-11-06")!)
        try f.newCase()
        XCTAssertThrowsAPError(try allocate(&f, to: "pat"), "refused", "002 §2.1")
        XCTAssertNoThrow(try allocate(&f, to: "pat", returning: true))
        XCTAssertNoThrow(try allocate(&f, to: "pat", today: "2026-11-07"), "back by then")
    }

    func testHighRiskNeedsASeniorWorker() throws {
        var f = staffed()
        try f.newCase()
        try f.startStage("review", owner: "lee")
        try f.set([("rosh", "high")], by: "lee")
        XCTAssertThrowsAPError(try allocate(&f, to: "pat"), "refused", "002 §§4.1, 5.1")
        XCTAssertThrowsAPError(try allocate(&f, to: "pat", co: "kim"), "refused", "band-b or band-c co-worker")
        XCTAssertNoThrow(try allocate(&f, to: "pat", co: "lee"))
        XCTAssertNoThrow(try allocate(&f, to: "lee"), "a band-b case manager holds it alone")
    }

    /// Issue 25: an ungraded worker is refused a high-risk case (002 §4.1), and a girl's case
    /// to a worker of unrecorded gender needs its rationale (002 §2.2).
    func testUngradedOrUnrecordedIsNotTakenAsSeniorOrFemale_002_2_2_4_1() throws {
        var f = staffed()
        f.config.users["pat"]!.grade = nil
        f.config.users["pat"]!.gender = nil
        try f.newCase()
        try f.act("pat") { s, _ in try CaseRules.update(s, fields: [("gender", "female")], today: Day("2026-11-02")!) }
        XCTAssertThrowsAPError(try allocate(&f, to: "pat"), "refused", "gender unrecorded")
        XCTAssertNoThrow(try allocate(&f, to: "pat", reason: "Known to the family"))
        try f.startStage("review", owner: "lee")
        try f.set([("saw", "very-high")], by: "lee")
        XCTAssertThrowsAPError(try allocate(&f, to: "pat", reason: "x"), "refused", "no recorded grade")
        XCTAssertNoThrow(try allocate(&f, to: "lee"))
    }

    func testAStudentAlwaysHasAPrimaryWorker() throws {
        var f = staffed()
        try f.newCase()
        XCTAssertThrowsAPError(try allocate(&f, to: "kim"), "refused", "002 §6.1")
        XCTAssertNoThrow(try allocate(&f, to: "kim", co: "pat"))
    }

    func testAGirlToAMaleCaseManagerNeedsARationale() throws {
        var f = staffed()
        try f.newCase()
        try f.act("pat") { s, _ in try CaseRules.update(s, fields: [("gender", "female")], today: Day("2026-11-02")!) }
        XCTAssertThrowsAPError(try allocate(&f, to: "pat"), "refused", "002 §2.2")
        XCTAssertNoThrow(try allocate(&f, to: "lee"))
        try allocate(&f, to: "pat", reason: "She asked for him after the panel")
        XCTAssertEqual(try f.state.allocation(at: f.clock)?.reason, "She asked for him after the panel")
    }

    func testAnInternalTransferTakesEffectAtTheThreeWayMeeting() throws {
        var f = staffed()
        try f.newCase()
        try allocate(&f, to: "pat", team: "North")
        XCTAssertThrowsAPError(try allocate(&f, to: "lee", team: "South"), "usage", "002 §11.4")
        try allocate(&f, to: "lee", team: "South", reason: "Moved to Mansfield")
        XCTAssertEqual(try f.state.allocation(at: f.clock)?.manager, "pat", "the original team stays responsible")
        XCTAssertEqual(try f.state.pendingTeamTransfer(at: f.clock)?.manager, "lee")
        XCTAssertEqual(try f.open("three-way-meeting").count, 1)
        try f.record("three-way-meeting", "2026-11-02")
        XCTAssertEqual(try f.state.allocation(at: f.clock)?.manager, "lee")
        XCTAssertNil(try f.state.pendingTeamTransfer(at: f.clock))
        XCTAssertEqual(try f.done("three-way-meeting").count, 1)
    }

    func testCoAllocationAgreementAndReviews() throws {
        var f = staffed()
        try f.newCase()
        try allocate(&f, to: "pat")
        try f.startStage("review", owner: "pat")
        try f.set([("saw", "very-high"), ("rosh", "low")])
        try f.submit()
        let owed = try f.open("co-allocation-agreement")
        XCTAssertEqual(owed.count, 1)
        let due = ObligationRule.named(owed[0].rule)!.dueTime(since: owed[0].since, calendar: WorkingDays())
        XCTAssertEqual(due.description, "2026-11-07T23:59:59.999Z", "five days")
        try allocate(&f, to: "pat", co: "lee")
        try f.record("co-allocation-agreed", "2026-11-02T10:00")
        XCTAssertEqual(try f.open("co-allocation-agreement").count, 0)
        XCTAssertEqual(try f.open("co-allocation-review").count, 1, "the first review, six weeks on")
        try f.record("co-allocation-reviewed", "2026-11-02T11:00")
        XCTAssertEqual(try f.open("co-allocation-review").count, 1, "the next review")
        XCTAssertEqual(try f.done("co-allocation-review").count, 1)
        try allocate(&f, to: "lee")
        XCTAssertEqual(try f.open("co-allocation-review").count, 0, "no co-worker, no reviews")
    }

    func testLeaveAsksForCoverAndReallocation() throws {
        var f = staffed()
        try f.newCase()
        try allocate(&f, to: "pat")
        let summary = CaseSummary(try f.state)
        let now = Timestamp("2026-11-20T09:00:00.000Z")!
        func due(_ absence: Absence) -> [String] {
            DueList.entries(
                [DueCase(summary, here: "BARNET")], filter: DueFilter(), now: now, calendar: WorkingDays(),
                absences: ["pat": absence]
            ).map(\.rule.id)
        }
        XCTAssertEqual(due(Absence(from: Day("2026-11-16")!)), ["reallocation-to-consider"])
        XCTAssertEqual(due(Absence(from: Day("2026-11-16")!, to: Day("2026-11-27")!)), [], "an end date is known")
        XCTAssertEqual(due(Absence(from: Day("2026-11-30")!, planned: true)), ["cover-before-leave"])
        XCTAssertEqual(due(Absence(from: Day("2026-11-30")!, planned: true, cover: "kim")), [])
        XCTAssertEqual(due(Absence(from: Day("2026-11-01")!, to: Day("2026-11-10")!, planned: true)), [], "over")
    }

    func testCaretakingBeyondThreeMonthsProposesAFullTransfer() throws {
        var f = staffed()
        try f.newCase()
        try f.record("transfer-agreed", "2026-11-02")
        XCTAssertEqual(try f.open("transfer-request").count, 1)
        let here = f.config.yot
        try f.act("mo") { _, _ in
            Change(
                EventType.transferSent,
                [
                    "transfer": "t1", "kind": "caretaking", "from": here.json,
                    "to": ["code": "NOTTS", "name": "Notts"],
                ])
        }
        XCTAssertEqual(try f.done("transfer-request").first?.dischargedBy, "transfer sent")
        try f.act("mo") { _, _ in Change(EventType.transferAccepted, ["transfer": "t1"]) }
        let proposal = try XCTUnwrap(try f.open("full-transfer-to-consider").first)
        let due = ObligationRule.named(proposal.rule)!.dueTime(since: proposal.since, calendar: WorkingDays())
        XCTAssertEqual(due.description, "2027-02-02T23:59:59.999Z", "three months after acceptance")
        try f.act("mo") { _, _ in
            Change(
                EventType.caretakingEnded,
                [
                    "outcome": "return-home", "from": here.json, "to": ["code": "NOTTS", "name": "Notts"],
                ])
        }
        XCTAssertEqual(try f.obligations.filter { $0.rule == "full-transfer-to-consider" }.count, 0)
    }
}
