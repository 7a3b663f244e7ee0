import APModel
import Foundation
import XCTest

/// Issue 25, "the journey runs true": obligations that end when they no longer apply and start
/// when the seeds say, for a child in custody and for a looked-after child in caretaking.
final class JourneyTests: XCTestCase {
    var h: Harness!

    override func setUpWithError() throws {
        h = try Harness()
        h.now = "2026-11-23T09:00:00.000Z"
        try h.expectOK(["org", "add", "WETHERBY", "--name", "HMYOI Wetherby", "--type", "establishment"], as: "alex")
        try h.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
    }

    /// `ap due --all` as rule → how it was discharged ("" while open).
    func obligations() throws -> [String: String] {
        let entries = try h.expectOK(["due", "--all", "--json"]).json?.arrayValue ?? []
        return Dictionary(entries.map { ($0["rule"]?.stringValue ?? "", $0["dischargedBy"]?.stringValue ?? "") },
                          uniquingKeysWith: { a, _ in a })
    }

    func record(_ event: String, _ date: String, _ extra: [String] = []) throws {
        try h.expectOK(["record", "YP-0001", event, "--date", date] + extra, as: "pat")
    }

    func testASentenceStartsTheInitialPlanningMeeting_001_12_2() throws {
        try record("sentenced-custody", "2026-11-20")
        XCTAssertEqual(try obligations()["initial-planning-meeting"], "", "owed within 10 working days")
        let due = try h.expectOK(["due", "--json"]).json?.arrayValue?.first { $0["rule"] == "initial-planning-meeting" }
        XCTAssertEqual(due?["due"]?.stringValue?.prefix(10), "2026-12-04")
        try record("planning-meeting", "2026-11-23")
        XCTAssertEqual(try obligations()["initial-planning-meeting"], "planning-meeting recorded")
    }

