import APModel

/// `ap case show`: the whole case in view. Who holds it, what needs attention, every
/// stage with its countersignature history, and the transfers and caretaking between YOTs.
/// Users of another YOT are qualified (`pat@NOTTS (Pat Jones)`).
enum CaseDetail {
    static func render(
        _ file: CaseFile, _ config: Config, now: Timestamp, width: Int, unverified: [EventFinding] = [],
        signatures: String? = nil
    ) -> String {
        let s = file.state, today = now.day
        let ids = Identities(events: file.events, here: config.yotCode)
        var out = Table.fields([
            ("Case", s.id), ("Name", s.name), ("Date of birth", s.dob),
            ("Looked after", lookedAfter(s)),
            ("This YOT", "\(config.yotName) (\(config.yotCode)): " + CaseView.holdingText(s, config)),
            ("Opened", ids.when(s.createdBy, at: s.createdAt)),
            ("Updated", UKClock.label(s.updatedAt)),
        ] + socialCare(s) + allocation(s, ids, now: now) + cover(s, config, now: now)
            + (signatures.map { [("Signatures", $0)] } ?? []), width: width)
        // Every line fits `width`: long ones wrap under themselves, never cut.
        func wrapped(_ text: String, hanging: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                guard TextWrap.width(line) > width else { return String(line) }
                let indent = String(line.prefix { $0 == " " })
                return TextWrap.wrap(String(line.dropFirst(indent.count)), columns: width, indent: indent,
                                     hanging: indent + hanging).joined(separator: "\n")
            }.joined(separator: "\n")
        }
        let flags = unverified.map {
            "NOT VERIFIED: \($0.type) by \($0.by) at \(UKClock.label($0.at)): \($0.status.rawValue), \($0.detail) "
                + "('ap verify')"
        } + attention(s, config, today: today)
        if !flags.isEmpty {
            out += wrapped("\nNeeds attention:\n" + flags.map { "  ! \($0)\n" }.joined(), hanging: "  ")
        }

