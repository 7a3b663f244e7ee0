import APModel
import Foundation
import XCTest

/// Issue 23: an incoming transfer imported at one clone of a YOT's repository reaches its
/// other clones through `ap sync` as a signed record; a record pushed by hand does not.
final class TravellingTransferTests: TwoYOTs {
    var hub: String!
    var other: String!

    override func setUpWithError() throws {
        try super.setUpWithError()
        barnet = try Harness(signed: true)
        notts = try Harness(yot: "NOTTS", yotName: "Nottinghamshire YJS", signed: true)
        outbox = barnet.dir + "-outbox"
        hub = notts.dir + "-hub.git"
        other = notts.dir + "-other"
        let (box, hub, other) = (outbox!, hub!, other!)
        addTeardownBlock { for dir in [box, hub, other] { try? FileManager.default.removeItem(atPath: dir) } }
        for user in ["alex"] + Harness.staff.map(\.0) {
            try notts.expectOK(["org", "key", "add", "BARNET", try barnet.keys!.publicFile(user)], as: "alex")
        }
        try notts.expectOK(["git", "setup"], as: "alex")
        try git(["init", "-q", "--bare", hub], in: NSTemporaryDirectory())
        try git(["remote", "add", "origin", hub], in: notts.dir)
        try git(["push", "-q", "origin", "HEAD:master"], in: notts.dir)
        try git(["clone", "-q", hub, other], in: NSTemporaryDirectory())
    }

    @discardableResult
    func git(_ args: [String], in dir: String) throws -> String { try Harness.git(args, in: dir) }

    func incoming(_ dir: String) throws -> [JSONValue] {
        try notts.expectOK(["-C", dir, "transfer", "list", "--incoming", "--json"]).json?.arrayValue ?? []
    }

    func testAnIncomingTransferReachesTheOtherCloneAndItsDecisionComesBack() throws {
        try readyToSend()
        let sent = try packaged(barnet, ["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                                         "Nottinghamshire YJS", "--kind", "complete"])
        try notts.expectOK(["transfer", "import", sent.json], as: "bo")
        try notts.expectOK(["sync"], as: "bo")
        try notts.expectOK(["-C", other, "sync"], as: "mo")
        let there = try incoming(other)
        XCTAssertEqual(there.first?["status"], "pending", "\(there)")
        // The same package imported again at the other clone changes nothing.
        let again = try notts.expectOK(["-C", other, "transfer", "import", sent.json], as: "bo")
        XCTAssertTrue(again.stdout.contains("already imported"), again.stdout)
        // A manager there decides; the decision travels back.
        try notts.expectOK(["-C", other, "transfer", "accept", sent.transfer!, "--out", outbox], as: "mo")
        try notts.expectOK(["-C", other, "sync"], as: "mo")
        try notts.expectOK(["sync"], as: "bo")
        XCTAssertEqual(try incoming(notts.dir).first?["status"], "accepted")
        XCTAssertEqual(try notts.loadCase("YP-0001").state.holding(for: "NOTTS"), .home)
        XCTAssertEqual(try notts.run(["fsck"]).status, 0)
    }

    func testARecordPushedByHandIsNeverATransfer() throws {
        try readyToSend()
        let sent = try packaged(barnet, ["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                                         "Nottinghamshire YJS", "--kind", "complete"])
        try notts.expectOK(["transfer", "import", sent.json], as: "bo")
        let path = TravellingTransfer.relativePath(
            try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: sent.json))))["package"]!.stringValue!)
        // The attacker claims bo imported it at another time, keeping bo's signature.
        var doc = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: notts.dir + "/" + path))))
        doc["record"]?["by"] = "kim"
        doc["imported"]?["by"] = "kim"
        try Data(JSONWriter.pretty(doc)).write(to: URL(fileURLWithPath: notts.dir + "/" + path))
        try git(["add", path], in: notts.dir)
        try git(["commit", "-qm", "x", "--no-verify"], in: notts.dir)
        try git(["push", "-q", "origin", "HEAD:master"], in: notts.dir)
        try notts.expectOK(["-C", other, "sync"], as: "mo")
        XCTAssertEqual(try incoming(other).count, 0, "shown only when it verifies")
        let check = try notts.run(["-C", other, "fsck"])
        XCTAssertEqual(check.status, 65, check.stdout)
        XCTAssertTrue(check.stdout.contains("it is not shown as a transfer"), check.stdout)
    }

    /// Issue 25, 002 §12.4: a stay at one clone reaches the other, where it is decided later.
    func testAStayTravelsAndIsDecidedAtTheOtherClone() throws {
        try readyToSend()
        let sent = try packaged(barnet, ["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                                         "Nottinghamshire YJS", "--kind", "complete"])
        try notts.expectOK(["transfer", "import", sent.json], as: "bo")
        try notts.expectOK(["transfer", "stay", sent.transfer!, "--reason", "No RoSH assessment"], as: "mo")
        try notts.expectOK(["sync"], as: "mo")
        try notts.expectOK(["-C", other, "sync"], as: "mo")
        XCTAssertEqual(try incoming(other).first?["status"], "stayed")
        try notts.expectOK(["-C", other, "transfer", "accept", sent.transfer!, "--out", outbox], as: "mo")
        try notts.expectOK(["-C", other, "sync"], as: "mo")
        try notts.expectOK(["sync"], as: "mo")
        XCTAssertEqual(try incoming(notts.dir).first?["status"], "accepted")
        XCTAssertEqual(try notts.run(["fsck"]).status, 0)
    }
}
