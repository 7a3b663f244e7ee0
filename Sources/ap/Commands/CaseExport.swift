import APModel

/// `ap case export --html`: a self-contained, printable document of a case or one stage,
/// for a court, a panel or a meeting. No scripts, no network: one file with its style.
/// Every value is escaped.
enum CaseExport {
    static let command = Command(
        path: ["case", "export"], summary: "a document of a case or one stage for a court, panel or partner",
        usage: "CASE [--stage ID] --html|--pdf [--for AUDIENCE] [-o FILE]",
        details: """
            AUDIENCE is court (the PSR, proposal first), panel (the Referral Order Report),
            placements or establishment (what the sharing policy sends them), or internal (the
            default: every stage, with returns and their reasons, which no other audience gets).
            A front sheet names the young person and their age, the case manager and the
            countersigning manager, the court and hearing, offences and order, the status and
            sources. A4, UK dates, OFFICIAL-SENSITIVE and page numbers on every printed page.
            --pdf prints it through headless Chromium (AP_CHROMIUM, else chromium on PATH) and
            needs -o. Written to FILE (created 0640) or standard output; no script, nothing loaded.
            """,
        options: [
            Opt(long: "stage", value: "ID", help: "only this stage"),
            Opt(long: "for", value: "AUDIENCE", help: "court, panel, placements, establishment or internal"),
            Opt(long: "html", help: "an HTML document"),
            Opt(long: "pdf", help: "a PDF, printed by headless Chromium (needs -o)"),
            Opt(long: "o", value: "FILE", help: "write to FILE instead of standard output"),
        ],
        arguments: 1...1,
        examples: [
            "ap case export YP-0042 --html --for court -o YP-0042-psr.html",
            "ap case export YP-0042 --pdf --for placements -o YP-0042-pcr.pdf",
        ],
        run: { inv in
            let pdf = inv.flag("pdf")
            guard inv.flag("html") != pdf else {
                throw APError.usage("'ap case export' needs one of --html or --pdf")
            }
            let name = inv.value("for") ?? Audience.internal.rawValue
            guard let audience = Audience(rawValue: name) else {
                throw APError.usage("--for takes one of: \(Audience.names)")
            }
            let path = inv.value("o")
            if pdf, path == nil { throw APError.usage("--pdf writes a file: give -o FILE") }
            let repo = try inv.context.repository()
            let config = try repo.loadConfig()
            let file = try repo.loadCase(try inv.caseID())
            // A document a court reads says "countersigned by": never on an event that does not verify.
            let unverified = try Verification.problems(in: file, repo: repo)
            guard unverified.isEmpty else {
                let events = unverified.map(\.event).joined(separator: ", ")
                throw APError.data(
                    "case '\(file.id)' holds events that do not verify (\(events)): no document is made from it; "
                        + "see 'ap verify \(file.id)'")
            }
            let stages = try audience.stages(of: file.state, named: inv.value("stage"))
            let html = CaseDocument(
                file, stages: stages, audience: audience, config: config, generated: try inv.context.clock().now()
            ).render()
            guard let path else { return Output(text: html, json: ["html": .string(html)]) }
            let bytes = pdf ? try Chromium.print(html, in: repo) : Array(html.utf8)
            try FileSystem.writeAtomically(path, bytes)
            return .done(
                "Wrote \(path) (\(bytes.count) bytes, for \(audience.rawValue))",
                ["file": .string(path), "bytes": .int(bytes.count), "for": .string(audience.rawValue)])
        })

    /// HTML text with `&`, `<`, `>`, `"` and `'` escaped.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A list part's entries as rows of its table: the part's label, then each entry's fields.
    static func entries(_ part: Question, _ list: [Entry]) -> String {
        list.enumerated().map { i, e in
            let fields = part.fields.compactMap { f in
                e.fields[f.name].map { "<b>\(escape(f.name))</b>: \(escape(f.isDate ? UKDate.long($0) : $0))" }
            }
            return "<tr><th scope=\"row\">\(escape(part.label)) \(i + 1)</th>"
                + "<td>\(fields.joined(separator: "<br>"))</td></tr>\n"
        }.joined()
    }
}