        out += wrapped(coreRecord(s, config), hanging: "      ")
        out += wrapped(custody(s, config), hanging: "    ")
        out += "\nStages:\n"
        guard !s.stages.isEmpty else {
            return out + "  none yet; start one with 'ap stage new \(s.id) --kind KIND'\n"
                + wrapped(history(file, config, ids), hanging: "    ")
        }
        for st in s.stages {
            let owner = ids.show(st.owner, at: st.startedAt)
            out += wrapped(
                "  \(st.id)  \(config.kindName(st.kind)), \(st.status.rawValue); owner \(owner)"
                    + ", started \(UKClock.label(st.startedAt))" + (st.due.map { ", due by \($0)" } ?? ""),
                hanging: "    ") + "\n"
            for line in signOff(st, ids) {
                out +=
                    TextWrap.wrap(line, columns: width, indent: "      ", hanging: "        ").joined(separator: "\n")
                    + "\n"
            }
        }
        return out + wrapped(history(file, config, ids), hanging: "    ")
    }

    /// The case manager, co-worker and team, and an internal transfer awaiting its meeting (002 §11).
    static func allocation(_ s: CaseState, _ ids: Identities, now: Timestamp) -> [(String, String)] {
        var out: [(String, String)] = []
        if let g = s.gender { out.append(("Gender", g)) }
        func text(_ a: Allocation) -> String {
            ids.show(a.manager, at: a.at) + (a.managerGrade.map { " (\($0))" } ?? "")
                + (a.co.map { ", co-worker \(ids.show($0, at: a.at))" + (a.coGrade.map { " (\($0))" } ?? "") } ?? "")
                + (a.team.map { ", team \($0)" } ?? "")
        }
        if let a = s.allocation(at: now) {
            out.append(("Case manager", text(a) + ", since \((a.effectiveAt ?? a.at).day)"))
        }
        if let p = s.pendingTeamTransfer(at: now) {
            let meeting = p.effectiveAt.map { "at the three-way meeting on \(UKClock.label($0))" }
                ?? "at the three-way meeting"
            out.append(("Transferring", text(p) + ", opened \(p.at.day); takes effect \(meeting)"))
        }
        return out
    }

    /// The cover worker while the case manager is on planned leave (002 §7.1).
    static func cover(_ s: CaseState, _ config: Config, now: Timestamp) -> [(String, String)] {
        guard let manager = s.allocation(at: now)?.manager, let away = config.users[manager]?.absence,
            let cover = away.cover(on: UKClock.day(of: now))
        else { return [] }
        return [("Cover", "\(cover) while \(manager) is on leave" + (away.to.map { " until \($0)" } ?? ""))]
    }

    /// Whether social care knows the young person, and the social worker (004 §2).
    static func socialCare(_ s: CaseState) -> [(String, String)] {
        guard s.socialCare != nil || s.socialWorker != nil else { return [] }
        let since = s.socialCareKnownSince.map { " since \($0.day)" } ?? ""
        let status = s.socialCare.map { $0 == "known" ? "known" + since : "not known" }
        let worker = s.socialWorker.map { "social worker \($0)" }
        return [("Social care", [status, worker].compactMap { $0 }.joined(separator: "; "))]
    }

    /// Offences and orders from the latest stage that lists them, court appearances and
    /// remands from the key events (issue 24): what a court or panel asks first.
    static func coreRecord(_ s: CaseState, _ config: Config) -> String {
        let core = CoreRecord.of(s)
        guard !core.isEmpty else { return "" }
        let catalogue = config.catalogue
        func fields(_ part: String, _ e: Entry) -> String {
            let names = catalogue.question(part)?.fields.map(\.name) ?? e.fields.keys.sorted()
            return names.compactMap { e.fields[$0] }.joined(separator: "; ")
        }
        let source = core.stage.map { " (offences and orders from stage \($0.id), \($0.status.rawValue))" } ?? ""
        var out = "\nCore record" + source + ":\n"
        out += core.offences.map { "  offence: " + fields(CoreRecord.offencesPart, $0) + "\n" }.joined()
        out += core.orders.map { "  order: " + fields(CoreRecord.ordersPart, $0) + "\n" }.joined()
        out += (core.court + core.remands).sorted { $0.happenedAt < $1.happenedAt }.map {
            "  \(CoreRecord.courtKinds.contains($0.kind) ? "court" : "remand"): \($0.date) \($0.kind)"
                + ($0.at.map { " at \($0.name)" } ?? "") + "\n"
        }.joined()
        return out
    }

    /// Key events in the order they happened, and the obligations still open ('ap due').
    static func custody(_ s: CaseState, _ config: Config) -> String {
        var out = ""
        if !s.keyEvents.isEmpty {
            out += "\nKey events:\n" + s.keyEvents.sorted { $0.happenedAt < $1.happenedAt }.map { e in
                let place = e.at.map { " at \($0.name) (\($0.code))" } ?? ""
                return "  \(UKClock.label(e.happenedAt))  \(e.kind)\(place)\n"
            }.joined()
        }
        let calendar = WorkingDays(extraHolidays: config.extraBankHolidays)
        let open = Obligations.of(s).filter(\.isOpen).compactMap { o in
            config.obligationRule(o.rule).map { (o.due($0, calendar: calendar), $0) }
        }.sorted { $0.0 < $1.0 }
        if !open.isEmpty {
            out += "\nObligations open:\n" + open.map { due, rule in
                let by = rule.party == .establishment ? "establishment: " : ""
                return "  due \(UKClock.label(due))  \(by)\(rule.what) (\(rule.ref))\n"
            }.joined()
        }
        return out
    }

    /// The status and which basis; a status a remand made says what ended it (004 §§23–24).
    static func lookedAfter(_ s: CaseState) -> String {
        guard s.lookedAfter else {
            guard let end = s.remandLookedAfterEnded else { return "no" }
            return "no (looked after by remand until \(end.event) on \(end.date))"
        }
        let authority = s.designatedAuthority.map { "; designated authority \($0)" } ?? ""
        return "yes (" + (s.lookedAfterBasis ?? "basis \(CaseRules.unspecifiedBasis)") + authority + ")"
    }

    /// What someone should act on now.
    static func attention(_ s: CaseState, _ config: Config, today: Day) -> [String] {
        var out: [String] = []
        if let t = s.pendingTransfer {
            out.append(
                "\(t.kind.rawValue) transfer \(t.id) \(t.from.code) to \(t.to.code), sent \(t.sentAt.day), "
                    + "awaiting a decision")
        }
        if s.host != nil, let review = s.reviewDate, review < today {
            out.append("caretaking review was due \(review); record one with 'ap caretake review \(s.id) --next DATE'")
        }
        if let open = s.openStage {
            if open.status == .awaitingCountersignature {
                out.append(
                    "stage \(open.id) awaits countersignature: "
                        + criteria(open))
            } else if let r = open.returns.last {
                out.append("stage \(open.id) was returned for amendment on \(r.at.day): \(r.reason)")
            }
        }
        for item in s.needsReview {
            out.append(
                "needs review: decisions in conflict, \(item.text); a manager reviews with "
                    + "'ap case resolve \(s.id) --note TEXT'")
        }
        if s.socialCareUnrecorded {
            out.append(
                "social-care status unrecorded: check whether social care knows the young person (004 §2) and "
                    + "record it with 'ap case update \(s.id) social-care=known|not-known'")
        }
        if s.lookedAfter && s.lookedAfterBasis == nil {
            out.append(
                "looked-after basis unspecified; a manager sets it with "
                    + "'ap case update \(s.id) looked-after=yes --basis BASIS --reason TEXT'")
        }
        return out
    }

    /// The countersignature history of a stage: submission, returns, countersignature, stop.
    static func signOff(_ st: Stage, _ ids: Identities) -> [String] {
        var lines: [String] = []
        if let t = st.submittedAt {
            lines.append(
                "submitted \(ids.when(st.submittedBy, at: t))"
                    + (st.criteria.isEmpty ? "" : " for countersignature: " + criteria(st)))
        }
        for r in st.returns { lines.append("returned \(ids.when(r.by, at: r.at)): \(r.reason)") }
        if let t = st.countersignedAt {
            lines.append(
                "countersigned \(ids.when(st.countersignedBy, at: t))"
                    + (st.countersignComment.map { ": \($0)" } ?? ""))
        }
        for send in st.sends {
            lines.append(
                "sent \(ids.when(send.by, at: send.at)) to \(send.to.name) (\(send.to.code), "
                    + "\(send.to.kind.rawValue)): \(send.keys.count) answer\(send.keys.count == 1 ? "" : "s")")
        }
        if let t = st.stoppedAt {
            lines.append("stopped \(ids.when(st.stoppedBy, at: t)): \(st.stopReason ?? "")")
        }
        return lines
    }

    /// Transfers and caretaking, oldest first, from this YOT's point of view.
    static func history(_ file: CaseFile, _ config: Config, _ ids: Identities) -> String {
        var lines: [String] = []
        for t in file.state.transfers {
            let outgoing = t.from.code == config.yotCode
            let other = outgoing ? t.to : t.from
            let direction = outgoing ? "out \(t.kind.rawValue) to" : "in \(t.kind.rawValue) from"
            var line = "\(t.sentAt.day)  \(direction) \(other.name) (\(other.code))"
                + ", sent by \(ids.show(t.sentBy, at: t.sentAt)): \(t.status.rawValue)"
            if let at = t.decidedAt { line += " \(at.day) by \(ids.show(t.decidedBy ?? "?", at: at))" }
            if let r = t.reason {
                line += "; reason \(RejectionReason(rawValue: r)?.label ?? r)" + (t.detail.map { ": \($0)" } ?? "")
            }
            if let tasks = t.hostTasks { line += "; host undertakes: \(tasks)" }
            if let tasks = t.homeTasks { line += "; home keeps: \(tasks)" }
            lines.append(line)
        }
        for e in file.events.sorted(by: Event.replayOrder) {
            switch e.type {
            case EventType.caretakingEnded:
                lines.append(
                    "\(e.at.day)  caretaking ended by \(ids.show(e)): \(e.payload["outcome"]?.stringValue ?? "")")
            case EventType.caretakingReviewed:
                lines.append(
                    "\(e.at.day)  caretaking reviewed by \(ids.show(e)); "
                        + "next review \(e.payload["next"]?.stringValue ?? "")"
                        + (e.payload["note"]?.stringValue.map { ": \($0)" } ?? ""))
            default: break
            }
        }
        guard !lines.isEmpty else { return "" }
        return "\nTransfers and caretaking:\n" + lines.sorted().map { "  \($0)\n" }.joined()
    }

    static func criteria(_ st: Stage) -> String { st.criteria.map(Countersignature.describe).joined(separator: "; ") }
}
