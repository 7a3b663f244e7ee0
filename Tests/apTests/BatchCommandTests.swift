import APModel
import Foundation
import XCTest

final class BatchCommandTests: XCTestCase {
    /// The lines' results, without the summary line that ends every batch.
    func results(_ r: Harness.Result) -> [JSONValue] {
        r.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }.filter { $0["summary"] == nil }
    }

    func summary(_ r: Harness.Result) -> JSONValue? {
        r.stdout.split(separator: "\n").last.flatMap { try? JSONParser.parse(String($0)) }
    }

    func testEachLineRunsOnItsOwnWithItsResult() throws {
        let h = try Harness()
        let input = """
            # Monday's cases
            ["case","new","YP-1","--name","Ann Lee","--dob","2010-01-01"]
            {"as":"pat","args":["stage","new","YP-1","--kind","psr"]}

            {"as":"pat","args":["stage","set","YP-1","rosh=huge"]}
            {"as":"pat","args":["stage","set","YP-1","rosh=high"]}
            """
        let r = try h.run(["batch", "-"], as: "bo", stdin: input)
        XCTAssertEqual(r.status, 1, "one line failed")
        let lines = results(r)
        XCTAssertEqual(lines.map { $0["line"] }, [2, 3, 5, 6])
        XCTAssertEqual(lines.map { $0["ok"] }, [true, true, false, true])
        XCTAssertEqual(lines[2]["error"]?["kind"], "data")
        // A line that wrote says what it did, not the whole stage: the answers never appear.
        XCTAssertEqual(lines[3]["result"]?["case"], "YP-1")
        XCTAssertEqual(lines[3]["result"]?["events"]?.arrayValue?.first?["type"], "stage.answered")
        XCTAssertEqual(lines[3]["result"]?["events"]?.arrayValue?.first?["keys"], ["rosh"])
        XCTAssertFalse(r.stdout.contains("\"high\""), r.stdout)
        let file = try h.loadCase("YP-1")
        XCTAssertEqual(file.events.map(\.by), ["bo", "pat", "pat"])
        XCTAssertEqual(file.state.stages[0].answers["rosh"]?.value, "high")
    }

    func testAllSucceedingExitsZero() throws {
        let h = try Harness()
        let r = try h.run(["batch"], as: "bo", stdin: #"["case","new","YP-1","--name","A","--dob","2010-01-01"]"#)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(results(r).first?["ok"], true)
    }

    func testAtomicAppliesAllOrNone() throws {
        let h = try Harness()
        try h.caseWithStage()
        let before = try h.snapshot()
        let input = """
            ["stage","set","YP-0001","rosh=low"]
            ["case","new","YP-2","--name","B","--dob","2010-01-01"]
            ["stage","set","YP-0404","rosh=low"]
            """
        let r = try h.run(["batch", "--atomic"], as: "pat", stdin: input)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(summary(r), ["summary": true, "ok": 2, "failed": 1, "applied": false, "atomic": true])
        XCTAssertTrue(r.stderr.contains("batch: 2 lines ok, 1 failed; nothing written (--atomic"), r.stderr)
        XCTAssertEqual(try h.snapshot().filter { $0.key != ".ap/index" }, before.filter { $0.key != ".ap/index" })
        let ok = try h.run(["batch", "--atomic"], as: "pat", stdin: "[\"stage\",\"set\",\"YP-0001\",\"rosh=low\"]\n[\"stage\",\"set\",\"YP-0001\",\"saw=low\"]")
        XCTAssertEqual(ok.status, 0)
        let answers = try h.loadCase("YP-0001").state.stages[0].answers
        XCTAssertEqual(answers["rosh"]?.value, "low")
        XCTAssertEqual(answers["saw"]?.value, "low")
    }

    func testDryRunChecksEveryLineAndWritesNothing() throws {
        let h = try Harness()
        try h.caseWithStage()
        let before = try h.snapshot()
        let r = try h.run(["batch", "--dry-run"], as: "pat",
                stdin: "[\"stage\",\"set\",\"YP-0001\",\"rosh=low\",\"saw=low\",\"lor=low\","
                    + "\"scaled-approach=standard\"]\n"
                    + "[\"stage\",\"submit\",\"YP-0001\"]")
        XCTAssertEqual(r.status, 0, r.stdout)
        // The submit needs the ratings the first line gave: later lines see earlier ones.
        XCTAssertEqual(results(r).map { $0["ok"] }, [true, true])
        XCTAssertEqual(results(r).map { $0["dryRun"] }, [true, true])
        XCTAssertEqual(results(r)[1]["result"]?["events"]?.arrayValue?.first?["type"], "stage.submitted")
        XCTAssertEqual(summary(r)?["applied"], false)
        XCTAssertEqual(summary(r)?["dryRun"], true)
        XCTAssertTrue(r.stderr.contains("would be written"), r.stderr)
        XCTAssertEqual(try h.snapshot(), before)
        // --json keeps JSON Lines, not one array.
        let json = try h.run(["batch", "--json"], as: "pat", stdin: "[\"stage\",\"set\",\"YP-0001\",\"rosh=low\"]")
        XCTAssertEqual(json.stdout.split(separator: "\n").count, 2, json.stdout)
        XCTAssertEqual(summary(json), ["summary": true, "ok": 1, "failed": 0, "applied": true])
    }

    /// --atomic and --dry-run refuse the whole batch before anything runs; by default a
    /// malformed line is that line's failure and the others run (each stands on its own).
    func testMalformedLinesAreNamedAndFailAloneUnlessAtomic() throws {
        let h = try Harness()
        try h.caseWithStage()
        for (input, message) in [
            ("[\"stage\",\"set\",\"YP-0001\",\"rosh=low\"]\n{not json", "standard input, line 2: malformed JSON"),
            ("[\"stage\",\"set\",\"YP-0001\",\"rosh=low\"]\n[1,2]", "line 2: expected an array of strings"),
        ] {
            for mode in ["--atomic", "--dry-run"] {
                let before = try h.snapshot()
                let r = try h.run(["batch", mode], as: "pat", stdin: input)
                XCTAssertEqual(r.status, 65)
                XCTAssertTrue(r.stderr.contains(message), r.stderr)
                XCTAssertEqual(try h.snapshot(), before)
            }
            let r = try h.run(["batch"], as: "pat", stdin: input)
            XCTAssertEqual(r.status, 1)
            XCTAssertEqual(results(r).map { $0["ok"] }, [true, false])
            XCTAssertTrue(results(r)[1]["error"]?["message"]?.stringValue?.contains(message) ?? false, r.stdout)
        }
        let r = try h.run(["batch"], as: "pat", stdin: "{\"as\":5,\"args\":[\"case\",\"list\"]}")
        XCTAssertTrue(r.stdout.contains("line 1: \\\"as\\\" must be a user id"), r.stdout)
        // Invalid UTF-8 is refused naming the line, never stored as U+FFFD.
        let path = h.dir + "/../bad-\(UUID().uuidString).jsonl"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        let line = Array("[\"stage\",\"set\",\"YP-0001\",\"pfs.health=x".utf8) + [0xFF] + Array("\"]\n".utf8)
        try Data(line).write(to: URL(fileURLWithPath: path))
        try h.expectFailure(["batch", "--atomic", path], as: "pat", status: 65, message: "line 1: not valid UTF-8")
    }

    func testCommandsThatCannotRunInABatch() throws {
        let h = try Harness()
        let r = try h.run(["batch"], as: "alex", stdin: "[\"batch\"]\n[\"-C\",\"/tmp\",\"case\",\"list\"]\n[\"init\",\"x\"]")
        let lines = results(r)
        XCTAssertEqual(lines.map { $0["ok"] }, [false, false, false])
        XCTAssertTrue(lines[1]["error"]?["message"]?.stringValue?.contains("belong to 'ap batch' itself") ?? false)
    }

    func testOneGitCommitForTheBatch() throws {
        let h = try Harness()
        try h.expectOK(["git", "setup"], as: "alex")
        let input = (1...5).map { "[\"case\",\"new\",\"YP-\($0)\",\"--name\",\"N\",\"--dob\",\"2010-01-01\"]" }.joined(separator: "\n")
        XCTAssertEqual(try h.run(["batch"], as: "bo", stdin: input).status, 0)
        let log = try Harness.tool("git", ["-C", h.dir, "log", "--format=%s"]).output
        XCTAssertEqual(log.split(separator: "\n").first, "batch 5 cases (bo)")
    }

    /// A result line says what the line did, so results grow with the lines and no faster
    /// (each used to hold the stage's answers so far: quadratic in lines on one case).
    func testResultsStaySmallWhateverTheAnswersSoFar() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        let long = String(repeating: "x", count: 1000)
        let input = (1...300).map { #"["stage","set","YP-0001","pfs.health=\#(long)\#($0)"]"# }.joined(separator: "\n")
        let r = try h.run(["batch"], as: "pat", stdin: input)
        XCTAssertEqual(r.status, 0, r.stderr)
        let sizes = r.stdout.split(separator: "\n").dropLast().map(\.utf8.count)
        XCTAssertEqual(sizes.count, 300)
        XCTAssertLessThan(sizes.max() ?? 0, 300, "a result line holds no answers")
        XCTAssertEqual(try h.loadCase("YP-0001").state.stages[0].answers["pfs.health"]?.value, long + "300")
    }
}
