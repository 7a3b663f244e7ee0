import APModel

/// `ap org ...`: the organisations this YOT sends to and records events at (003; 001 §3.2.1).
enum OrgCommands {
    static let all = [add, list, remove, sharing, keyAdd, keyList]

    static let keyAdd = Command(
        path: ["org", "key", "add"], summary: "pin another YOT's or establishment's public key (admin only)",
        usage: "CODE FILE.pub",
        details: """
            Packages from CODE must then be signed with its pinned keys, and so must its events
            inside them. Kept in the signed identity record: needs signatures on.
            """,
        arguments: 2...2,
        examples: ["ap org key add NOTTS notts-alex.pub"],
        run: { inv in
            let code = inv.argument(0).uppercased()
            try Config.validateYOTCode(code)
            let key = try PublicKey.read(file: inv.argument(1))
            let session = try inv.context.session()
            try session.locked {
                _ = try session.requireRole([.admin], doing: "pin keys")
                guard let identity = try session.repo.identity()?.state else {
                    throw APError.refused(
                        "pinned keys are kept in the signed identity record: turn signatures on first")
                }
                guard code != identity.yot else {
                    throw APError.usage("\(code) is this YOT: 'ap user key add' registers its keys")
                }
                guard !(identity.orgKeys[code] ?? []).contains(key) else {
                    throw APError.exists("\(key.fingerprint) is already pinned for \(code)")
                }
                try session.appendIdentity(
                    IdentityEntryType.orgKeyAdded, ["org": .string(code), "key": .string(key.line)])
            }
            let json: JSONValue = ["org": .string(code), "fingerprint": .string(key.fingerprint)]
            return .done("Pinned \(key.fingerprint) for \(code)", json)
        })

    static let keyList = Command(
        path: ["org", "key", "list"], summary: "list the keys pinned for other organisations", usage: "[CODE]",
        arguments: 0...1,
        examples: ["ap org key list", "ap org key list NOTTS --json"],
        run: { inv in
            let identity = try inv.context.repository().identity()?.state ?? IdentityState()
            let wanted = inv.arguments.first?.uppercased()
            let rows = identity.orgKeys.keys.sorted().filter { wanted == nil || $0 == wanted }.flatMap { code in
                identity.orgKeys[code]!.map { [code, $0.fingerprint, $0.type] }
            }
            let text = rows.isEmpty ? "No keys pinned\n"
                : Table.render(["ORG", "FINGERPRINT", "TYPE"], rows, fixed: ["ORG", "FINGERPRINT", "TYPE"])
            return Output(text: text, json: .array(rows.map {
                ["org": .string($0[0]), "fingerprint": .string($0[1]), "type": .string($0[2])]
            }))
        })

    static let add = Command(
        path: ["org", "add"], summary: "add an organisation: establishment, Placements, social care, a partner (admin)",
        usage: "CODE --name NAME --type TYPE",
        details: """
            CODE is 1 to 16 capital letters, digits or '-'. Types: \(Organisation.Kind.allNames).
            What each type is sent of a stage follows the sharing policy ('ap config sharing').
            """,
        options: [
            Opt(long: "name", value: "NAME", help: "the organisation's name"),
            Opt(long: "type", value: "TYPE", help: "what kind of organisation it is"),
        ],
        arguments: 1...1,
        examples: [
            "ap org add WETHERBY --name 'HMYOI Wetherby' --type establishment",
            "ap org add YCS-PT --name 'YCS Placements Team' --type placements",
        ],
        run: { inv in
            let kind = try Organisation.Kind.parse(try inv.required("type"))
            let org = Organisation(code: inv.argument(0).uppercased(), name: try inv.required("name"), kind: kind)
            let config = try ConfigFrameworkCommands.edit(inv, doing: "add organisations") {
                try $0.addOrganisation(org)
            }
            let added = config.organisation(org.code)!
            return .done("Added \(added.kind.rawValue) \(added.code) (\(added.name))", added.json)
        })

