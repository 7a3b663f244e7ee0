import APModel

/// The document `ap case export --html` writes (issue 28): a front sheet, then each stage in
/// the order its reader reads it, holding only what its audience may have, with people's
/// names and roles, UK dates, and the OFFICIAL-SENSITIVE marking on every printed page.
/// No script and nothing loaded: one file with its style; every value escaped.
struct CaseDocument {
    let file: CaseFile
    let stages: [Stage]
    let audience: Audience
    let config: Config
    let today: Day
    let generated: Timestamp
    let catalogue: Catalogue
    let ids: Identities
    /// Whether an answer or part goes in this audience's document.
    let allows: (String) -> Bool

    init(_ file: CaseFile, stages: [Stage], audience: Audience, config: Config, generated: Timestamp) {
        self.file = file
        self.stages = stages
        self.audience = audience
        self.config = config
        self.today = UKClock.day(of: generated)
        self.generated = generated
        self.catalogue = config.catalogue
        self.ids = Identities(events: file.events, here: config.yotCode)
        self.allows = audience.allows(config: config, catalogue: catalogue)
    }

    static let marking = "OFFICIAL-SENSITIVE"

    func escape(_ s: String) -> String { CaseExport.escape(s) }

    /// A person as a reader knows them: `Pat Jones (practitioner)`; another YOT's user by the
    /// name its events carry, `Pat Jones (NOTTS)`; an id only when no name is known.
    func person(_ id: String?, at: Timestamp?) -> String {
        guard let id else { return "not recorded" }
        if let foreign = ids.foreign(id, at: at) {
            return "\(foreign.name ?? id) (\(foreign.yot))"
        }
        guard let user = config.users[id] else { return id }
        return "\(user.name) (\(user.roles.map(\.rawValue).joined(separator: ", ")))"
    }

    func date(_ t: Timestamp) -> String { UKDate.long(UKClock.day(of: t)) }

    var style: String {
        let id = file.state.id  // validated: capitals, digits and '-', safe inside a CSS string
        return """
            @page{size:A4;margin:22mm 18mm 20mm;
            @top-center{content:"\(Self.marking)";font:bold 10pt Arial,sans-serif}
            @bottom-left{content:"\(id)";font:9pt Arial,sans-serif}
            @bottom-right{content:"Page " counter(page) " of " counter(pages);font:9pt Arial,sans-serif}}
            body{font-family:Georgia,serif;max-width:48em;margin:1.5em auto;padding:0 1em;line-height:1.45;
            color:#000;background:#fff}
            .marking{font:bold 1em Arial,sans-serif;text-align:center;letter-spacing:.05em}
            h1{font-size:1.6em;margin:.3em 0}h2{font-size:1.3em;border-bottom:2px solid #000;margin-top:1.6em}
            h3{font-size:1.1em;margin:1.2em 0 .3em}h1,h2,h3{break-after:avoid-page}
            table{border-collapse:collapse;width:100%;margin:.3em 0}
            th,td{border:1px solid #595959;padding:.3em .5em;text-align:left;vertical-align:top}
            th{width:36%;font-weight:bold;background:#f2f2f2}td{white-space:pre-wrap;overflow-wrap:anywhere}
            tr{break-inside:avoid}.note{color:#333;font-size:.95em}
            .signature{break-inside:avoid}.signature th,.signature td{width:25%;overflow-wrap:normal}
            .signature td{height:3em}
            @media print{body{margin:0;max-width:none;padding:0}}
            """
    }

    func render() -> String {
        let s = file.state
        var out = "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" "
            + "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(escape(audience.title)): \(escape(s.name)) (\(escape(s.id)))</title>\n"
        out += "<style>\n\(style)\n</style>\n</head>\n<body>\n"
        out += "<p class=\"marking\">\(Self.marking)</p>\n<header>\n"
        out += "<h1>\(escape(audience.title))</h1>\n"
        out += "<p>\(escape(s.name)), AssetPlus case \(escape(s.id)). \(escape(config.yotName)), "
            + "\(escape(UKDate.long(today))).</p>\n</header>\n<main>\n"
        out += frontSheet()
        out += courtAndCustody()
        for st in stages { out += stage(st) }
        if stages.isEmpty { out += "<p>No stages yet.</p>\n" }
        if audience.holdsInternalNotes { out += betweenYOTs() }
        out += signatures()
        out += "</main>\n<p class=\"marking\">\(Self.marking)</p>\n</body>\n</html>\n"
        return out
    }

