import APModel
import Foundation
import XCTest

/// Two YOTs, each with its own repository, exchanging only files (issue 5).
class TwoYOTs: XCTestCase {
    var barnet: Harness!
    var notts: Harness!
    var outbox: String!

    override func setUpWithError() throws {
        barnet = try Harness()
        notts = try Harness(yot: "NOTTS", yotName: "Nottinghamshire YJS")
        outbox = barnet.dir + "/../outbox-" + UUID().uuidString
        let box = outbox!
        addTeardownBlock { try? FileManager.default.removeItem(atPath: box) }
    }

    /// A case at Barnet with a Review and a Transfer YOT to YOT stage completed.
    func readyToSend(_ id: String = "YP-0001", lookedAfter: Bool = false) throws {
        try barnet.expectOK(
            ["case", "new", id, "--name", "Jordan Smith", "--dob", "2009-03-14"]
                + (lookedAfter ? ["--looked-after"] : []), as: "bo")
        try barnet.completedReview(id)
        try barnet.expectOK(["stage", "new", id, "--kind", "transfer-yot-to-yot"], as: "pat")
        try barnet.expectOK(["stage", "set", id] + transferAnswers, as: "pat")
        try barnet.expectOK(["stage", "submit", id], as: "pat")
    }

    /// YP-0001 in caretaking: Barnet home, Nottinghamshire host, both copies told.
    func inCaretaking() throws {
        try readyToSend()
        let sent = try packaged(barnet, ["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                                         "Nottinghamshire YJS", "--kind", "caretaking"])
        try notts.takeIn(sent.json)
        let reply = try packaged(notts, ["transfer", "accept", sent.transfer!])
        try barnet.takeIn(reply.json)
    }

    /// Runs a command that writes a package and returns its .json and .eml paths.
    @discardableResult
    func packaged(
        _ h: Harness, _ args: [String], as user: String = "mo"
    ) throws -> (json: String, eml: String, transfer: String?) {
        let r = try h.expectOK(args + ["--out", outbox, "--json"], as: user)
        let id = r.json?["package"]?.stringValue ?? ""
        return (outbox + "/ap-transfer-\(id).json", outbox + "/ap-transfer-\(id).eml", r.json?["transfer"]?.stringValue)
    }
}

extension Harness {
    /// Imports a package as business support; one that changes who holds the case waits for
    /// a manager, who accepts it here. Returns what the last command printed.
    @discardableResult
    func takeIn(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let imported = try expectOK(["transfer", "import", path], as: "bo", file: file, line: line)
        guard imported.stdout.contains("awaits a manager's 'ap transfer accept"),
            let range = imported.stdout.range(of: "'ap transfer accept ")
        else { return imported }
        let id = imported.stdout[range.upperBound...].prefix { $0 != "'" }
        return try expectOK(["transfer", "accept", String(id)], as: "mo", file: file, line: line)
    }
}
