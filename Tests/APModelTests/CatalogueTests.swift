import XCTest

@testable import APModel

/// The shipped catalogue against domain.md's contract, and answers checked against it.
final class CatalogueTests: XCTestCase {
    let catalogue = Fixture().config.catalogue
    func kindName(_ slug: String) -> String { slug }

    static let pinnedText = [
        "pfs.living-arrangements", "pfs.family-relationships", "pfs.education", "pfs.health", "pfs.life-events",
        "oasb.episodes",
        "ffc.desistance-for", "ffc.desistance-against", "ec.explanation", "ec.saw-outcomes", "ec.rosh-behaviours",
        "pp.plan",
        "rj.attitude-to-victim", "rj.previous-rj", "custody.placement-factors", "bail.package",
        "leaving-custody.release-address",
    ]
    static let pinnedTriggers = [
        "pfs.accommodation-concerns": "Housing / Children's Services",
        "pfs.local-tensions": "Prevent services / Police / Children's Services",
        "pfs.parenting-concerns": "Parenting / Children's Services", "pfs.gangs": "Gangs worker / Police",
        "pfs.cse": "MASE",
        "pfs.missing": "Missing children's service",
        "pfs.violent-extremism": "Channel (discuss with an operational manager)",
        "pfs.physical-health-screen": "Health worker", "pfs.slcn-screen": "Speech and language specialist",
        "pfs.mental-health-screen": "CAMHS", "pfs.substance-misuse": "Substance misuse worker",
        "pfs.care-of-own-child": "Children's Services", "pfs.ete-concerns": "Education worker",
    ]

    func testEveryPinnedKeyIsPresentWithItsSectionAndType() {
        for key in CatalogueTests.pinnedText {
            XCTAssertEqual(catalogue.question(key)?.type, .text, key)
            XCTAssertEqual(catalogue.question(key)?.section, String(key.prefix(while: { $0 != "." })), key)
        }
        for key in ["sa.young-person", "sa.carer"] { XCTAssertEqual(catalogue.question(key)?.type, .yesNo, key) }
        for (key, referral) in CatalogueTests.pinnedTriggers {
            XCTAssertEqual(catalogue.question(key)?.type, .yesNo, key)
            XCTAssertEqual(catalogue.question(key)?.referral, referral, key)
            XCTAssertEqual(catalogue.question(key + ".explanation")?.explains, key)
        }
        for key in ["rosh", "saw", "indicative-lor", "lor"] {
            XCTAssertEqual(catalogue.question(key)?.section, "ec", key)
        }
        for key in ["scaled-approach", "scaled-approach-override"] {
            XCTAssertEqual(catalogue.question(key)?.section, "pp", key)
        }
        for key in Ratings.keys { XCTAssertEqual(catalogue.question(key)?.type, .rating, key) }
        for key in StageKind.transferQuestions { XCTAssertEqual(catalogue.question(key)?.section, "transfer", key) }
        let slugs = [
            "core-record", "pfs", "screening", "oasb", "ffc", "sa", "ec", "pp", "custody", "bail", "leaving-custody",
            "transfer",
            "rj",
            "psr", "referral-order",
        ]
        XCTAssertEqual(catalogue.sections.map(\.slug), slugs)
    }

    func testNoDuplicateKeysEveryTriggerFlagsAReferralAndEverySectionIsKnown() {
        let keys = catalogue.questions.map(\.key)
        XCTAssertEqual(keys.count, Set(keys).count)
        for q in catalogue.questions {
            XCTAssertNotNil(catalogue.section(q.section), q.key)
            XCTAssertNoThrow(try AnswerKey.validate(q.key), q.key)
            XCTAssertFalse(q.label.isEmpty, q.key)
            if q.isTrigger { XCTAssertEqual(q.type, .yesNo, q.key) }
        }
        XCTAssertEqual(Set(catalogue.triggers.map(\.key)), Set(CatalogueTests.pinnedTriggers.keys))
        XCTAssertTrue(catalogue.triggers.allSatisfy { !($0.referral ?? "").isEmpty })
    }

