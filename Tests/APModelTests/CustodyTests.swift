import XCTest

@testable import APModel

extension Fixture {
    /// Records a key event dated `date` (UK time), as `by`.
    /// A hearing is recorded with custody possible unless `custodyPossible` says not.
    mutating func record(
        _ kind: String, _ date: String, at: Organisation? = nil, by: String = "pat", custodyPossible: Bool = true
    ) throws {
        let now = clock, chair = kind == "cpf-held" ? config.users["mo"] : nil
        let custody = kind == "court-hearing" && custodyPossible
        try act(by) { s, a in
            var details = KeyEventDetails()
            details.chair = chair
            details.custodyPossible = custody
            return try CustodyRules.record(s, event: kind, date: date, at: at, note: nil, actor: a, now: now,
                                           details: details)
        }
    }

    /// Completes the open stage: submitted by its owner and, where criteria apply, countersigned by mo.
    mutating func complete() throws {
        try submit()
        if try state.openStage != nil {
            try act("mo") { s, a in try CountersignRules.countersign(s, stageID: nil, comment: nil, actor: a) }
        }
    }

    /// Sends stage `id` (else the latest completed) to an organisation of `kind`.
    mutating func send(to kind: Organisation.Kind, stage id: String? = nil) throws {
        let config = self.config
        let now = clock
        let n = counter
        try act("pat") { s, a in
            let stage = try StageSendRules.stageToSend(s, stageID: id, config: config)
            let package = StagePackage(
                id: "p\(n)", state: s, stage: stage, kindName: stage.kind, from: config.yot,
                to: Organisation(code: "O-" + kind.rawValue.prefix(10).uppercased(), name: "Org", kind: kind),
                sentAt: now,
                sentBy: a.id, allowed: config.sharing(for: kind))
            return try StageSendRules.send(package, stage: stage.id, actor: a)
        }
    }

    var obligations: [Obligation] { get throws { Obligations.of(try state) } }

    func open(_ rule: String) throws -> [Obligation] { try obligations.filter { $0.rule == rule && $0.isOpen } }
    func done(_ rule: String) throws -> [Obligation] { try obligations.filter { $0.rule == rule && !$0.isOpen } }
}

final class CustodyTests: XCTestCase {
    let calendar = WorkingDays()

    func due(_ rule: String, since: String) -> String {
        ObligationRule.named(rule)!.dueTime(since: Timestamp(since)!, calendar: calendar).description
    }

    // MARK: due times at the edges

    func testDueTimesAtTheEdges() {
        // 24 hours before a hearing at 10:00 on Wednesday.
        XCTAssertEqual(due("psr-to-placements", since: "2026-11-25T10:00:00.000Z"), "2026-11-24T10:00:00.000Z")
        // The same day ends at midnight UK time: in winter that is UTC...
        XCTAssertEqual(due("post-court-to-placements", since: "2026-11-23T15:00:00.000Z"), "2026-11-23T23:59:59.999Z")
        // ...and in summer (BST) an hour earlier in UTC.
        XCTAssertEqual(due("post-court-to-placements", since: "2026-07-01T09:00:00.000Z"), "2026-07-01T22:59:59.999Z")
        // 72 hours from a Friday evening arrival run through the weekend.
        XCTAssertEqual(due("entering-custody-stage", since: "2026-11-27T18:30:00.000Z"), "2026-11-30T18:30:00.000Z")
        // One and three working days from a Friday skip the weekend.
        XCTAssertEqual(due("review-entering-custody", since: "2026-11-27T11:00:00.000Z"), "2026-11-30T23:59:59.999Z")
        XCTAssertEqual(
            due("review-after-entering-custody", since: "2026-11-27T11:00:00.000Z"), "2026-12-02T23:59:59.999Z")
        // Christmas Eve: Christmas Day, the weekend and the Boxing Day substitute are not working days.
        XCTAssertEqual(due("update-to-establishment", since: "2026-12-24T12:00:00.000Z"), "2026-12-29T23:59:59.999Z")
        // A key event on a Saturday: the first working day after is Monday.
        XCTAssertEqual(
            due("review-establishment-update", since: "2026-11-28T10:00:00.000Z"), "2026-11-30T23:59:59.999Z")
    }

    func testUKClockReadsLocalTimes() {
        XCTAssertEqual(UKClock.parse("2026-07-01T10:00")?.at.description, "2026-07-01T09:00:00.000Z")
        XCTAssertEqual(UKClock.parse("2026-12-01T10:00")?.at.description, "2026-12-01T10:00:00.000Z")
        XCTAssertEqual(UKClock.parse("2026-12-01")?.at.description, "2026-12-01T00:00:00.000Z")
        for bad in ["2026-12-01T25:00", "2026-12-01T10", "2026-13-01", "tomorrow", "2026-12-01T10:00:00"] {
            XCTAssertNil(UKClock.parse(bad), bad)
        }
        XCTAssertEqual(UKClock.show(Timestamp("2026-07-01T09:00:00.000Z")!), "2026-07-01 10:00")
    }

