/// `.ap/config.json` to and from JSON (format described in ap-config(5)).
extension Config {
    static let knownKeys: Set<String> = [
        "format", "yot", "users", "policy", "mandatory", "furtherExploration", "requiredRatings", "stageKinds", "bankHolidays",
        "questions", "kindSections", "referrals", "countersignKinds", "timescales",
        "obligationTimes",
        "organisations", "sharing",
    ]

    public init(json: JSONValue) throws {
        let r = try JSONReader(json, path: "")
        let format = try r.int("format")
        guard format == Config.currentFormat else {
            throw APError.data("unsupported config format \(format); this ap reads format \(Config.currentFormat)")
        }
        let yot = try JSONReader(.object(try r.object("yot")), path: "yot")
        yotCode = try yot.string("code")
        yotName = try yot.string("name")
        try Config.validateYOTCode(yotCode)

        users = [:]
        for (id, value) in try r.object("users") {
            let u = try JSONReader(value, path: "users.\(id)")
            let roles = try u.strings("roles").map { name -> Role in
                guard let role = Role(rawValue: name) else {
                    throw APError.data("unknown role '\(name)' in 'users.\(id).roles'; roles: \(Role.allNames)")
                }
                return role
            }
            var user = User(id: id, name: try u.string("name"), roles: roles)
            user.grade = try u.optionalString("grade").map { text in
                guard let grade = Grade(rawValue: text) else {
                    throw APError.data("unknown grade '\(text)' in 'users.\(id).grade'; grades: \(Grade.allNames)")
                }
                return grade
            }
            user.gender = try u.optionalString("gender").map { try Gender.parse($0, field: "users.\(id).gender") }
            if u.object["absence"] != nil {
                user.absence = try Absence(json: .object(try u.object("absence")), path: "users.\(id).absence")
            }
            user.keys = try (u.object["keys"] == nil ? [] : u.strings("keys")).map {
                try PublicKey(line: $0, source: "field 'users.\(id).keys'")
            }
            user.login = try u.optionalString("login")
            users[id] = user
        }

        policy = Policy()
        for (key, value) in try r.object("policy") {
            let text: String
            switch value {
            case .string(let s): text = s
            case .number(let n): text = n
            case .bool(let b): text = String(b)
            case .null: text = "off"
            default: throw APError.data("field 'policy.\(key)' must be a string, number or true/false")
            }
            do { try policy.set(key, text) } catch let e as APError { throw APError.data("policy: \(e.message)") }
        }

        mandatory = try Config.keyLists(r, "mandatory")
        requiredRatings = r.object["requiredRatings"] == nil ? Config.defaultRequiredRatings : try Config.keyLists(r, "requiredRatings")
        furtherExploration = try r.strings("furtherExploration")
        extraStageKinds = try r.array("stageKinds").enumerated().map { i, value in
            let k = try JSONReader(value, path: "stageKinds[\(i)]")
            let kind = StageKind(slug: try k.string("slug"), name: try k.string("name"))
            try AnswerKey.validate(kind.slug)
            return kind
        }
        extraBankHolidays = try r.strings("bankHolidays")
        for day in extraBankHolidays where Day(day) == nil {
            throw APError.data("field 'bankHolidays' holds '\(day)', which is not a date like 2031-01-01")
        }
        localQuestions = try r.array("questions").enumerated().map { i, value in
            let q = try JSONReader(value, path: "questions[\(i)]")
            let typeName = try q.string("type")
            guard let type = QuestionType(rawValue: typeName), QuestionType.localTypes.contains(type) else {
                throw APError.data("field 'questions[\(i)].type' is '\(typeName)'; types: \(QuestionType.localNames)")
            }
            return Question(key: try q.string("key"), label: try q.string("label"), section: try q.string("section"),
                            type: type, local: true)
        }
        kindSections = try Config.keyLists(r, "kindSections")
        referrals = try r.object("referrals").mapValues {
            guard let text = $0.stringValue else { throw APError.data("field 'referrals' must map keys to text") }
            return text
        }
        countersignKinds = r.object["countersignKinds"] == nil ? Config.courtKinds : try r.strings("countersignKinds")
        timescales = try r.object("timescales").mapValues { value in
            guard let days = value.intValue, (1...100).contains(days) else {
                throw APError.data("field 'timescales' must map stage kinds to whole numbers of working days, 1 to 100")
            }
            return days
        }
        obligationTimes = try r.object("obligationTimes").mapValues {
            guard let text = $0.stringValue else {
                throw APError.data("field 'obligationTimes' must map obligation rules to times such as 2d")
            }
            return text
        }
        for (id, text) in obligationTimes {
            guard let rule = ObligationRule.named(id) else {
                throw APError.data("field 'obligationTimes' names '\(id)', which is not an obligation rule")
            }
            do { _ = try rule.within(text) } catch let e as APError {
                throw APError.data("field 'obligationTimes': \(e.message)")
            }
        }
        organisations = try r.array("organisations").enumerated().map { i, value in
            try Organisation(json: value, path: "organisations[\(i)]")
        }
        sharing = try Config.keyLists(r, "sharing")
        for type in sharing.keys where Organisation.Kind(rawValue: type) == nil {
            throw APError.data("field 'sharing' names '\(type)', which is not an organisation type")
        }
        unknown = r.object.filter { !Config.knownKeys.contains($0.key) }
    }

