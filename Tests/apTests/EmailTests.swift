import APModel
import Foundation
import XCTest

/// Interoperability with Python's `email` package, the reference mail client, and hostile input.
final class EmailTests: XCTestCase {
    var barnet: Harness!
    var notts: Harness!
    var dir: String!
    var sent: (json: String, eml: String, transfer: String)!

    override func setUpWithError() throws {
        barnet = try Harness()
        notts = try Harness(yot: "NOTTS", yotName: "Nottinghamshire YJS")
        dir = barnet.dir + "/../mail-" + UUID().uuidString
        let d = dir!
        addTeardownBlock { try? FileManager.default.removeItem(atPath: d) }
        try barnet.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
        try barnet.expectOK(["stage", "new", "YP-0001", "--kind", "transfer-yot-to-yot"], as: "pat")
        try barnet.expectOK(["stage", "set", "YP-0001"] + transferAnswers, as: "pat")
        try barnet.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        let r = try barnet.expectOK(["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name", "Nottinghamshire YJS", "--kind", "caretaking",
                                     "--out", dir, "--json"], as: "mo")
        let id = r.json!["package"]!.stringValue!
        sent = (dir + "/ap-transfer-\(id).json", dir + "/ap-transfer-\(id).eml", r.json!["transfer"]!.stringValue!)
    }

    func python(_ script: String, _ args: [String]) throws -> (Int32, String) {
        try Harness.tool("python3", ["-c", script] + args)
    }

    func testPythonReadsTheEmailApWrites() throws {
        let (status, out) = try python("""
            import sys, email
            from email import policy
            msg = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)
            assert msg.get_content_type() == 'multipart/mixed', msg.get_content_type()
            assert 'YP-0001' in msg['Subject'] and msg['Date'].datetime is not None and '@' in msg['From'].addresses[0].addr_spec
            body = msg.get_body(preferencelist=('plain',)).get_content()
            assert 'Import the attached package' in body
            atts = list(msg.iter_attachments())
            assert len(atts) == 1
            assert atts[0].get_filename() == sys.argv[2].split('/')[-1], atts[0].get_filename()
            assert atts[0].get_content() == open(sys.argv[2], 'rb').read()
            print('ok')
            """, [sent.eml, sent.json])
        XCTAssertEqual(status, 0, out)
        XCTAssertEqual(out, "ok\n")
    }