    // MARK: triggers and discharge

    func testCourtHearingIsDischargedByThePSRSentToPlacements() throws {
        var f = Fixture()
        try f.newCase()
        try f.record("court-hearing", "2026-11-09T10:00", custodyPossible: false)
        XCTAssertEqual(try f.open("psr-to-placements").count, 0, "custody not possible: no PSR to Placements")
        try f.record("court-hearing", "2026-11-10T10:00")
        XCTAssertEqual(try f.open("psr-to-placements").count, 1)
        try f.startStage("psr")
        try f.complete()
        try f.send(to: .establishment)
        XCTAssertEqual(try f.open("psr-to-placements").count, 1, "sent elsewhere: still owed")
        try f.send(to: .placements)
        XCTAssertEqual(try f.done("psr-to-placements").first?.dischargedBy?.hasSuffix("sent to placements"), true)
    }

    func testAPSRSentForAnEarlierHearingDoesNotCountForTheNext() throws {
        var f = Fixture()
        try f.newCase()
        try f.record("court-hearing", "2026-11-04T10:00")
        try f.startStage("psr")
        try f.complete()
        try f.send(to: .placements)
        try f.record("court-hearing", "2026-11-20T10:00")
        XCTAssertEqual(try f.done("psr-to-placements").count, 1)
        XCTAssertEqual(try f.open("psr-to-placements").map(\.since.description), ["2026-11-20T10:00:00.000Z"])
    }

    func testSentenceOrRemandNeedsThePostCourtReportTheSameDay() throws {
        var f = Fixture()
        try f.newCase()
        try f.record("sentenced-custody", "2026-11-02")
        XCTAssertEqual(try f.open("post-court-to-placements").count, 1)
        try f.startStage("post-court-report")
        try f.complete()
        try f.send(to: .placements)
        XCTAssertEqual(try f.open("post-court-to-placements").count, 0)
        XCTAssertEqual(try f.done("post-court-to-placements").count, 1)
    }

    func testEstablishmentAndYOTObligationsAfterArrival() throws {
        var f = Fixture()
        try f.newCase()
        try f.record("arrived-establishment", "2026-11-02T08:00")
        let owed = try f.open("entering-custody-stage")
        XCTAssertEqual(owed.count, 1)
        XCTAssertEqual(ObligationRule.named(owed[0].rule)?.party, .establishment)
        try f.record("entering-custody-notified", "2026-11-02")
        XCTAssertEqual(try f.open("entering-custody-stage").count, 0)
        XCTAssertEqual(try f.open("review-entering-custody").count, 1)
        XCTAssertEqual(try f.open("review-after-entering-custody").count, 1)
        try f.startStage("review")
        XCTAssertEqual(try f.open("review-entering-custody").count, 0, "the review has started")
        try f.complete()
        // A Review completed in custody is owed to the establishment (003 §5.8) and so is the
        // Review after the Entering into Custody stage (003 §3.4): one send discharges both.
        XCTAssertEqual(try f.open("update-to-establishment").count, 1)
        try f.send(to: .establishment)
        XCTAssertEqual(try f.open("review-after-entering-custody").count, 0)
        XCTAssertEqual(try f.open("update-to-establishment").count, 0)
    }