    /// An object of stage kinds to lists of answer keys.
    static func keyLists(_ r: JSONReader, _ field: String) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (kind, value) in try r.object(field) {
            guard let list = value.arrayValue else { throw APError.data("field '\(field).\(kind)' must be an array of answer keys") }
            out[kind] = try list.map {
                guard let key = $0.stringValue else { throw APError.data("field '\(field).\(kind)' must hold only strings") }
                return key
            }
        }
        return out
    }

    public var json: JSONValue {
        var policyFields: [String: JSONValue] = [:]
        for setting in Policy.settings {
            let text = policy.value(of: setting.key)
            if setting.allowed == ["true", "false"] {
                policyFields[setting.key] = .bool(text == "true")
            } else if text == "off" {
                policyFields[setting.key] = .null
            } else if setting.allowed == nil, Int(text) != nil {
                policyFields[setting.key] = .number(text)
            } else {
                policyFields[setting.key] = .string(text)
            }
        }
        var out = unknown
        out["format"] = .int(Config.currentFormat)
        out["yot"] = ["code": .string(yotCode), "name": .string(yotName)]
        out["users"] = .object(users.mapValues { u in
            var o: [String: JSONValue] = [
                "name": .string(u.name), "roles": .array(u.roles.map { .string($0.rawValue) }),
            ]
            if let grade = u.grade { o["grade"] = .string(grade.rawValue) }
            if let gender = u.gender { o["gender"] = .string(gender) }
            if let absence = u.absence { o["absence"] = absence.json }
            if !u.keys.isEmpty { o["keys"] = .array(u.keys.map { .string($0.line) }) }
            if let login = u.login { o["login"] = .string(login) }
            return .object(o)
        })
        out["policy"] = .object(policyFields)
        out["mandatory"] = .object(mandatory.mapValues { .array($0.map(JSONValue.string)) })
        out["requiredRatings"] = .object(requiredRatings.mapValues { .array($0.map(JSONValue.string)) })
        out["furtherExploration"] = .array(furtherExploration.map(JSONValue.string))
        out["stageKinds"] = .array(extraStageKinds.map { ["slug": .string($0.slug), "name": .string($0.name)] })
        out["bankHolidays"] = .array(extraBankHolidays.map(JSONValue.string))
        out["questions"] = .array(localQuestions.map { q in
            [
                "key": .string(q.key), "label": .string(q.label), "section": .string(q.section),
                "type": .string(q.type.rawValue),
            ]
        })
        out["kindSections"] = .object(kindSections.mapValues { .array($0.map(JSONValue.string)) })
        out["referrals"] = .object(referrals.mapValues(JSONValue.string))
        out["countersignKinds"] = .array(countersignKinds.map(JSONValue.string))
        out["timescales"] = .object(timescales.mapValues(JSONValue.int))
        if !obligationTimes.isEmpty { out["obligationTimes"] = .object(obligationTimes.mapValues(JSONValue.string)) }
        out["organisations"] = .array(organisations.map(\.json))
        out["sharing"] = .object(sharing.mapValues { .array($0.map(JSONValue.string)) })
        return .object(out)
    }
}
