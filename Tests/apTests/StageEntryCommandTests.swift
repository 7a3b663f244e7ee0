import APModel
import Foundation
import XCTest

/// `ap stage add`, `edit` and `remove` as a practitioner uses them (issue 24).
final class StageEntryCommandTests: XCTestCase {
    var h: Harness!

    override func setUpWithError() throws {
        h = try Harness()
        try h.caseWithStage(kind: "review")
    }

    func testEntriesAreNumberedAndShownBesideTheirRating() throws {
        try h.expectOK(["stage", "set", "YP-0001", "rosh=high", "saw=low"], as: "pat")
        let added = try h.expectOK(
            ["stage", "add", "YP-0001", "future-behaviours", "behaviour=Robbery", "victims=Strangers in the street",
             "likelihood=Medium", "impact=high"], as: "pat")
        XCTAssertTrue(added.stdout.contains("Added entry 1 to future-behaviours"), added.stdout)
        try h.expectOK(["stage", "add", "YP-0001", "future-behaviours", "behaviour=Arson", "victims=Family",
                        "likelihood=low", "impact=very-high"], as: "pat")
        try h.expectOK(["stage", "edit", "YP-0001", "future-behaviours", "2", "context=When drinking"], as: "pat")
        let show = try h.expectOK(["stage", "show", "YP-0001"]).stdout
        let rosh = show.range(of: "rosh: Risk of Serious Harm")!, part = show.range(of: "future-behaviours:")!
        let saw = show.range(of: "saw: Safety and Wellbeing")!
        XCTAssertTrue(rosh.lowerBound < part.lowerBound && part.lowerBound < saw.lowerBound, show)
        XCTAssertTrue(show.contains("1. (pat") && show.contains("2. (pat"), show)
        XCTAssertTrue(show.contains("likelihood: medium") && show.contains("context: When drinking"), show)
        XCTAssertTrue(show.contains("changed by pat"), show)
        let removed = try h.expectOK(["stage", "remove", "YP-0001", "future-behaviours", "1", "--json"], as: "pat")
        XCTAssertTrue(removed.stderr.isEmpty || !removed.stderr.contains("Robbery"))
        let json = removed.json
        let list = json?["entries"]?["future-behaviours"]?.arrayValue ?? []
        XCTAssertEqual(list.count, 1)
        XCTAssertEqual(list.first?["n"], 1, "the entries after a removed one move up")
        XCTAssertEqual(list.first?["fields"]?["behaviour"], "Arson")
        XCTAssertEqual(json?["part"], "future-behaviours")
        // The history names the part, the entry and its fields, never what they hold.
        let log = try h.expectOK(["log", "YP-0001"]).stdout
        XCTAssertTrue(log.contains("future-behaviours entry en-") && log.contains("removed"), log)
        XCTAssertFalse(log.contains("Arson") || log.contains("Robbery"), log)
    }

    /// Text about a child read from standard input never shows in the process list.
    func testFieldsFromStandardInputAndABatchLine() throws {
        let r = try h.run(["stage", "add", "YP-0001", "adverse-outcomes", "--from", "-"], as: "pat",
                          stdin: "outcome<<END\nExploited by older peers\nat the park\nEND\n"
                            + "likelihood=high\nimpact=high\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        let entry = try h.loadCase("YP-0001").state.openStage!.entries("adverse-outcomes")[0]
        XCTAssertEqual(entry.fields["outcome"], "Exploited by older peers\nat the park")
        let batch = try h.run(["batch"], as: "pat", stdin: """
            ["stage", "add", "YP-0001", "pp.targets", "need=ETE", "action=Tutoring", "who=partner"]
            ["stage", "edit", "YP-0001", "pp.targets", "1", "status=achieved"]
            ["stage", "edit", "YP-0001", "pp.targets", "9", "status=achieved"]

            """)
        XCTAssertEqual(batch.status, 1)
        let lines = batch.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        XCTAssertEqual(lines[0]["result"]?["events"]?.arrayValue?.first?["part"], "pp.targets")
        XCTAssertEqual(lines[2]["error"]?["kind"], "not-found")
        XCTAssertEqual(
            try h.loadCase("YP-0001").state.openStage!.entries("pp.targets")[0].fields["status"], "achieved")
    }

    func testBadEntriesChangeNothingAndSayWhy() throws {
        let before = try h.snapshot()
        try h.expectFailure(["stage", "add", "YP-0001", "future-behaviours", "behaviour=Secret text"], as: "pat",
                            status: 65, message: "needs victims, likelihood, impact")
        try h.expectFailure(["stage", "add", "YP-0001", "adverse-outcome", "outcome=x"], as: "pat", status: 65,
                            message: "did you mean 'adverse-outcomes'")
        try h.expectFailure(["stage", "add", "YP-0001", "adverse-outcomes"], as: "pat", status: 64,
                            message: "no fields given")
        try h.expectFailure(["stage", "edit", "YP-0001", "adverse-outcomes", "1", "impact=low"], as: "pat",
                            status: 66, message: "it has none")
        try h.expectFailure(["stage", "add", "YP-0001", "pp.targets", "need=x", "action=y", "who=yot"], as: "kim",
                            status: 77, message: "owned by 'pat'")
        let r = try h.run(["stage", "add", "YP-0001", "adverse-outcomes", "outcome=Secret text", "likelihood=maybe",
                           "impact=low"], as: "pat")
        XCTAssertEqual(r.status, 65)
        XCTAssertFalse(r.stderr.contains("Secret"), "errors never repeat what was typed: \(r.stderr)")
        XCTAssertEqual(try h.snapshot(), before)
    }

    /// A case file edited by hand with an entry that is not a record is refused by name.
    func testAHandEditedEntryIsRefusedNamingTheField() throws {
        try h.expectOK(["stage", "add", "YP-0001", "ffc.barriers", "barrier=Shift work"], as: "pat")
        let path = h.caseFile("YP-0001")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "\"barrier\": \"Shift work\"", with: "\"barrier\": 7")
        XCTAssertNotEqual(text, edited)
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        try h.expectFailure(["stage", "show", "YP-0001"], status: 65, message: "fields")
    }

