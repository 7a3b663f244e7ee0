import APModel

/// `ap stage show`: the stage's facts, then its answers grouped by section in catalogue
/// order with their labels, long answers in full and wrapped to the terminal.
enum StageView {
    /// `2026-12-01, 3 working days left` or `... 2 working days over`, and why that day.
    static func deadlineText(_ d: Deadline) -> String {
        let left = d.left >= 0 ? "\(d.left) working day\(d.left == 1 ? "" : "s") left"
            : "\(-d.left) working day\(d.left == -1 ? "" : "s") over"
        return "\(d.due), \(left) (" + (d.basis == Deadline.byDueDate ? "its due date" : "the timescale") + ")"
    }

    static func render(
        _ st: Stage, of s: CaseState, _ config: Config, _ catalogue: Catalogue, ids: Identities, width: Int,
        deadline: Deadline? = nil, part: String? = nil
    ) -> String {
        func who(_ user: String?, _ at: Timestamp) -> String { ids.when(user, at: at) }
        var pairs: [(String, String)] = [
            ("Case", "\(s.id) (\(s.name))"), ("Stage", st.id), ("Kind", config.kindName(st.kind)),
            ("Owner", ids.show(st.owner, at: st.startedAt)), ("Status", st.status.rawValue),
            ("Started", who(st.startedBy, st.startedAt)),
        ]
        if let d = st.due { pairs.append(("Due by", "\(d) (due date)")) }
        if let deadline { pairs.append(("Deadline", deadlineText(deadline))) }
        if let d = st.involvementEnded { pairs.append(("Involvement ended", d.description)) }
        if let p = st.pulledFrom { pairs.append(("Pulled forward from", p)) }
        if let t = st.submittedAt { pairs.append(("Submitted", who(st.submittedBy, t))) }
        if !st.criteria.isEmpty {
            pairs.append(("Countersignature for", st.criteria.map(Countersignature.describe).joined(separator: "; ")))
        }
        if let t = st.countersignedAt { pairs.append(("Countersigned", who(st.countersignedBy, t))) }
        if let c = st.countersignComment { pairs.append(("Comment", c)) }
        for r in st.returns { pairs.append(("Returned", "\(who(r.by, r.at)): \(r.reason)")) }
        if let t = st.completedAt { pairs.append(("Completed", UKClock.label(t))) }
        if let t = st.stoppedAt { pairs.append(("Stopped", "\(who(st.stoppedBy, t)): \(st.stopReason ?? "")")) }
        for (section, user) in st.contributors.sorted(by: { $0.key < $1.key }) {
            pairs.append(("Contributor", "\(user) for \(catalogue.section(section)?.name ?? section)"))
        }
        if let score = st.answer(Likelihood.score), let band = Likelihood.band(score, config.policy) {
            let bands = "\(config.policy.yogrsMediumFrom),\(config.policy.yogrsHighFrom)"
            pairs.append(("YOGRS", "\(score)%: indicative LoR \(band) (policy yogrs-bands \(bands))"))
        }
        if let lor = st.answer("lor"), let rosh = st.answer("rosh"),
            let level = Likelihood.indicatedLevel(lor: lor, rosh: rosh, config.policy)
        {
            pairs.append(("Scaled Approach", "\(level) indicated by LoR \(lor) and RoSH \(rosh)"))
        }
        for o in Likelihood.overrides(st, config.policy) {
            let reason = st.answer(o.reasonKey) == nil ? "reason needed in \(o.reasonKey)" : "reason given"
            pairs.append(("Override", "\(o.rating) \(o.given) where \(o.indicated) is indicated; \(reason)"))
        }
        if st.status == .inProgress {
            let missing = StageRules.stillNeeded(st, in: s, config: config, catalogue: catalogue)
            let needed = missing.isEmpty ? "nothing: it can be submitted" : missing.joined(separator: ", ")
            pairs.append(("Still needed", needed))
        }
        var out = Table.fields(pairs, width: width)

        let flags = catalogue.referrals(st.answers.mapValues(\.value))
        if !flags.isEmpty {
            out += "\nReferrals flagged:\n"
            out +=
                Table.render(["QUESTION", "REFERRAL"], flags.map { [$0.key, $0.referral ?? ""] }, width: width - 2)
                .split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        }

        for c in st.cleared {
            out += TextWrap.wrap("Cleared \(c.key): \(who(c.by, c.at))", columns: width, indent: "")
                .joined(separator: "\n") + "\n"
        }
        guard !st.answers.isEmpty || !st.entries.isEmpty else {
            return out + "\nAnswers: none yet; record them with 'ap stage set \(s.id) KEY=VALUE'\n"
        }
        for section in catalogue.sections where part == nil || section.slug == part {
            // Entries sit where their part is in the catalogue: beside the rating they support.
            let answered = catalogue.questions.filter {
                $0.section == section.slug && (st.answers[$0.key] != nil || st.entries[$0.key] != nil)
            }
            guard !answered.isEmpty else { continue }
            out +=
                "\n"
                + TextWrap.wrap("\(section.name) [\(section.slug)]", columns: width, indent: "").joined(separator: "\n")
                + "\n"
            for q in answered {
                if let a = st.answers[q.key] { out += answer(q.key, label: q.label, a, ids: ids, width: width) }
                if q.type == .list { out += entries(q, st.entries(q.key), ids: ids, width: width) }
            }
        }
        let others = part == nil ? catalogue.unknownKeys(st) : []
        if !others.isEmpty {
            out += "\nOther answers (not in the catalogue)\n"
            for key in others { out += answer(key, label: nil, st.answers[key]!, ids: ids, width: width) }
        }
        return out
    }

