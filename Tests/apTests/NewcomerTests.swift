import APModel
import Foundation
import XCTest

/// A newcomer's first hour (issue 17): group words explain themselves, typos are caught
/// by the words' place.
final class NewcomerTests: XCTestCase {
    func testGroupWordsListTheirSubcommands() throws {
        let h = try Harness(users: false)
        for args in [
            ["stage"], ["stage", "--help"], ["help", "stage"], ["transfer"], ["case"], ["config"], ["caretake"],
            ["config", "question"], ["help", "config", "trigger"],
        ] {
            let page = try h.expectOK(args).stdout
            for heading in ["OVERVIEW: ", "USAGE: ap ", "OPTIONS:", "SUBCOMMANDS:", "EXAMPLES:"] {
                XCTAssertTrue(page.contains(heading), "ap \(args.joined(separator: " ")) lacks \(heading):\n\(page)")
            }
            XCTAssertTrue(page.split(separator: "\n").allSatisfy { $0.count <= 80 }, page)
        }
        let stage = try h.expectOK(["stage"]).stdout
        let subcommands = [
            "kinds", "questions", "new", "set", "clear", "submit", "stop", "show", "assign", "unassign", "send",
        ]
        for sub in subcommands {
            XCTAssertTrue(stage.contains("\n  \(sub) "), "ap stage lacks \(sub)")
        }
        XCTAssertTrue(try h.expectOK(["config"]).stdout.contains("  question "), "a nested group is listed")
        let report = try h.expectOK(["report"]).stdout
        XCTAssertTrue(report.contains("in-progress") && report.contains("self-assessment"), report)
        XCTAssertEqual(try h.expectOK(["help", "stage", "--json"]).json?.arrayValue?.count, 15)
    }

    func testTyposAreSuggestedByTheirPlace() throws {
        let h = try Harness(users: false)
        try h.expectFailure(["stag"], status: 64, message: "did you mean 'ap stage'?")
        try h.expectFailure(
            ["stage", "nwe", "YP-1"], status: 64, message: "did you mean 'ap stage new'? See 'ap help stage'.")
        try h.expectFailure(["help", "stge"], status: 64, message: "did you mean 'ap stage'?")
        try h.expectFailure(
            ["config", "qestion", "add"], status: 64, message: "did you mean 'ap config question add'?")
        let r = try h.expectFailure(
            ["stage", "new", "YP-1", "--kidn", "psr"], status: 64, message: "did you mean '--kind'?")
        XCTAssertTrue(
            r.stderr.contains("usage: ap stage new CASE --kind KIND")
                && r.stderr.contains("See 'ap stage new --help'."),
            r.stderr)
    }

