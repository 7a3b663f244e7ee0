import APModel
import Foundation
import XCTest

/// A newcomer's first hour (issue 17): group words explain themselves, typos are caught
/// by the words' place.
final class NewcomerTests: XCTestCase {
    func testGroupWordsListTheirSubcommands() throws {
        let h = try Harness(users: false)
        for args in [["stage"], ["stage", "--help"], ["help", "stage"], ["transfer"], ["case"], ["config"], ["caretake"],
                     ["config", "question"], ["help", "config", "trigger"]] {
            let page = try h.expectOK(args).stdout
            for heading in ["OVERVIEW: ", "USAGE: ap ", "OPTIONS:", "SUBCOMMANDS:", "EXAMPLES:"] {
                XCTAssertTrue(page.contains(heading), "ap \(args.joined(separator: " ")) lacks \(heading):\n\(page)")
            }
            XCTAssertTrue(page.split(separator: "\n").allSatisfy { $0.count <= 80 }, page)
        }
        let stage = try h.expectOK(["stage"]).stdout
        for sub in ["kinds", "questions", "new", "set", "clear", "submit", "stop", "show", "assign", "unassign"] {
            XCTAssertTrue(stage.contains("\n  \(sub) "), "ap stage lacks \(sub)")
        }
        XCTAssertTrue(try h.expectOK(["config"]).stdout.contains("  question "), "a nested group is listed")
        let report = try h.expectOK(["report"]).stdout
        XCTAssertTrue(report.contains("in-progress") && report.contains("self-assessment"), report)
        XCTAssertEqual(try h.expectOK(["help", "stage", "--json"]).json?.arrayValue?.count, 10)
    }

    func testTyposAreSuggestedByTheirPlace() throws {
        let h = try Harness(users: false)
        try h.expectFailure(["stag"], status: 64, message: "did you mean 'ap stage'?")
        try h.expectFailure(["stage", "nwe", "YP-1"], status: 64, message: "did you mean 'ap stage new'? See 'ap help stage'.")
        try h.expectFailure(["help", "stge"], status: 64, message: "did you mean 'ap stage'?")
        try h.expectFailure(["config", "qestion", "add"], status: 64, message: "did you mean 'ap config question add'?")
        let r = try h.expectFailure(["stage", "new", "YP-1", "--kidn", "psr"], status: 64, message: "did you mean '--kind'?")
        XCTAssertTrue(r.stderr.contains("usage: ap stage new CASE --kind KIND") && r.stderr.contains("See 'ap stage new --help'."),
                      r.stderr)
    }
}
