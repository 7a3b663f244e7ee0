import APModel

/// `ap case export --html`: a self-contained, printable document of a case or one stage,
/// for a court, a panel or a meeting. No scripts, no network: one file with its style.
/// Every value is escaped.
enum CaseExport {
    static let command = Command(
        path: ["case", "export"], summary: "a printable HTML document of a case or one stage",
        usage: "CASE [--stage ID] --html [-o FILE]",
        details: """
            The young person, the YOT and who holds the case, the case manager, the stages
            (or the one --stage names) with their sections, labels, answers and ratings, their
            countersignature, and the transfers and caretaking between YOTs. Written to FILE
            (created 0640) or standard output. The page holds no script and loads nothing.
            """,
        options: [
            Opt(long: "stage", value: "ID", help: "only this stage"),
            Opt(long: "html", help: "HTML (the only format)"),
            Opt(long: "o", value: "FILE", help: "write to FILE instead of standard output"),
        ],
        arguments: 1...1,
        examples: ["ap case export YP-0042 --html -o YP-0042.html", "ap case export YP-0042 --stage st-1a2b --html"],
        run: { inv in
            guard inv.flag("html") else { throw APError.usage("'ap case export' needs --html (the only format)") }
            let repo = try inv.context.repository()
            let config = try repo.loadConfig()
            let file = try repo.loadCase(try inv.caseID())
            var stages = file.state.stages
            if let id = inv.value("stage") {
                stages = [try file.state.stage(named: id)]
            }
            let html = render(file, stages: stages, config: config, generated: try inv.context.clock().now())
            guard let path = inv.value("o") else { return Output(text: html, json: ["html": .string(html)]) }
            try FileSystem.writeAtomically(path, Array(html.utf8))
            return .done(
                "Wrote \(path) (\(html.utf8.count) bytes)", ["file": .string(path), "bytes": .int(html.utf8.count)])
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

    static let style = """
        body{font-family:Georgia,serif;max-width:48em;margin:2em auto;line-height:1.4;color:#000}
        h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #444;margin-top:1.6em}
        h3{margin-bottom:.3em}table{border-collapse:collapse;width:100%}
        th,td{border:1px solid #888;padding:.25em .5em;text-align:left;vertical-align:top}
        th{width:38%;font-weight:normal;background:#f2f2f2}td{white-space:pre-wrap}
        dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}dd{margin:0}
        .note{color:#444;font-size:.9em}
        @media print{body{margin:0;max-width:none}h2{break-after:avoid}table,tr{break-inside:avoid}}
        """

    static func render(_ file: CaseFile, stages: [Stage], config: Config, generated: Timestamp) -> String {
        let s = file.state
        let ids = Identities(events: file.events, here: config.yotCode)
        let catalogue = config.catalogue
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<title>AssetPlus: \(escape(s.name)) (\(escape(s.id)))</title>\n"
        out += "<style>\n\(style)\n</style>\n</head>\n<body>\n"
        out += "<h1>\(escape(s.name))</h1>\n<p class=\"note\">AssetPlus case \(escape(s.id)); OFFICIAL-SENSITIVE</p>\n"
        var facts: [(String, String)] = [
            ("Date of birth", s.dob), ("Looked after", CaseDetail.lookedAfter(s)),
            ("YOT", "\(config.yotName) (\(config.yotCode)): " + CaseView.holdingText(s, config)),
        ]
        facts += CaseDetail.allocation(s, ids, now: generated) + CaseDetail.socialCare(s)
        out += "<dl>\n" + facts.map { "<dt>\(escape($0.0))</dt><dd>\(escape($0.1))</dd>\n" }.joined() + "</dl>\n"
        for st in stages { out += stage(st, s, config, catalogue, ids) }
        if stages.isEmpty { out += "<p>No stages yet.</p>\n" }
        let history = CaseDetail.history(file, config, ids)
        if !history.isEmpty {
            let lines = history.split(separator: "\n").dropFirst().map { $0.trimmingPrefix("  ") }
            out +=
                "<h2>Transfers and caretaking</h2>\n<ul>\n"
                + lines.map { "<li>\(escape(String($0)))</li>\n" }.joined() + "</ul>\n"
        }
        out +=
            "<p class=\"note\">Printed from ap on \(escape(UKClock.label(generated))).</p>\n</body>\n</html>\n"
        return out
    }

    static func stage(
        _ st: Stage, _ s: CaseState, _ config: Config, _ catalogue: Catalogue, _ ids: Identities
    ) -> String {
        var out =
            "<h2>\(escape(config.kindName(st.kind))) <span class=\"note\">(\(escape(st.id)), "
            + "\(escape(st.status.rawValue)))</span></h2>\n"
        var facts: [(String, String)] = [
            ("Owner", ids.show(st.owner, at: st.startedAt)), ("Started", UKClock.label(st.startedAt)),
        ]
        if let t = st.submittedAt {
            facts.append(("Submitted", ids.when(st.submittedBy, at: t)))
        }
        // Each labelled by what it was (one word for one thing: never "sign-off").
        for line in CaseDetail.signOff(st, ids) where !line.hasPrefix("submitted") {
            let word = line.prefix { $0 != " " }
            facts.append((word.prefix(1).uppercased() + word.dropFirst(), String(line.dropFirst(word.count + 1))))
        }
        if let t = st.completedAt { facts.append(("Completed", UKClock.label(t))) }
        out += "<dl>\n" + facts.map { "<dt>\(escape($0.0))</dt><dd>\(escape($0.1))</dd>\n" }.joined() + "</dl>\n"
        for section in catalogue.sections {
            let answered = catalogue.questions.filter {
                $0.section == section.slug && (st.answers[$0.key] != nil || st.entries[$0.key] != nil)
            }
            guard !answered.isEmpty else { continue }
            out += "<h3>\(escape(section.name))</h3>\n<table>\n"
            for q in answered {
                if let a = st.answers[q.key] {
                    out += "<tr><th>\(escape(q.label))</th><td>\(escape(a.value))</td></tr>\n"
                }
                if q.type == .list { out += entries(q, st.entries(q.key)) }
            }
            out += "</table>\n"
        }
        let others = catalogue.unknownKeys(st)
        if !others.isEmpty {
            out += "<h3>Other answers</h3>\n<table>\n"
            for key in others { out += "<tr><th>\(escape(key))</th><td>\(escape(st.answers[key]!.value))</td></tr>\n" }
            out += "</table>\n"
        }
        return out
    }

    /// A list part's entries as rows of its table: the part's label, then each entry's fields.
    static func entries(_ part: Question, _ list: [Entry]) -> String {
        list.enumerated().map { i, e in
            let fields = part.fields.compactMap { f in
                e.fields[f.name].map { "<b>\(escape(f.name))</b>: \(escape($0))" }
            }
            return "<tr><th>\(escape(part.label)) \(i + 1)</th><td>\(fields.joined(separator: "<br>"))</td></tr>\n"
        }.joined()
    }
}