    func testReleaseEndsTheCustodyObligationsAndStartsThePostReleaseOnes_003_6_9_001_12_2() throws {
        try record("sentenced-custody", "2026-10-01")
        try record("arrived-establishment", "2026-10-01T18:00", ["--at", "WETHERBY"])
        // Weeks on, none of it done: all overdue.
        let before = try h.expectOK(["due", "--overdue", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(Set(before.compactMap { $0["rule"]?.stringValue }),
                       ["post-court-to-placements", "entering-custody-stage", "initial-planning-meeting"])
        // A release in the future is refused: it is recorded once it has happened.
        try h.expectFailure(["record", "YP-0001", "released", "--date", "2026-12-01"], as: "pat", status: 64,
                            message: "future")
        try record("released", "2026-11-23")
        let after = try obligations()
        for rule in ["post-court-to-placements", "entering-custody-stage", "initial-planning-meeting"] {
            XCTAssertEqual(after[rule], "no longer owed: released recorded", rule)
        }
        XCTAssertEqual(after["post-release-meeting"], "")
        XCTAssertEqual(after["release-final-updates"], "")
        XCTAssertEqual(try h.expectOK(["due", "--overdue", "--json"]).json?.arrayValue?.count, 0, "nothing overdue")
        try record("post-release-meeting", "2026-11-25T10:00")
        try record("release-updates-notified", "2026-11-23T15:00")
        // A meeting dated ahead discharges once it has happened.
        let owed = { try self.h.expectOK(["due", "--json"]).json?.arrayValue?.compactMap { $0["rule"]?.stringValue } }
        XCTAssertEqual(try owed(), ["post-release-meeting"])
        h.now = "2026-11-25T11:00:00.000Z"
        XCTAssertEqual(try owed(), [])
    }

    func testTheEndOfInvolvementEndsAllButTheCaseClosureItStarts_001_6_21() throws {
        try record("court-hearing", "2026-11-30", ["--custody-possible"])
        try record("sentenced-custody", "2026-11-23")
        try record("involvement-ended", "2026-11-23")
        let open = try h.expectOK(["due", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(open.compactMap { $0["rule"]?.stringValue }, ["case-closure-stage"])
        XCTAssertEqual(open.first?["due"]?.stringValue?.prefix(10), "2026-12-14", "15 working days")
        XCTAssertEqual(try obligations()["psr-to-placements"], "no longer owed: involvement-ended recorded")
    }

    func testACasePlanningForumIsChairedByAnOperationalManager_001_6() throws {
        try h.expectFailure(["record", "YP-0001", "cpf-held", "--date", "2026-11-23"], as: "pat", status: 64,
                            message: "--chair USER")
        try h.expectFailure(["record", "YP-0001", "cpf-held", "--date", "2026-11-23", "--chair", "kim"], as: "pat",
                            status: 1, message: "an operational manager chairs it")
        try h.expectFailure(["record", "YP-0001", "cpf-held", "--date", "2026-11-23", "--chair", "zed"], as: "pat",
                            status: 66, message: "unknown user 'zed'")
        try h.expectFailure(["record", "YP-0001", "planning-meeting", "--date", "2026-11-23", "--chair", "mo"],
                            as: "pat", status: 64, message: "--chair goes with cpf-held")
        try h.expectFailure(["record", "YP-0001", "planning-meeting", "--date", "2026-11-23", "--custody-possible"],
                            as: "pat", status: 64, message: "--custody-possible goes with court-hearing")
        let held = try h.expectOK(["record", "YP-0001", "cpf-held", "--date", "2026-11-23", "--chair", "mo", "--json"],
                                  as: "pat").json
        XCTAssertEqual(held?["chair"], "mo")
    }

    func testAMoveAsksForAHomeVisitAReviewAndSocialCareForALookedAfterChild_002_11_3_004_16() throws {
        try h.expectFailure(["record", "YP-0001", "moved", "--date", "2026-11-23"], as: "pat", status: 64,
                            message: "--reason")
        try h.expectFailure(["record", "YP-0001", "planning-meeting", "--date", "2026-11-23", "--reason", "x"],
                            as: "pat", status: 64, message: "--reason goes with moved")
        try record("moved", "2026-11-23", ["--reason", "moved in with an aunt"])
        XCTAssertEqual(Set(try obligations().keys), ["home-visit-after-move", "review-after-move"],
                       "not looked after: social care is not told by this rule")
        try record("home-visit", "2026-11-24")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "review"], as: "pat")
        XCTAssertEqual(try obligations(), ["home-visit-after-move": "home-visit recorded",
                                           "review-after-move": "review stage \(try reviewID()) started"])
        // Looked after: social care is told within 24 hours too.
        try h.expectOK(["case", "new", "YP-0002", "--name", "Sam Lee", "--dob", "2010-01-01", "--looked-after"],
                       as: "mo")
        try h.expectOK(["record", "YP-0002", "moved", "--date", "2026-11-23T12:00", "--reason", "new placement"],
                       as: "pat")
        let told = { try self.h.expectOK(["due", "--case", "YP-0002", "--all", "--json"]).json?.arrayValue?
            .first { $0["rule"] == "move-to-social-care" } }
        XCTAssertEqual(try told()?["due"], "2026-11-24T12:00:00.000Z")
        try h.expectOK(["record", "YP-0002", "social-care-notified", "--date", "2026-11-23T15:00"], as: "pat")
        XCTAssertEqual(try told()?["dischargedBy"], "social-care-notified recorded")
    }

    func testOffendingReportedBySocialCareStartsAReview_004_14() throws {
        try h.expectFailure(["record", "YP-0001", "offending-reported", "--date", "2026-11-23"], as: "pat",
                            status: 64, message: "--by-social-care")
        try h.expectFailure(["record", "YP-0001", "moved", "--date", "2026-11-23", "--reason", "x", "--by-social-care"],
                            as: "pat", status: 64, message: "--by-social-care goes with offending-reported")
        let told = try h.expectOK(["record", "YP-0001", "offending-reported", "--date", "2026-11-23",
                                   "--by-social-care", "--json"], as: "pat").json
        XCTAssertEqual(told?["reportedBy"], "social-care")
        XCTAssertEqual(try obligations()["review-after-offending-reported"], "")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "review"], as: "pat")
        XCTAssertEqual(try obligations()["review-after-offending-reported"], "review stage \(try reviewID()) started")
    }

    /// 004 §17: every court outcome or adjournment of a child known to social care is told
    /// within 24 hours, not only custody for a looked-after child.
    func testEveryCourtOutcomeOfAChildKnownToSocialCareIsTold_004_17() throws {
        try record("court-outcome", "2026-11-20", ["--note", "adjourned to 4 December"])
        XCTAssertNil(try obligations()["court-outcome-to-social-care"], "not known to social care then")
        try h.expectOK(["case", "update", "YP-0001", "social-care=known"], as: "pat")
        try record("court-outcome", "2026-11-23T11:00", ["--note", "referral order, 9 months"])
        let told = try h.expectOK(["due", "--json"]).json?.arrayValue?
            .first { $0["rule"] == "court-outcome-to-social-care" }
        XCTAssertEqual(told?["due"], "2026-11-24T11:00:00.000Z")
        try record("social-care-notified", "2026-11-23T12:00")
        XCTAssertEqual(try obligations()["court-outcome-to-social-care"], "social-care-notified recorded")
    }

