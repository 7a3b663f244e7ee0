@testable import APModel
import XCTest

/// List parts of a stage and the integrity of what is countersigned (issue 24; 001 §§2.2, 3.1).
final class EntryTests: XCTestCase {
    /// The transfer-in summary, typed (002 Appendix A), for the rule tests that send a transfer.
    static let summary = [
        ("transfer.order-type", "Referral order"), ("transfer.order-start", "2026-10-01"),
        ("transfer.order-length", "9 months"), ("transfer.iom", "no"), ("transfer.mappa-category", "1"),
        ("transfer.mappa-level", "n/a"), ("transfer.child-protection-plan", "none"), ("transfer.safeguarding", "none"),
        ("transfer.documents", "All attached"),
    ]

    func started(_ kind: String = "review") throws -> Fixture {
        var f = Fixture()
        try f.newCase()
        try f.startStage(kind)
        return f
    }

    let behaviour = [("behaviour", "Robbery"), ("victims", "Strangers"), ("likelihood", "Medium"), ("impact", "high")]

    func testAnEntryIsAddedChangedAndRemovedByItsNumberOrId() throws {
        var f = try started()
        try f.add("future-behaviours", behaviour)
        try f.add("future-behaviours", [("behaviour", "Arson"), ("victims", "Family"), ("likelihood", "low"),
                                        ("impact", "very-high")])
        var stage = try f.state.openStage!
        XCTAssertEqual(stage.entries("future-behaviours").map { $0.fields["behaviour"] }, ["Robbery", "Arson"])
        XCTAssertEqual(stage.entries("future-behaviours")[0].fields["likelihood"], "medium", "choices kept lower case")
        let config = f.config
        try f.act("pat") { s, a in
            try StageRules.editEntry(s, part: "future-behaviours", entry: "2", fields: [("context", "At home")],
                                     actor: a, config: config, catalogue: config.catalogue)
        }
        try f.act("pat") { s, a in
            try StageRules.removeEntry(s, part: "future-behaviours", entry: "1", actor: a, config: config,
                                       catalogue: config.catalogue)
        }
        stage = try f.state.openStage!
        let left = stage.entries("future-behaviours")
        XCTAssertEqual(left.count, 1)
        XCTAssertEqual(left[0].fields["context"], "At home")
        XCTAssertEqual(left[0].changedBy, "pat")
        // The same entry by its id; an optional field cleared with an empty value.
        try f.act("pat") { s, a in
            try StageRules.editEntry(s, part: "future-behaviours", entry: left[0].id, fields: [("context", "")],
                                     actor: a, config: config, catalogue: config.catalogue)
        }
        XCTAssertNil(try f.state.openStage!.entries("future-behaviours")[0].fields["context"])
        XCTAssertThrowsAPError(
            try StageRules.removeEntry(try f.state, part: "future-behaviours", entry: "2", actor: f.actor("pat"),
                                       config: config, catalogue: config.catalogue), "not-found", "it has 1 (1 to 1)")
    }

    func testFieldsAreCheckedAndErrorsNeverRepeatTheValue() throws {
        var f = try started()
        let secret = "Lives at 12 Secret Road"
        XCTAssertThrowsAPError(
            try f.add("future-behaviours", [("behavior", secret)]), "data", "did you mean 'behaviour'")
        XCTAssertThrowsAPError(try f.add("future-behaviours", [("behaviour", secret)]), "data",
                               "needs victims, likelihood, impact")
        XCTAssertThrowsAPError(
            try f.add("adverse-outcomes", [("outcome", secret), ("likelihood", "very-high"), ("impact", "high")]),
            "data", "allows: low, medium, high")
        XCTAssertThrowsAPError(try f.add("pp.targets", [("need", "ETE"), ("action", "x"), ("who", "yot"),
                                                        ("by", "soon")]), "data", "takes a date")
        XCTAssertThrowsAPError(try f.add("adverse-outcomes", [("outcome", " "), ("likelihood", "low"),
                                                              ("impact", "low")]), "data", "is blank")
        XCTAssertThrowsAPError(try f.add("future-behaviours", behaviour + [("impact", "low")]), "usage", "given twice")
        XCTAssertThrowsAPError(try f.set([("future-behaviours", secret)]), "data", "is a list part")
        XCTAssertThrowsAPError(try f.add("rosh", [("value", "high")]), "data", "not a list part")
        for attempt in [{ try f.add("future-behaviours", [("behavior", secret)]) }] {
            do { try attempt() } catch let e as APError { XCTAssertFalse(e.message.contains("Secret"), e.message) }
        }
        // A required field is not cleared by an edit.
        try f.add("future-behaviours", behaviour)
        let config = f.config
        XCTAssertThrowsAPError(
            try StageRules.editEntry(try f.state, part: "future-behaviours", entry: "1", fields: [("victims", "")],
                                     actor: f.actor("pat"), config: config, catalogue: config.catalogue),
            "data", "cannot be cleared")
    }

