import APModel
import Foundation
import XCTest

/// Organisations, key events, obligations and sending stages, as a YOT uses them (issue 14).
final class CustodyCommandTests: XCTestCase {
    var h: Harness!
    var outbox: String { h.dir + "/outbox" }

    override func setUpWithError() throws {
        h = try Harness()
        h.now = "2026-11-23T09:00:00.000Z"
        try h.expectOK(["org", "add", "wetherby", "--name", "HMYOI Wetherby", "--type", "establishment"], as: "alex")
        try h.expectOK(["org", "add", "YCS-PT", "--name", "YCS Placements Team", "--type", "placements"], as: "alex")
        try h.expectOK(["org", "add", "SCHOOL", "--name", "Hendon School", "--type", "education"], as: "alex")
        try h.expectOK(
            ["org", "add", "LA-SC", "--name", "Barnet Children's Services", "--type", "social-care"], as: "alex")
        try h.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
    }

    func due(_ args: [String] = []) throws -> [JSONValue] {
        try h.expectOK(["due", "--json"] + args).json?.arrayValue ?? []
    }

    func rules(_ entries: [JSONValue]) -> [String] { entries.compactMap { $0["rule"]?.stringValue } }

    /// Completes a stage of `kind` owned by pat, countersigned by mo where needed.
    func completeStage(
        _ kind: String, _ answers: [String] = ["rosh=medium", "saw=medium", "lor=medium", "scaled-approach=enhanced"]
    ) throws {
        try h.expectOK(["stage", "new", "YP-0001", "--kind", kind, "--no-pull-forward"], as: "pat")
        if StageRules.screenedKinds.contains(kind) { try h.screens() }
        try h.expectOK(["stage", "set", "YP-0001"] + answers, as: "pat")
        try h.evidence(for: answers)
        let submitted = try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        if submitted.stdout.contains("awaits countersignature") {
            try h.expectOK(["countersign", "YP-0001"], as: "mo")
        }
    }

    func send(to code: String) throws -> JSONValue {
        try h.expectOK(["stage", "send", "YP-0001", "--to", code, "--out", outbox, "--json"], as: "kim").json ?? .null
    }