    func reviewID() throws -> String {
        try h.expectOK(["stage", "show", "YP-0001", "--json"]).json?["id"]?.stringValue ?? ""
    }

    func testAMoveBetweenEstablishmentsAsksTheReceivingOneForAReview_003_7() throws {
        try record("transferred-establishment", "2026-11-20", ["--at", "WETHERBY"])
        let owed = try h.expectOK(["due", "--json"]).json?.arrayValue?.first
        XCTAssertEqual(owed?["rule"], "review-after-establishment-transfer")
        XCTAssertEqual(owed?["party"], "establishment")
        try record("review-notified", "2026-11-23")
        XCTAssertEqual(try obligations()["review-after-establishment-transfer"], "review-notified recorded")
        XCTAssertEqual(try obligations()["review-after-establishment-update"], "", "the YOT's own review follows")
    }
}

/// Issue 25, end to end: a looked-after child from court through sentence, a move between
/// establishments, release and closure, every obligation met as the seeds ask, and `ap due`
/// empty at the end.
final class WholeJourneyTests: XCTestCase {
    func testFromCourtToClosureWithNothingLeftOwed() throws {
        let h = try Harness()
        h.now = "2026-11-02T09:00:00.000Z"
        try h.addJourneyOrganisations()
        try h.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14", "--looked-after"],
                       as: "mo")
        let ratings = ["rosh=medium", "saw=medium", "lor=medium", "scaled-approach=enhanced"]
        // Court, with custody possible: the PSR reaches Placements a day before.
        try h.keyEvent(["court-hearing", "--date", "2026-11-05T10:00", "--custody-possible"])
        try h.completeStage("psr", ratings + ["indicative-lor=medium", "psr.proposal=Custody"])
        try h.sendStage(to: "YCS-PT")
        XCTAssertEqual(try h.owedRules(), [])
        // Sentenced: the Post-Court Report to Placements, social care told, the planning meeting.
        h.now = "2026-11-05T15:00:00.000Z"
        try h.keyEvent(["sentenced-custody", "--date", "2026-11-05T14:00"])
        XCTAssertEqual(Set(try h.owedRules()), ["post-court-to-placements", "court-outcome-to-social-care",
                                        "initial-planning-meeting"])
        try h.completeStage("post-court-report", ["custody.placement-factors=First time in custody"])
        try h.sendStage(to: "YCS-PT")
        try h.sendStage(to: "LA-SC")
        try h.keyEvent(["arrived-establishment", "--date", "2026-11-05T19:00", "--at", "WETHERBY"])
        h.now = "2026-11-06T10:00:00.000Z"
        try h.keyEvent(["entering-custody-notified", "--date", "2026-11-06"])
        try h.completeStage("review", ratings)
        try h.sendStage(to: "WETHERBY")
        try h.keyEvent(["planning-meeting", "--date", "2026-11-06T09:00", "--updates-by", "yot"])
        try h.sendStage(to: "WETHERBY")
        XCTAssertEqual(try h.owedRules(), [])
        // Moved to another establishment: its review, then the YOT's.
        h.now = "2026-11-20T10:00:00.000Z"
        try h.keyEvent(["transferred-establishment", "--date", "2026-11-20", "--at", "COOKHAM"])
        XCTAssertEqual(try h.owedRules(), ["review-after-establishment-transfer"])
        try h.keyEvent(["review-notified", "--date", "2026-11-20"])
        try h.completeStage("review", ratings)
        try h.sendStage(to: "COOKHAM")
        XCTAssertEqual(try h.owedRules(), [])
        // Released: the custody obligations end; the post-release ones are met.
        h.now = "2027-01-20T10:00:00.000Z"
        try h.keyEvent(["released", "--date", "2027-01-20"])
        XCTAssertEqual(Set(try h.owedRules()), ["release-final-updates", "post-release-meeting"])
        try h.keyEvent(["release-updates-notified", "--date", "2027-01-20"])
        try h.keyEvent(["post-release-meeting", "--date", "2027-01-20T09:00"])
        // Involvement ends: the Case Closure stage, then nothing is owed.
        h.now = "2027-03-01T10:00:00.000Z"
        try h.keyEvent(["involvement-ended", "--date", "2027-03-01"])
        XCTAssertEqual(try h.owedRules(), ["case-closure-stage"])
        try h.completeStage("case-closure", ratings)
        XCTAssertEqual(try h.owedRules(), [])
        XCTAssertEqual(try h.expectOK(["due"]).stdout, "No obligations due.\n")
    }
}

