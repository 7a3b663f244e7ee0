import APModel
import Foundation
import XCTest

/// Every way a package arrives (issue 27): Outlook .msg, winmail.dat, mailboxes, folders, a
/// mail filter's pipe and S/MIME; each message reported, nothing written on a refusal.
final class MailArrivalTests: XCTestCase {
    var barnet: Harness!
    var notts: Harness!
    var dir: String!
    var sent: (json: String, eml: String, transfer: String)!
    static let helpers = IntegrityTests.root.appendingPathComponent("Tests/helpers").path
    static let poi = IntegrityTests.root.appendingPathComponent("Tests/fixtures/outlook/poi").path

    override func setUpWithError() throws {
        barnet = try Harness()
        notts = try Harness(yot: "NOTTS", yotName: "Nottinghamshire YJS")
        dir = barnet.dir + "/../arrive-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let d = dir!
        addTeardownBlock { try? FileManager.default.removeItem(atPath: d) }
        try barnet.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
        try barnet.expectOK(["stage", "new", "YP-0001", "--kind", "transfer-yot-to-yot"], as: "pat")
        try barnet.expectOK(
            ["stage", "set", "YP-0001"] + transferAnswers, as: "pat")
        try barnet.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        let r = try barnet.expectOK(
            ["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name", "Nottinghamshire YJS", "--kind", "caretaking",
             "--out", dir, "--json"], as: "mo")
        let id = r.json!["package"]!.stringValue!
        sent = (dir + "/ap-transfer-\(id).json", dir + "/ap-transfer-\(id).eml", r.json!["transfer"]!.stringValue!)
    }