    func testAPartTheKindDoesNotHoldIsRefused() throws {
        var f = try started("pre-release")
        XCTAssertThrowsAPError(try f.add("future-behaviours", behaviour), "data", "kinds that hold it")
    }

    /// A high RoSH rests on a future behaviour, a high SaW on an adverse outcome; policy off drops it.
    func testAHighRatingNeedsTheEntriesItRestsOn() throws {
        var f = try started()
        f.config.policy.ratingEvidence = "required"
        try f.set([("rosh", "very-high"), ("saw", "high")])
        XCTAssertThrowsAPError(try f.submit(), "refused", "'future-behaviours' needs at least one entry")
        XCTAssertEqual(
            StageRules.missingAnswers(try f.state.openStage!, config: f.config, catalogue: f.config.catalogue),
            ["future-behaviours", "adverse-outcomes"])
        try f.add("future-behaviours", behaviour)
        XCTAssertThrowsAPError(try f.submit(), "refused", "saw is high, so 'adverse-outcomes'")
        try f.add("adverse-outcomes", [("outcome", "Exploited"), ("likelihood", "high"), ("impact", "high")])
        XCTAssertNoThrow(try f.submit())

        var g = try started()
        g.config.policy.ratingEvidence = "required"
        try g.set([("rosh", "medium"), ("saw", "medium")])
        XCTAssertNoThrow(try g.submit(), "medium needs no entry")

        var h = try started()
        h.config.policy.ratingEvidence = "off"
        try h.set([("rosh", "high")])
        XCTAssertNoThrow(try h.submit(), "the policy is off")
    }

    func testEntriesArePulledForwardOnlyIntoKindsThatHoldThem() throws {
        var f = try started()
        try f.add("future-behaviours", behaviour)
        try f.add("pp.targets", [("need", "ETE"), ("action", "Tutoring"), ("who", "partner")])
        try f.submit()
        try f.startStage("review")
        let review = try f.state.openStage!
        XCTAssertEqual(review.entries("future-behaviours").count, 1)
        XCTAssertTrue(review.entries("future-behaviours")[0].pulled)
        XCTAssertEqual(review.entries("pp.targets")[0].fields["who"], "partner")
        let config = f.config
        try f.act("mo") { s, a in try StageRules.stop(s, reason: "urgent bail", actor: a, config: config) }
        try f.startStage("bail-recommendation")
        let bail = try f.state.openStage!
        XCTAssertEqual(bail.entries("future-behaviours").count, 1, "a bail stage holds the wider assessment")
        XCTAssertTrue(bail.entries("pp.targets").isEmpty, "but not the plan")
    }

    /// Two copies each add an entry, one removes an entry the other edits: union and replay by id.
    func testEntriesOfTwoCopiesMergeById() throws {
        var base = try started()
        try base.add("adverse-outcomes", [("outcome", "Exploited"), ("likelihood", "high"), ("impact", "high")])
        var a = base, b = base
        b.counter += 100
        try a.add("adverse-outcomes", [("outcome", "Self-harm"), ("likelihood", "low"), ("impact", "high")])
        let config = a.config
        try a.act("pat") { s, actor in
            try StageRules.removeEntry(s, part: "adverse-outcomes", entry: "1", actor: actor, config: config,
                                       catalogue: config.catalogue)
        }
        try b.act("mo") { s, actor in
            try StageRules.editEntry(s, part: "adverse-outcomes", entry: "1", fields: [("likelihood", "medium")],
                                     actor: actor, config: config, catalogue: config.catalogue)
        }
        try b.add("adverse-outcomes", [("outcome", "Missing"), ("likelihood", "medium"), ("impact", "medium")],
                  by: "mo")
        let merged = try Merge.merge(
            try CaseFile(id: "YP-1", events: a.events), try CaseFile(id: "YP-1", events: b.events), into: "YP-1")
        let outcomes = merged.file.state.openStage!.entries("adverse-outcomes").map { $0.fields["outcome"] }
        XCTAssertEqual(Set(outcomes), ["Self-harm", "Missing"], "the removal stands; the later edit of it is void")
    }

