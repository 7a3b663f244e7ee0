import Foundation
import XCTest

final class CompletionsTests: XCTestCase {
    /// Sources the generated bash script and asks it, as bash's completion would.
    func complete(_ h: Harness, _ words: [String]) throws -> [String] {
        let script = try h.expectOK(["completions", "bash"]).stdout
        let path = h.dir + "/ap.bash"
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let bin = URL(fileURLWithPath: Harness.binary).deletingLastPathComponent().path
        let text = try Harness.tool("/bin/bash", ["-c", "source '\(path)'; COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); _ap; printf '%s\\n' \"${COMPREPLY[@]}\""],
                                    cwd: h.dir, env: ["PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")]).output
        return text.split(separator: "\n").map(String.init)
    }

    func testBashCompletesCommandsOptionsCasesKindsAndUsers() throws {
        let h = try Harness()
        try h.caseWithStage("YP-0001")
        try h.expectOK(["case", "new", "YP-0002", "--name", "B", "--dob", "2010-01-01"], as: "bo")
        XCTAssertEqual(try complete(h, ["ap", "sta"]), ["stage", "status"])
        XCTAssertEqual(try complete(h, ["ap", "stag"]), ["stage"])
        XCTAssertEqual(try complete(h, ["ap", "stage", "su"]), ["submit"])
        XCTAssertEqual(try complete(h, ["ap", "stage", "set", "YP"]), ["YP-0001", "YP-0002"])
        XCTAssertEqual(try complete(h, ["ap", "stage", "new", "YP-0001", "--ki"]), ["--kind"])
        XCTAssertEqual(try complete(h, ["ap", "stage", "new", "YP-0001", "--kind", "ps"]), ["psr"])
        XCTAssertEqual(try complete(h, ["ap", "--as", "m"]), ["mo"])
        // Question keys after the case, with '=' for answers; sections after --section; nested groups.
        XCTAssertEqual(try complete(h, ["ap", "stage", "set", "YP-0001", "pfs.gan"]), ["pfs.gangs=",
                "pfs.gangs.explanation="])
        XCTAssertEqual(try complete(h, ["ap", "stage", "set", "YP-0001", "rosh=low", "ro"]), ["rosh="])
        XCTAssertEqual(try complete(h, ["ap", "stage", "clear", "YP-0001", "rj."]), ["rj.attitude-to-victim",
                "rj.previous-rj"])
        XCTAssertEqual(try complete(h, ["ap", "stage", "assign", "YP-0001", "--section", "le"]), ["leaving-custody"])
        XCTAssertEqual(try complete(h, ["ap", "config", "question", ""]), ["add", "list", "remove"])
        // The kinds a transfer takes, report names, files where a command reads files.
        XCTAssertEqual(try complete(h, ["ap", "transfer", "send", "YP-0001", "--kind", ""]), ["complete", "caretaking"])
        XCTAssertEqual(try complete(h, ["ap", "report", "ov"]), ["overdue"])
        try Data().write(to: URL(fileURLWithPath: h.dir + "/monday.jsonl"))
        XCTAssertEqual(try complete(h, ["ap", "batch", "mon"]), ["monday.jsonl"])
        // Organisations where a stage or transfer is sent and where an event happened; key events.
        try h.expectOK(["org", "add", "WETHERBY", "--name", "HMYOI Wetherby", "--type", "establishment"], as: "alex")
        XCTAssertEqual(try complete(h, ["ap", "stage", "send", "YP-0001", "--to", "WE"]), ["WETHERBY"])
        XCTAssertEqual(try complete(h, ["ap", "stage", "assign", "YP-0001", "--to", "p"]), ["pat"])
        XCTAssertEqual(try complete(h, ["ap", "record", "YP-0001", "remanded-"]), ["remanded-laa", "remanded-yda"])
        XCTAssertEqual(
            try complete(h, ["ap", "record", "YP-0001", "released", "--date", "2026-11-02", "--at", "W"]), ["WETHERBY"])
        XCTAssertEqual(try complete(h, ["ap", "org", "add", "X", "--type", "est"]), ["establishment"])
        XCTAssertEqual(try complete(h, ["ap", "due", "--case", "YP-0001"]), ["YP-0001"])
        // Allocation: users after --co and --cover, grades and genders.
        XCTAssertEqual(try complete(h, ["ap", "case", "allocate", "YP-0001", "--to", "pat", "--co", "l"]), ["lee"])
        XCTAssertEqual(try complete(h, ["ap", "user", "absent", "pat", "--planned", "--cover", "k"]), ["kim"])
        XCTAssertEqual(
            try complete(h, ["ap", "user", "update", "pat", "--grade", "band-"]), ["band-a", "band-b", "band-c"])
        XCTAssertEqual(try complete(h, ["ap", "user", "update", "pat", "--gender", "f"]), ["female"])
        // Filters' values, settings, files after --out and stage set --from (issue 26).
        XCTAssertEqual(try complete(h, ["ap", "case", "list", "--status", "aw"]), ["awaiting-countersignature"])
        XCTAssertEqual(try complete(h, ["ap", "case", "list", "--held", "ho"]), ["home", "host"])
        XCTAssertEqual(try complete(h, ["ap", "case", "export", "YP-0001", "--for", "p"]), ["panel", "placements"])
        XCTAssertEqual(try complete(h, ["ap", "config", "set", "sync"]), ["sync-timeout-seconds"])
        XCTAssertEqual(try complete(h, ["ap", "stage", "set", "YP-0001", "--from", "mon"]), ["monday.jsonl"])
        XCTAssertEqual(try complete(h, ["ap", "stage", "send", "YP-0001", "--out", "mon"]), ["monday.jsonl"])
    }

    /// -C DIR names the repository whose cases complete, from anywhere.
    func testCaseIdsCompleteFromTheRepositoryNamedByC() throws {
        let h = try Harness()
        try h.caseWithStage("YP-0001")
        let elsewhere = try Harness(users: false)
        XCTAssertEqual(try complete(elsewhere, ["ap", "-C", h.dir, "stage", "show", "YP"]), ["YP-0001"])
        XCTAssertEqual(try complete(elsewhere, ["ap", "stage", "show", "YP"]), [])
    }

    /// fish answers `complete --do-complete` as it would a TAB.
    func testFishCompletesWhereFishIsInstalled() throws {
        guard FileManager.default.fileExists(atPath: "/usr/bin/fish") else { return }
        let h = try Harness()
        try h.caseWithStage("YP-0001")
        let script = h.dir + "/ap.fish"
        try Data(try h.expectOK(["completions", "fish"]).stdout.utf8).write(to: URL(fileURLWithPath: script))
        let bin = URL(fileURLWithPath: Harness.binary).deletingLastPathComponent().path
        func complete(_ line: String) throws -> [String] {
            let r = try Harness.tool(
                "/usr/bin/fish", ["-c", "source \(script); complete --do-complete '\(line)'"], cwd: h.dir,
                env: ["PATH": bin + ":/usr/bin:/bin"])
            return r.output.split(separator: "\n").map(String.init)
        }
        XCTAssertEqual(try complete("ap sta"), [
            "stage\tstart, answer, submit, stop and show assessment stages",
            "status\twhat needs your attention now: your stages, the queue, obligations, transfers",
        ])
        XCTAssertEqual(try complete("ap --as m"), ["mo\tact as USER (else AP_USER)"])
        // Apostrophes kept; filters' values offered.
        XCTAssertTrue(try complete("ap lo").contains { $0.hasPrefix("log\tshow a case's history") }, "apostrophe")
        XCTAssertEqual(try complete("ap case list --held ho").map { $0.split(separator: "\t")[0] }, ["home", "host"])
        XCTAssertEqual(try complete("ap case export YP-0001 --for co").map { $0.split(separator: "\t")[0] }, ["court"])
        XCTAssertTrue(try complete("ap stage su").first?.hasPrefix("submit\t") == true)
        XCTAssertEqual(try complete("ap stage set YP-0001 rosh"), ["rosh="])
        XCTAssertEqual(try complete("ap record YP-0001 remanded-"), ["remanded-laa", "remanded-yda"])
        XCTAssertEqual(
            try complete("ap transfer send YP-0001 --kind "),
            ["caretaking\tcomplete or caretaking", "complete\tcomplete or caretaking"], "no file names")
    }

    /// zsh with the file installed in fpath as _ap completes on the very first TAB, natively
    /// (compsys, not bash's script through bashcompinit), each choice with what it does.
    func testZshCompletesNativelyWithDescriptionsWhereZshIsInstalled() throws {
        guard FileManager.default.fileExists(atPath: "/usr/bin/zsh") else { return }
        let h = try Harness()
        try h.caseWithStage()
        try FileManager.default.createDirectory(atPath: h.dir + "/fpath", withIntermediateDirectories: true)
        let script = try h.expectOK(["completions", "zsh"]).stdout
        XCTAssertFalse(script.contains("bashcompinit"), "native zsh, not bash's script")
        try Data(script.utf8).write(to: URL(fileURLWithPath: h.dir + "/fpath/_ap"))
        let helper = IntegrityTests.root.appendingPathComponent("Tests/helpers/zsh_tab.py").path
        let bin = URL(fileURLWithPath: Harness.binary).deletingLastPathComponent().path
        // One session, each line cleared with ^U after its TAB.
        let keys = ["ap stag", "ap sta", "ap stage new YP-0001 --ki", "ap stage set YP-0001 rosh",
                    "ap transfer send YP-0001 --kind ", "ap stage new YP-0001 --"].joined(separator: "\\t\\x15") + "\\t"
        let shown = try Harness.tool("python3", [helper, keys, h.dir + "/fpath", h.dir, bin + ":/usr/bin:/bin"]).output
        for expected in [
            "ap stage ", "stage   -- start, answer, submit", "status  -- what needs your attention",
            "ap stage new YP-0001 --kind ", "ap stage set YP-0001 rosh=", "--kind c",
            "--owner              -- the stage owner",
        ] {
            XCTAssertTrue(shown.contains(expected), "zsh did not show '\(expected)': \(shown)")
        }
    }

    func testZshAndFishScriptsAreGenerated() throws {
        let h = try Harness(users: false)
        XCTAssertTrue(try h.expectOK(["completions", "zsh"]).stdout.hasPrefix("#compdef ap"))
        let fish = try h.expectOK(["completions", "fish"]).stdout
        XCTAssertTrue(fish.contains("-l kind -r -f -a '(ap completions --list kinds 2>/dev/null)'"), fish)
        XCTAssertTrue(fish.contains("__fish_seen_subcommand_from send' -l kind -r -f -a 'complete caretaking'"), fish)
        XCTAssertTrue(fish.contains("__fish_seen_subcommand_from batch' -F"), fish)
        try h.expectFailure(["completions", "tcsh"], status: 64, message: "unknown shell 'tcsh'")
    }
}