    func testRatingsChangedInCustodyAreSentButNotAfterRelease() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage("start-of-intervention")
        try f.set([("rosh", "low")])
        try f.complete()
        try f.record("arrived-establishment", "2026-11-02T09:30")
        f.clock = Timestamp("2026-11-02T10:00:00.000Z")!
        try f.startStage("start-of-intervention")
        try f.set([("rosh", "low")])
        try f.complete()
        XCTAssertEqual(try f.open("update-to-establishment").count, 0, "ratings unchanged")
        try f.startStage("start-of-intervention")
        try f.set([("rosh", "medium")])
        try f.complete()
        XCTAssertEqual(try f.open("update-to-establishment").count, 1, "RoSH changed")
        try f.record("released", "2026-11-02T11:00")
        f.clock = Timestamp("2026-11-02T12:00:00.000Z")!
        try f.startStage("start-of-intervention")
        try f.set([("rosh", "high")])
        try f.complete()
        // The release ends the one still open (003 §6.9), and nothing more is owed after it.
        XCTAssertEqual(try f.open("update-to-establishment").count, 0, "after release nothing more is owed")
    }

    func testVeryHighSaWForAChildNotKnownToSocialCare() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage("review")
        try f.set([("saw", "very-high")])
        try f.submit()
        XCTAssertEqual(try f.open("risk-strategy-meeting").count, 1)
        try f.record("risk-strategy-meeting", "2026-11-02")
        XCTAssertEqual(try f.open("risk-strategy-meeting").count, 0)
        XCTAssertEqual(try f.done("risk-strategy-meeting").count, 1)

        var known = Fixture()
        try known.newCase()
        try known.act("pat") { s, _ in
            try CaseRules.update(s, fields: [("social-care", "known")], today: Day("2026-11-02")!)
        }
        try known.startStage("review")
        try known.set([("saw", "very-high")])
        try known.submit()
        XCTAssertEqual(try known.obligations.filter { $0.rule == "risk-strategy-meeting" }.count, 0)
    }

    func testCasePlanningForumAtTheStartOfAnOrder() throws {
        for (ratings, lookedAfter, owed) in [
            ([("rosh", "high")], false, 1), ([("saw", "very-high")], false, 1), ([("lor", "high")], false, 1),
            ([("rosh", "medium"), ("lor", "medium")], false, 0), ([], true, 1),
        ] as [([(String, String)], Bool, Int)] {
            var f = Fixture()
            try f.newCase(lookedAfter: lookedAfter)
            try f.startStage("start-of-intervention")
            if !ratings.isEmpty { try f.set(ratings) }
            XCTAssertEqual(try f.open("case-planning-forum").count, owed, "\(ratings) looked after: \(lookedAfter)")
            if owed == 1 {
                let o = try f.open("case-planning-forum")[0]
                let due = ObligationRule.named(o.rule)!.dueTime(since: o.since, calendar: calendar)
                XCTAssertEqual(due.description, "2026-11-23T23:59:59.999Z", "15 working days from Monday 2 November")
                try f.record("cpf-held", "2026-11-02")
                XCTAssertEqual(try f.open("case-planning-forum").count, 0)
            }
        }
    }

    func testCourtOutcomesOfALookedAfterChildGoToSocialCare() throws {
        var f = Fixture()
        try f.newCase()
        try f.record("sentenced-custody", "2026-11-02")
        XCTAssertEqual(try f.open("court-outcome-to-social-care").count, 0, "not looked after")
        try f.record("remanded-laa", "2026-11-02")
        XCTAssertEqual(try f.open("court-outcome-to-social-care").count, 2, "the remand makes the child looked after")
        try f.record("social-care-notified", "2026-11-02")
        XCTAssertEqual(try f.open("court-outcome-to-social-care").count, 0)
    }

    func testPreReleaseAfterReleaseMeetings() throws {
        var f = Fixture()
        try f.newCase()
        try f.record("release-preparation-meeting", "2026-11-02")
        try f.record("final-release-meeting", "2026-11-02")
        XCTAssertEqual(try f.open("pre-release-to-establishment").count, 2)
        try f.startStage("pre-release")
        try f.complete()
        try f.send(to: .establishment)
        XCTAssertEqual(try f.open("pre-release-to-establishment").count, 0)
    }

    // MARK: remand, looked after, the PSR

    func testRemandMakesTheChildLookedAfterOnRemandButKeepsAnotherBasis() throws {
        var f = Fixture()
        try f.newCase()
        try f.record("remanded-yda", "2026-11-02")
        XCTAssertTrue(try f.state.lookedAfter)
        XCTAssertEqual(try f.state.lookedAfterBasis, "remand")

        var g = Fixture()
        try g.newCase()
        try g.act("mo") { s, a in
            try CaseRules.update(
                s, fields: [("looked-after", "yes")], today: Day("2026-11-02")!,
                lookedAfter: .init(basis: "care-order", reason: "Order made", actor: a, here: "BARNET"))
        }
        try g.record("remanded-laa", "2026-11-02")
        XCTAssertEqual(try g.state.lookedAfterBasis, "care-order")
    }

    func testPSRWaitsForTheEnteringIntoCustodyStageWhenRemandedToYDA() throws {
        var f = Fixture()
        try f.newCase()
        try f.record("remanded-yda", "2026-11-02")
        XCTAssertThrowsAPError(try f.startStage("psr"), "refused", "Entering into Custody")
        try f.startStage("bail-recommendation")
        try f.act("mo") { s, a in
            try StageRules.stop(
                s, reason: "not needed", actor: a, config: Config(yotCode: "X", yotName: "X", admin: a.user))
        }
        try f.record("entering-custody-notified", "2026-11-02")
        XCTAssertNoThrow(try f.startStage("psr"))
    }

    func testRecordChecksTheEventAndItsDate() throws {
        var f = Fixture()
        try f.newCase()
        XCTAssertThrowsAPError(try f.record("remanded-ydaa", "2026-11-02"), "usage", "did you mean 'remanded-yda'")
        XCTAssertThrowsAPError(try f.record("released", "next week"), "usage", "--date takes")
        XCTAssertThrowsAPError(try f.record("arrived-establishment", "2026-12-01"), "usage", "in the future")
        XCTAssertNoThrow(try f.record("court-hearing", "2026-12-01T10:00"), "a hearing is recorded ahead")
    }

    // MARK: organisations and sharing

    func testTransferReceivers() throws {
        var config = Fixture().config
        try config.addOrganisation(Organisation(code: "WETHERBY", name: "HMYOI Wetherby", kind: .establishment))
        try config.addOrganisation(Organisation(code: "SCHOOL", name: "School", kind: .education))
        XCTAssertThrowsAPError(
            try TransferRules.receiver(code: "wetherby", name: nil, kind: .complete, config: config, known: []),
            "refused", "003 §1.14")
        XCTAssertEqual(
            try TransferRules.receiver(code: "wetherby", name: nil, kind: .caretaking, config: config, known: []).name,
            "HMYOI Wetherby")
        XCTAssertThrowsAPError(
            try TransferRules.receiver(code: "SCHOOL", name: nil, kind: .caretaking, config: config, known: []),
            "refused", "not a YOT or establishment")
        XCTAssertThrowsAPError(
            try TransferRules.receiver(code: "NOTTS", name: nil, kind: .complete, config: config, known: []),
            "usage", "--to-name")
        XCTAssertEqual(
            try TransferRules.receiver(
                code: "NOTTS", name: nil, kind: .complete, config: config, known: [YOT(code: "NOTTS", name: "Notts")]
            ).name, "Notts", "a YOT that transfers named is known")
        XCTAssertThrowsAPError(
            try config.addOrganisation(Organisation(code: "WETHERBY", name: "Again", kind: .establishment)), "exists",
            "already known")
    }

    func testEducationReceivesOnlyTheJudgements() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage("review")
        let secret = "Lives with an uncle at 12 Secret Road"
        try f.set([
            ("rosh", "medium"), ("saw", "high"), ("pfs.living-arrangements", secret), ("pfs.health", "Asthma"),
            ("pfs.substance-misuse", "yes"), ("pfs.substance-misuse.explanation", "Cannabis"),
        ])
        try f.complete()
        let state = try f.state
        let stage = state.stages[0]
        func package(_ kind: Organisation.Kind) -> StagePackage {
            StagePackage(
                id: "p1", state: state, stage: stage, kindName: "Review", from: f.config.yot,
                to: Organisation(code: "X", name: "X", kind: kind), sentAt: f.clock, sentBy: "pat",
                allowed: f.config.sharing(for: kind))
        }
        let education = package(.education)
        XCTAssertEqual(education.keys, ["rosh", "saw"])
        XCTAssertEqual(education.withheld, 4)
        XCTAssertFalse(String(decoding: education.bytes, as: UTF8.self).contains("Secret Road"))
        XCTAssertEqual(package(.camhs).keys, ["pfs.health", "rosh", "saw"])
        XCTAssertEqual(
            package(.ypdas).keys, ["pfs.substance-misuse", "pfs.substance-misuse.explanation", "rosh", "saw"])
        XCTAssertEqual(package(.socialCare).keys.count, 6)
        XCTAssertTrue(String(decoding: package(.probation).bytes, as: UTF8.self).contains("Secret Road"))
    }

    func testOnlyACompletedAndCountersignedStageIsSent() throws {
        var f = Fixture()
        f.config.countersignKinds = ["psr"]
        try f.newCase()
        try f.startStage("psr")
        XCTAssertThrowsAPError(try f.send(to: .placements), "refused", "no completed stage")
        try f.submit()
        let id = try f.state.stages[0].id
        XCTAssertThrowsAPError(try f.send(to: .placements, stage: id), "refused", "awaiting-countersignature")
    }

    // MARK: the index

    func testOpenObligationsTravelThroughTheIndex() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage("review")
        try f.record("court-hearing", "2026-11-20T10:00")
        let summary = CaseSummary(try f.state)
        XCTAssertEqual(summary.obligations.map(\.rule), ["psr-to-placements"])
        XCTAssertEqual(summary.responsible, "pat")
        let back = CaseSummary(indexFields: summary.indexFields)
        XCTAssertEqual(back, summary)
    }
}