    /// 001 §15: whoever filled in a stage does not countersign it, and clearing is filling in.
    func testAManagerWhoClearedOrChangedEntriesCannotCountersign() throws {
        for manager in ["clears", "adds"] {
            var f = try started()
            try f.set([("pfs.cse", "yes"), ("pfs.cse.explanation", "Seen with older men"), ("rosh", "medium")])
            let config = f.config
            if manager == "clears" {
                try f.act("mo") { s, a in
                    try StageRules.clear(s, keys: ["pfs.cse.explanation"], actor: a, catalogue: config.catalogue)
                }
                try f.set([("pfs.cse.explanation", "Seen with older men")])
                XCTAssertEqual(try f.state.openStage!.cleared.map(\.by), ["mo"])
            } else {
                try f.add("future-behaviours", behaviour, by: "mo")
            }
            f.config.policy.countersign = "all"
            try f.submit()
            XCTAssertThrowsAPError(
                try CountersignRules.countersign(try f.state, stageID: nil, comment: nil, actor: f.actor("mo")),
                "permission", "filled in")
            XCTAssertNoThrow(
                try CountersignRules.countersign(try f.state, stageID: nil, comment: nil, actor: f.actor("lee")))
        }
    }

    /// A trigger's yes seen at a submission stands after a return; one added since may go.
    func testAFlaggedTriggerStandsAfterSubmission() throws {
        var f = try started()
        try f.set([("pfs.cse", "yes"), ("pfs.cse.explanation", "Seen with older men")])
        let config = f.config
        // Before any submission it may be corrected.
        try f.set([("pfs.cse", "no")])
        try f.set([("pfs.cse", "yes")])
        f.config.policy.countersign = "all"
        try f.submit()
        try f.act("mo") { s, a in try CountersignRules.returnForAmendment(s, stageID: nil, reason: "more", actor: a) }
        XCTAssertThrowsAPError(
            try StageRules.clear(try f.state, keys: ["pfs.cse"], actor: f.actor("pat"), catalogue: config.catalogue),
            "refused", "stands until a new stage")
        XCTAssertThrowsAPError(try f.set([("pfs.cse", "no")]), "refused", "answered yes when stage")
        XCTAssertNoThrow(try f.set([("pfs.cse.explanation", "More: seen twice")]))
        // A yes first given after the return was never submitted: it may be cleared.
        try f.set([("pfs.gangs", "yes")])
        XCTAssertNoThrow(
            try StageRules.clear(try f.state, keys: ["pfs.gangs"], actor: f.actor("pat"), catalogue: config.catalogue))
    }

    /// "Stage owners will need to validate and complete stages" (001 §2.2).
    func testOnlyTheOwnerSubmitsUnlessAbsent() throws {
        var f = try started()
        for other in ["kim", "mo", "bo"] {
            XCTAssertThrowsAPError(try f.submit(by: other), "permission", "its owner 'pat' validates")
        }
        var away = f.actor("bo")
        away.absentColleagues = ["pat"]
        let change = try StageRules.submit(try f.state, actor: away, config: f.config)
        XCTAssertEqual(change.payload["onBehalfOf"], "pat")
    }
}

/// The plan reviewed at each Review, and the young person's agreement (001 §6).
final class PlanTests: XCTestCase {
    /// A list part made mandatory (config `mandatory`) is present once it has an entry: it never
    /// has an answer, so it was missing for ever before.
    func testAMandatoryListPartNeedsAnEntry() throws {
        var f = Fixture()
        f.config.mandatory["review"] = ["pp.targets"]
        try f.newCase()
        try f.startStage("review")
        XCTAssertThrowsAPError(try f.submit(), "refused", "mandatory answers missing: pp.targets")
        try f.add("pp.targets", [("need", "ETE"), ("action", "Tutoring"), ("who", "partner")])
        XCTAssertNoThrow(try f.submit())
    }