    /// Runs ap on a copy of the sample repository, on 23 November 2026.
    func onExamples(_ args: [String], user: String? = nil) throws -> String {
        let copy = NSTemporaryDirectory() + "ap-examples-" + UUID().uuidString
        addTeardownBlock { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(
            atPath: IntegrityTests.root.appendingPathComponent("examples/cases").path, toPath: copy)
        var env = ["AP_NOW": "2026-11-23", "AP_TEST_CLOCK": "1"]
        if let user { env["AP_USER"] = user }
        let r = try Harness.tool(Harness.binary, ["-C", copy] + args, env: env)
        XCTAssertEqual(r.status, 0, r.output)
        return r.output
    }

    /// `ap case list` on a copy of the sample repository.
    func list(_ args: [String]) throws -> [String] {
        (try JSONParser.parse(try onExamples(["case", "list", "--json"] + args))).arrayValue?.compactMap {
            $0["id"]?.stringValue
        } ?? []
    }

    func testStatusSaysWhatNeedsDoingNow() throws {
        let kim = try JSONParser.parse(try onExamples(["status", "--json"], user: "kim"))
        XCTAssertEqual(kim["mine"]?.arrayValue?.map { $0["case"] }, ["YP-0007"])
        XCTAssertEqual(kim["returned"]?.arrayValue?.map { $0["case"] }, ["YP-0005"])
        XCTAssertEqual(kim["awaitingMine"]?.arrayValue?.first?["workingDaysLeft"], -15)
        XCTAssertEqual(kim["overdue"], 2)
        let mo = try onExamples(["status"], user: "mo")
        XCTAssertTrue(mo.contains("The queue: 3 stages to countersign"), mo)
        let nobody = try onExamples(["status"])
        XCTAssertTrue(nobody.hasPrefix("10 cases, 7 open stages, 3 awaiting countersignature, 2 overdue"), nobody)
        XCTAssertFalse(nobody.contains("Your stages"), nobody)
    }

    func testCasesAreFoundByFilters() throws {
        XCTAssertEqual(try list(["--looked-after"]), ["YP-0002", "YP-0007", "YP-0010"], "YP-0010 is on remand")
        XCTAssertEqual(try list(["--name", "CASEY"]), ["YP-0002"])
        XCTAssertEqual(try list(["--owner", "kim", "--status", "in-progress"]), ["YP-0005", "YP-0007"])
        XCTAssertEqual(try list(["--status", "none"]), ["YP-0004", "YP-0008", "YP-0010"])
        XCTAssertEqual(try list(["--kind", "bail-recommendation"]), ["YP-0006"])
        XCTAssertEqual(try list(["--overdue"]), ["YP-0002", "YP-0006"])
        XCTAssertEqual(try list(["--held", "host"]), [])
        XCTAssertEqual(try list(["--held", "home", "--looked-after", "--overdue"]), ["YP-0002"])
    }

    /// `case list --json` writes its rows straight to bytes (issue 29): the same value as the
    /// tree `ap batch` returns, in the canonical layout.
    func testCaseListJSONBytesAreTheTreeAsPrinted() throws {
        let h = try Harness()
        try h.caseWithStage("YP-1")
        try h.expectOK(["case", "new", "YP-2", "--name", "Sam Lee", "--dob", "2010-01-02"], as: "bo")
        try h.expectOK(["case", "allocate", "YP-2", "--to", "pat", "--co", "lee", "--team", "North"], as: "mo")
        let printed = try h.expectOK(["case", "list", "--json"]).stdout
        let tree = try JSONParser.parse(Array(printed.utf8))
        XCTAssertEqual(String(decoding: JSONWriter.pretty(tree), as: UTF8.self), printed)
        let line = try h.run(["batch", "-"], as: "mo", stdin: "[\"case\",\"list\"]\n").stdout
        let first = line.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertEqual(try JSONParser.parse(Array(first.utf8))["result"], tree)
        XCTAssertEqual(tree.arrayValue?.last?["coWorker"], "lee")
        XCTAssertEqual(tree.arrayValue?.first?["openStage"]?["owner"], "pat")
    }

    func testAccentsAndCSV() throws {
        let h = try Harness()
        try h.expectOK(["case", "new", "YP-1", "--name", "Zoë Ñúñez", "--dob", "2010-01-01"], as: "bo")
        XCTAssertEqual(try h.expectOK(["case", "list", "--name", "zoe nun", "--json"]).json?.arrayValue?.count, 1)
        // Plain ASCII is folded without Foundation, to the same answer (issue 29).
        try h.expectOK(["case", "new", "YP-2", "--name", "JORDAN Smith", "--dob", "2010-01-01"], as: "bo")
        for (needle, count) in [("ZOE", 1), ("ÑÚÑ", 1), ("jordan s", 1), ("Smith", 1), ("zz", 0)] {
            XCTAssertEqual(try h.expectOK(["case", "list", "--name", needle, "--json"]).json?.arrayValue?.count, count,
                           needle)
        }
        let csv = try h.expectOK(["case", "list", "--csv"]).stdout
        let header = "case,name,looked-after,held,stage,kind,owner,status,updated,manager,co-worker,team\r\n"
        XCTAssertTrue(csv.hasPrefix(header), csv)
        try h.expectFailure(["case", "list", "--status", "open"], status: 64, message: "--status takes")
        try h.expectFailure(["case", "list", "--csv", "--json"], status: 64, message: "one at a time")
        let queue = try h.expectOK(["queue", "--csv"]).stdout
        XCTAssertTrue(
            queue.hasPrefix("case,name,stage,kind,owner,status,started,submitted,working-days,left,due"), queue)
    }

    /// `case show` and `stage show` fit 80 columns: long values wrap, never cut, and wide
    /// characters count two columns.
    func testCaseAndStageShowFitEightyColumns() throws {
        func columns(_ line: Substring) -> Int { TextWidth.of(line) }
        let h = try Harness()
        let name = "Jordan Alexander Montgomery-Smythe-Fotheringham 李小龍 de la Cruz Wellesley-Thompson"
        try h.expectOK(["case", "new", "YP-0001", "--name", name, "--dob", "2009-03-14"], as: "bo")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "review", "--due", "2026-12-01"], as: "pat")
        try h.expectOK(["stage", "set", "YP-0001", "rosh=medium", "saw=low", "lor=low", "scaled-approach=enhanced"],
                       as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        let reason = String(repeating: "Please add the victim's view and the school's report 学校 ", count: 3)
        try h.expectOK(["countersign", "YP-0001", "--return", reason], as: "mo")
        try h.expectOK(
            ["record", "YP-0001", "court-hearing", "--date", "2026-11-30T10:00", "--note", reason], as: "pat")
        for args in [["case", "show", "YP-0001"], ["stage", "show", "YP-0001"]] {
            let text = try h.expectOK(args + ["-w", "80"]).stdout
            for line in text.split(separator: "\n") {
                XCTAssertLessThanOrEqual(columns(line), 80, "ap \(args.joined(separator: " ")): \(line)")
            }
            XCTAssertTrue(text.contains("李小龍"), "nothing cut")
            XCTAssertTrue(text.replacingOccurrences(of: "\n", with: " ").contains("school's report"), text)
        }
    }