    func testKindsHoldTheirSectionsAndModules() {
        let all = ["core-record", "pfs", "screening", "oasb", "ffc", "sa", "ec", "pp", "rj"]
        for kind in ["start-of-intervention", "review", "case-closure"] {
            XCTAssertEqual(catalogue.sections(ofKind: kind), all, kind)
        }
        XCTAssertEqual(catalogue.sections(ofKind: "psr"), all.dropLast() + ["custody", "rj", "psr"])
        XCTAssertTrue(catalogue.sections(ofKind: "referral-order-report").contains("referral-order"))
        // The wider assessment Placements and an establishment decide from (003 §§2.3, 3.6).
        let wider = ["pfs", "screening", "ec"]
        XCTAssertEqual(catalogue.sections(ofKind: "bail-recommendation"), wider + ["custody", "bail"])
        XCTAssertEqual(catalogue.sections(ofKind: "post-court-report"), wider + ["custody"])
        XCTAssertEqual(catalogue.sections(ofKind: "entering-custody"), wider + ["custody"])
        XCTAssertEqual(catalogue.sections(ofKind: "pre-release"), ["leaving-custody"])
        XCTAssertEqual(catalogue.sections(ofKind: "transfer-yot-to-yot"), ["transfer"])
        XCTAssertEqual(catalogue.kinds(holding: "bail"), ["bail-recommendation"])
        var config = Fixture().config
        try? config.setKindSection(kind: "bail-recommendation", section: "rj", add: true)
        XCTAssertTrue(config.catalogue.holds(kind: "bail-recommendation", key: "rj.previous-rj"))
        XCTAssertFalse(catalogue.holds(kind: "bail-recommendation", key: "rj.previous-rj"))
    }

    func testUnknownKeysSuggestTheNearestOverTheWholeKeyAndItsTail() {
        XCTAssertThrowsAPError(
            try catalogue.check(key: "rohs", value: "high", kind: "review", kindName: kindName),
            "data", "unknown question 'rohs'; did you mean 'rosh'?")
        XCTAssertEqual(catalogue.nearest("gangs").first, "pfs.gangs")
        XCTAssertEqual(catalogue.nearest("pfs.gang").first, "pfs.gangs")
        XCTAssertEqual(catalogue.nearest("pfs.living-arangements").first, "pfs.living-arrangements")
        XCTAssertEqual(catalogue.nearest("zzzzzzzzzzzz"), [])
        XCTAssertThrowsAPError(
            try catalogue.check(key: "zzzzzzzzzzzz", value: "x", kind: "review", kindName: kindName),
            "data", "'ap stage questions' lists them")
    }

    func testValuesAreCheckedByTypeAndNeverEchoed() throws {
        func check(_ key: String, _ value: String, kind: String = "review") throws -> String {
            try catalogue.check(key: key, value: value, kind: kind, kindName: kindName)
        }
        XCTAssertEqual(try check("pfs.gangs", "Yes"), "yes")
        XCTAssertEqual(try check("pfs.gangs", "YET-TO-CLARIFY"), "yet-to-clarify")
        XCTAssertEqual(try check("rosh", "Very-High"), "very-high")
        XCTAssertEqual(try check("pp.plan-review-date", "2026-12-01"), "2026-12-01")
        XCTAssertEqual(try check("pfs.health", " Asthma "), " Asthma ")
        XCTAssertThrowsAPError(try check("pfs.gangs", "maybe secret"), "data", "allowed: yes, no, yet-to-clarify")
        do { _ = try check("pfs.gangs", "maybe secret") } catch let e as APError {
            XCTAssertFalse(e.message.contains("secret"))
        }
        do { _ = try check("rosh", "dangerous") } catch let e as APError {
            XCTAssertFalse(e.message.contains("dangerous"))
        }
        XCTAssertThrowsAPError(try check("pp.plan-review-date", "next week"), "data", "takes a date")
        XCTAssertThrowsAPError(try check("pfs.health", " \t "), "data", "answer 'pfs.health' is blank")
        XCTAssertThrowsAPError(try check("pfs.health", ""), "data", "is blank")
        XCTAssertThrowsAPError(try check("rosh", "yet-to-clarify"), "data", "allowed: low, medium, high, very-high")
        XCTAssertThrowsAPError(
            try check("bail.package", "x", kind: "review"), "data", "kinds that hold it: bail-recommendation")
        XCTAssertThrowsAPError(try check("Bad Key", "x"), "usage", "invalid answer key")
    }