    func testATargetPulledIntoAReviewIsReviewedBeforeSubmit() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage("start-of-intervention")
        try f.add("pp.targets", [("need", "ETE"), ("action", "Tutoring"), ("who", "partner")])
        try f.add("pp.management", [("concern", "Knife carrying"), ("action", "Weekly searches agreed"),
                                    ("who", "parent"), ("contingency", "Police informed")])
        try f.set([("pp.signed", "yes"), ("pp.signed-date", "2026-11-02"), ("pp.copy-given", "yes")])
        XCTAssertNoThrow(try f.submit(), "a first plan has nothing to review")
        try f.startStage("review")
        XCTAssertEqual(try f.state.openStage!.entries("pp.management").count, 1)
        XCTAssertThrowsAPError(try f.submit(), "refused", "set the status of pp.targets 1")
        let config = f.config
        try f.act("pat") { s, a in
            try StageRules.editEntry(s, part: "pp.targets", entry: "1", fields: [("status", "in-progress")],
                                     actor: a, config: config, catalogue: config.catalogue)
        }
        XCTAssertNoThrow(try f.submit())
    }
}

/// At a host YOT, a new stage starts from the host's own latest countersigned assessment, not
/// from a draft of the home's that was stopped when it was superseded (issue 24; 002 §12).
final class HostPullForwardTests: XCTestCase {
    func testAHostPullsFromItsOwnCountersignedStage() throws {
        var f = Fixture()
        try f.newCase()
        let barnet = YOT(code: "BARNET", name: "Barnet"), notts = YOT(code: "NOTTS", name: "Notts")
        try f.act("mo") { _, _ in
            Change(EventType.transferSent, [
                "transfer": "t1", "kind": "caretaking", "from": barnet.json, "to": notts.json,
            ])
        }
        try f.act("mo") { _, _ in Change(EventType.transferAccepted, ["transfer": "t1"]) }
        func at(_ yot: String) { f.events[f.events.count - 1].yot = yot }
        // The host's review, countersigned at the host.
        try f.startStage("review")
        at("NOTTS")
        let hostStage = try f.state.openStage!.id
        try f.set([("pfs.education", "New college in Nottingham"), ("rosh", "low")])
        f.config.policy.countersign = "all"
        try f.submit()
        try f.act("mo") { s, a in try CountersignRules.countersign(s, stageID: nil, comment: nil, actor: a) }
        // A draft the home started later, then stopped as superseded.
        try f.startStage("review")
        at("BARNET")
        try f.set([("pfs.education", "Barnet college (old)")])
        let config = f.config
        try f.act("mo") { s, a in try StageRules.stop(s, reason: "superseded", actor: a, config: config) }

        var host = f.config
        host.yotCode = "NOTTS"
        let change = try StageRules.start(
            try f.state, kind: try host.stageKind("review"), owner: host.users["pat"]!, stageID: "st-next",
            actor: f.actor("pat"), config: host)
        XCTAssertEqual(change.payload["pulledFrom"]?.stringValue, hostStage)
        XCTAssertEqual(change.payload["pulled"]?["pfs.education"], "New college in Nottingham")
        // At the home, the general rule: the latest stage holding the assessment.
        let home = try StageRules.start(
            try f.state, kind: try f.config.stageKind("review"), owner: f.config.users["pat"]!, stageID: "st-home",
            actor: f.actor("pat"), config: f.config)
        XCTAssertNotEqual(home.payload["pulledFrom"]?.stringValue, hostStage)
    }
}

/// The core record's offences and orders, and a court report's headings (issue 24).
final class CoreRecordTests: XCTestCase {
    func testOffencesAndOrdersAreRecordedAndCarriedForward() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage("psr")
        try f.add("core-record.offences", [("date", "2026-09-14"), ("type", "Robbery"), ("outcome", "Charged")])
        XCTAssertThrowsAPError(try f.add("core-record.offences", [("type", "Theft")]), "data", "needs date")
        try f.add("core-record.orders", [("type", "Youth Rehabilitation Order"), ("start", "2026-11-01"),
                                         ("length", "12 months"), ("requirements", "Supervision; curfew")])
        try f.set([("psr.offence-analysis", "A street robbery with two others"), ("psr.options", "YRO; DTO")])
        try f.submit()
        try f.startStage("review")
        let review = try f.state.openStage!
        XCTAssertEqual(review.entries("core-record.offences").first?.fields["type"], "Robbery")
        XCTAssertEqual(review.entries("core-record.orders").first?.fields["length"], "12 months")
        XCTAssertNil(review.answer("psr.options"), "a review holds no PSR module")
    }
}