    func testOrganisations() throws {
        let list = try h.expectOK(["org", "list", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(
            list.compactMap { $0["code"]?.stringValue }, ["BARNET", "LA-SC", "SCHOOL", "WETHERBY", "YCS-PT"])
        XCTAssertEqual(list.first?["source"]?.stringValue, "this-yot")
        let establishments = try h.expectOK(["org", "list", "--type", "establishment"]).stdout
        XCTAssertTrue(establishments.contains("HMYOI Wetherby") && !establishments.contains("Hendon"))
        try h.expectFailure(
            ["org", "add", "X", "--name", "X", "--type", "school"], as: "alex", status: 64, message: "types: yot")
        try h.expectFailure(
            ["org", "add", "WETHERBY", "--name", "X", "--type", "establishment"], as: "alex",
            status: 73, message: "already known")
        try h.expectFailure(
            ["org", "add", "X", "--name", "X", "--type", "camhs"], as: "pat", status: 77, message: "admin")
        try h.expectFailure(["org", "remove", "NOPE"], as: "alex", status: 66, message: "no organisation 'NOPE'")
        try h.expectOK(
            ["record", "YP-0001", "arrived-establishment", "--date", "2026-11-23", "--at", "WETHERBY"], as: "pat")
        try h.expectFailure(["org", "remove", "WETHERBY"], as: "alex", status: 1, message: "named by 1 case (YP-0001)")
        try h.expectOK(["org", "remove", "SCHOOL"], as: "alex")
        XCTAssertFalse(try h.expectOK(["org", "list"]).stdout.contains("Hendon"))
    }

    /// A remanded child from court to release (003 §§2–7; 004 §§17, 24).
    func testTheJourneyOfARemandedChild() throws {
        let hearing = try h.expectOK(
            ["record", "YP-0001", "court-hearing", "--date", "2026-11-25T10:00", "--custody-possible"], as: "pat")
        XCTAssertTrue(hearing.stdout.contains("due 2026-11-24 10:00 GMT: send the PSR"), hearing.stdout)
        try completeStage("psr")
        _ = try send(to: "YCS-PT")
        XCTAssertEqual(rules(try due()), [], "the PSR reached Placements before the hearing")

        h.now = "2026-11-25T14:00:00.000Z"
        try h.expectOK(["record", "YP-0001", "remanded-yda", "--date", "2026-11-25T13:00"], as: "pat")
        let shown = try h.expectOK(["case", "show", "YP-0001"]).stdout
        XCTAssertTrue(shown.contains("yes (remand)"), shown)
        XCTAssertEqual(rules(try due()), ["post-court-to-placements", "court-outcome-to-social-care"])
        try h.expectFailure(
            ["stage", "new", "YP-0001", "--kind", "psr"], as: "pat", status: 1,
            message: "Entering into Custody")
        try completeStage("post-court-report", ["custody.placement-factors=Settled", "rosh=low", "saw=medium"])
        _ = try send(to: "YCS-PT")
        _ = try send(to: "LA-SC")
        XCTAssertEqual(rules(try due()), [])

        try h.expectOK(
            ["record", "YP-0001", "arrived-establishment", "--date", "2026-11-25T19:00", "--at", "WETHERBY"],
            as: "pat")
        let waiting = try due()
        XCTAssertEqual(rules(waiting), ["entering-custody-stage"])
        XCTAssertEqual(waiting.first?["party"]?.stringValue, "establishment")
        XCTAssertEqual(waiting.first?["due"]?.stringValue, "2026-11-28T19:00:00.000Z")

        h.now = "2026-11-27T10:00:00.000Z"
        try h.expectOK(["record", "YP-0001", "entering-custody-notified", "--date", "2026-11-27"], as: "pat")
        XCTAssertEqual(rules(try due()), ["review-entering-custody", "review-after-entering-custody"])
        try completeStage("review")
        XCTAssertEqual(rules(try due()), ["update-to-establishment", "review-after-entering-custody"])
        _ = try send(to: "WETHERBY")
        XCTAssertEqual(rules(try due()), [])

        h.now = "2027-01-11T10:00:00.000Z"
        try h.expectOK(["record", "YP-0001", "release-preparation-meeting", "--date", "2027-01-11"], as: "pat")
        h.now = "2027-01-20T10:00:00.000Z"
        let late = try due()
        XCTAssertEqual(rules(late), ["pre-release-to-establishment"])
        XCTAssertEqual(late.first?["overdue"], .bool(true))
        XCTAssertEqual(late.first?["hoursLeft"]?.intValue, -35, "due at the end of Monday 18 January")
        XCTAssertTrue(try h.expectOK(["due", "--overdue"]).stdout.contains("overdue by 1d 11h"))
        try completeStage("pre-release", ["leaving-custody.release-address=Home"])
        _ = try send(to: "WETHERBY")
        try h.expectOK(["record", "YP-0001", "released", "--date", "2027-01-20"], as: "pat")
        // Release starts what follows it (003 §6.9; 001 §12.2).
        XCTAssertEqual(rules(try due()), ["release-final-updates", "post-release-meeting"])
        try h.expectOK(["record", "YP-0001", "release-updates-notified", "--date", "2027-01-20"], as: "pat")
        try h.expectOK(["record", "YP-0001", "post-release-meeting", "--date", "2027-01-20"], as: "pat")
        try h.expectOK(["case", "update", "YP-0001", "social-care=not-known"], as: "pat")
        XCTAssertEqual(try h.expectOK(["due"]).stdout, "No obligations due.\n")

        let all = try due(["--all"])
        XCTAssertEqual(all.count, 10)
        XCTAssertEqual(all.filter { $0["open"] != .bool(false) || $0["dischargedBy"]?.stringValue == nil }, [])
        let log = try h.expectOK(["log", "YP-0001"], env: ["COLUMNS": "200"]).stdout
        XCTAssertTrue(log.contains("remanded-yda 2026-11-25T13:00"), log)
        XCTAssertTrue(log.contains("to HMYOI Wetherby (WETHERBY, establishment)"), log)
    }

    func testEducationNeverReceivesATextAnswer() throws {
        let secret = "Staying with an uncle at 12 Secret Road"
        try completeStage(
            "review",
            ["rosh=medium", "saw=high", "lor=low", "scaled-approach=enhanced", "pfs.living-arrangements=\(secret)"])
        let sent = try send(to: "SCHOOL")
        XCTAssertEqual(sent["keys"], .array([.string("rosh"), .string("saw")]))
        // Withheld: three text answers and the adverse outcomes the high SaW rests on.
        XCTAssertEqual(sent["sharing"]?["withheld"]?.intValue, 4)
        let files = sent["files"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard files.count == 2 else { return XCTFail("no package written") }
        for path in files {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertFalse(text.contains("Secret Road"), path)
            XCTAssertFalse(text.contains("older peers"), "an entry's text: \(path)")
            XCTAssertFalse(text.contains("U2VjcmV0IFJvYWQ"), "base64 of part of it")
            XCTAssertTrue(text.contains("education"), path)
        }
        let package = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: files[0]))))
        XCTAssertEqual(package["stage"]?["answers"]?.objectValue?.keys.sorted(), ["rosh", "saw"])
        XCTAssertEqual(package["sharing"]?["receiverType"]?.stringValue, "education")
        // The attachment decodes to the package itself, and so holds no text answer either.
        let eml = try String(contentsOfFile: files[1], encoding: .utf8)
        let base64 = eml.components(separatedBy: "\r\n\r\n").last?.components(separatedBy: "\r\n--").first ?? ""
        let attached = Data(base64Encoded: base64.replacingOccurrences(of: "\r\n", with: "")) ?? Data()
        XCTAssertFalse(String(decoding: attached, as: UTF8.self).contains("Secret Road"))
        XCTAssertTrue(String(decoding: attached, as: UTF8.self).contains("\"rosh\""))
        // Probation receives the whole stage.
        try h.expectOK(["org", "add", "PROB", "--name", "Probation", "--type", "probation"], as: "alex")
        XCTAssertEqual(try send(to: "PROB")["keys"]?.arrayValue?.count, 6)
        // A YOT may narrow what a type receives.
        try h.expectOK(["config", "sharing", "probation", "rosh"], as: "alex")
        XCTAssertEqual(try send(to: "PROB")["keys"], .array([.string("rosh")]))
        XCTAssertTrue(try h.expectOK(["config", "sharing", "probation"]).stdout.contains("local"))
        try h.expectFailure(
            ["config", "sharing", "probation", "Bad Key"], as: "alex", status: 64, message: "invalid answer key")
    }

    func testStageSendRefusals() throws {
        try h.expectFailure(
            ["stage", "send", "YP-0001", "--to", "YCS-PT", "--out", outbox], as: "pat", status: 1,
            message: "no completed stage")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "psr"], as: "pat")
        try h.screens()
        try h.expectOK(
            ["stage", "set", "YP-0001", "rosh=low", "saw=low", "lor=low", "scaled-approach=standard"], as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        let stage = try h.loadCase("YP-0001").state.stages[0].id
        try h.expectFailure(
            ["stage", "send", "YP-0001", "--to", "YCS-PT", "--stage", stage, "--out", outbox], as: "pat",
            status: 1, message: "awaiting-countersignature")
        try h.expectOK(["countersign", "YP-0001"], as: "mo")
        try h.expectFailure(
            ["stage", "send", "YP-0001", "--to", "NOWHERE", "--out", outbox], as: "pat", status: 66,
            message: "not a known organisation")
        try h.expectFailure(
            ["stage", "send", "YP-0001", "--to", "YCS-PT", "--out", outbox], as: "nobody", status: 77,
            message: "unknown user")
        // A package that cannot be written is not recorded as sent.
        try Data().write(to: URL(fileURLWithPath: h.dir + "/blocker"))
        try h.expectFailure(["stage", "send", "YP-0001", "--to", "YCS-PT", "--out", h.dir + "/blocker"], as: "pat",
                            status: 74, message: "blocker")
        // Business support may send: anyone with access (001 §11.2.1).
        try h.expectOK(["stage", "send", "YP-0001", "--to", "YCS-PT", "--out", outbox], as: "bo")
        XCTAssertEqual(try h.loadCase("YP-0001").state.stages[0].sends.map(\.to.code), ["YCS-PT"])
    }

    func testRecordRefusesBadInputAndChangesNothing() throws {
        try h.expectFailure(
            ["record", "YP-0001", "remanded", "--date", "2026-11-23"], as: "pat", status: 64,
            message: "did you mean 'remanded-yda'")
        let far = try h.expectFailure(
            ["record", "YP-0001", "lunch", "--date", "2026-11-23"], as: "pat", status: 64,
            message: "unknown key event 'lunch'; 'ap record --help' lists them")
        XCTAssertFalse(far.stderr.contains("did you mean"), "nothing near enough to suggest")
        try h.expectFailure(
            ["record", "YP-0001", "released", "--date", "23/11/2026"], as: "pat", status: 64,
            message: "--date takes")
        try h.expectFailure(
            ["record", "YP-0001", "arrived-establishment", "--date", "2026-12-01"], as: "pat",
            status: 64, message: "in the future")
        try h.expectFailure(
            ["record", "YP-0001", "released", "--date", "2026-11-23", "--at", "HMP-X"], as: "pat",
            status: 66, message: "not a known organisation")
        try h.expectFailure(
            ["record", "YP-0099", "released", "--date", "2026-11-23"], as: "pat", status: 66,
            message: "YP-0099")
        try h.expectFailure(["record", "YP-0001", "released"], as: "pat", status: 64, message: "--date")
        try h.expectFailure(
            ["record", "YP-0001", "released", "--date", "2026-11-23", "--note", " "], as: "pat",
            status: 64, message: "--note needs")
    }

    func testDueFiltersAndCSV() throws {
        try h.expectOK(["case", "new", "YP-0002", "--name", "Sam Lee", "--dob", "2010-01-01"], as: "bo")
        try h.expectOK(["stage", "new", "YP-0002", "--kind", "review"], as: "kim")
        try h.expectOK(["record", "YP-0002", "planning-meeting", "--date", "2026-11-20", "--updates-by", "yot"],
                       as: "kim")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "review"], as: "pat")
        try h.expectOK(["record", "YP-0001", "court-hearing", "--date", "2026-11-30T10:00", "--custody-possible"],
                       as: "pat")
        XCTAssertEqual(try due().compactMap { $0["case"]?.stringValue }, ["YP-0002", "YP-0001"], "soonest first")
        XCTAssertEqual(try h.expectOK(["due", "--mine", "--json"], as: "pat").json?.arrayValue?.count, 1)
        XCTAssertEqual(try due(["--case", "yp-0002"]).count, 1)
        XCTAssertEqual(try due(["--overdue"]).count, 0)
        h.now = "2026-11-28T09:00:00.000Z"
        XCTAssertEqual(try due(["--overdue"]).compactMap { $0["case"]?.stringValue }, ["YP-0002"])
        let csv = try h.expectOK(["due", "--csv"]).stdout
        XCTAssertTrue(csv.hasPrefix("case,name,rule,what,party,since,due,hours-left,overdue"), csv)
        XCTAssertTrue(csv.contains("YP-0002,Sam Lee,review-after-planning-meeting"), csv)
        try h.expectFailure(["due", "--csv", "--json"], status: 64, message: "--csv and --json")
        try h.expectFailure(["due", "--mine"], status: 64, message: "--mine needs")
    }

    func testStatusCountsObligationsAndListsTheUsersOwn() throws {
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "review"], as: "pat")
        try h.expectOK(["record", "YP-0001", "planning-meeting", "--date", "2026-11-02", "--updates-by", "yot"],
                       as: "pat")
        let mine = try h.expectOK(["status"], as: "pat").stdout
        XCTAssertTrue(mine.contains("Due on your cases:\n  YP-0001  Jordan Smith: share the completed Review"), mine)
        XCTAssertTrue(mine.contains("1 obligation open, 1 overdue; 'ap due'"), mine)
        let json = try h.expectOK(["status", "--json"], as: "kim").json
        XCTAssertEqual(json?["obligationsOpen"]?.intValue, 1)
        XCTAssertEqual(json?["obligationsOverdue"]?.intValue, 1)
        XCTAssertEqual(json?["obligationsMine"]?.arrayValue?.count, 0, "not kim's case")
    }

    func testSocialCareLink() throws {
        try h.expectOK(["case", "update", "YP-0001", "social-care=known", "social-worker=Sam Patel"], as: "pat")
        let state = try h.loadCase("YP-0001").state
        XCTAssertEqual(state.socialCare, "known")
        XCTAssertEqual(state.socialWorker, "Sam Patel")
        XCTAssertNotNil(state.socialCareKnownSince)
        let r = try h.expectFailure(
            ["case", "update", "YP-0001", "social-care=maybe"], as: "pat", status: 65,
            message: "known, not-known")
        XCTAssertFalse(r.stderr.contains("maybe"), "the value typed is not repeated")
    }

    func testTransferToAnEstablishmentIsCaretakingOnly() throws {
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "transfer-yot-to-yot"], as: "pat")
        try h.expectOK(["stage", "set", "YP-0001"] + transferAnswers, as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectFailure(
            ["transfer", "send", "YP-0001", "--to", "WETHERBY", "--kind", "complete", "--out", outbox],
            as: "mo", status: 1, message: "never receives a complete transfer")
        try h.expectFailure(
            ["transfer", "send", "YP-0001", "--to", "SCHOOL", "--kind", "caretaking", "--out", outbox],
            as: "mo", status: 1, message: "not a YOT or establishment")
        try h.expectFailure(
            ["transfer", "send", "YP-0001", "--to", "NOTTS", "--kind", "complete", "--out", outbox],
            as: "mo", status: 64, message: "--to-name")
        let sent = try h.expectOK(
            [
                "transfer", "send", "YP-0001", "--to", "wetherby", "--kind", "caretaking", "--out",
                outbox, "--json",
            ], as: "mo"
        ).json
        XCTAssertEqual(sent?["to"]?["name"]?.stringValue, "HMYOI Wetherby")
    }
}