    func testSubmitNeedsRequiredRatingsAndNonBlankExplanations() throws {
        var f = Fixture()
        f.config.requiredRatings = Config.defaultRequiredRatings
        try f.newCase()
        try f.startStage("start-of-intervention")
        try f.set([("rosh", "low"), ("pfs.gangs", "yes")])
        XCTAssertThrowsAPError(try f.submit(), "refused", "missing: saw, lor, scaled-approach, pfs.gangs.explanation")
        try f.set([
            ("saw", "low"), ("lor", "low"), ("scaled-approach", "standard"), ("pfs.gangs.explanation", "cousin"),
        ])
        try f.submit()
        XCTAssertEqual(try f.state.stages[0].status, .awaitingCountersignature)
        // An explanation of only spaces from a file written before the check still counts as missing.
        var stage = try f.state.stages[0]
        stage.answers["pfs.gangs.explanation"]?.value = "   "
        XCTAssertEqual(
            StageRules.missingAnswers(stage, config: f.config, catalogue: f.config.catalogue), ["pfs.gangs.explanation"]
        )
        // Kinds without required ratings submit without them.
        XCTAssertNil(f.config.requiredRatings["bail-recommendation"])
    }

    func testPullForwardCarriesOnlyWhatTheNewKindHolds() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage("psr")
        try f.set([("pfs.health", "asthma"), ("custody.placement-factors", "near family"), ("psr.proposal", "YRO")])
        try f.submit()
        try f.startStage("bail-recommendation")
        let stage = try f.state.stages[1]
        XCTAssertEqual(stage.answers.keys.sorted(), ["custody.placement-factors", "pfs.health"], "not the proposal")
    }

    func testContributorsAnswerOnlyInTheirSectionsAndOnlyManagersAllocate() throws {
        var f = Fixture()
        f.config.users["vic"] = User(id: "vic", name: "Vic", roles: [.practitioner])
        try f.newCase()
        try f.startStage("review")
        let config = f.config
        func assign(_ section: String, to user: String?, by: String) throws {
            try f.act(by) { s, a in
                try StageRules.assign(
                    s, section: section, to: user.map { config.users[$0]! }, actor: a, config: config,
                    catalogue: config.catalogue)
            }
        }
        XCTAssertThrowsAPError(try assign("rj", to: "vic", by: "pat"), "permission", "only managers")
        XCTAssertThrowsAPError(try assign("bail", to: "vic", by: "mo"), "data", "has no section 'bail'")
        XCTAssertThrowsAPError(try f.set([("rj.previous-rj", "none")], by: "vic"), "permission", "owned by 'pat'")
        try assign("rj", to: "vic", by: "mo")
        XCTAssertEqual(try f.state.stages[0].contributors, ["rj": "vic"])
        try f.set([("rj.previous-rj", "none")], by: "vic")
        XCTAssertThrowsAPError(try f.set([("pfs.health", "x")], by: "vic"), "permission", "contributes rj")
        // Everyone else's rights are unchanged.
        try f.set([("pfs.health", "x")], by: "pat")
        try f.set([("pfs.gangs", "no")], by: "bo")
        try assign("rj", to: nil, by: "mo")
        XCTAssertEqual(try f.state.stages[0].contributors, [:])
        XCTAssertThrowsAPError(try f.set([("rj.previous-rj", "again")], by: "vic"), "permission", "owned by 'pat'")
        XCTAssertThrowsAPError(try assign("rj", to: nil, by: "mo"), "refused", "not allocated")
    }

    func testACaseWrittenBeforeTheCatalogueLoadsAndItsOtherKeysAreKept() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage("review")
        // An old ap wrote any key: append such an event by hand.
        f.clock = f.clock.adding(millis: 60_000)
        let stageID = try f.state.stages[0].id
        f.events.append(
            Event(
                id: "old1", at: f.clock, by: "pat", osUser: "t", type: EventType.stageAnswered,
                payload: ["stage": .string(stageID), "answers": ["notes": "kept", "rosh": "low"]]))
        let stage = try f.state.stages[0]
        XCTAssertEqual(stage.answers["notes"]?.value, "kept")
        XCTAssertEqual(catalogue.unknownKeys(stage), ["notes"])
    }

    func testLocalSettingsAreValidatedAndRoundTrip() throws {
        var config = Fixture().config
        try config.addLocalQuestion(key: "pfs.young-carer", section: "pfs", label: "Young carer?", type: "yes-no")
        XCTAssertThrowsAPError(
            try config.addLocalQuestion(key: "pfs.gangs", section: "pfs", label: "x", type: "text"),
            "exists", "shipped with ap")
        XCTAssertThrowsAPError(
            try config.addLocalQuestion(key: "ec.thing", section: "pfs", label: "x", type: "text"),
            "usage", "starts 'pfs.'")
        XCTAssertThrowsAPError(
            try config.addLocalQuestion(key: "pfs.x.explanation", section: "pfs", label: "x", type: "text"),
            "usage", "kept for the explanations")
        XCTAssertThrowsAPError(
            try config.addLocalQuestion(key: "pfs.y", section: "nope", label: "x", type: "text"),
            "usage", "unknown section 'nope'")
        XCTAssertThrowsAPError(
            try config.addLocalQuestion(key: "pfs.y", section: "pfs", label: "x", type: "rating"),
            "usage", "types: text, yes-no, date")
        try config.setTrigger("pfs.young-carer", referral: "Young carers service")
        try config.setTrigger("pfs.gangs", referral: "Gangs exit team")
        XCTAssertThrowsAPError(
            try config.setTrigger("pfs.health", referral: "x"), "data", "triggers are yes-no questions")
        try config.setMandatory(kind: "review", keys: ["pfs.health"], add: true)
        XCTAssertThrowsAPError(
            try config.setMandatory(kind: "review", keys: ["bail.package"], add: true), "data", "not part of")
        try config.setKindSection(kind: "bail-recommendation", section: "rj", add: true)
        try config.setBankHoliday("2027-06-07", add: true)
        XCTAssertThrowsAPError(try config.setBankHoliday("2027-01-01", add: true), "exists", "already a bank holiday")

        let again = try Config(json: try JSONParser.parse(JSONWriter.pretty(config.json)))
        XCTAssertEqual(again, config)
        let c = again.catalogue
        XCTAssertEqual(c.question("pfs.young-carer")?.referral, "Young carers service")
        XCTAssertEqual(c.question("pfs.young-carer.explanation")?.local, true)
        XCTAssertEqual(c.question("pfs.gangs")?.referral, "Gangs exit team")
        XCTAssertEqual(again.mandatory["review"], ["pfs.health"])

        try config.removeTrigger("pfs.gangs")
        XCTAssertEqual(config.catalogue.question("pfs.gangs")?.referral, "Gangs worker / Police")
        try config.removeLocalQuestion("pfs.young-carer")
        XCTAssertNil(config.catalogue.question("pfs.young-carer"))
        XCTAssertTrue(config.furtherExploration.isEmpty && config.referrals.isEmpty)
    }
}