/// Issue 25, end to end: a child remanded to youth detention accommodation, looked after by
/// the remand until sentence (004 §§23–24), through an establishment transfer, release and
/// closure, with every obligation met and `ap due` empty at the end.
final class RemandedJourneyTests: XCTestCase {
    func testARemandedLookedAfterChildFromCourtToClosure() throws {
        let h = try Harness()
        h.now = "2026-11-02T09:00:00.000Z"
        try h.addJourneyOrganisations()
        try h.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
        try h.expectOK(["case", "update", "YP-0001", "social-care=not-known"], as: "pat")
        let state = { try h.expectOK(["case", "show", "YP-0001", "--json"]).json }
        let ratings = ["rosh=medium", "saw=medium", "lor=medium", "scaled-approach=enhanced"]
        // Remanded at a first hearing: looked after by the remand (004 §24).
        try h.keyEvent(["court-hearing", "--date", "2026-11-02T10:00"])
        h.now = "2026-11-02T12:00:00.000Z"
        try h.keyEvent(["remanded-yda", "--date", "2026-11-02T11:00"])
        XCTAssertEqual(try state()?["lookedAfterBasis"], "remand")
        XCTAssertEqual(Set(try h.owedRules()), ["post-court-to-placements", "court-outcome-to-social-care"])
        try h.completeStage("post-court-report", ["custody.placement-factors=First time in custody"])
        try h.sendStage(to: "YCS-PT")
        try h.sendStage(to: "LA-SC")
        try h.keyEvent(["arrived-establishment", "--date", "2026-11-02T18:00", "--at", "WETHERBY"])
        XCTAssertEqual(try h.owedRules(), ["entering-custody-stage"], "the establishment's, within 72 hours")
        h.now = "2026-11-04T10:00:00.000Z"
        try h.keyEvent(["entering-custody-notified", "--date", "2026-11-04"])
        try h.completeStage("review", ratings)
        try h.sendStage(to: "WETHERBY")
        XCTAssertEqual(try h.owedRules(), [])
        // Sentenced at a hearing where custody was possible: the remand's status ends.
        try h.keyEvent(["court-hearing", "--date", "2026-11-20T10:00", "--custody-possible"])
        try h.completeStage("psr", ratings + ["indicative-lor=medium", "psr.proposal=Custody"])
        try h.sendStage(to: "YCS-PT")
        h.now = "2026-11-20T15:00:00.000Z"
        try h.keyEvent(["sentenced-custody", "--date", "2026-11-20T14:00"])
        XCTAssertEqual(try state()?["lookedAfter"], false)
        XCTAssertEqual(Set(try h.owedRules()), ["post-court-to-placements", "court-outcome-to-social-care",
                                        "initial-planning-meeting"])
        try h.completeStage("post-court-report", ["custody.placement-factors=Sentenced"])
        try h.sendStage(to: "YCS-PT")
        try h.sendStage(to: "LA-SC")
        // The planning meeting: the establishment updates (003 §4.1), then the YOT reviews.
        h.now = "2026-11-24T10:00:00.000Z"
        try h.keyEvent(["planning-meeting", "--date", "2026-11-24T09:00", "--at", "WETHERBY"])
        XCTAssertEqual(try h.owedRules(), ["establishment-update-after-meeting"])
        try h.keyEvent(["review-notified", "--date", "2026-11-24"])
        try h.completeStage("review", ratings)
        try h.sendStage(to: "WETHERBY")
        XCTAssertEqual(try h.owedRules(), [])
        // Moved to another establishment: its review, then the YOT's.
        h.now = "2026-12-07T10:00:00.000Z"
        try h.keyEvent(["transferred-establishment", "--date", "2026-12-07", "--at", "COOKHAM"])
        XCTAssertEqual(try h.owedRules(), ["review-after-establishment-transfer"])
        try h.keyEvent(["review-notified", "--date", "2026-12-07"])
        try h.completeStage("review", ratings)
        try h.sendStage(to: "COOKHAM")
        XCTAssertEqual(try h.owedRules(), [])
        // Released, the post-release obligations met; involvement ends with the Case Closure.
        h.now = "2027-02-01T10:00:00.000Z"
        try h.keyEvent(["released", "--date", "2027-02-01"])
        XCTAssertEqual(Set(try h.owedRules()), ["release-final-updates", "post-release-meeting"])
        try h.keyEvent(["release-updates-notified", "--date", "2027-02-01"])
        try h.keyEvent(["post-release-meeting", "--date", "2027-02-01T09:00"])
        h.now = "2027-03-01T10:00:00.000Z"
        try h.keyEvent(["involvement-ended", "--date", "2027-03-01"])
        XCTAssertEqual(try h.owedRules(), ["case-closure-stage"])
        try h.completeStage("case-closure", ratings)
        XCTAssertEqual(try h.expectOK(["due"]).stdout, "No obligations due.\n")
        XCTAssertEqual(try h.expectOK(["due", "--all", "--json"]).json?.arrayValue?.filter { $0["open"] == true }, [])
    }
}

