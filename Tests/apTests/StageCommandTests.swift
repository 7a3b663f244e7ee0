import APModel
import Foundation
import XCTest

final class StageCommandTests: XCTestCase {
    func testStageKindsListsTheSlugsOfDomainMd() throws {
        let h = try Harness(users: false)
        let kinds = try h.expectOK(["stage", "kinds", "--json"]).json?.arrayValue?.compactMap { $0["slug"]?.stringValue }
        XCTAssertEqual(kinds, [
            "start-of-intervention", "review", "case-closure", "psr", "referral-order-report", "bail-recommendation",
            "post-court-report", "placement-notification", "entering-custody", "pre-release", "transfer-yot-to-yot", "prevention",
        ])
    }

    func testOnlyOneStageOpenAtATime() throws {
        let h = try Harness()
        try h.caseWithStage()
        let r = try h.expectFailure(["stage", "new", "YP-0001", "--kind", "review"], as: "pat", status: 1, message: "already has a stage in-progress")
        XCTAssertTrue(r.stderr.contains("PSR (all options)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("ap stage stop"), r.stderr)
    }

    func testStageKindIsCaseInsensitiveAndValidated() throws {
        let h = try Harness()
        try h.expectOK(["case", "new", "YP-1", "--name", "A", "--dob", "2010-01-01"], as: "bo")
        try h.expectFailure(["stage", "new", "YP-1", "--kind", "psx"], as: "pat", status: 64, message: "unknown stage kind 'psx'")
        let r = try h.expectOK(["stage", "new", "YP-1", "--kind", "PSR", "--json"], as: "pat")
        XCTAssertEqual(r.json?["kind"], "psr")
        XCTAssertEqual(r.json?["owner"], "pat")
    }

    func testOwnerRules() throws {
        let h = try Harness()
        try h.expectOK(["case", "new", "YP-1", "--name", "A", "--dob", "2010-01-01"], as: "bo")
        try h.expectFailure(["stage", "new", "YP-1", "--kind", "psr"], as: "bo", status: 77, message: "cannot own a stage")
        try h.expectFailure(["stage", "new", "YP-1", "--kind", "psr", "--owner", "kim"], as: "pat", status: 77, message: "only managers and proxies")
        try h.expectFailure(["stage", "new", "YP-1", "--kind", "psr", "--owner", "ghost"], as: "bo", status: 66, message: "unknown user 'ghost'")
        let r = try h.expectOK(["stage", "new", "YP-1", "--kind", "psr", "--owner", "pat", "--json"], as: "bo")
        XCTAssertEqual(r.json?["owner"], "pat")
        XCTAssertEqual(r.json?["startedBy"], "bo")
    }

    func testSetValidatesRatingsKeysAndWhoMayUpdate() throws {
        let h = try Harness()
        try h.caseWithStage()
        try h.expectFailure(["stage", "set", "YP-0001", "rosh=huge"], as: "pat", status: 65, message: "allowed: low, medium, high, very-high")
        try h.expectFailure(["stage", "set", "YP-0001", "lor=very-high"], as: "pat", status: 65, message: "allowed: low, medium, high")
        try h.expectFailure(["stage", "set", "YP-0001", "scaled-approach=yet-to-clarify"], as: "pat", status: 65, message: "rating 'scaled-approach'")
        try h.expectFailure(["stage", "set", "YP-0001", "Bad Key=x"], as: "pat", status: 64, message: "invalid answer key")
        try h.expectFailure(["stage", "set", "YP-0001", "novalue"], as: "pat", status: 64,
                message: "argument 2 is not key=value")
        try h.expectFailure(["stage", "set", "YP-0001", "rosh=low"], as: "kim", status: 77, message: "owned by 'pat'")
        // Owner, proxy and manager may all update.
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low", "pfs.living-arrangements=yet-to-clarify"], as: "pat")
        try h.expectOK(["stage", "set", "YP-0001", "saw=medium"], as: "bo")
        try h.expectOK(["stage", "set", "YP-0001", "lor=high"], as: "mo")
        let stage = try h.expectOK(["stage", "show", "YP-0001", "--json"]).json
        XCTAssertEqual(stage?["answers"]?["rosh"]?["value"], "low")
        XCTAssertEqual(stage?["answers"]?["saw"]?["by"], "bo")
        XCTAssertEqual(stage?["answers"]?["pfs.living-arrangements"]?["value"], "yet-to-clarify")
        // A blank value is refused; 'stage clear' clears an answer.
        try h.expectFailure(["stage", "set", "YP-0001", "lor="], as: "pat", status: 65,
                message: "answer 'lor' is blank")
        try h.expectOK(["stage", "clear", "YP-0001", "lor"], as: "pat")
        XCTAssertNil(try h.expectOK(["stage", "show", "YP-0001", "--json"]).json?["answers"]?["lor"])
    }

    func testSubmitWithoutCriteriaCompletes() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "prevention")
        try h.expectOK(["stage", "set", "YP-0001", "pfs.living-arrangements=seen at home"], as: "pat")
        let r = try h.expectOK(["stage", "submit", "YP-0001", "--json"], as: "pat")
        XCTAssertEqual(r.json?["status"], "completed")
        try h.expectFailure(["stage", "submit", "YP-0001"], as: "pat", status: 1, message: "no stage in progress")
    }

