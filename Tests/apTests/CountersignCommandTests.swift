import APModel
import Foundation
import XCTest

final class CountersignCommandTests: XCTestCase {
    func submitted(_ h: Harness) throws {
        try h.caseWithStage()
        try h.expectOK(["stage", "set", "YP-0001", "rosh=medium", "saw=low", "lor=low", "scaled-approach=enhanced"],
                as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
    }

    func testManagerCountersignsAndCompletesTheStage() throws {
        let h = try Harness()
        try submitted(h)
        h.now = "2026-11-05T15:00:00.000Z"
        let r = try h.expectOK(["countersign", "YP-0001", "--comment", "RoSH agreed", "--json"], as: "mo")
        XCTAssertEqual(r.json?["status"], "completed")
        XCTAssertEqual(r.json?["countersignedBy"], "mo")
        XCTAssertEqual(r.json?["countersignedAt"], "2026-11-05T15:00:00.000Z")
        XCTAssertEqual(r.json?["countersignComment"], "RoSH agreed")
        try h.expectFailure(["countersign", "YP-0001"], as: "mo", status: 1, message: "no stage awaiting countersignature")
    }

    func testWrongRoleOwnerAndFillerAreRefused() throws {
        let h = try Harness()
        try h.expectOK(["case", "new", "YP-0001", "--name", "A", "--dob", "2010-01-01"], as: "bo")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "psr"], as: "lee")  // lee: manager and practitioner, owner
        try h.screens(as: "lee")
        try h.expectOK(["stage", "set", "YP-0001", "saw=low", "lor=low", "scaled-approach=intensive"], as: "lee")
        try h.expectOK(["stage", "set", "YP-0001", "rosh=high"], as: "mo")     // mo filled in an answer
        try h.evidence(for: ["rosh=high"], as: "lee")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "lee")
        try h.expectFailure(["countersign", "YP-0001"], as: "pat", status: 77, message: "only managers countersign")
        try h.expectFailure(["countersign", "YP-0001"], as: "lee", status: 77, message: "owns stage")
        try h.expectFailure(["countersign", "YP-0001"], as: "mo", status: 77, message: "filled in stage")
    }

    func testReturnSendsItBackInProgressWithTheReason() throws {
        let h = try Harness()
        try submitted(h)
        try h.expectFailure(["countersign", "YP-0001", "--return", "x", "--comment", "y"], as: "mo", status: 64, message: "not both")
        try h.expectOK(["countersign", "YP-0001", "--return", "explain the RoSH"], as: "mo")
        let stage = try h.loadCase("YP-0001").state.stages[0]
        XCTAssertEqual(stage.status, .inProgress)
        XCTAssertEqual(stage.returns.map(\.reason), ["explain the RoSH"])
        try h.expectFailure(["countersign", "YP-0001"], as: "mo", status: 1, message: "not awaiting countersignature")
        try h.expectOK(["stage", "set", "YP-0001", "ec.rosh-behaviours=weapon found"], as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectOK(["countersign", "YP-0001"], as: "mo")
    }

    func testANamedStageMustBeTheOneAwaiting() throws {
        let h = try Harness()
        try submitted(h)
        try h.expectFailure(["countersign", "YP-0001", "--stage", "st-missing"], as: "mo", status: 66, message: "no stage 'st-missing'")
    }
}
