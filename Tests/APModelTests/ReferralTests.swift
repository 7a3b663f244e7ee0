@testable import APModel
import XCTest

/// Referrals flagged by a submitted stage and followed through (issue 24; 001 §9, Annex B).
final class ReferralTests: XCTestCase {
    let today = Day("2026-11-30")!

    func flagged() throws -> Fixture {
        var f = Fixture()
        try f.newCase()
        try f.startStage("review")
        try f.set([("pfs.cse", "yes"), ("pfs.cse.explanation", "Seen with older men"), ("pfs.gangs", "no")])
        return f
    }

    func made(_ f: inout Fixture, _ referral: String = "pfs.cse", to: String = "MASE", on day: String = "2026-11-03")
        throws
    {
        let today = self.today
        try f.act("pat") { s, a in
            try ReferralRules.made(s, referral: referral, to: to, date: Day(day)!, actor: a, today: today)
        }
    }

    func testASubmissionFlagsEachYesOnceWithAStableId() throws {
        var f = try flagged()
        XCTAssertTrue(try f.state.referrals.isEmpty, "nothing is flagged before submission")
        try f.submit()
        let stage = try f.state.stages[0].id
        let referrals = try f.state.referrals
        XCTAssertEqual(referrals.map(\.question), ["pfs.cse"])
        XCTAssertEqual(referrals[0].service, "MASE")
        XCTAssertEqual(referrals[0].id, Referral.id(stage: stage, question: "pfs.cse"))
        XCTAssertEqual(referrals[0].progress, "flagged")
        XCTAssertTrue(referrals[0].id.hasPrefix("rf-") && referrals[0].id.count == 9)
    }

    func testAYesPulledForwardRaisesNoSecondReferral() throws {
        var f = try flagged()
        try f.submit()
        try made(&f)
        try f.startStage("review")
        try f.submit()
        XCTAssertEqual(try f.state.referrals.count, 1, "still being followed")
        let today = self.today
        try f.act("pat") { s, a in
            try ReferralRules.outcome(s, referral: "pfs.cse", outcome: "accepted", reason: "Allocated",
                                      date: Day("2026-11-10")!, actor: a, today: today)
        }
        try f.startStage("review")
        try f.submit()
        XCTAssertEqual(try f.state.referrals.count, 1, "concluded, and the yes only pulled forward")
        // Answered yes afresh after it concluded: a new concern, a new referral.
        try f.startStage("review")
        try f.set([("pfs.cse", "no")])
        try f.set([("pfs.cse", "yes")])
        try f.submit()
        XCTAssertEqual(try f.state.referrals.count, 2)
    }

    func testMadeAndOutcomeAreCheckedAndRecordedOnce() throws {
        var f = try flagged()
        let today = self.today
        XCTAssertThrowsAPError(try made(&f), "not-found", "none was flagged by a submitted stage")
        try f.submit()
        XCTAssertThrowsAPError(try made(&f, on: "2026-12-25"), "usage", "in the future")
        XCTAssertThrowsAPError(try made(&f, on: "2026-10-01"), "usage", "before stage")
        XCTAssertThrowsAPError(try made(&f, to: "  "), "usage", "--to needs")
        XCTAssertThrowsAPError(
            try ReferralRules.outcome(try f.state, referral: "pfs.cse", outcome: "accepted", reason: "x",
                                      date: today, actor: f.actor("pat"), today: today),
            "refused", "was not made")
        try made(&f)
        XCTAssertThrowsAPError(try made(&f), "refused", "already recorded as made")
        let r = try f.state.referrals[0]
        XCTAssertEqual(r.madeTo, "MASE")
        XCTAssertEqual(r.madeOn, Day("2026-11-03"))
        XCTAssertThrowsAPError(
            try ReferralRules.outcome(try f.state, referral: r.id, outcome: "maybe", reason: "x", date: today,
                                      actor: f.actor("pat"), today: today), "usage", "accepted, declined, not-needed")
        try f.act("mo") { s, a in
            try ReferralRules.outcome(s, referral: r.id, outcome: "declined", reason: "Threshold not met",
                                      date: Day("2026-11-05")!, actor: a, today: today)
        }
        XCTAssertEqual(try f.state.referrals[0].progress, "declined")
        XCTAssertThrowsAPError(
            try ReferralRules.outcome(try f.state, referral: r.id, outcome: "accepted", reason: "x", date: today,
                                      actor: f.actor("pat"), today: today), "refused", "already declined")
    }

    /// ap's rule: a submission's flags not made within five working days are due (001 §9 sets no time).
    func testAFlagNotMadeInFiveWorkingDaysIsDue() throws {
        var f = try flagged()
        try f.submit()
        let calendar = WorkingDays()
        func open() throws -> [Obligation] {
            Obligations.of(try f.state).filter { $0.rule == "referral-to-make" && $0.isOpen }
        }
        let owed = try open()
        XCTAssertEqual(owed.count, 1)
        let rule = ObligationRule.named("referral-to-make")!
        XCTAssertEqual(owed[0].due(rule, calendar: calendar).day, calendar.adding(5, to: owed[0].since.day))
        try made(&f)
        XCTAssertTrue(try open().isEmpty, "made: discharged")
        let done = Obligations.of(try f.state).first { $0.rule == "referral-to-make" }
        XCTAssertEqual(done?.dischargedAt, UKClock.instant(Day("2026-11-03")!), "on the day made, not recorded")
    }

    func testAReferralEventNamingNoFlagIsRefusedOnLoad() throws {
        var f = try flagged()
        try f.submit()
        try made(&f)
        var events = f.events
        events[events.count - 1].payload["referral"] = "rf-000000"
        XCTAssertThrowsAPError(try CaseState.derive(id: "YP-1", events: events), "data", "no referral 'rf-000000'")
    }
}
