import APModel

/// `ap config question|mandatory|trigger|required-ratings|kind-section|holiday`: the
/// framework's local settings (001 Annex A), so nobody edits `.ap/config.json` by hand.
enum ConfigFrameworkCommands {
    static let all = [
        questionAdd, questionList, questionRemove, mandatoryAdd, mandatoryRemove, mandatoryList,
        triggerAdd, triggerRemove, triggerList, requiredRatings, kindSectionAdd, kindSectionRemove,
        holidayAdd, holidayRemove, holidayList, countersignKinds, timescale, obligation,
    ]

    /// Runs `edit` on the config under the lock as an admin, and saves it.
    static func edit(_ inv: Invocation, doing: String, _ edit: (inout Config) throws -> Void) throws -> Config {
        let session = try inv.context.session()
        return try session.locked {
            _ = try session.requireRole([.admin], doing: doing)
            var config = session.config
            try edit(&config)
            try session.saveConfig(config)
            return config
        }
    }

    static func words(_ inv: Invocation, from index: Int) -> [String] {
        inv.arguments.dropFirst(index).map { $0.lowercased() }
    }

    static let questionAdd = Command(
        path: ["config", "question", "add"], summary: "add a local question to the catalogue (admin only)",
        usage: "KEY --section SECTION --label TEXT [--type TYPE]",
        details:
            "KEY starts with the section's slug, e.g. pfs.young-carer; it cannot shadow a shipped key. "
            + "TYPE: text (default), yes-no, date, agree-disagree.",
        options: [
            Opt(long: "section", value: "SECTION", help: "the section or module it belongs to"),
            Opt(long: "label", value: "TEXT", help: "the question as shown"),
            Opt(long: "type", value: "TYPE", help: "text, yes-no, date or agree-disagree"),
        ],
        arguments: 1...1,
        examples: ["ap config question add pfs.carer --section pfs --label Carer? --type yes-no"],
        run: { inv in
            let key = inv.argument(0).lowercased()
            let section = try inv.required("section")
            let label = try inv.required("label")
            let config = try edit(inv, doing: "change the catalogue") {
                try $0.addLocalQuestion(key: key, section: section, label: label, type: inv.value("type") ?? "text")
            }
            return .done(
                "Added local question \(key) to \(section)", QuestionView.json(config.catalogue.question(key)!))
        })

    static let questionList = Command(
        path: ["config", "question", "list"], summary: "list this repository's local questions", usage: "",
        examples: ["ap config question list --json"],
        run: { inv in
            let config = try inv.context.repository().loadConfig()
            let local = config.catalogue.questions.filter(\.local)
            return Output(
                text: local.isEmpty
                    ? "No local questions; add one with 'ap config question add'.\n"
                    : QuestionView.table(local, config.catalogue, width: inv.context.width),
                json: .array(local.map(QuestionView.json)))
        })

    static let questionRemove = Command(
        path: ["config", "question", "remove"], summary: "remove a local question no case answers (admin only)",
        usage: "KEY", arguments: 1...1,
        examples: ["ap config question remove pfs.young-carer"],
        run: { inv in
            let key = inv.argument(0).lowercased()
            let config = try edit(inv, doing: "change the catalogue") { config in
                let scan = try CaseScan.states(inv.context.repository())
                let users = scan.states.filter { state in
                    (state["stages"]?.arrayValue ?? []).contains { stage in
                        stage["answers"]?[key] != nil || stage["answers"]?[key + Catalogue.explanationSuffix] != nil
                    }
                }
                guard users.isEmpty else {
                    let ids = users.compactMap { $0["id"]?.stringValue }
                    throw APError.refused(
                        "question '\(key)' is answered in \(ids.count) case\(ids.count == 1 ? "" : "s") "
                            + "(\(ids.prefix(5).joined(separator: ", ")))"
                            + "; it stays so their answers keep their label")
                }
                try config.removeLocalQuestion(key)
            }
            return .done("Removed local question \(key)", config.json)
        })