    static let list = Command(
        path: ["org", "list"], summary: "list the organisations known here, with YOTs that transfers named",
        usage: "[--type TYPE]",
        options: [Opt(long: "type", value: "TYPE", help: "only organisations of this type")],
        examples: ["ap org list", "ap org list --type establishment --json"],
        run: { inv in
            let repo = try inv.context.repository()
            let config = try repo.loadConfig()
            var rows: [(org: Organisation, source: String)] = [
                (Organisation(code: config.yotCode, name: config.yotName, kind: .yot), "this YOT")
            ]
            rows += config.organisations.map { ($0, "config") }
            for yot in try repo.yotsInTransfers(here: config.yotCode) where config.organisation(yot.code) == nil {
                rows.append((Organisation(code: yot.code, name: yot.name, kind: .yot), "transfers"))
            }
            if let type = inv.value("type") {
                let kind = try Organisation.Kind.parse(type)
                rows = rows.filter { $0.org.kind == kind }
            }
            rows.sort { $0.org.code < $1.org.code }
            let text = Table.render(
                ["CODE", "TYPE", "NAME", "KNOWN FROM"],
                rows.map { [$0.org.code, $0.org.kind.rawValue, $0.org.name, $0.source] })
            return Output(
                text: text,
                json: .array(
                    rows.map { row in
                        guard case .object(var o) = row.org.json else { return row.org.json }
                        o["source"] = .string(row.source == "this YOT" ? "this-yot" : row.source)
                        return .object(o)
                    }))
        })

    static let remove = Command(
        path: ["org", "remove"], summary: "remove an organisation no case names (admin only)",
        usage: "CODE",
        details: "Refused while a case names it: a stage sent to it, a key event at it, or a transfer.",
        arguments: 1...1,
        examples: ["ap org remove WETHERBY"],
        run: { inv in
            let code = inv.argument(0).uppercased()
            let session = try inv.context.session()
            let config = try session.locked { () -> Config in
                _ = try session.requireRole([.admin], doing: "remove organisations")
                var config = session.config
                try config.removeOrganisation(code)
                let named = try CaseScan.states(session.repo).states.filter { Organisation.isNamed(code, in: $0) }
                if !named.isEmpty {
                    let ids = named.compactMap { $0["id"]?.stringValue }.sorted()
                    throw APError.refused(
                        "'\(code)' is named by \(ids.count) case\(ids.count == 1 ? "" : "s") ("
                            + ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? ", ..." : "") + "); it stays")
                }
                try session.saveConfig(config)
                return config
            }
            return .done("Removed organisation \(code)", .array(config.organisations.map(\.json)))
        })

    static let sharing = Command(
        path: ["config", "sharing"], summary: "show or set what each receiver type is sent of a stage",
        usage: "[TYPE [ENTRY...|default]]",
        details: """
            An entry is '*' (the whole stage) or an answer key, which covers the keys under it
            (pfs.substance-misuse covers pfs.substance-misuse.explanation). The defaults follow
            001 §3.2.1; 'default' restores a type's. Setting is for admins.
            """,
        arguments: 0...100,
        examples: ["ap config sharing", "ap config sharing education rosh saw", "ap config sharing camhs default"],
        run: { inv in
            var config = try inv.context.repository().loadConfig()
            let words = inv.arguments
            if words.count > 1 {
                let kind = try Organisation.Kind.parse(words[0])
                let entries = words.dropFirst().map { $0.lowercased() }
                config = try ConfigFrameworkCommands.edit(inv, doing: "change the sharing policy") {
                    try $0.setSharing(kind, entries == ["default"] ? nil : Array(entries))
                }
            }
            let kinds = try words.first.map { [try Organisation.Kind.parse($0)] } ?? Organisation.Kind.allCases
            let rows = kinds.map { kind in
                [
                    kind.rawValue, config.sharing(for: kind).joined(separator: " "),
                    config.sharing[kind.rawValue] == nil ? "default" : "local",
                ]
            }
            return Output(
                text: Table.render(["TYPE", "SENT", "SETTING"], rows),
                json: .object(
                    Dictionary(
                        uniqueKeysWithValues: kinds.map {
                            ($0.rawValue, .array(config.sharing(for: $0).map(JSONValue.string)))
                        })))
        })
}
