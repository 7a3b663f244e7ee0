import APModel
import Foundation
import XCTest

/// Issue 23, attack 1: packages forged with a recomputed SHA-256, built here as an attacker
/// with a YOT's address would, and refused before anything is written.
final class PackageSenseTests: TwoYOTs {
    /// A package around `file`, checksummed as ap does, written to the outbox.
    func forge(
        _ type: TransferPackage.PackageType, _ file: CaseFile, from: YOT, to: YOT, transfer: String = "t-forged",
        name: String = "forged"
    ) throws -> String {
        let package = TransferPackage(
            id: "p-" + name, type: type, transfer: transfer, kind: "return-home", from: from, to: to,
            sentAt: file.latestEventTime!, sentBy: "eve", caseFile: file)
        try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
        let path = outbox + "/ap-transfer-\(package.id).json"
        try Data(package.bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `file` with events appended, as the sender's copy would hold them.
    func adding(_ file: CaseFile, _ events: [(type: String, by: String, yot: String, payload: [String: JSONValue])])
        throws -> CaseFile
    {
        var all = file.events
        var at = file.latestEventTime!
        for (i, e) in events.enumerated() {
            at = at.adding(millis: 60_000)
            var event = Event(id: "forged-\(i)-" + UUID().uuidString.prefix(8).lowercased(), at: at, by: e.by,
                              osUser: "eve", type: e.type, payload: e.payload)
            event.yot = e.yot
            all.append(event)
        }
        return try CaseFile(id: file.id, events: all)
    }

    let barnetYOT = YOT(code: "BARNET", name: "Barnet YJS")
    let nottsYOT = YOT(code: "NOTTS", name: "Nottinghamshire YJS")
    let evil = YOT(code: "EVIL", name: "Evil YJS")

    func testAForgedCaretakingEndIsRefusedUnlessItMakesSense() throws {
        // Not in caretaking at all: the audit's package, renaming the case and moving it to EVIL.
        try barnet.caseWithStage()
        let local = try barnet.loadCase("YP-0001")
        let renamed = try adding(local, [
            (EventType.caseUpdated, "eve", "EVIL", ["name": "Someone Else", "home": evil.json]),
        ])
        let evilEnd = try forge(.caretakingEnd, renamed, from: evil, to: barnetYOT, name: "evil-end")
        try barnet.expectFailure(
            ["transfer", "import", evilEnd], as: "bo", status: 65, message: "for Someone Else (born 2009-03-14)")
        let sameName = try adding(local, [(EventType.caseUpdated, "eve", "EVIL", ["home": evil.json])])
        try barnet.expectFailure(
            ["transfer", "import", try forge(.caretakingEnd, sameName, from: evil, to: barnetYOT, name: "evil-2")],
            as: "bo", status: 65, message: "this YOT is not caretaking the case")
        XCTAssertEqual(try barnet.loadCase("YP-0001"), local)
    }

    func testOnlyTheHomeEndsCaretakingAndAManagerDecides() throws {
        try inCaretaking()
        let hostCopy = try notts.loadCase("YP-0001")
        // A third YOT says caretaking is over.
        let ended = try adding(hostCopy, [
            (EventType.caretakingEnded, "eve", "EVIL", ["outcome": "return-home", "transfer": "t-x"]),
        ])
        try notts.expectFailure(
            ["transfer", "import", try forge(.caretakingEnd, ended, from: evil, to: nottsYOT)], as: "bo",
            status: 65, message: "only the home YOT BARNET ends caretaking, not EVIL")
        // The variant: a countersignature credited to one of the host's own managers.
        let credited = try adding(hostCopy, [
            (EventType.stageCountersigned, "mo", "NOTTS", ["stage": .string(hostCopy.state.stages.last!.id)]),
        ])
        try notts.expectFailure(
            ["transfer", "import", try forge(.caretakingEnd, credited, from: barnetYOT, to: nottsYOT, name: "cs")],
            as: "bo", status: 65, message: "credited to this YOT (NOTTS), but this copy never held it")
        XCTAssertEqual(try notts.loadCase("YP-0001"), hostCopy)
        // The real end from home waits for a manager: business support's import changes nothing.
        let end = try packaged(barnet, ["caretake", "end", "YP-0001", "--outcome", "return-home"])
        let held = try notts.expectOK(["transfer", "import", end.json], as: "bo")
        XCTAssertTrue(held.stdout.contains("awaits a manager's 'ap transfer accept"), held.stdout)
        XCTAssertEqual(try notts.loadCase("YP-0001"), hostCopy)
        let pending = try notts.expectOK(["transfer", "list", "--incoming", "--json"]).json?.arrayValue ?? []
        XCTAssertTrue(pending.contains { $0["type"] == "caretaking-end" && $0["status"] == "pending" }, "\(pending)")
        let transfer = String(held.stdout.components(separatedBy: "'ap transfer accept ").last!.prefix { $0 != "'" })
        try notts.expectFailure(["transfer", "accept", transfer], as: "bo", status: 77, message: "manager")
        try notts.expectOK(["transfer", "accept", transfer], as: "mo")
        XCTAssertEqual(try notts.loadCase("YP-0001").state.holding(for: "NOTTS"), .released)
    }

    func testARepliesAndUpdatesComeOnlyFromTheOtherParty() throws {
        try readyToSend()
        let local = try barnet.loadCase("YP-0001")
        // A reply to a transfer Barnet never sent.
        let reply = try adding(local, [])
        try barnet.expectFailure(
            ["transfer", "import", try forge(.reply, reply, from: evil, to: barnetYOT, name: "reply")], as: "bo",
            status: 65, message: "which this YOT did not send to EVIL")
        // An update with no caretaking in place.
        try notts.caseWithStage()
        let theirs = try notts.loadCase("YP-0001")
        let sent = try adding(theirs, [
            (EventType.transferSent, "eve", "EVIL",
             ["transfer": "t-up", "kind": "update", "from": evil.json, "to": nottsYOT.json, "stage": "st-x"]),
        ])
        try notts.expectFailure(
            ["transfer", "import", try forge(.request, sent, from: evil, to: nottsYOT, transfer: "t-up", name: "up")],
            as: "bo", status: 65, message: "an update needs a case in caretaking here")
    }

    func testAMessageWithOneBadPackageWritesNone() throws {
        try readyToSend()
        try readyToSend("YP-0002")
        let good = try packaged(barnet, ["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                                         "Nottinghamshire YJS", "--kind", "complete"])
        let bad = try forge(.caretakingEnd, try barnet.loadCase("YP-0002"), from: barnetYOT, to: nottsYOT)
        let message = outbox + "/two.eml"
        var text = "From: a@barnet.invalid\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
        for path in [good.json, bad] {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            text += "--B\r\nContent-Type: application/json; name=\"\((path as NSString).lastPathComponent)\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + data.base64EncodedString(options: .lineLength76Characters)
                + "\r\n"
        }
        try Data((text + "--B--\r\n").utf8).write(to: URL(fileURLWithPath: message))
        try notts.expectFailure(["transfer", "import", message], as: "bo", status: 65, message: "p-forged")
        XCTAssertEqual(try notts.expectOK(["transfer", "list", "--json"]).json?.arrayValue?.count, 0)
        try notts.expectOK(["transfer", "import", good.json], as: "bo")
    }
}