    static let mandatoryAdd = Command(
        path: ["config", "mandatory", "add"], summary: "make answers mandatory for a stage kind (admin only)",
        usage: "KIND KEY...", arguments: 2...100,
        examples: ["ap config mandatory add review pfs.living-arrangements ec.explanation"],
        run: { inv in try mandatory(inv, add: true) })

    static let mandatoryRemove = Command(
        path: ["config", "mandatory", "remove"], summary: "make answers optional again (admin only)",
        usage: "KIND KEY...", arguments: 2...100,
        examples: ["ap config mandatory remove transfer-yot-to-yot transition-help"],
        run: { inv in try mandatory(inv, add: false) })

    static func mandatory(_ inv: Invocation, add: Bool) throws -> Output {
        let kind = inv.argument(0).lowercased(), keys = words(inv, from: 1)
        let config = try edit(inv, doing: "change mandatory answers") {
            try $0.setMandatory(kind: kind, keys: keys, add: add)
        }
        let now = config.mandatory[kind] ?? []
        return .done("Mandatory for \(kind): \(now.isEmpty ? "none" : now.joined(separator: ", "))",
                     .object(["kind": .string(kind), "keys": .array(now.map(JSONValue.string))]))
    }


    static let mandatoryList = Command(
        path: ["config", "mandatory", "list"], summary: "list mandatory answers and required ratings by kind",
        usage: "",
        examples: ["ap config mandatory list"],
        run: { inv in
            let config = try inv.context.repository().loadConfig()
            let rows = config.stageKinds.map { k in
                [
                    k.slug, (config.requiredRatings[k.slug] ?? []).joined(separator: " "),
                    (config.mandatory[k.slug] ?? []).joined(separator: " "),
                ]
            }
            let json: JSONValue = .array(
                rows.map { r in
                    [
                        "kind": .string(r[0]),
                        "requiredRatings": .array(config.requiredRatings[r[0]]?.map(JSONValue.string) ?? []),
                        "mandatory": .array(config.mandatory[r[0]]?.map(JSONValue.string) ?? []),
                    ]
                })
            return Output(
                text: Table.render(["KIND", "RATINGS", "MANDATORY"], rows, width: inv.context.width, fixed: ["KIND"]),
                json: json)
        })

    static let triggerAdd = Command(
        path: ["config", "trigger", "add"],
        summary: "make a yes-no question a trigger, or name its referral (admin only)",
        usage: "KEY --referral TEXT",
        details:
            "A yes to a trigger makes KEY.explanation mandatory and flags the referral (001 Annex A item 4, Annex B).",
        options: [Opt(long: "referral", value: "TEXT", help: "the service a yes flags a referral to")],
        arguments: 1...1,
        examples: ["ap config trigger add pfs.gangs --referral 'Gangs exit team'"],
        run: { inv in
            let key = inv.argument(0).lowercased()
            let referral = try inv.required("referral")
            let config = try edit(inv, doing: "change triggers") { try $0.setTrigger(key, referral: referral) }
            return .done("\(key) flags a referral to \(referral)", QuestionView.json(config.catalogue.question(key)!))
        })

    static let triggerRemove = Command(
        path: ["config", "trigger", "remove"], summary: "undo 'config trigger add' for a question (admin only)",
        usage: "KEY", arguments: 1...1,
        examples: ["ap config trigger remove pfs.gangs"],
        run: { inv in
            let key = inv.argument(0).lowercased()
            let config = try edit(inv, doing: "change triggers") { try $0.removeTrigger(key) }
            let q = config.catalogue.question(key)
            return .done(
                q?.referral.map { "\(key) flags a referral to \($0) (as shipped)" } ?? "\(key) is no longer a trigger",
                q.map(QuestionView.json) ?? .null)
        })

    static let triggerList = Command(
        path: ["config", "trigger", "list"], summary: "list the trigger questions and the referral each flags",
        usage: "",
        examples: ["ap config trigger list --json"],
        run: { inv in
            let config = try inv.context.repository().loadConfig()
            let triggers = config.catalogue.triggers
            return Output(
                text: Table.render(
                    ["KEY", "REFERRAL"], triggers.map { [$0.key, $0.referral ?? ""] }, width: inv.context.width,
                    fixed: ["KEY"]),
                json: .array(triggers.map(QuestionView.json)))
        })