    /// Messages built by Python's email package, in the shapes mail clients send.
    func testMessagesBuiltByPythonImport() throws {
        let (status, out) = try python("""
            import sys, email
            from email import policy
            from email.message import EmailMessage
            data, out = open(sys.argv[1], 'rb').read(), sys.argv[2]
            def base(): 
                m = EmailMessage(); m['From'] = 'a@b.invalid'; m['To'] = 'c@d.invalid'; m['Subject'] = 'transfer'; return m
            # base64, CRLF line ends
            m = base(); m.set_content('see attached'); m.add_attachment(data, maintype='application', subtype='json', filename='ap-transfer.json')
            open(out + '/b64-crlf.eml', 'wb').write(m.as_bytes(policy=policy.SMTP))
            # quoted-printable, LF line ends
            m = base(); m.set_content('see attached')
            m.add_attachment(data, maintype='application', subtype='json', filename='ap-transfer.json', cte='quoted-printable')
            open(out + '/qp-lf.eml', 'wb').write(m.as_bytes(policy=policy.default))
            # the package nested inside multipart/alternative
            m = base(); m.set_content('plain'); m.add_alternative('<p>html</p>', subtype='html')
            m.get_payload()[1].add_related(data, maintype='application', subtype='json', filename='ap-transfer.json')
            open(out + '/alternative.eml', 'wb').write(bytes(m))
            # an RFC 2231 file name long and non-ASCII enough to be split in sections
            m = base(); m.set_content('x')
            m.add_attachment(data, maintype='application', subtype='json', filename=('utf-8', '', 'ap-transfer-' + 'é' * 60 + '.json'))
            raw = bytes(m)
            assert b"filename*0*=" in raw or b"filename*=" in raw, raw[:2000]
            open(out + '/rfc2231.eml', 'wb').write(raw)
            # forwarded as message/rfc822
            fwd = base(); fwd.set_content('forwarding'); fwd.add_attachment(m)
            open(out + '/forwarded.eml', 'wb').write(bytes(fwd))
            print('built')
            """, [sent.json, dir])
        XCTAssertEqual(status, 0, out)
        for name in ["b64-crlf", "qp-lf", "alternative", "rfc2231", "forwarded"] {
            let r = try notts.run(["transfer", "import", "\(dir!)/\(name).eml"], as: "bo")
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains(sent.transfer), "\(name): \(r.stdout)")
        }
        XCTAssertEqual(try notts.expectOK(["transfer", "list", "--json"]).json?.arrayValue?.count, 1, "one package, however often it arrives")
    }

    /// Each damaged or hostile input: a specific error per file, and nothing written.
    func testHostileInputIsRefusedAndWritesNothing() throws {
        let original = try String(contentsOfFile: sent.json, encoding: .utf8)
        let email = try String(contentsOfFile: sent.eml, encoding: .utf8)
        func file(_ name: String, _ text: String) throws -> String {
            let path = "\(dir!)/\(name)"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let (status, out) = try python("""
            import sys
            from email.message import EmailMessage
            data, out = open(sys.argv[1], 'rb').read(), sys.argv[2]
            m = EmailMessage(); m['Subject'] = 'x'; m.set_content('x')
            m.add_attachment(data, maintype='application', subtype='json', filename='../../etc/ap-transfer.json')
            open(out + '/path.eml', 'wb').write(bytes(m))
            """, [sent.json, dir])
        XCTAssertEqual(status, 0, out)
        let base64Start = email.range(of: "base64\r\n\r\n")!.upperBound
        let cases: [(String, String)] = [
            (try file("altered.json", original.replacingOccurrences(of: "Jordan Smith", with: "Jordan Smyth")), "checksum does not match"),
            (try file("truncated.eml", String(email.prefix(email.count / 2))), "truncated"),
            (try file("bad64.eml", email.replacingCharacters(in: base64Start..<email.index(base64Start, offsetBy: 8), with: "*!*!*!*!")), "not valid base64"),
            (dir + "/path.eml", "holds a path"),
            (try file("smime.eml", "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n\r\nMIIB\r\n"), "S/MIME"),
            (try file("portal.eml", "Subject: You have a transfer waiting\r\nContent-Type: text/plain\r\n\r\nLog in to the portal.\r\n"), "no transfer package attached"),
            (try file("notjson.json", "{\"format\": \"ap-transfer\", \"version\": 1"), "malformed JSON"),
        ]
        let before = try notts.snapshot()
        for (path, message) in cases {
            let r = try notts.run(["transfer", "import", path], as: "bo")
            XCTAssertEqual(r.status, 65, "\(path): \(r.stdout) \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(path): \(r.stderr)")
        }
        // Oversized: refused before parsing.
        let big = "\(dir!)/big.eml"
        XCTAssertTrue(FileManager.default.createFile(atPath: big, contents: Data(count: EmailReader.maxBytes + 1)))
        let r = try notts.run(["transfer", "import", big], as: "bo")
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("larger than"), r.stderr)
        // Not addressed here: Barnet imports its own package.
        let mine = try barnet.run(["transfer", "import", sent.json], as: "bo")
        XCTAssertEqual(mine.status, 65)
        XCTAssertTrue(mine.stderr.contains("addressed to Nottinghamshire YJS (NOTTS), not this YOT (BARNET)"), mine.stderr)
        XCTAssertEqual(try notts.snapshot().filter { $0.key != ".ap/index" }, before.filter { $0.key != ".ap/index" })
        // A folder mixes good and bad: the good one is imported, each bad one named.
        let mixed = try notts.run(["transfer", "import", dir], as: "bo")
        XCTAssertEqual(mixed.status, 65)
        XCTAssertTrue(mixed.stdout.contains("awaits a manager's decision"), mixed.stdout)
        XCTAssertTrue(mixed.stderr.contains("altered.json: transfer package checksum does not match"), mixed.stderr)
    }
}

/// Outgoing messages keep within RFC 5322's limits and keep every letter of a name (issue 15).
final class OutgoingMailTests: XCTestCase {
    func testNonASCIINamesAreEncodedAndLinesStayShort() throws {
        let name =
            "Gwasanaeth Cyfiawnder Ieuenctid Ynys Môn a Gwynedd — Youth Justice Service for Anglesey and Gwynedd"
        let h = try Harness(yot: "YNYS-MON", yotName: name)
        try h.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "transfer-yot-to-yot"], as: "pat")
        try h.expectOK(["stage", "set", "YP-0001"] + transferAnswers, as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        let sent = try h.expectOK(
            ["transfer", "send", "YP-0001", "--to", "BARNET", "--to-name", "Barnet Youth Justice Service — Ffôn",
             "--kind", "caretaking", "--out", h.dir + "/out", "--json"], as: "mo").json
        let eml = h.dir + "/out/ap-transfer-\(sent?["package"]?.stringValue ?? "").eml"
        let data = try Data(contentsOf: URL(fileURLWithPath: eml))
        for line in data.split(separator: 0x0A) {
            XCTAssertLessThanOrEqual(line.count, 999, "a line within 998 octets, with its CR")
        }
        let check = """
            import email, email.policy, sys
            m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.strict)
            print(m['From'].addresses[0].display_name)
            print(m['To'].addresses[0].display_name)
            print([p.get_filename() for p in m.iter_attachments()])
            """
        let r = try Harness.tool("python3", ["-c", check, eml])
        XCTAssertEqual(r.status, 0, r.output)
        let lines = r.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, name, "every letter kept")
        XCTAssertEqual(lines.dropFirst().first, "Barnet Youth Justice Service — Ffôn")
        XCTAssertTrue(lines.last?.contains("ap-transfer-") == true, r.output)
        // The receiver imports it as any other.
        let barnet = try Harness()
        try barnet.takeIn(eml)
    }
}

