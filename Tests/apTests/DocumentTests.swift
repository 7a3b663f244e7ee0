import APModel
import Foundation
import XCTest

/// Documents a YOT hands to a court, a panel, Placements or an establishment (issue 28):
/// each audience gets only what it may have, with names, ages and UK dates, and the printed
/// PDF carries the marking and page numbers on every page, checked in headless Chromium.
final class DocumentTests: XCTestCase {
    static let returnNote = "RETURN-NOTE explain the lower LoR"
    static let cseText = "CSE-TEXT seen with older men at the station"

    /// YP-0001 with a countersigned PSR that was returned once, a hearing and an offence;
    /// YP-0002 with a Referral Order Report.
    func twoCases() throws -> Harness {
        let h = try Harness()
        try h.addJourneyOrganisations()
        try h.expectOK(["org", "add", "HENDON", "--name", "Hendon Youth Court", "--type", "court"], as: "alex")
        try h.caseWithStage()
        try h.expectOK(["stage", "add", "YP-0001", "core-record.offences", "date=2026-09-02", "type=Robbery",
                        "outcome=Remitted for sentence"], as: "pat")
        try h.expectOK(["stage", "set", "YP-0001", "rosh=medium", "saw=low", "lor=low", "scaled-approach=enhanced",
                        "pfs.cse=yes", "pfs.cse.explanation=\(Self.cseText)", "psr.proposal=Referral order, 9 months",
                        "psr.offence-analysis=Planned, with two others"], as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectOK(["countersign", "YP-0001", "--return", Self.returnNote], as: "mo")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectOK(["countersign", "YP-0001", "--comment", "MANAGER-COMMENT agreed"], as: "mo")
        try h.expectOK(["record", "YP-0001", "court-hearing", "--date", "2026-11-04T10:00", "--at", "HENDON",
                        "--note", "HEARING-NOTE usher says list is long"], as: "pat")
        try h.caseWithStage("YP-0002", kind: "referral-order-report")
        try h.expectOK(["stage", "set", "YP-0002", "rosh=low", "saw=low", "lor=low", "scaled-approach=standard",
                        "referral-order.contract=Reparation at the allotment"], as: "pat")
        return h
    }

    func export(_ h: Harness, _ id: String, _ audience: String, _ extra: [String] = []) throws -> String {
        try h.expectOK(["case", "export", id, "--html", "--for", audience] + extra, as: "pat").stdout
    }

    /// The words a reader sees: tags and the style taken out.
    func words(_ html: String) -> String {
        let body = html.components(separatedBy: "</style>").last ?? html
        return body.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
    }

    func testEachAudienceGetsOnlyWhatItMayHave() throws {
        let h = try twoCases()
        try h.expectOK(["config", "sharing", "placements", "rosh", "saw", "psr.proposal"], as: "alex")
        let court = try export(h, "YP-0001", "court")
        let placements = try export(h, "YP-0001", "placements", ["--stage", h.loadCase("YP-0001").state.stages[0].id])
        let inside = try export(h, "YP-0001", "internal")
        for (name, doc) in [("court", court), ("placements", placements)] {
            XCTAssertFalse(doc.contains("RETURN-NOTE"), "\(name) holds a manager's return note")
            XCTAssertFalse(doc.contains("MANAGER-COMMENT"), "\(name) holds the countersignature comment")
            XCTAssertFalse(doc.contains("HEARING-NOTE"), "\(name) holds a key event's note")
        }
        XCTAssertTrue(inside.contains("RETURN-NOTE") && inside.contains("MANAGER-COMMENT"))
        XCTAssertTrue(inside.contains("HEARING-NOTE"))
        XCTAssertFalse(placements.contains("CSE-TEXT"), "the sharing policy does not send it")
        XCTAssertFalse(placements.contains("Robbery"), "nor the core record's offences, on the front sheet either")
        XCTAssertTrue(placements.contains("not sent to this reader (sharing policy)"))
        XCTAssertFalse(placements.contains("child sexual exploitation"), "nor the flag that would reveal it")
        XCTAssertTrue(placements.contains("Referral order, 9 months"))
        XCTAssertTrue(court.contains("CSE-TEXT"), "a court report holds what a PSR holds")
        // The court reads the proposal first, then the report's headings, then the assessment.
        let proposal = try XCTUnwrap(court.range(of: "Referral order, 9 months")).lowerBound
        let analysis = try XCTUnwrap(court.range(of: "Planned, with two others")).lowerBound
        let living = try XCTUnwrap(court.range(of: "Personal, Family and Social Factors")).lowerBound
        XCTAssertTrue(proposal < analysis && analysis < living)
    }

    func testTheFrontSheetNamesPeopleAndTheCourt() throws {
        let h = try twoCases()
        let text = words(try export(h, "YP-0001", "court"))
        for expected in ["14 March 2009 (aged 17)", "Pat Jones (practitioner)", "Mo Khan (manager)",
                         "Hendon Youth Court, 4 November 2026, 10:00",
                         "2 September 2026, Robbery, Remitted for sentence",
                         "countersigned", "OFFICIAL-SENSITIVE", "Signatures"] {
            XCTAssertTrue(text.contains(expected), "lacks '\(expected)'")
        }
        XCTAssertNil(text.range(of: "\\b(pat|mo|bo|alex)\\b", options: .regularExpression), "a user id, not a name")
        XCTAssertTrue(text.contains("Court hearing, Hendon Youth Court"), "the custody journey's events")
        XCTAssertNil(text.range(of: "20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]", options: .regularExpression),
                     "every date is written the UK way")
        let html = try export(h, "YP-0001", "court")
        XCTAssertTrue(html.contains("Content-Security-Policy") && html.contains("lang=\"en-GB\""))
        XCTAssertTrue(html.contains("@page{size:A4") && html.contains("counter(pages)"))
        for banned in ["<script", "http://", "https://", "<img", "<link", "@import"] {
            XCTAssertFalse(html.contains(banned), banned)
        }
        // Readable zoomed to 200%: nothing laid out in fixed pixels; text dark enough on white.
        let style = html.components(separatedBy: "<style>").last?.components(separatedBy: "</style>").first ?? ""
        XCTAssertNil(style.range(of: "(width|height|font-size|font):[^;}]*px", options: .regularExpression))
        let colours = style.matches(of: /[{;]color:#([0-9a-f]{3,6})/).map { String($0.1) }
        XCTAssertFalse(colours.isEmpty)
        for colour in colours { XCTAssertGreaterThanOrEqual(Self.contrast(colour), 7, "#\(colour) on white") }
        let panel = words(try export(h, "YP-0002", "panel"))
        XCTAssertTrue(panel.contains("Referral Order report") && panel.contains("Reparation at the allotment"))
        XCTAssertTrue(panel.contains("draft"), "the stage is still in progress")
    }

    /// WCAG's contrast ratio of a colour (`333` or `595959`) against white.
    static func contrast(_ hex: String) -> Double {
        let full = hex.count == 3 ? hex.map { "\($0)\($0)" }.joined() : hex
        let value = Int(full, radix: 16) ?? 0
        let channels = [value >> 16, (value >> 8) & 0xFF, value & 0xFF].map { c -> Double in
            let s = Double(c) / 255
            return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        let luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
        return 1.05 / (luminance + 0.05)
    }

    func testHostileTextStaysText() throws {
        let h = try Harness()
        try h.expectOK(["case", "new", "YP-0001", "--name", "<b>Jo</b></style><script>x()</script>", "--dob",
                        "2010-01-01"], as: "bo")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "psr"], as: "pat")
        try h.expectOK(["stage", "add", "YP-0001", "core-record.offences", "date=2026-09-02",
                        "type=\"quoted\" & <i>marked</i>"], as: "pat")
        let html = try export(h, "YP-0001", "court")
        XCTAssertFalse(html.contains("<script") || html.contains("<b>Jo") || html.contains("<i>marked"))
        XCTAssertTrue(html.contains("&lt;b&gt;Jo&lt;/b&gt;&lt;/style&gt;"), html)
        XCTAssertTrue(html.contains("&quot;quoted&quot; &amp; &lt;i&gt;marked&lt;/i&gt;"), html)
    }

    func testBadExportsAreRefusedAndWriteNothing() throws {
        let h = try twoCases()
        let out = h.dir + "/doc.pdf"
        try h.expectFailure(["case", "export", "YP-0002", "--html", "--for", "court"], as: "pat", status: 1,
                            message: "no stage for a court document (kinds: psr)")
        try h.expectFailure(["case", "export", "YP-0001", "--html", "--for", "judge"], as: "pat", status: 64,
                            message: "--for takes one of: court, panel")
        try h.expectFailure(["case", "export", "YP-0001", "--pdf"], as: "pat", status: 64, message: "give -o FILE")
        try h.expectFailure(["case", "export", "YP-0001", "--pdf", "--html"], as: "pat", status: 64,
                            message: "one of --html or --pdf")
        let empty = h.dir + "/../empty-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: empty) }
        try h.expectFailure(["case", "export", "YP-0001", "--pdf", "-o", out], as: "pat", status: 66,
                            message: "headless Chromium was not found", env: ["PATH": empty, "AP_CHROMIUM": ""])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        // A `chromium` in the repository (a hostile push) is not a browser ap runs.
        let planted = h.dir + "/chromium"
        try Data("#!/bin/sh\ntouch \"$0.ran\"\n".utf8).write(to: URL(fileURLWithPath: planted))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: planted)
        try h.expectFailure(["case", "export", "YP-0001", "--pdf", "-o", out], as: "pat", status: 66,
                            message: "headless Chromium was not found", env: ["PATH": h.dir, "AP_CHROMIUM": ""])
        XCTAssertFalse(FileManager.default.fileExists(atPath: planted + ".ran"), "the planted program ran")
        try FileManager.default.removeItem(atPath: planted)
        // A browser that fails leaves nothing behind: no PDF, no page or profile in .ap/.
        try h.expectFailure(["case", "export", "YP-0001", "--pdf", "-o", out], as: "pat", status: 74,
                            message: "did not print the document", env: ["AP_CHROMIUM": "/bin/false"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        try h.expectFailure(["stage", "send", "YP-0001", "--to", "HENDON", "--out", h.dir + "/outbox"], as: "pat",
                            status: 1, message: "Hendon Youth Court is a court: it receives its report as a document")
    }

    // MARK: printed in Chromium

    func chromium() throws -> String {
        if let found = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap(Self.which).first {
            return found
        }
        let message = "headless Chromium is not installed (.ci/run installs it): the printed documents are not checked"
        if ProcessInfo.processInfo.environment["AP_REQUIRE_CHROMIUM"] == "1" { XCTFail(message) }
        throw XCTSkip(message)
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    func pdfText(_ pdf: String, page: Int? = nil) throws -> String {
        let tool = try XCTUnwrap(Self.which("pdftotext"), "pdftotext (poppler-utils) is needed beside Chromium")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = (page.map { ["-f", "\($0)", "-l", "\($0)"] } ?? []) + ["-layout", pdf, "-"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func testEveryAudiencesDocumentPrintsWithTheMarkingOnEveryPage() throws {
        let browser = try chromium()
        let h = try twoCases()
        try h.expectOK(["config", "sharing", "establishment", "rosh", "saw"], as: "alex")
        let psr = try h.loadCase("YP-0001").state.stages[0].id
        let shots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("output/documents").path
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let headings = Set(ShippedCatalogue.sections.map(\.name) + [
            "Front sheet", "Signatures", "Referrals flagged", "Proposal and the court report", "PSR (all options)",
            "Referral Order report", "Transfers and caretaking", "Court and custody",
        ])
        let documents: [(String, String, [String])] = [
            ("court", "YP-0001", []), ("panel", "YP-0002", []), ("placements", "YP-0001", ["--stage", psr]),
            ("establishment", "YP-0001", ["--stage", psr]), ("internal", "YP-0001", []),
        ]
        for (audience, id, extra) in documents {
            let pdf = h.dir + "/../\(audience)-\(UUID().uuidString).pdf"
            addTeardownBlock { try? FileManager.default.removeItem(atPath: pdf) }
            try h.expectOK(["case", "export", id, "--pdf", "--for", audience, "-o", pdf] + extra, as: "pat")
            let text = try pdfText(pdf)
            let pages = text.components(separatedBy: "\u{0C}")
                .filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            XCTAssertGreaterThanOrEqual(pages.count, 1, audience)
            for (i, page) in pages.enumerated() {
                XCTAssertTrue(page.contains("OFFICIAL-SENSITIVE"), "\(audience) page \(i + 1) lacks the marking")
                XCTAssertTrue(page.contains("Page \(i + 1) of \(pages.count)"), "\(audience) page \(i + 1) unnumbered")
                // A heading never ends a page: it keeps with what follows.
                let lines = page.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty && !$0.contains("Page \(i + 1) of") }
                if let last = lines.last {
                    XCTAssertFalse(headings.contains(last), "\(audience) page \(i + 1) ends with '\(last)'")
                }
            }
            XCTAssertNil(text.range(of: "\\b(pat|mo|bo|alex)\\b", options: .regularExpression),
                         "\(audience): a user id")
            if audience != "internal" { XCTAssertFalse(text.contains("RETURN-NOTE"), audience) }
            if audience == "establishment" { XCTAssertFalse(text.contains("CSE-TEXT"), "denied by the policy") }
            if audience == "internal" { XCTAssertTrue(text.contains("RETURN-NOTE")) }
            // One screenshot per audience for a reviewer (Tests/output, not committed).
            let html = h.dir + "/../\(audience)-\(UUID().uuidString).html"
            addTeardownBlock { try? FileManager.default.removeItem(atPath: html) }
            try h.expectOK(["case", "export", id, "--html", "--for", audience, "-o", html] + extra, as: "pat")
            try screenshot(browser, html: html, png: "\(shots)/\(audience).png")
        }
    }

    func screenshot(_ browser: String, html: String, png: String) throws {
        let profile = NSTemporaryDirectory() + "ap-shot-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: browser)
        p.arguments = (geteuid() == 0 ? ["--no-sandbox"] : []) + [
            "--headless", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=\(profile)",
            "--window-size=1000,1400",
            "--screenshot=\(png)", URL(fileURLWithPath: html).absoluteString,
        ]
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertTrue(FileManager.default.fileExists(atPath: png), "no screenshot at \(png)")
    }
}