    func rows(_ pairs: [(String, String)]) -> String {
        "<table>\n" + pairs.map { "<tr><th scope=\"row\">\(escape($0.0))</th><td>\(escape($0.1))</td></tr>\n" }.joined()
            + "</table>\n"
    }

    /// Who the young person is, who wrote and countersigned the document, the court or
    /// panel, the offences and the order, the document's status and what it was made from.
    func frontSheet() -> String {
        let s = file.state
        var pairs: [(String, String)] = [("Young person", s.name)]
        if let born = Day(s.dob) {
            pairs.append(("Date of birth", "\(UKDate.long(born)) (aged \(UKDate.age(born: born, on: today)))"))
        }
        let main = stages.last
        let manager = s.allocation(at: generated)?.manager ?? main?.owner
        pairs.append(("Case manager", person(manager, at: main?.startedAt)))
        if let main {
            pairs.append(("Countersigning manager", main.countersignedBy.map {
                person($0, at: main.countersignedAt)
            } ?? "not yet countersigned"))
        }
        let hearing = s.keyEvents.filter { $0.kind == "court-hearing" }.max { $0.happenedAt < $1.happenedAt }
        if let hearing {
            let place = hearing.at.map { "\($0.name), " } ?? ""
            pairs.append((audience == .panel ? "Panel or court" : "Court and hearing",
                          place + UKDate.long(hearing.date)))
        } else if let due = main?.due {
            pairs.append(("Due at court or panel", UKDate.long(due.description)))
        }
        let core = CoreRecord.of(s)
        let offences = core.offences.map { e in
            [e.fields["date"].map(UKDate.long), e.fields["type"], e.fields["outcome"]].compactMap { $0 }
                .joined(separator: ", ")
        }
        // The core record is a stage's part: a partner gets it only where the sharing policy sends it.
        let withheld = "not sent to this reader (sharing policy)"
        pairs.append(("Offences and outcome", !allows(CoreRecord.offencesPart) ? withheld
            : offences.isEmpty ? "none recorded" : offences.joined(separator: "\n")))
        let orders = core.orders.map { e in
            [e.fields["type"], e.fields["start"].map { "from " + UKDate.long($0) }, e.fields["length"],
             e.fields["requirements"].map { "requirements: " + $0 }].compactMap { $0 }.joined(separator: ", ")
        }
        pairs.append(("Order and requirements", !allows(CoreRecord.ordersPart) ? withheld
            : orders.isEmpty ? "none recorded" : orders.joined(separator: "\n")))
        if let main {
            pairs.append(("Status", DocumentStatus.of(main)))
            var sources = ["AssetPlus \(config.kindName(main.kind)) stage \(main.id), started \(date(main.startedAt))"]
            if let from = main.pulledFrom { sources.append("answers brought forward from stage \(from)") }
            if !core.court.isEmpty || !core.remands.isEmpty { sources.append("the case's recorded court events") }
            pairs.append(("Sources", sources.joined(separator: "; ")))
        }
        return "<section aria-labelledby=\"front\">\n<h2 id=\"front\">Front sheet</h2>\n" + rows(pairs)
            + "</section>\n"
    }

    /// Hearings, remands and the custody journey, oldest first (the key events; their notes
    /// only inside the YOT). Every key event in the internal copy.
    func courtAndCustody() -> String {
        let journey = CoreRecord.courtKinds.union(CoreRecord.remandKinds)
            .union(["arrived-establishment", "transferred-establishment", "released"])
        let events = file.state.keyEvents.filter { audience.holdsInternalNotes || journey.contains($0.kind) }
            .sorted { $0.happenedAt < $1.happenedAt }
        guard !events.isEmpty else { return "" }
        let pairs = events.map { e -> (String, String) in
            let place = e.at.map { ", \($0.name)" } ?? ""
            let note = audience.holdsInternalNotes ? e.note.map { ": \($0)" } ?? "" : ""
            return (UKDate.long(e.date), eventName(e.kind) + place + note)
        }
        return "<section aria-labelledby=\"journey\">\n<h2 id=\"journey\">Court and custody</h2>\n" + rows(pairs)
            + "</section>\n"
    }

    /// A key event in words, without the command-line hints its label carries.
    func eventName(_ kind: String) -> String {
        guard let label = KeyEventKind.all.first(where: { $0.slug == kind })?.label else { return kind }
        return label.range(of: " (--").map { String(label[..<$0.lowerBound]) } ?? label
    }