    func makeMsg(_ name: String, _ options: [String] = [], carrying path: String? = nil) throws -> String {
        let out = dir + "/" + name
        let (status, text) = try Harness.tool(
            "python3", [MailArrivalTests.helpers + "/make_msg.py", out, path ?? sent.json] + options)
        XCTAssertEqual(status, 0, text)
        return out
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = dir + "/" + name
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    func report(_ r: Harness.Result) -> [[String: JSONValue]] {
        (r.json?.arrayValue ?? []).compactMap { if case .object(let o) = $0 { return o } else { return nil } }
    }

    /// Outlook's shapes: version 3 and 4 files, a package in a forwarded (embedded) message,
    /// 8-bit names in the message's code page, a signed mail, and a winmail.dat inside a .msg.
    func testOutlookMessagesCarryingAPackageImport() throws {
        let shapes: [(String, [String])] = [
            ("v3.msg", ["--name", "ap-transfer-package.JSON"]), ("v4.msg", ["--version", "4"]),
            ("forwarded.msg", ["--embedded", "--string8"]), ("signed.msg", ["--signed"]), ("rich.msg", ["--tnef"]),
        ]
        for (name, options) in shapes {
            let path = try makeMsg(name, options)
            let r = try notts.expectOK(["transfer", "import", "--dry-run", "--json", path], as: "bo")
            XCTAssertEqual(report(r).first?["status"]?.stringValue, "would-import", "\(name): \(r.stdout)")
        }
        XCTAssertEqual(try notts.expectOK(["transfer", "list", "--json"]).json?.arrayValue?.count, 0, "dry run")
        let first = try notts.expectOK(["transfer", "import", dir + "/v3.msg"], as: "bo")
        XCTAssertTrue(first.stdout.contains("awaits a manager's decision"), first.stdout)
        for (name, _) in shapes.dropFirst() {
            let r = try notts.expectOK(["transfer", "import", "--json", dir + "/" + name], as: "bo")
            XCTAssertEqual(report(r).first?["status"]?.stringValue, "already-imported", "\(name): \(r.stdout)")
        }
        // A .msg without a package names Outlook, not a portal.
        let none = try notts.run(["transfer", "import", MailArrivalTests.poi + "/quick.msg"], as: "bo")
        XCTAssertEqual(none.status, 65)
        XCTAssertTrue(none.stderr.contains("no transfer package attached to this Outlook message"), none.stderr)
    }

    /// Apache POI's 40 Outlook messages: every well-formed one is read, each damaged one
    /// (POI's fuzzer cases) refused with a reason; a folder of them is reported file by file.
    func testRealOutlookMessagesAreReadOrRefusedClearly() throws {
        let r = try notts.run(["transfer", "import", "--dry-run", "--json", MailArrivalTests.poi], as: "bo")
        XCTAssertEqual(r.status, 65, "damaged files are refusals")
        let rows = report(r).filter { ($0["file"]?.stringValue ?? "").hasSuffix(".msg") }
        XCTAssertEqual(rows.count, 40)
        for row in rows {
            let file = row["file"]!.stringValue!
            if file.contains("clusterfuzz") && row["status"]?.stringValue == "refused" {
                XCTAssertTrue(row["error"]!.stringValue!.contains("damaged compound file"), file)
            } else {
                XCTAssertEqual(row["status"]?.stringValue, "no-package", "\(file): \(row)")
            }
        }
        let attached = rows.first { $0["file"]!.stringValue!.hasSuffix("/attachment_test_msg.msg") }!
        let names = attached["attachments"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        XCTAssertEqual(names, ["test-unicode.doc", "pj1.txt"])
        let tnef = report(r).first { $0["file"]!.stringValue!.hasSuffix("bug52400-winmail-with-attachments.dat") }!
        XCTAssertEqual(tnef["attachments"]?.arrayValue?.count, 2, "\(tnef)")
    }

    /// extract_msg (a Python reader of .msg) agrees with ap on every attachment's name and
    /// SHA-256, over POI's files and ap's rebuilt ones.
    func testExtractMsgAgreesOnEveryAttachment() throws {
        let python = ProcessInfo.processInfo.environment["AP_TEST_PYTHON"] ?? "python3"
        guard (try? Harness.tool(python, ["-c", "import extract_msg"]))?.status == 0 else {
            throw XCTSkip("Python's extract_msg is not installed (.ci/run installs it)")
        }
        var files = try FileManager.default.contentsOfDirectory(atPath: MailArrivalTests.poi)
            .filter { $0.hasSuffix(".msg") }.map { MailArrivalTests.poi + "/" + $0 }
        files += [try makeMsg("a.msg"), try makeMsg("b.msg", ["--version", "4"]), try makeMsg("c.msg", ["--string8"]),
                  try makeMsg("d.msg", ["--signed"]), try makeMsg("e.msg", ["--embedded"])]
        let script = IntegrityTests.root.appendingPathComponent("scripts/msg_crosscheck.py").path
        let (status, out) = try Harness.tool(python, [script, Harness.binary, notts.dir] + files)
        XCTAssertEqual(status, 0, out)
        XCTAssertTrue(out.contains("45 of 45 .msg files agree with extract_msg"), out)
    }

    /// winmail.dat on its own and as an e-mail's application/ms-tnef part.
    func testWinmailDatImports() throws {
        let raw = try makeMsg("winmail.dat", ["--raw-tnef"])
        let r = try notts.expectOK(["transfer", "import", "--dry-run", "--json", raw], as: "bo")
        XCTAssertEqual(report(r).first?["status"]?.stringValue, "would-import", r.stdout)
        let b64 = Data(try bytes(raw))
            .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn])
        let mail = "From: a@b.invalid\r\nSubject: transfer\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
            + "See attached.\r\n--b\r\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + b64 + "\r\n--b--\r\n"
        let eml = try write("rich.eml", Array(mail.utf8))
        let imported = try notts.expectOK(["transfer", "import", eml], as: "bo")
        XCTAssertTrue(imported.stdout.contains("awaits a manager's decision"), imported.stdout)

        // An Outlook message forwarded as an attachment, beside a damaged winmail.dat: the
        // package comes through and the damage is named.
        let msg = Data(try bytes(try makeMsg("forward.msg")))
            .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn])
        let forwarded = "Subject: Fw: transfer\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
            + "Content-Type: application/ms-tnef; name=\"winmail.dat\"\r\nContent-Transfer-Encoding: base64\r\n"
            + "\r\neJ8+IgAAAgKQBgD///8AQUFB\r\n--b\r\n"
            + "Content-Type: application/vnd.ms-outlook; name=\"Transfer.msg\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + msg + "\r\n--b--\r\n"
        let again = try notts.expectOK(
            ["transfer", "import", "--dry-run", try write("forward.eml", Array(forwarded.utf8))], as: "bo")
        XCTAssertTrue(again.stdout.contains("already imported"), again.stdout)
        let fresh = try Harness(yot: "NOTTS", yotName: "Nottinghamshire YJS")
        let out = try fresh.expectOK(["transfer", "import", dir + "/forward.eml"], as: "bo").stdout
        XCTAssertTrue(out.contains("awaits a manager's decision"), out)
        XCTAssertTrue(out.contains("winmail.dat could not be read: winmail.dat (TNEF) is damaged"), out)
    }

    /// An mbox of mixed messages, a Maildir and a folder of odd names: every message is
    /// reported; one refusal makes the exit status 65 and writes nothing of that message.
    func testMailboxesAndFoldersReportEveryMessage() throws {
        let eml = try String(contentsOfFile: sent.eml, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
        let portal = "Subject: You have a transfer waiting\nContent-Type: text/plain\n\nFrom the portal: log in.\n"
        var altered = try TransferPackage(bytes: try bytes(sent.json))
        altered.sentBy = "mallory"  // the same package id, other content, a recomputed SHA-256
        let forged = "Subject: transfer\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
            + "Content-Type: application/json; name=\"ap-transfer-x.json\"\n\n"
            + String(decoding: altered.bytes, as: UTF8.self) + "\n--b--\n"
        let mbox = [eml, portal.replacingOccurrences(of: "From the", with: ">From the"), eml, forged]
            .map { "From cjsm@example.invalid Mon Nov 30 09:00:00 2026\n" + $0 + "\n" }.joined()
        let path = try write("cjsm.mbox", Array(mbox.utf8))
        let before = try notts.snapshot()
        let dry = try notts.run(["transfer", "import", "--dry-run", "--json", path], as: "bo")
        XCTAssertEqual(try notts.snapshot().filter { $0.key != ".ap/index" }, before.filter { $0.key != ".ap/index" },
                       "a dry run writes nothing")
        XCTAssertEqual(report(dry).map { $0["status"]?.stringValue ?? "" },
                       ["would-import", "no-package", "already-imported", "refused"], dry.stdout)
        let r = try notts.run(["transfer", "import", "--json", path], as: "bo")
        XCTAssertEqual(r.status, 65, r.stderr)
        let rows = report(r)
        XCTAssertEqual(rows.map { $0["file"]?.stringValue ?? "" }, (1...4).map { "\(path)#\($0)" })
        XCTAssertEqual(rows.map { $0["status"]?.stringValue ?? "" },
                       ["imported", "no-package", "already-imported", "refused"])
        XCTAssertTrue(rows[3]["error"]!.stringValue!.contains("arrived before with other content"), "\(rows[3])")
        XCTAssertTrue(r.stderr.contains("1 imported, 1 already-imported, 1 no-package, 1 refused"), r.stderr)
        let record = try notts.expectOK(["transfer", "list", "--json"]).json?.arrayValue
        XCTAssertEqual(record?.count, 1)

        // A Maildir: cur/ and new/ read, tmp/ (being written) left alone.
        let other = try Harness(yot: "NOTTS", yotName: "Nottinghamshire YJS")
        _ = try write("Maildir/cur/1.host:2,S", Array(portal.utf8))
        _ = try write("Maildir/new/2.host", Array(eml.utf8))
        _ = try write("Maildir/tmp/3.host", Array("half written".utf8))
        let maildir = try other.expectOK(["transfer", "import", "--json", dir + "/Maildir"], as: "bo")
        XCTAssertEqual(report(maildir).map { $0["status"]?.stringValue ?? "" }, ["no-package", "imported"])

        // A folder: upper-case and missing extensions, a sub-folder, an unrelated JSON file.
        let third = try Harness(yot: "NOTTS", yotName: "Nottinghamshire YJS")
        _ = try write("inbox/PACKAGE.JSON", try bytes(sent.json))
        _ = try write("inbox/older/message", Array(eml.utf8))
        _ = try write("inbox/calendar.json", Array("{\"events\": []}".utf8))
        let folder = try third.expectOK(["transfer", "import", "--json", dir + "/inbox"], as: "bo")
        XCTAssertEqual(report(folder).map { $0["status"]?.stringValue ?? "" },
                       ["imported", "no-package", "already-imported"], folder.stdout)
        XCTAssertTrue(report(folder)[1]["outcome"]!.stringValue!.contains("not an ap transfer package"))
    }

    /// A file in a folder that cannot be read (here a FIFO) is reported; the rest still come in.
    func testAnUnreadableFileIsReportedNotFatal() throws {
        _ = try write("drop/a.eml", try bytes(sent.eml))
        XCTAssertEqual(mkfifo(dir + "/drop/b.eml", 0o600), 0)
        let r = try notts.run(["transfer", "import", "--json", dir + "/drop"], as: "bo")
        XCTAssertEqual(r.status, 65)
        XCTAssertEqual(report(r).map { $0["status"]?.stringValue ?? "" }, ["imported", "refused"], r.stdout)
        XCTAssertTrue(r.stderr.contains("b.eml' is not a regular file"), r.stderr)
    }

    /// A mail filter pipes each message to `ap transfer import -` (procmail keeps the From_ line).
    func testStandardInputFromAMailFilter() throws {
        let eml = try String(contentsOfFile: sent.eml, encoding: .utf8)
        let r = try notts.run(["transfer", "import", "-"], as: "bo",
                              stdin: "From cjsm@example.invalid Mon Nov 30 09:00:00 2026\n" + eml)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("-: "), r.stdout)
        let portal = try notts.run(["transfer", "import", "-"], as: "bo", stdin: "Subject: hello\n\nNothing here.\n")
        XCTAssertEqual(portal.status, 65, "a piped message without a package is refused, so the filter keeps it")
    }

    /// Smaller shapes: a byte-order mark, UTF-16, an unrelated JSON attachment beside the package.
    func testOddEncodingsAndUnrelatedAttachments() throws {
        let bom = try write("bom.json", [0xEF, 0xBB, 0xBF] + (try bytes(sent.json)))
        XCTAssertEqual(report(try notts.expectOK(["transfer", "import", "--dry-run", "--json", bom], as: "bo"))
            .first?["status"]?.stringValue, "would-import")
        let utf16 = try write("utf16.json", [0xFF, 0xFE] + Array("{".utf16).flatMap { [UInt8($0), 0] })
        try notts.expectFailure(["transfer", "import", utf16], as: "bo", status: 65, message: "saved as UTF-16")
        let (status, out) = try Harness.tool("python3", ["-c", """
            import sys
            from email.message import EmailMessage
            m = EmailMessage(); m['Subject'] = 'transfer'; m.set_content('two attachments')
            m.add_attachment(b'{"meeting": "Tuesday"}', maintype='application', subtype='json', filename='diary.json')
            m.add_attachment(open(sys.argv[1], 'rb').read(), maintype='application', subtype='octet-stream',
                             filename='AP-TRANSFER.JSON')
            open(sys.argv[2], 'wb').write(bytes(m))
            """, sent.json, dir + "/two.eml"])
        XCTAssertEqual(status, 0, out)
        let r = try notts.expectOK(["transfer", "import", dir + "/two.eml"], as: "bo")
        XCTAssertTrue(r.stdout.contains("JSON attachment not a package: diary.json"), r.stdout)
    }

    /// S/MIME made by OpenSSL: an opaque-signed message yields its package (said unchecked);
    /// an encrypted one is refused with what to do, and writes nothing.
    func testSMIMEFromOpenSSL() throws {
        guard (try? Harness.tool("openssl", ["version"]))?.status == 0 else { throw XCTSkip("openssl not installed") }
        let key = dir + "/key.pem", cert = dir + "/cert.pem"
        let (made, text) = try Harness.tool("openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
            "-subj", "/CN=Barnet YJS"])
        XCTAssertEqual(made, 0, text)
        let signed = dir + "/signed.eml", encrypted = dir + "/encrypted.eml"
        let (s, st) = try Harness.tool("openssl", [
            "smime", "-sign", "-nodetach", "-outform", "SMIME", "-in", sent.eml, "-out", signed, "-signer", cert,
            "-inkey", key])
        XCTAssertEqual(s, 0, st)
        let (e, et) = try Harness.tool("openssl", [
            "smime", "-encrypt", "-aes256", "-in", sent.eml, "-out", encrypted, cert])
        XCTAssertEqual(e, 0, et)
        let before = try notts.snapshot()
        try notts.expectFailure(["transfer", "import", encrypted], as: "bo", status: 65, message: "save the decrypted")
        XCTAssertEqual(try notts.snapshot().filter { $0.key != ".ap/index" }, before.filter { $0.key != ".ap/index" })
        let r = try notts.expectOK(["transfer", "import", signed], as: "bo")
        XCTAssertTrue(r.stdout.contains("awaits a manager's decision"), r.stdout)
        XCTAssertTrue(r.stdout.contains("the signature was not checked by ap"), r.stdout)
    }
}