    /// A first `ap queue` that builds the index shows progress on a terminal's standard
    /// error, and nothing when standard error is not a terminal.
    func testIndexProgressShowsOnlyOnATerminal() throws {
        let h = try Harness()
        try h.caseWithStage("YP-0001")
        try? FileManager.default.removeItem(atPath: h.dir + "/.ap/index")
        XCTAssertEqual(try h.expectOK(["queue"], env: ["AP_PROGRESS_AFTER": "0"]).stderr, "")
        guard FileManager.default.fileExists(atPath: "/usr/bin/script") else { return }
        try? FileManager.default.removeItem(atPath: h.dir + "/.ap/index")
        let command = "AP_PROGRESS_AFTER=0 '\(Harness.binary)' -C '\(h.dir)' queue > /dev/null"
        let r = try Harness.tool("/usr/bin/script", ["-qc", command, "/dev/null"])
        XCTAssertTrue(r.output.contains("ap: indexing case files: 1 of 1"), r.output)
    }

    /// `ap status` mentions what `ap fsck` would warn of, from the checks that read no case.
    func testStatusMentionsRepositoryWarnings() throws {
        let h = try Harness()
        XCTAssertFalse(try h.expectOK(["status"]).stdout.contains("repository warning"))
        try Data("{".utf8).write(to: URL(fileURLWithPath: h.dir + "/.ap/.config.json.tmp-1-2"))
        XCTAssertTrue(try h.expectOK(["status"]).stdout.contains("1 repository warning; 'ap fsck'"))
        XCTAssertEqual(try h.expectOK(["status", "--json"]).json?["repositoryWarnings"]?.arrayValue?.count, 1)
    }
}