/// Incoming messages read as forgivingly as a mail client would (issue 15): only the parts
/// that can hold a package are decoded; the package's SHA-256 is the check.
final class ForgivingMailTests: TwoYOTs {
    func testOddPartsElsewhereDoNotSinkTheImport() throws {
        try readyToSend()
        let sent = try packaged(barnet, ["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                                         "Nottinghamshire YJS", "--kind", "caretaking"])
        let dir = outbox + "/shapes"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let build = """
            import base64, sys
            from email.message import EmailMessage
            from email.mime.multipart import MIMEMultipart
            from email.mime.base import MIMEBase
            from email.mime.message import MIMEMessage
            package = open(sys.argv[1], 'rb').read()
            out = sys.argv[2]
            # A package beside an attachment with a path-like name and damaged base64.
            m = EmailMessage()
            m['From'] = 'a@b.invalid'; m['To'] = 'c@d.invalid'; m['Subject'] = 'transfer'
            m.set_content('see attached')
            m.add_attachment(package, maintype='application', subtype='json', filename='ap-transfer-x.json')
            m.add_attachment(b'%PDF', maintype='application', subtype='pdf', filename='minutes 10/11/2026.pdf')
            raw = m.as_bytes().replace(base64.b64encode(b'%PDF'), b'!!not base64!!')
            open(out + '/mixed.eml', 'wb').write(raw)
            # A digest whose message part has no Content-Type (RFC 2046: message/rfc822).
            inner = EmailMessage()
            inner['Subject'] = 'inner'
            inner.set_content('inner')
            inner.add_attachment(package, maintype='application', subtype='json', filename='ap-transfer-x.json')
            body = inner.as_bytes()
            digest = (b'From: a@b.invalid\\r\\nMIME-Version: 1.0\\r\\n'
                      b'Content-Type: multipart/digest; boundary="DG"\\r\\n\\r\\n'
                      b'--DG\\r\\n\\r\\n' + body + b'\\r\\n--DG--\\r\\n')
            open(out + '/digest.eml', 'wb').write(digest)
            # Base64 without padding and with a gateway's footer after it.
            data = base64.b64encode(package).rstrip(b'=')
            lines = b'\\r\\n'.join(data[i:i + 76] for i in range(0, len(data), 76))
            loose = (b'From: a@b.invalid\\r\\nMIME-Version: 1.0\\r\\n'
                     b'Content-Type: multipart/mixed; boundary="B"\\r\\n\\r\\n'
                     b'--B\\r\\nContent-Type: application/json; name="ap-transfer-x.json"\\r\\n'
                     b'Content-Transfer-Encoding: base64\\r\\n\\r\\n' + lines +
                     b'\\r\\n\\r\\n-- \\r\\nScanned by the county gateway\\r\\n--B--\\r\\n')
            open(out + '/loose.eml', 'wb').write(loose)
            # A damaged multipart inside the message (no boundary), beside the package.
            nested = (b'From: a@b.invalid\\r\\nMIME-Version: 1.0\\r\\n'
                      b'Content-Type: multipart/mixed; boundary="N"\\r\\n\\r\\n'
                      b'--N\\r\\nContent-Type: multipart/alternative\\r\\n\\r\\nbroken\\r\\n'
                      b'--N\\r\\nContent-Type: application/json; name="ap-transfer-x.json"\\r\\n'
                      b'Content-Transfer-Encoding: base64\\r\\n\\r\\n' + lines + b'\\r\\n--N--\\r\\n')
            open(out + '/nested.eml', 'wb').write(nested)
            # A line that is not a header, with no blank line before it: the body starts there.
            noblank = (b'From: a@b.invalid\\r\\nContent-Type: multipart/mixed; boundary="H"\\r\\n'
                       b'this line is not a header\\r\\n'
                       b'--H\\r\\nContent-Type: application/json; name="ap-transfer-x.json"\\r\\n'
                       b'Content-Transfer-Encoding: base64\\r\\n\\r\\n' + lines + b'\\r\\n--H--\\r\\n')
            open(out + '/noblank.eml', 'wb').write(noblank)
            # Nothing but boundary lines.
            flood = b'Content-Type: multipart/mixed; boundary="F"\\r\\n\\r\\n' + b'--F\\r\\n' * 200000 + b'--F--\\r\\n'
            open(out + '/flood.eml', 'wb').write(flood)
            """
        let r = try Harness.tool("python3", ["-c", build, sent.json, dir])
        XCTAssertEqual(r.status, 0, r.output)
        let mixed = try notts.takeIn(dir + "/mixed.eml").stdout
        XCTAssertTrue(mixed.contains("1 other attachment not read"), mixed)
        for shape in ["digest", "loose", "nested", "noblank"] {
            // The same package again: already imported, and read without error.
            let again = try notts.run(["transfer", "import", dir + "/\(shape).eml"], as: "bo")
            XCTAssertEqual(again.status, 0, "\(shape): \(again.stderr)")
        }
        let start = Date()
        try notts.expectFailure(
            ["transfer", "import", dir + "/flood.eml"], as: "bo", status: 65, message: "more than 200 parts")
        XCTAssertLessThan(Date().timeIntervalSince(start), 10, "refused while scanning, not after")
    }
}