    func testSubmitChecksMandatoryAnswersAndFurtherExploration() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "transfer-yot-to-yot")
        let r = try h.expectFailure(["stage", "submit", "YP-0001"], as: "pat", status: 1, message: "mandatory answers missing")
        XCTAssertTrue(r.stderr.contains("reason-for-transfer") && r.stderr.contains("requirements-deliverable"), r.stderr)
        let answers = transferAnswers
        try h.expectOK(["stage", "set", "YP-0001"] + answers, as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        // Further exploration: a local yes-no question made a trigger.
        try h.expectOK(["config", "question", "add", "transfer.substance-misuse", "--section", "transfer",
                "--label", "Misuse?",
                        "--type", "yes-no"], as: "alex")
        try h.expectOK(["config", "trigger", "add", "transfer.substance-misuse", "--referral", "YPDAS"], as: "alex")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "transfer-yot-to-yot"], as: "pat")
        try h.expectOK(["stage", "set", "YP-0001", "transfer.substance-misuse=YES"], as: "pat")
        try h.expectFailure(["stage", "submit", "YP-0001"], as: "pat", status: 1,
                message: "transfer.substance-misuse.explanation")
        try h.expectOK(["stage", "set", "YP-0001", "transfer.substance-misuse.explanation=cannabis weekly"], as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
    }

    func testSubmitSendsForCountersignatureNamingTheCriteria() throws {
        let h = try Harness()
        try h.caseWithStage()
        try h.expectOK(["stage", "set", "YP-0001", "rosh=high", "indicative-lor=high", "lor=low",
                        "lor.override-reason=Judged on recent progress", "saw=low"], as: "pat")
        try h.expectOK(["config", "required-ratings", "psr", "rosh", "lor"], as: "alex")
        try h.evidence(for: ["rosh=high"])
        let r = try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        XCTAssertTrue(r.stdout.contains("awaits countersignature: a court stage, always countersigned; RoSH rating; "
                                         + "Safety and Wellbeing rating; LoR differs"), r.stdout)
        XCTAssertEqual(try h.loadCase("YP-0001").state.stages[0].criteria, ["court-stage", "rosh", "saw",
                "lor-override"])
    }

    func testStopIsForManagersAndAllowsANewStage() throws {
        let h = try Harness()
        try h.caseWithStage()
        try h.expectFailure(["stage", "stop", "YP-0001", "--reason", "x"], as: "pat", status: 77, message: "only managers stop stages")
        try h.expectFailure(["stage", "stop", "YP-0001"], as: "mo", status: 64, message: "needs --reason")
        try h.expectOK(["stage", "stop", "YP-0001", "--reason", "urgent bail stage"], as: "mo")
        try h.expectFailure(["stage", "stop", "YP-0001", "--reason", "again"], as: "mo", status: 1, message: "no stage open")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "bail-recommendation"], as: "pat")
        let stages = try h.loadCase("YP-0001").state.stages
        XCTAssertEqual(stages.map(\.status), [.stopped, .inProgress])
        XCTAssertEqual(stages[0].stopReason, "urgent bail stage")
    }

    func testPullForwardFromTheLatestCompletedStage() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "prevention")
        try h.expectOK(["stage", "set", "YP-0001", "pfs.family-relationships=family support",
                "pfs.education=attends"], as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        let review = try h.expectOK(["stage", "new", "YP-0001", "--kind", "review", "--owner", "kim", "--json"], as: "mo").json
        XCTAssertEqual(review?["answers"]?["pfs.family-relationships"]?["value"], "family support")
        XCTAssertEqual(review?["answers"]?["pfs.family-relationships"]?["pulled"], true)
        XCTAssertEqual(review?["answers"]?["pfs.family-relationships"]?["by"], "kim")
        XCTAssertNotNil(review?["pulledFrom"])
        try h.expectOK(["stage", "stop", "YP-0001", "--reason", "restart"], as: "mo")
        let bare = try h.expectOK(["stage", "new", "YP-0001", "--kind", "review", "--no-pull-forward", "--json"], as: "pat").json
        XCTAssertEqual(bare?["answers"], [:])
    }

    func testNoPullForwardAfterCaseClosureUnlessConfigured() throws {
        let h = try Harness()
        func closed(_ id: String) throws {
            try h.caseWithStage(id, kind: "case-closure")
            try h.expectOK(["stage", "set", id, "ec.explanation=closed", "rosh=low", "saw=low", "lor=low",
                            "scaled-approach=standard"], as: "pat")
            try h.expectOK(["stage", "submit", id], as: "pat")
            try h.expectOK(["countersign", id], as: "mo")
        }
        try closed("YP-0001")
        let fresh = try h.expectOK(["stage", "new", "YP-0001", "--kind", "start-of-intervention", "--json"], as: "pat").json
        XCTAssertEqual(fresh?["answers"], [:])
        try h.expectOK(["config", "set", "pull-forward-after-closure", "true"], as: "alex")
        try closed("YP-0002")
        let pulled = try h.expectOK(["stage", "new", "YP-0002", "--kind", "start-of-intervention", "--json"],
                as: "pat").json
        XCTAssertEqual(pulled?["answers"]?["ec.explanation"]?["value"], "closed")
    }

    func testStageShowDefaultsToTheLatestAndNamesUnknownStages() throws {
        let h = try Harness()
        try h.caseWithStage()
        let text = try h.expectOK(["stage", "show", "YP-0001"]).stdout
        XCTAssertTrue(text.contains("Status:") && text.contains("in-progress"), text)
        try h.expectFailure(["stage", "show", "YP-0001", "st-nope"], status: 66, message: "has no stage 'st-nope'")
    }
}