    static let requiredRatings = Command(
        path: ["config", "required-ratings"], summary: "set the ratings a stage kind needs to submit (admin only)",
        usage: "KIND RATING...|none", arguments: 2...7,
        examples: [
            "ap config required-ratings bail-recommendation none",
            "ap config required-ratings review rosh saw lor scaled-approach",
        ],
        run: { inv in
            let kind = inv.argument(0).lowercased()
            let list = words(inv, from: 1)
            let ratings = list == ["none"] ? [] : list
            let config = try edit(inv, doing: "change required ratings") {
                try $0.setRequiredRatings(kind: kind, ratings: ratings)
            }
            let now = config.requiredRatings[kind] ?? []
            return .done(
                "Required ratings for \(kind): \(now.isEmpty ? "none" : now.joined(separator: ", "))",
                .object(["kind": .string(kind), "ratings": .array(now.map(JSONValue.string))]))
        })

    static let countersignKinds = Command(
        path: ["config", "countersign-kinds"], summary: "set the kinds always countersigned (admin only)",
        usage: "KIND...|none",
        details: "By default the court stages: psr, bail-recommendation, post-court-report (001 §§11.2, 11.22).",
        arguments: 1...30,
        examples: [
            "ap config countersign-kinds psr bail-recommendation post-court-report", "ap config countersign-kinds none",
        ],
        run: { inv in
            let list = words(inv, from: 0)
            let config = try edit(inv, doing: "change the kinds always countersigned") {
                try $0.setCountersignKinds(list == ["none"] ? [] : list)
            }
            let now = config.countersignKinds
            return .done(
                "Always countersigned: \(now.isEmpty ? "none" : now.joined(separator: ", "))",
                .array(now.map(JSONValue.string)))
        })

    static let timescale = Command(
        path: ["config", "timescale"], summary: "set a stage kind's timescale in working days (admin only)",
        usage: "KIND DAYS|default",
        details: "Kinds without one take the policy 'timescale-working-days' (15 by default; 001 §1.2).",
        arguments: 2...2,
        examples: ["ap config timescale bail-recommendation 2", "ap config timescale review default"],
        run: { inv in
            let kind = inv.argument(0).lowercased(), text = inv.argument(1)
            let days: Int?
            if text == "default" {
                days = nil
            } else {
                guard let n = Int(text) else {
                    throw APError.usage("DAYS is a whole number of working days, or 'default'")
                }
                days = n
            }
            let config = try edit(inv, doing: "change timescales") { try $0.setTimescale(kind: kind, days: days) }
            return .done(
                "\(config.kindName(kind)): \(config.timescale(for: kind)) working days"
                    + (config.timescales[kind] == nil ? " (the default)" : ""),
                .object(["kind": .string(kind), "workingDays": .int(config.timescale(for: kind))]))
        })

    static let obligation = Command(
        path: ["config", "obligation"], summary: "list obligation rules, or set one's local time (admin only)",
        usage: "[RULE [--within DURATION|default]]",
        details: """
            Without RULE, lists every rule with its time. DURATION is hours, days or working days
            (48h, 2d, 5wd); a rule before a hearing stays before it, any other counts from what
            started it. 'default' takes the shipped time back. E.g. Barnet asks the PSR at
            Placements two days before the hearing (001 §11.2.1) where 003 §2.1 asks 24 hours.
            """,
        options: [Opt(long: "within", value: "DURATION", help: "the rule's local time, or 'default'")],
        arguments: 0...1,
        examples: ["ap config obligation", "ap config obligation psr-to-placements --within 2d"],
        run: { inv in
            var config = try inv.context.repository().loadConfig()
            if let within = inv.value("within") {
                guard inv.arguments.count == 1 else { throw APError.usage("--within needs the RULE it sets") }
                let id = inv.argument(0).lowercased()
                config = try edit(inv, doing: "change obligation times") {
                    try $0.setObligationTime(rule: id, within: within == "default" ? nil : within)
                }
            }
            let ids = inv.arguments.isEmpty ? ObligationRule.all.map(\.id) : [inv.argument(0).lowercased()]
            let rules = try ids.map { id -> ObligationRule in
                guard let rule = config.obligationRule(id) else {
                    throw APError.notFound("unknown obligation rule '\(id)'; 'ap config obligation' lists them")
                }
                return rule
            }
            let rows = rules.map { r in
                [r.id, r.dueText, config.obligationTimes[r.id] == nil ? "shipped" : "local", r.ref]
            }
            return Output(
                text: Table.render(["RULE", "TIME", "SOURCE", "REF"], rows),
                json: .array(rows.map {
                    ["rule": .string($0[0]), "time": .string($0[1]), "source": .string($0[2]), "ref": .string($0[3])]
                }))
        })

