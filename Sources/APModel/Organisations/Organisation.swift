/// A body `ap` sends to or records events at (domain.md, "Organisations"; 003; 001 §3.2.1, §11):
/// YOTs, secure establishments, the YCS Placements Team, social care and partner services.
public struct Organisation: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case yot, establishment, placements
        case socialCare = "social-care"
        case camhs, ypdas, education, probation
        /// A youth court or a referral order panel: named on a hearing (`ap record --at`) and
        /// a document's front sheet; it receives documents, never a package (issue 28).
        case court

        public static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }

        public static func parse(_ text: String) throws -> Kind {
            guard let kind = Kind(rawValue: text.lowercased()) else {
                throw APError.usage("unknown organisation type '\(text)'; types: \(allNames)")
            }
            return kind
        }
    }

    public var code: String
    public var name: String
    public var kind: Kind

    public init(code: String, name: String, kind: Kind) {
        self.code = code
        self.name = name
        self.kind = kind
    }

    /// Its code and name, as packages and e-mail address it.
    public var identity: YOT { YOT(code: code, name: name) }

    public var json: JSONValue { ["code": .string(code), "name": .string(name), "type": .string(kind.rawValue)] }

    public init(json: JSONValue, path: String) throws {
        let r = try JSONReader(json, path: path)
        code = try r.string("code")
        name = try r.string("name")
        let type = try r.string("type")
        guard let kind = Kind(rawValue: type) else {
            throw APError.data("field '\(path).type' is '\(type)'; types: \(Kind.allNames)")
        }
        self.kind = kind
        try Config.validateYOTCode(code)
    }
}

extension Config {
    /// The organisation with `code`: one added to the config, this YOT, or a YOT that
    /// transfers named (`known`), in that order.
    public func organisation(_ code: String, known: [YOT] = []) -> Organisation? {
        let code = code.uppercased()
        if let org = organisations.first(where: { $0.code == code }) { return org }
        if code == yotCode { return Organisation(code: yotCode, name: yotName, kind: .yot) }
        return known.first(where: { $0.code == code }).map { Organisation(code: $0.code, name: $0.name, kind: .yot) }
    }

    /// Adds an organisation; its code must be new, and not this YOT's.
    public mutating func addOrganisation(_ org: Organisation) throws {
        try Config.validateYOTCode(org.code)
        guard org.code != yotCode, !organisations.contains(where: { $0.code == org.code }) else {
            throw APError.exists("an organisation with code '\(org.code)' is already known")
        }
        let name = try StageRules.requiredText(org.name, "--name")
        guard name.count <= 200, !name.contains(where: \.isNewline) else {
            throw APError.usage("--name is 1 to 200 characters on one line")
        }
        organisations.append(Organisation(code: org.code, name: name, kind: org.kind))
        organisations.sort { $0.code < $1.code }
    }

    public mutating func removeOrganisation(_ code: String) throws {
        guard let i = organisations.firstIndex(where: { $0.code == code.uppercased() }) else {
            throw APError.notFound("no organisation '\(code)' in the config; 'ap org list' shows them")
        }
        organisations.remove(at: i)
    }
}

extension Organisation {
    /// Whether a case's stored state names `code`: a stage sent to it, a key event at it, or
    /// a transfer to or from it.
    public static func isNamed(_ code: String, in state: JSONValue) -> Bool {
        func names(_ org: JSONValue?) -> Bool { org?["code"]?.stringValue == code }
        let stages = state["stages"]?.arrayValue ?? []
        let events = state["keyEvents"]?.arrayValue ?? []
        let transfers = state["transfers"]?.arrayValue ?? []
        return stages.contains { ($0["sends"]?.arrayValue ?? []).contains { names($0["to"]) } }
            || events.contains { names($0["at"]) }
            || transfers.contains { names($0["to"]) || names($0["from"]) }
    }
}