    func testTheCatalogueDescribesEachPartsFields() throws {
        let json = try h.expectOK(["stage", "questions", "--section", "ec", "--json"]).json?.arrayValue ?? []
        let part = json.first { $0["key"] == "adverse-outcomes" }
        XCTAssertEqual(part?["type"], "list")
        XCTAssertEqual(part?["fields"]?.arrayValue?.compactMap { $0["name"]?.stringValue },
                       ["outcome", "likelihood", "impact", "imminence", "context"])
        XCTAssertEqual(part?["fields"]?.arrayValue?[2]["values"], ["low", "medium", "high", "very-high"])
        let text = try h.expectOK(["stage", "questions", "--section", "pp"]).stdout
        XCTAssertTrue(text.contains("who (young-person|parent|yot|partner)"), text)
    }

    /// Clearing is filling in: the manager who cleared a practitioner's answer does not countersign.
    func testWhoClearedWhatIsShownAndBarsCountersignature() throws {
        try h.expectOK(["stage", "set", "YP-0001", "pfs.health=Asthma", "rosh=low", "saw=low", "lor=low",
                        "scaled-approach=standard"], as: "pat")
        try h.expectOK(["stage", "clear", "YP-0001", "pfs.health"], as: "mo")
        let show = try h.expectOK(["stage", "show", "YP-0001"]).stdout
        XCTAssertTrue(show.contains("Cleared pfs.health: ") && show.contains("by mo"), show)
        XCTAssertFalse(show.contains("Asthma"), show)
        try h.expectOK(["config", "set", "countersign", "all"], as: "alex")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectFailure(["countersign", "YP-0001"], as: "mo", status: 77, message: "filled in")
        try h.expectOK(["countersign", "YP-0001"], as: "lee")
    }
}

/// The screening tools printed on their own (001 §4.1).
final class ScreeningCommandTests: XCTestCase {
    func testTheScreensPrintOnTheirOwn() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "start-of-intervention", screened: false)
        try h.expectFailure(["stage", "submit", "YP-0001", "--dry-run"], as: "pat", status: 1,
                            message: "a first assessment needs the four screens answered")
        try h.screens(yes: ["screening.slcn.literacy"])
        try h.expectOK(["stage", "set", "YP-0001", "pfs.living-arrangements=With mother"], as: "pat")
        let text = try h.expectOK(["stage", "show", "YP-0001", "--part", "screening"]).stdout
        XCTAssertTrue(text.contains("Specialist screening [screening]"), text)
        XCTAssertTrue(text.contains("screening.slcn.literacy") && text.contains("screening.substance.harm"), text)
        XCTAssertFalse(text.contains("pfs.living-arrangements"), text)
        let json = try h.expectOK(["stage", "show", "YP-0001", "--part", "screening", "--json"]).json
        XCTAssertEqual(json?["part"], "screening")
        XCTAssertEqual(json?["answers"]?.objectValue?.count, 22)
        XCTAssertEqual(json?["answers"]?["screening.slcn.literacy"]?["value"], "yes")
        let needed = json?["stillNeeded"]?.arrayValue?.compactMap(\.stringValue) ?? []
        XCTAssertTrue(needed.contains("pfs.slcn-screen.explanation"), "\(needed)")
        try h.expectFailure(["stage", "show", "YP-0001", "--part", "bail"], status: 64,
                            message: "has no section 'bail'")
    }
}

/// The self-assessment questionnaires entered by business support, counted item by item (001 §5).
final class SelfAssessmentCommandTests: XCTestCase {
    func testBusinessSupportEntersTheQuestionnairesAndTheReportCountsThem() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        let r = try h.run(["stage", "set", "YP-0001", "--from", "-"], as: "bo", stdin: """
            sa.young-person.home=Agree
            sa.young-person.family=not-sure
            sa.young-person.future=agree
            sa.young-person.comment=I want to go to college
            sa.carer.supervision=disagree

            """)
        XCTAssertEqual(r.status, 0, r.stderr)
        let answers = try h.loadCase("YP-0001").state.openStage!.answers
        XCTAssertEqual(answers["sa.young-person.home"]?.value, "agree", "kept in lower case")
        try h.expectFailure(["stage", "set", "YP-0001", "sa.carer.support=maybe"], as: "bo", status: 65,
                            message: "allowed: agree, not-sure, disagree")
        let log = try h.expectOK(["log", "YP-0001"]).stdout
        XCTAssertTrue(log.contains("(on behalf of pat)"), log)
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low", "saw=low", "lor=low", "scaled-approach=standard"],
                       as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectOK(["countersign", "YP-0001"], as: "mo")
        let report = try h.expectOK(["report", "self-assessment", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(report.first?["youngPersonAnswered"], "3/10")
        XCTAssertEqual(report.first?["carerAnswered"], "1/8")
        XCTAssertEqual(report.first?["youngPerson"], "missing", "the old yes-no box was not ticked")
    }
}
