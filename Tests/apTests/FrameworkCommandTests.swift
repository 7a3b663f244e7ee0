import APModel
import Foundation
import XCTest

/// The framework end to end: answers checked against the catalogue, required ratings,
/// further exploration, contributors, referral flags and reports, local settings.
final class FrameworkCommandTests: XCTestCase {
    func testTheNewUsersMistakesAreRefusedAndNothingIsWritten() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "start-of-intervention")
        try h.expectFailure(
            ["stage", "set", "YP-0001", "rohs=high", "sw=high"], as: "pat", status: 65,
            message: "unknown question 'rohs'; did you mean 'rosh'?")
        let r = try h.expectFailure(
            ["stage", "submit", "YP-0001"], as: "pat", status: 1, message: "mandatory answers missing")
        XCTAssertTrue(r.stderr.contains("rosh, saw, lor, scaled-approach"), r.stderr)
        // Yes in any case triggers further exploration; a blank explanation is refused.
        try h.expectOK(
            [
                "stage", "set", "YP-0001", "pfs.gangs=Yes", "rosh=high", "saw=low", "lor=low",
                "scaled-approach=intensive",
            ],
            as: "pat")
        XCTAssertEqual(try h.loadCase("YP-0001").state.stages[0].answers["pfs.gangs"]?.value, "yes")
        try h.expectFailure(["stage", "submit", "YP-0001"], as: "pat", status: 1, message: "pfs.gangs.explanation")
        try h.expectFailure(
            ["stage", "set", "YP-0001", "pfs.gangs.explanation= "], as: "pat", status: 65, message: "is blank")
        try h.expectOK(["stage", "set", "YP-0001", "pfs.gangs.explanation=Older cousin involved"], as: "pat")
        // A high RoSH rests on the future behaviour it names (policy rating-evidence).
        try h.expectFailure(["stage", "submit", "YP-0001"], as: "pat", status: 1, message: "'future-behaviours' needs")
        try h.expectFailure(["stage", "add", "YP-0001", "future-behaviours", "behaviour=Fights"], as: "pat",
                            status: 65, message: "needs victims, likelihood, impact")
        try h.evidence(for: ["rosh=high"])
        let submitted = try h.expectOK(["stage", "submit", "YP-0001", "--json"], as: "pat").json
        XCTAssertEqual(submitted?["status"], "awaiting-countersignature")
    }

    func testValuesAndKindsAreCheckedWithoutRepeatingTheAnswer() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "pre-release")
        let r = try h.expectFailure(
            ["stage", "set", "YP-0001", "pfs.gangs=his brother's crew"], as: "pat", status: 65,
            message: "not part of a Pre-Release from Custody stage; kinds that hold it: bail-recommendation, "
                + "case-closure")
        XCTAssertFalse(r.stderr.contains("brother"), r.stderr)
        try h.expectFailure(
            ["stage", "set", "YP-0001", "rosh=high"], as: "pat", status: 65, message: "not part of a Pre-Release")
        try h.expectOK(["stage", "stop", "YP-0001", "--reason", "wrong kind"], as: "mo")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "review"], as: "pat")
        let bad = try h.expectFailure(
            ["stage", "set", "YP-0001", "pfs.gangs=his brother's crew"], as: "pat", status: 65,
            message: "'pfs.gangs' is a yes-no question; allowed: yes, no, yet-to-clarify")
        XCTAssertFalse(bad.stderr.contains("brother"), bad.stderr)
        try h.expectFailure(
            ["stage", "set", "YP-0001", "pp.plan-review-date=soon"], as: "pat", status: 65, message: "takes a date")
        try h.expectFailure(
            ["stage", "set", "YP-0001", "rosh=high", "pfs.nope=x"], as: "pat", status: 65,
            message: "unknown question 'pfs.nope'")
        XCTAssertNil(
            try h.loadCase("YP-0001").state.openStage?.answers["rosh"], "a refused line writes none of its answers")
    }

    func testQuestionsAreListedByKindAndSection() throws {
        let h = try Harness()
        let all = try h.expectOK(["stage", "questions", "--json"]).json?.arrayValue ?? []
        XCTAssertTrue(
            all.allSatisfy { $0["key"] != nil && $0["label"] != nil && $0["section"] != nil && $0["type"] != nil })
        let gangs = all.first { $0["key"] == "pfs.gangs" }
        XCTAssertEqual(gangs?["type"], "yes-no")
        XCTAssertEqual(gangs?["referral"], "Gangs worker / Police")
        let bail =
            try h.expectOK(["stage", "questions", "--kind", "bail-recommendation", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(
            Set(bail.compactMap { $0["section"]?.stringValue }), ["pfs", "screening", "ec", "custody", "bail"])
        let pfs = try h.expectOK(["stage", "questions", "--section", "pfs", "-w", "80"]).stdout
        XCTAssertTrue(pfs.hasPrefix("Personal, Family and Social Factors [pfs]"), pfs)
        XCTAssertFalse(pfs.contains("rosh"), pfs)
        XCTAssertTrue(pfs.split(separator: "\n").allSatisfy { $0.count <= 80 }, pfs)
        try h.expectFailure(["stage", "questions", "--section", "pf"], status: 64, message: "unknown section 'pf'")
        try h.expectFailure(["stage", "questions", "--kind", "nope"], status: 64, message: "unknown stage kind")
    }

    func testContributorsAreAllocatedByManagersAndAnswerOnlyTheirSections() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        try h.expectFailure(
            ["stage", "assign", "YP-0001", "--section", "rj", "--to", "kim"], as: "pat", status: 77,
            message: "only managers approve contributors")
        try h.expectFailure(
            ["stage", "assign", "YP-0001", "--section", "bail", "--to", "kim"], as: "mo", status: 65,
            message: "has no section 'bail'")
        try h.expectFailure(
            ["stage", "assign", "YP-0001", "--section", "rj", "--to", "ghost"], as: "mo", status: 66,
            message: "unknown user 'ghost'")
        try h.expectOK(["stage", "assign", "YP-0001", "--section", "rj", "--to", "kim"], as: "mo")
        try h.expectOK(["stage", "set", "YP-0001", "rj.attitude-to-victim=Wants to apologise"], as: "kim")
        try h.expectFailure(
            ["stage", "set", "YP-0001", "pfs.health=x"], as: "kim", status: 77, message: "contributes rj")
        try h.expectFailure(["stage", "submit", "YP-0001"], as: "kim", status: 77, message: "its owner 'pat'")
        XCTAssertTrue(try h.expectOK(["stage", "show", "YP-0001"]).stdout.contains("Contributor:"))
        try h.expectOK(["stage", "unassign", "YP-0001", "--section", "rj"], as: "mo")
        try h.expectFailure(
            ["stage", "set", "YP-0001", "rj.previous-rj=none"], as: "kim", status: 77, message: "owned by 'pat'")
        let log =
            try h.expectOK(["log", "YP-0001", "--json"]).json?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
        XCTAssertTrue(log.contains("stage.assigned") && log.contains("stage.unassigned"), "\(log)")
    }

    func testReferralFlagsAndTheFrameworkReports() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "start-of-intervention")
        try h.expectOK(
            [
                "stage", "set", "YP-0001", "pfs.cse=yes", "pfs.cse.explanation=Seen with older men", "pfs.gangs=no",
                "pfs.missing=yet-to-clarify", "sa.young-person=yes", "rosh=low", "saw=high", "lor=low",
                "scaled-approach=standard",
            ], as: "pat")
        let show = try h.expectOK(["stage", "show", "YP-0001"]).stdout
        XCTAssertTrue(show.contains("Referrals flagged:") && show.contains("MASE"), show)
        XCTAssertEqual(
            try h.expectOK(["stage", "show", "YP-0001", "--json"]).json?["referrals"],
            [["question": "pfs.cse", "referral": "MASE"]])
        try h.evidence(for: ["saw=high"])
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectOK(["countersign", "YP-0001"], as: "mo")

        let csv = try h.expectOK(["report", "referrals", "--csv"]).stdout
        XCTAssertTrue(csv.hasPrefix("case,name,stage,kind,status,question,referral,answered-by,answered,referral-id,"
                                    + "progress,made-to,made,days-to-make,outcome-date\r\n"), csv)
        XCTAssertTrue(csv.contains("YP-0001,Jordan Smith,") && csv.contains(",pfs.cse,MASE,pat,2026-11-02"), csv)
        let fe = try h.expectOK(["report", "further-exploration", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(fe.first?["owner"], "pat")
        // The queue's conventions: camelCase keys, counts as numbers.
        XCTAssertEqual(fe.first?["triggers"], .int(3))
        XCTAssertEqual(fe.first?["explored"], .int(1))
        XCTAssertEqual(fe.first?["explained"], .int(1))
        XCTAssertEqual(fe.first?["yetToClarify"], .int(1))
        let sa = try h.expectOK(["report", "self-assessment", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(sa.first?["youngPerson"], "yes")
        XCTAssertEqual(sa.first?["kind"], "start-of-intervention", "kinds as slugs")
        XCTAssertEqual(sa.first?["carer"], "missing")
        for name in ["referrals", "further-exploration", "self-assessment"] {
            let text = try h.expectOK(["report", name, "--width", "80"]).stdout
            XCTAssertTrue(text.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(name):\n\(text)")
        }
    }

    func testStageShowGroupsBySectionAndWrapsWideText() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        let long = String(repeating: "日本語の文章 ", count: 30) + "end"
        try h.expectOK(["stage", "set", "YP-0001", "pfs.health=\(long)", "rosh=low", "rj.previous-rj=None"], as: "pat")
        let text = try h.run(["stage", "show", "YP-0001", "-w", "40"]).stdout
        let pfs = try XCTUnwrap(text.range(of: "Personal, Family and Social"))
        let ec = try XCTUnwrap(text.range(of: "[ec]"))
        let rj = try XCTUnwrap(text.range(of: "[rj]"))
        XCTAssertTrue(pfs.lowerBound < ec.lowerBound && ec.lowerBound < rj.lowerBound, text)
        XCTAssertTrue(text.contains("pfs.health: Physical and mental health"), text)
        XCTAssertTrue(text.contains("end"), "long answers are printed in full")
        let answerLines = text[pfs.lowerBound..<ec.lowerBound].split(separator: "\n")
        func columns(_ s: Substring) -> Int {
            s.reduce(0) { $0 + (($1.unicodeScalars.first?.value ?? 0) >= 0x3000 ? 2 : 1) }
        }
        XCTAssertTrue(answerLines.allSatisfy { columns($0) <= 40 }, answerLines.joined(separator: "\n"))
        XCTAssertGreaterThan(answerLines.count, 8)
    }

    func testAnOldCaseFileKeepsItsOtherAnswersAndFsckWarns() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        // Written by an ap before the catalogue: an answer under a key it does not know.
        var file = try h.loadCase("YP-0001")
        let stageID = file.state.stages[0].id
        try file.append([
            Event(
                id: "old-1", at: Timestamp("2026-11-02T10:00:00.000Z")!, by: "pat", osUser: "t",
                type: EventType.stageAnswered, payload: ["stage": .string(stageID), "answers": ["notes": "kept"]])
        ])
        try FileSystem.writeAtomically(h.caseFile("YP-0001"), file.bytes)
        let show = try h.expectOK(["stage", "show", "YP-0001"]).stdout
        XCTAssertTrue(show.contains("Other answers (not in the catalogue)") && show.contains("notes"), show)
        let fsck = try h.expectOK(["fsck", "--json"]).json
        XCTAssertEqual(fsck?["problems"]?.arrayValue?.first?["warning"], true)
        XCTAssertTrue(fsck?["problems"]?.arrayValue?.first?["problem"]?.stringValue?.contains("notes") ?? false)
        // Pull forward leaves it behind and says so.
        try h.expectOK(
            [
                "stage", "set", "YP-0001", "pfs.health=well", "rosh=low", "saw=low", "lor=low",
                "scaled-approach=standard",
            ],
            as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectOK(["countersign", "YP-0001"], as: "mo")
        let next = try h.expectOK(["stage", "new", "YP-0001", "--kind", "pre-release"], as: "pat").stdout
        XCTAssertTrue(next.contains("0 answers pulled forward") && next.contains("6 left behind"), next)
        XCTAssertEqual(try h.loadCase("YP-0001").state.stages[0].answers["notes"]?.value, "kept")
    }

    func testLocalQuestionsAndSettingsAreForAdminsAndValidated() throws {
        let h = try Harness()
        let add = [
            "config", "question", "add", "pfs.young-carer", "--section", "pfs", "--label", "Young carer?", "--type",
            "yes-no",
        ]
        try h.expectFailure(add, as: "mo", status: 77, message: "needs the role admin")
        try h.expectFailure(
            ["config", "question", "add", "pfs.gangs", "--section", "pfs", "--label", "x"], as: "alex", status: 73,
            message: "shipped with ap")
        try h.expectOK(add, as: "alex")
        XCTAssertEqual(
            try h.expectOK(["config", "question", "list", "--json"]).json?.arrayValue?.first?["key"], "pfs.young-carer")
        try h.expectOK(
            ["config", "trigger", "add", "pfs.young-carer", "--referral", "Young carers service"], as: "alex")
        try h.caseWithStage(kind: "review")
        try h.expectOK(["stage", "set", "YP-0001", "pfs.young-carer=YES"], as: "pat")
        try h.expectFailure(
            ["config", "question", "remove", "pfs.young-carer"], as: "alex", status: 1, message: "answered in 1 case")
        let flagged = try h.expectOK(["report", "referrals", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(flagged.first?["referral"], "Young carers service")

        try h.expectOK(["config", "mandatory", "add", "review", "pfs.health"], as: "alex")
        try h.expectFailure(
            ["config", "mandatory", "add", "review", "bail.package"], as: "alex", status: 65, message: "not part of")
        try h.expectOK(["config", "required-ratings", "review", "rosh"], as: "alex")
        try h.expectOK(
            ["stage", "set", "YP-0001", "pfs.young-carer.explanation=Cares for mother", "rosh=low"], as: "pat")
        try h.expectFailure(["stage", "submit", "YP-0001"], as: "pat", status: 1, message: "missing: pfs.health")
        try h.expectFailure(
            ["config", "required-ratings", "review", "danger"], as: "alex", status: 64, message: "unknown rating")

        try h.expectOK(["config", "kind-section", "add", "bail-recommendation", "rj"], as: "alex")
        try h.expectFailure(
            ["config", "kind-section", "add", "bail-recommendation", "custody"], as: "alex", status: 73,
            message: "already holds")
        try h.expectOK(["config", "holiday", "add", "2027-06-07"], as: "alex")
        try h.expectFailure(["config", "holiday", "add", "2027-13-01"], as: "alex", status: 64, message: "not a date")
        let holidays = try h.expectOK(["config", "holiday", "list", "--from", "2027", "--json"]).json?.arrayValue ?? []
        XCTAssertTrue(holidays.contains { $0["date"] == "2027-06-07" && $0["source"] == "local" })
        let config = try h.expectOK(["config", "show", "--json"]).json
        XCTAssertEqual(config?["referrals"]?["pfs.young-carer"], "Young carers service")
        XCTAssertEqual(config?["kindSections"]?["bail-recommendation"], ["rj"])
        XCTAssertEqual(config?["bankHolidays"], ["2027-06-07"])
    }

    func testABatchSeesItsOwnLocalQuestionAndRemovesNone() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        let input = """
            {"as":"alex","args":["config","question","add","pfs.young-carer","--section","pfs","--label","Young carer?"]}
            {"as":"pat","args":["stage","set","YP-0001","pfs.young-carer=Cares for mother"]}
            """
        let r = try h.run(["batch", "--atomic"], as: "alex", stdin: input)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(try h.loadCase("YP-0001").state.stages[0].answers["pfs.young-carer"]?.value, "Cares for mother")
        let removal = try h.run(["batch"], as: "alex", stdin: #"["config","question","remove","pfs.young-carer"]"#)
        XCTAssertTrue(removal.stdout.contains("cannot run inside a batch"), removal.stdout)
    }

    func testEverySettingCommandUndoesAndRefusesClearly() throws {
        let h = try Harness()
        try h.expectFailure(
            ["config", "trigger", "add", "pfs.health", "--referral", "x"], as: "alex", status: 65,
            message: "triggers are yes-no questions")
        try h.expectFailure(
            ["config", "trigger", "add", "pfs.gangs", "--referral", "x"], as: "pat", status: 77,
            message: "needs the role admin")
        try h.expectOK(["config", "trigger", "add", "pfs.gangs", "--referral", "Gangs exit team"], as: "alex")
        let listed = try h.expectOK(["config", "trigger", "list", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(listed.first { $0["key"] == "pfs.gangs" }?["referral"], "Gangs exit team")
        let back = try h.expectOK(["config", "trigger", "remove", "pfs.gangs"], as: "alex").stdout
        XCTAssertTrue(back.contains("Gangs worker / Police (as shipped)"), back)
        try h.expectFailure(
            ["config", "trigger", "remove", "pfs.gangs"], as: "alex", status: 66, message: "nothing to remove")

        try h.expectFailure(
            ["config", "mandatory", "remove", "review", "pfs.health"], as: "alex", status: 66,
            message: "not mandatory for review")
        try h.expectOK(["config", "mandatory", "add", "review", "pfs.health", "pfs.education"], as: "alex")
        try h.expectOK(["config", "mandatory", "remove", "review", "pfs.health"], as: "alex")
        let kinds = try h.expectOK(["config", "mandatory", "list", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(kinds.first { $0["kind"] == "review" }?["mandatory"], ["pfs.education"])
        XCTAssertEqual(
            kinds.first { $0["kind"] == "review" }?["requiredRatings"], ["rosh", "saw", "lor", "scaled-approach"])

        try h.expectFailure(
            ["config", "kind-section", "remove", "review", "bail"], as: "alex", status: 66,
            message: "was not added")
        try h.expectOK(["config", "kind-section", "add", "review", "bail"], as: "alex")
        try h.expectOK(["config", "kind-section", "remove", "review", "bail"], as: "alex")
        try h.expectFailure(
            ["config", "holiday", "remove", "2026-12-25"], as: "alex", status: 66, message: "shipped bank holidays stay"
        )
        try h.expectFailure(
            ["config", "question", "remove", "pfs.gangs"], as: "alex", status: 66, message: "shipped with ap")
        XCTAssertTrue(try h.expectOK(["config", "question", "list"]).stdout.contains("No local questions"))

        try h.caseWithStage(kind: "review")
        try h.expectFailure(
            ["stage", "clear", "YP-0001", "pfs.health"], as: "pat", status: 66, message: "no answer 'pfs.health'")
        try h.expectFailure(
            ["stage", "unassign", "YP-0001", "--section", "rj"], as: "mo", status: 1, message: "not allocated")
        try h.expectFailure(
            ["stage", "assign", "YP-0001", "--section", "rj"], as: "mo", status: 64, message: "needs --to")
    }
}