    static let kindSectionAdd = Command(
        path: ["config", "kind-section", "add"],
        summary: "let a stage kind hold another section or module (admin only)",
        usage: "KIND SECTION", arguments: 2...2,
        examples: ["ap config kind-section add bail-recommendation rj"],
        run: { inv in try kindSection(inv, add: true) })

    static let kindSectionRemove = Command(
        path: ["config", "kind-section", "remove"], summary: "take back a section added to a kind (admin only)",
        usage: "KIND SECTION", arguments: 2...2,
        examples: ["ap config kind-section remove bail-recommendation ec"],
        run: { inv in try kindSection(inv, add: false) })

    static func kindSection(_ inv: Invocation, add: Bool) throws -> Output {
        let kind = inv.argument(0).lowercased()
        let section = inv.argument(1).lowercased()
        let config = try edit(inv, doing: "change the sections of a kind") {
            try $0.setKindSection(kind: kind, section: section, add: add)
        }
        let held = config.catalogue.sections(ofKind: kind)
        return .done(
            "A \(config.kindName(kind)) stage holds: \(held.joined(separator: ", "))",
            .object(["kind": .string(kind), "sections": .array(held.map(JSONValue.string))]))
    }

    static let holidayAdd = Command(
        path: ["config", "holiday", "add"], summary: "add a bank holiday to the shipped calendar (admin only)",
        usage: "DATE", arguments: 1...1,
        examples: ["ap config holiday add 2027-06-07"],
        run: { inv in try holiday(inv, add: true) })

    static let holidayRemove = Command(
        path: ["config", "holiday", "remove"], summary: "remove a bank holiday this repository added (admin only)",
        usage: "DATE", arguments: 1...1,
        examples: ["ap config holiday remove 2027-06-07"],
        run: { inv in try holiday(inv, add: false) })

    static func holiday(_ inv: Invocation, add: Bool) throws -> Output {
        let day = inv.argument(0)
        let config = try edit(inv, doing: "change bank holidays") { try $0.setBankHoliday(day, add: add) }
        return .done(
            "\(add ? "Added" : "Removed") bank holiday \(day)", .array(config.extraBankHolidays.map(JSONValue.string)))
    }

    static let holidayList = Command(
        path: ["config", "holiday", "list"], summary: "list bank holidays from a year on (default: this year)",
        usage: "[--from YEAR]",
        options: [Opt(long: "from", value: "YEAR", help: "the first year to list")],
        examples: ["ap config holiday list", "ap config holiday list --from 2027 --json"],
        run: { inv in
            let config = try inv.context.repository().loadConfig()
            let year =
                try inv.value("from").map { text -> Int in
                    guard let y = Int(text), (1990...2100).contains(y) else {
                        throw APError.usage("--from takes a year like 2027")
                    }
                    return y
                } ?? Int(inv.context.today.description.prefix(4))!
            let from = "\(year)-01-01"
            var rows = shippedBankHolidays.filter { $0.day >= from }.map { [$0.day, $0.name, "shipped"] }
            rows += config.extraBankHolidays.filter { $0 >= from }.map { [$0, "", "local"] }
            rows.sort { $0[0] < $1[0] }
            return Output(
                text: rows.isEmpty
                    ? "No bank holidays from \(year).\n" : Table.render(["DATE", "NAME", "SOURCE"], rows),
                json: .array(rows.map { ["date": .string($0[0]), "name": .string($0[1]), "source": .string($0[2])] }))
        })
}
