import APModel
import Foundation
import XCTest

/// `ap case export --html` (issue 17): printable, self-contained, every value escaped.
final class CaseExportTests: XCTestCase {
    func testTheExportIsWellFormedEscapedAndPrivate() throws {
        let h = try Harness()
        try h.caseWithStage("YP-0001", kind: "review")
        let hostile = "<script>alert('x')</script> & \"quoted\""
        try h.expectOK(["stage", "set", "YP-0001", "pfs.living-arrangements=\(hostile)", "rosh=medium"], as: "pat")
        try h.expectOK(["stage", "add", "YP-0001", "adverse-outcomes", "outcome=<i>Exploited</i>", "likelihood=high",
                        "impact=high"], as: "pat")
        let r = try h.expectOK(["case", "export", "YP-0001", "--html", "-o", "yp.html"])
        XCTAssertTrue(r.stdout.hasPrefix("Wrote yp.html"), r.stdout)
        let path = h.dir + "/yp.html"
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o640)
        XCTAssertFalse(html.lowercased().contains("<script"), "no script, and the answer's is escaped")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"), html)
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "nothing loaded from the network")
        XCTAssertTrue(html.contains("<th scope=\"row\">Living arrangements and environmental factors</th>"), html)
        XCTAssertTrue(html.contains("<b>outcome</b>: &lt;i&gt;Exploited&lt;/i&gt;<br><b>likelihood</b>: high"), html)
        XCTAssertTrue(html.contains("@media print"))
        // Parsed as a browser would: every element closed in order.
        let checker = """
            import sys
            from html.parser import HTMLParser
            class P(HTMLParser):
                def __init__(s): super().__init__(); s.stack = []; s.bad = []
                def handle_starttag(s, t, a):
                    if t not in ('meta', 'br'): s.stack.append(t)
                def handle_endtag(s, t):
                    if s.stack and s.stack[-1] == t: s.stack.pop()
                    else: s.bad.append(t)
            p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read())
            print('ok' if not p.bad and not p.stack else 'bad %s %s' % (p.bad, p.stack))
            """
        let result = try Harness.tool("python3", ["-c", checker, path])
        XCTAssertEqual(result.output.trimmingCharacters(in: .whitespacesAndNewlines), "ok")
        // Rendered by headless Chromium where it is installed.
        for browser in ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        where FileManager.default.fileExists(atPath: browser) {
            let pdf = h.dir + "/yp.pdf"
            _ = try Harness.tool(
                browser, ["--headless", "--no-sandbox", "--disable-gpu", "--print-to-pdf=\(pdf)", path])
            XCTAssertTrue(FileManager.default.fileExists(atPath: pdf), "Chromium printed it")
        }
    }

    func testOneStageOrStandardOutputAndRefusals() throws {
        let h = try Harness()
        try h.caseWithStage("YP-0001", kind: "review")
        let stage = try h.loadCase("YP-0001").state.stages[0].id
        let html = try h.expectOK(["case", "export", "YP-0001", "--stage", stage, "--html"]).stdout
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>") && html.contains(stage), html)
        try h.expectFailure(["case", "export", "YP-0001"], status: 64, message: "--html")
        try h.expectFailure(
            ["case", "export", "YP-0001", "--stage", "st-nope", "--html"], status: 66, message: "st-nope")
        try h.expectFailure(["case", "export", "YP-0404", "--html"], status: 66, message: "YP-0404")
    }
}