    /// A stage: its facts with names, then its sections (a court's proposal first), then the
    /// referrals it flagged that the audience may know of, then the YOT's own notes.
    func stage(_ st: Stage) -> String {
        let anchor = "stage-" + st.id
        var out = "<section aria-labelledby=\"\(escape(anchor))\">\n"
        out += "<h2 id=\"\(escape(anchor))\">\(escape(config.kindName(st.kind)))</h2>\n"
        var facts: [(String, String)] = [
            ("Written by", person(st.owner, at: st.startedAt)), ("Started", date(st.startedAt)),
            ("Status", DocumentStatus.of(st)),
        ]
        if let t = st.submittedAt { facts.append(("Submitted", "\(date(t)) by \(person(st.submittedBy, at: t))")) }
        if let t = st.countersignedAt {
            facts.append(("Countersigned", "\(date(t)) by \(person(st.countersignedBy, at: t))"))
        }
        if audience.holdsInternalNotes {
            for r in st.returns {
                facts.append(("Returned", "\(date(r.at)) by \(person(r.by, at: r.at)): \(r.reason)"))
            }
            for w in st.withdrawals {
                facts.append(("Withdrawn", "\(date(w.at)) by \(person(w.by, at: w.at)): \(w.reason)"))
            }
            if let c = st.countersignComment { facts.append(("Countersignature comment", c)) }
            if let t = st.stoppedAt {
                facts.append(("Stopped", "\(date(t)) by \(person(st.stoppedBy, at: t)): \(st.stopReason ?? "")"))
            }
        }
        out += rows(facts)
        out += answers(st)
        let flags = catalogue.referrals(st.answers.mapValues(\.value)).filter { allows($0.key) }
        if !flags.isEmpty {
            out += "<h3>Referrals flagged</h3>\n"
                + rows(flags.map { ($0.label, $0.referral ?? "") })
        }
        return out + "</section>\n"
    }

    /// The stage's answers and entries by section; for a court the PSR's headings first.
    func answers(_ st: Stage) -> String {
        var out = ""
        var shown = Set<String>()
        if audience == .court {
            let first = Audience.courtOrder.compactMap { key in st.answers[key].map { (key, $0) } }
            if !first.isEmpty {
                out += "<h3>Proposal and the court report</h3>\n"
                    + rows(first.map { (catalogue.question($0.0)?.label ?? $0.0, $0.1.value) })
                shown.formUnion(first.map(\.0))
            }
        }
        for section in catalogue.sections {
            let held = catalogue.questions.filter {
                $0.section == section.slug && !shown.contains($0.key) && allows($0.key)
                    && (st.answers[$0.key] != nil || !st.entries($0.key).isEmpty)
            }
            guard !held.isEmpty else { continue }
            out += "<h3>\(escape(section.name))</h3>\n<table>\n"
            for q in held {
                if let a = st.answers[q.key] {
                    out += "<tr><th scope=\"row\">\(escape(q.label))</th><td>\(escape(a.value))</td></tr>\n"
                }
                if q.type == .list { out += CaseExport.entries(q, st.entries(q.key)) }
            }
            out += "</table>\n"
        }
        let others = audience.holdsInternalNotes ? catalogue.unknownKeys(st) : []
        if !others.isEmpty {
            out += "<h3>Other answers</h3>\n" + rows(others.map { ($0, st.answers[$0]!.value) })
        }
        return out
    }

    /// Transfers and caretaking between YOTs: the YOT's own record.
    func betweenYOTs() -> String {
        let history = CaseDetail.history(file, config, ids)
        guard !history.isEmpty else { return "" }
        let lines = history.split(separator: "\n").dropFirst().map { $0.trimmingPrefix("  ") }
        return "<section aria-labelledby=\"yots\">\n<h2 id=\"yots\">Transfers and caretaking</h2>\n<ul>\n"
            + lines.map { "<li>\(escape(String($0)))</li>\n" }.joined() + "</ul>\n</section>\n"
    }

    /// Who wrote the document and who countersigned it, with room to sign.
    func signatures() -> String {
        guard let main = stages.last else { return "" }
        let countersigner = main.countersignedBy.map { person($0, at: main.countersignedAt) } ?? ""
        let when = main.countersignedAt.map(date) ?? ""
        return """
            <section class="signature" aria-labelledby="signatures">
            <h2 id="signatures">Signatures</h2>
            <table>
            <tr><th scope="col">Role</th><th scope="col">Name</th><th scope="col">Signature</th>\
            <th scope="col">Date</th></tr>
            <tr><td>Author</td><td>\(escape(person(main.owner, at: main.startedAt)))</td><td></td><td></td></tr>
            <tr><td>Countersigning manager</td><td>\(escape(countersigner))</td><td></td>\
            <td>\(escape(when))</td></tr>
            </table>
            </section>

            """
    }
}