    /// A list part: its label, then each entry numbered, one field a line in catalogue order.
    static func entries(_ part: Question, _ list: [Entry], ids: Identities, width: Int) -> String {
        var out = TextWrap.wrap("\(part.key): \(part.label)", columns: width, indent: "  ", hanging: "      ")
        for (i, e) in list.enumerated() {
            let source = e.pulled ? "pulled forward" : "\(ids.show(e.by, at: e.at)) \(UKClock.label(e.at))"
            let changed = e.changedAt.map {
                "; changed by \(ids.show(e.changedBy ?? "", at: $0)) \(UKClock.label($0))"
            } ?? ""
            out += TextWrap.wrap("\(i + 1). (\(source)\(changed))", columns: width, indent: "    ", hanging: "       ")
            for field in part.fields {
                guard let value = e.fields[field.name] else { continue }
                out += TextWrap.wrap("\(field.name): \(value)", columns: width, indent: "       ", hanging: "         ")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func answer(_ key: String, label: String?, _ a: Answer, ids: Identities, width: Int) -> String {
        let source = a.pulled ? "pulled forward" : "\(ids.show(a.by, at: a.at)) \(UKClock.label(a.at))"
        let head = TextWrap.wrap(
            "\(key)\(label.map { ": " + $0 } ?? "") (\(source))", columns: width, indent: "  ", hanging: "      ")
        return (head + TextWrap.wrap(a.value, columns: width, indent: "      ")).joined(separator: "\n") + "\n"
    }
}

/// The catalogue as a table and as JSON (`ap stage questions`, `ap config question list`).
enum QuestionView {
    static func json(_ q: Question) -> JSONValue {
        var o: [String: JSONValue] = [
            "key": .string(q.key), "label": .string(q.label), "section": .string(q.section),
            "type": .string(q.type.rawValue),
            "trigger": .bool(q.isTrigger), "local": .bool(q.local),
        ]
        if let r = q.referral { o["referral"] = .string(r) }
        if let t = q.explains { o["explains"] = .string(t) }
        if q.type == .choice { o["values"] = .array(q.values.map(JSONValue.string)) }
        if let r = q.range { o["min"] = .int(r.lowerBound); o["max"] = .int(r.upperBound) }
        if !q.notFor.isEmpty { o["notFor"] = .array(q.notFor.map(JSONValue.string)) }
        if q.type == .list {
            o["fields"] = .array(q.fields.map { f in
                var field: [String: JSONValue] = [
                    "name": .string(f.name), "label": .string(f.label), "required": .bool(f.required),
                    "type": .string(f.values != nil ? "choice" : f.isDate ? "date" : "text"),
                ]
                if let values = f.values { field["values"] = .array(values.map(JSONValue.string)) }
                return .object(field)
            })
        }
        return .object(o)
    }

    static func table(_ list: [Question], _ catalogue: Catalogue, width: Int) -> String {
        guard !list.isEmpty else { return "No questions.\n" }
        var out = ""
        for section in catalogue.sections {
            let rows = list.filter { $0.section == section.slug }.map { q -> [String] in
                var label = q.label
                if let r = q.referral { label += " → \(r)" }
                if q.local { label += " (local)" }
                if q.type == .list { label += "; fields: " + q.fields.map(\.summary).joined(separator: "; ") }
                if q.type == .choice { label += " (" + q.values.joined(separator: "|") + ")" }
                if let r = q.range { label += " (\(r.lowerBound) to \(r.upperBound))" }
                if !q.notFor.isEmpty { label += "; not for " + q.notFor.joined(separator: ", ") }
                return [q.key, q.type.rawValue, label]
            }
            guard !rows.isEmpty else { continue }
            out += (out.isEmpty ? "" : "\n") + "\(section.name) [\(section.slug)]\n"
            out +=
                Table.render(["KEY", "TYPE", "LABEL"], rows, width: width - 2, fixed: ["KEY", "TYPE"])
                .split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        return out
    }
}