/// Issue 25: a looked-after child in caretaking is never transferred in full; what is owed
/// is a caretaking review with the social worker, by each review date (002 §12.1 with 004).
final class CaretakingLookedAfterTests: TwoYOTs {
    func caretaking(lookedAfter: Bool) throws {
        try readyToSend(lookedAfter: lookedAfter)
        let sent = try packaged(barnet, ["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                                         "Nottinghamshire YJS", "--kind", "caretaking"])
        try notts.takeIn(sent.json)
        let reply = try packaged(notts, ["transfer", "accept", sent.transfer!])
        try barnet.takeIn(reply.json)
    }

    func owed(_ h: Harness) throws -> [JSONValue] {
        try h.expectOK(["due", "--json"], as: "mo").json?.arrayValue ?? []
    }

    func testALookedAfterChildOwesAReviewByEachReviewDateNotAFullTransfer_002_12_1() throws {
        try caretaking(lookedAfter: true)
        barnet.now = "2027-03-10T09:00:00.000Z"
        let late = try owed(barnet).filter { $0["case"] == "YP-0001" }
        XCTAssertEqual(late.compactMap { $0["rule"]?.stringValue }, ["caretaking-review-looked-after"])
        XCTAssertEqual(late.first?["overdue"], true)
        try barnet.expectOK(["caretake", "review", "YP-0001", "--next", "2027-06-01", "--note", "with the SW"],
                            as: "mo")
        let reviewed = try owed(barnet).first { $0["rule"] == "caretaking-review-looked-after" }
        XCTAssertEqual(reviewed?["overdue"], false, "reviewed: owed again by the next date")
        XCTAssertEqual(reviewed?["due"]?.stringValue?.prefix(10), "2027-06-01")
    }

    func testAChildNotLookedAfterStillPromptsAFullTransfer_002_12_1() throws {
        try caretaking(lookedAfter: false)
        barnet.now = "2027-03-10T09:00:00.000Z"
        XCTAssertEqual(try owed(barnet).filter { $0["case"] == "YP-0001" }.compactMap { $0["rule"]?.stringValue },
                       ["full-transfer-to-consider"])
    }
}

/// Issue 25, "corrections with an audit trail": a key event recorded in error is voided or
/// re-dated by an event of its own; obligations follow, and the log keeps both.
final class CorrectionTests: XCTestCase {
    func testAKeyEventIsVoidedOrRedatedVisiblyAndItsObligationsFollow() throws {
        let h = try Harness()
        h.now = "2026-11-23T09:00:00.000Z"
        try h.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
        let wrong = try h.expectOK(["record", "YP-0001", "sentenced-custody", "--date", "2026-11-20", "--json"],
                                   as: "pat").json?["id"]?.stringValue ?? ""
        let owed = { try h.expectOK(["due", "--json"]).json?.arrayValue ?? [] }
        XCTAssertEqual(try owed().first { $0["rule"] == "initial-planning-meeting" }?["due"]?.stringValue?.prefix(10),
                       "2026-12-04")
        // Re-dated by a unique start of its id: the deadlines move with it.
        try h.expectOK(["record", "YP-0001", "--correct", String(wrong.prefix(12)), "--date", "2026-11-23",
                        "--reason", "sentenced on Monday, not Friday"], as: "pat")
        XCTAssertEqual(try owed().first { $0["rule"] == "initial-planning-meeting" }?["due"]?.stringValue?.prefix(10),
                       "2026-12-07")
        let shown = try h.expectOK(["case", "show", "YP-0001", "--json"]).json?["keyEvents"]?.arrayValue ?? []
        XCTAssertEqual(shown.map { $0["date"] }, ["2026-11-23"])
        // Only its recorder or a manager; never into the future for an event that has happened.
        try h.expectFailure(["record", "YP-0001", "--correct", wrong, "--date", "2026-11-21", "--reason", "x"],
                            as: "kim", status: 77, message: "its recorder or a manager")
        try h.expectFailure(["record", "YP-0001", "--correct", wrong, "--date", "2026-12-01"], as: "pat", status: 64,
                            message: "future")
        try h.expectFailure(["record", "YP-0001", "--void", wrong], as: "pat", status: 64, message: "--reason")
        try h.expectFailure(["record", "YP-0001", "--void", "nope", "--reason", "x"], as: "pat", status: 66,
                            message: "no recorded key event 'nope'")
        // Voided by a manager: as if never recorded, so nothing is owed.
        try h.expectOK(["record", "YP-0001", "--void", wrong, "--reason", "the wrong young person"], as: "mo")
        XCTAssertEqual(try owed().count, 0)
        XCTAssertEqual(try h.expectOK(["case", "show", "YP-0001", "--json"]).json?["keyEvents"], nil)
        try h.expectFailure(["record", "YP-0001", "--void", wrong, "--reason", "again"], as: "mo", status: 66,
                            message: "no recorded key event")
        let log = try h.expectOK(["log", "YP-0001"], env: ["COLUMNS": "250"]).stdout
        XCTAssertTrue(log.contains("sentenced-custody 2026-11-20"), "the original stays: \(log)")
        XCTAssertTrue(log.contains("re-dated sentenced-custody \(wrong) from 2026-11-20 to 2026-11-23"), log)
        XCTAssertTrue(log.contains("voided sentenced-custody \(wrong): the wrong young person"), log)
        XCTAssertEqual(try h.expectOK(["fsck"]).status, 0, "the stored state agrees with the events")
    }

    func testASubmissionIsWithdrawnByItsOwnerOrAManagerBeforeCountersignature() throws {
        let h = try Harness()
        try h.caseWithStage()
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low", "saw=low", "lor=low", "indicative-lor=low",
                        "scaled-approach=standard", "psr.proposal=Referral order"], as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectFailure(["stage", "withdraw", "YP-0001", "--reason", "x"], as: "kim", status: 77,
                            message: "its owner (pat) or a manager")
        try h.expectFailure(["stage", "withdraw", "YP-0001"], as: "pat", status: 64, message: "--reason")
        let back = try h.expectOK(["stage", "withdraw", "YP-0001", "--reason", "RoSH should be high", "--json"],
                                  as: "pat").json
        XCTAssertEqual(back?["status"], "in-progress")
        XCTAssertEqual(back?["withdrawals"]?.arrayValue?.first?["reason"], "RoSH should be high")
        XCTAssertEqual(try h.expectOK(["queue", "--json"], as: "mo").json?.arrayValue?.count, 0, "out of the queue")
        try h.expectOK(["stage", "set", "YP-0001", "rosh=high", "scaled-approach=intensive"], as: "pat")
        try h.evidence(for: ["rosh=high"])
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectOK(["countersign", "YP-0001"], as: "mo")
        try h.expectFailure(["stage", "withdraw", "YP-0001", "--reason", "x"], as: "mo", status: 1,
                            message: "no submission awaiting countersignature")
        let log = try h.expectOK(["log", "YP-0001", "--type", "stage.withdrawn", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(log.count, 1)
    }

    /// A remand voided takes back the looked-after status it gave (004 §24).
    func testAVoidedRemandTakesBackWhatItGave() throws {
        let h = try Harness()
        try h.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
        let remand = try h.expectOK(["record", "YP-0001", "remanded-laa", "--date", "2026-11-02", "--json"],
                                    as: "pat").json?["id"]?.stringValue ?? ""
        XCTAssertEqual(try h.expectOK(["case", "show", "YP-0001", "--json"]).json?["lookedAfter"], true)
        try h.expectOK(["record", "YP-0001", "--void", remand, "--reason", "bail, not remand"], as: "mo")
        XCTAssertEqual(try h.expectOK(["case", "show", "YP-0001", "--json"]).json?["lookedAfter"], false)
    }
}
