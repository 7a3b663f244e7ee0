import APModel

enum UserCommands {
    static let all = [add, update, list, absent, back]

    static let add = Command(
        path: ["user", "add"], summary: "add a user (admin only); 'ap user update' changes one",
        usage: "ID --name NAME --role ROLES [--key-file FILE.pub] [OPTIONS]",
        details: """
            Roles: practitioner, manager, business-support, admin. Grades (002): student,
            band-a (case manager), band-b (senior case manager), band-c (advanced
            practitioner). Gender: female, male, other, unknown (002 §2.2). An existing id is
            refused: 'ap user update' changes a user. With signatures on, the user, roles, key
            and login are signed into the identity record (ap-identity(7)).
            """,
        options: [
            Opt(long: "name", value: "NAME", help: "the user's full name"),
            Opt(long: "role", value: "ROLES", help: "comma-separated roles"),
            Opt(long: "grade", value: "GRADE", help: "student, band-a, band-b or band-c"),
            Opt(long: "gender", value: "GENDER", help: "female, male, other or unknown"),
            Opt(long: "key-file", value: "FILE.pub", help: "the user's OpenSSH public key"),
            Opt(long: "login", value: "LOGIN", help: "the operating-system account the user works in"),
        ],
        arguments: 1...1,
        examples: [
            "ap user add pat --name 'Pat Jones' --role practitioner --grade band-a",
            "ap user add sam --name 'Sam Lee' --role manager --key-file sam.pub",
        ],
        run: { inv in
            let id = inv.argument(0)
            try User.validateID(id)
            let roles = try Role.parseList(try inv.required("role"))
            let name = try StageRules.requiredText(try inv.required("name"), "--name")
            var user = User(id: id, name: name, roles: roles)
            user.grade = try inv.value("grade").map(Grade.parse)
            user.gender = try inv.value("gender").map { try Gender.parse($0, field: "--gender") }
            user.keys = try inv.value("key-file").map { [try PublicKey.read(file: $0)] } ?? []
            if let login = inv.value("login") { try User.validateLogin(login); user.login = login }
            let session = try inv.context.session()
            try session.locked {
                _ = try session.requireRole([.admin], doing: "add users")
                session.commitSubject = "user add \(id)"
                let raw = try session.repo.loadRawConfig()
                guard session.config.users[id] == nil, raw.users[id] == nil else {
                    throw APError.exists("user '\(id)' already exists; 'ap user update \(id)' changes a user")
                }
                for key in user.keys {
                    if let owner = try IdentityCommands.owner(of: key, session) {
                        throw APError.exists("\(key.fingerprint) is already registered to '\(owner)'")
                    }
                }
                if let login = user.login, let other = session.config.users.values.first(where: { $0.login == login }) {
                    throw APError.exists("the login '\(login)' is already bound to '\(other.id)'")
                }
                if try session.repo.identity() != nil {
                    var o: [String: JSONValue] = [
                        "id": .string(id), "name": .string(name), "roles": .array(roles.map { .string($0.rawValue) }),
                        "keys": .array(user.keys.map { .string($0.line) }),
                    ]
                    if let login = user.login { o["login"] = .string(login) }
                    try session.appendIdentity(IdentityEntryType.userAdded, ["user": .object(o)])
                }
                var config = session.config
                config.users[id] = user
                try session.saveConfig(config)
            }
            return .done("User \(id) (\(name)): \(roles.map(\.rawValue).joined(separator: ", "))", userJSON(user))
        })

    static let update = Command(
        path: ["user", "update"], summary: "change a user's name, roles, grade or gender (admin only)",
        usage: "ID [--name NAME] [--role ROLES] [--login LOGIN] [OPTIONS]",
        options: [
            Opt(long: "name", value: "NAME", help: "the user's full name"),
            Opt(long: "role", value: "ROLES", help: "comma-separated roles"),
            Opt(long: "grade", value: "GRADE", help: "student, band-a, band-b, band-c, or none"),
            Opt(long: "gender", value: "GENDER", help: "female, male, other or unknown"),
            Opt(long: "login", value: "LOGIN", help: "bind the user to this operating-system account ('none' unbinds)"),
        ],
        arguments: 1...1,
        examples: ["ap user update pat --grade band-b", "ap user update kim --role practitioner,manager"],
        run: { inv in
            let id = inv.argument(0)
            guard ["name", "role", "grade", "gender", "login"].contains(where: inv.flag) else {
                throw APError.usage("nothing to change: give --name, --role, --grade, --gender or --login")
            }
            let roles = try inv.value("role").map(Role.parseList)
            let grade = try inv.value("grade").map { $0 == "none" ? nil : try Grade.parse($0) }
            let gender = try inv.value("gender").map { try Gender.parse($0, field: "--gender") }
            let name = try inv.value("name").map { try StageRules.requiredText($0, "--name") }
            let login = inv.value("login")
            if let login, login != "none" { try User.validateLogin(login) }
            let session = try inv.context.session()
            let config = try session.locked { () -> Config in
                let me = try session.requireRole([.admin], doing: "change users")
                session.commitSubject = "user update \(id)"
                var config = session.config
                guard var user = config.users[id] else { throw unknown(id) }
                let holder = login.flatMap { l in config.users.values.first { $0.login == l && $0.id != id } }
                if let login, login != "none", let other = holder {
                    throw APError.exists("the login '\(login)' is already bound to '\(other.id)'")
                }
                if let roles, id == me.id, !roles.contains(.admin) {
                    throw APError.refused("an admin cannot remove their own admin role; another admin can")
                }
                if let name { user.name = name }
                if let roles { user.roles = roles }
                if let grade { user.grade = grade }
                if let gender { user.gender = gender }
                if let login { user.login = login == "none" ? nil : login }
                if try session.repo.identity() != nil, name != nil || roles != nil || login != nil {
                    var o: [String: JSONValue] = ["id": .string(id)]
                    if let name { o["name"] = .string(name) }
                    if let roles { o["roles"] = .array(roles.map { .string($0.rawValue) }) }
                    if let login { o["login"] = .string(login == "none" ? "" : login) }
                    try session.appendIdentity(IdentityEntryType.userUpdated, o)
                    config = session.config
                } else {
                    config.users[id] = user
                }
                config.users[id]?.grade = user.grade
                config.users[id]?.gender = user.gender
                try session.saveConfig(config)
                return config
            }
            return .done("Updated user \(id)", userJSON(config.users[id]!))
        })

    static let list = Command(
        path: ["user", "list"], summary: "list the users, their roles, grades and leave", usage: "",
        examples: ["ap user list --json"],
        run: { inv in
            let config = try inv.context.repository().loadConfig()
            let users = config.users.values.sorted { $0.id < $1.id }
            let today = inv.context.today
            let text = Table.render(
                ["USER", "NAME", "ROLES", "GRADE", "LEAVE"],
                users.map {
                    [
                        $0.id, $0.name, $0.roles.map(\.rawValue).joined(separator: ","), $0.grade?.rawValue ?? "",
                        $0.absence.map { ($0.covers(today) ? "away: " : "") + $0.text } ?? "",
                    ]
                }, fixed: ["USER", "GRADE"])
            return Output(text: text, json: .array(users.map(userJSON)))
        })

    static let absent = Command(
        path: ["user", "absent"], summary: "record a user's leave: planned with cover, or unplanned (managers)",
        usage: "ID --from DATE [--to DATE] [--planned --cover USER]",
        details: """
            No case is allocated to someone absent unless their return is imminent (002 §2.1).
            Planned leave names a cover worker before it starts (002 §7.1): until then 'ap due'
            asks for one on each case they manage. After two weeks of unplanned leave with no
            end date, 'ap due' asks the manager to consider re-allocating (002 §7.2).
            """,
        options: [
            Opt(long: "from", value: "DATE", help: "the first day away"),
            Opt(long: "to", value: "DATE", help: "the last day away, where known"),
            Opt(long: "planned", help: "planned leave (else unplanned, e.g. sickness)"),
            Opt(long: "cover", value: "USER", help: "who leads on the cases meanwhile (planned leave)"),
        ],
        arguments: 1...1,
        examples: [
            "ap user absent pat --from 2026-12-21 --to 2027-01-04 --planned --cover kim",
            "ap user absent kim --from 2026-11-23",
        ],
        run: { inv in
            let id = inv.argument(0)
            func day(_ option: String) throws -> Day? {
                try inv.value(option).map {
                    guard let d = Day($0) else { throw APError.usage("--\(option) takes a date like 2026-12-21") }
                    return d
                }
            }
            guard let from = try day("from") else { throw APError.usage("'ap user absent' needs --from DATE") }
            let to = try day("to")
            if let to, to < from { throw APError.usage("--to \(to) is before --from \(from)") }
            let cover = inv.value("cover")
            if cover != nil, !inv.flag("planned") { throw APError.usage("--cover goes with --planned") }
            let user = try recordLeave(inv, of: id) { user, config in
                if let cover {
                    guard let worker = config.users[cover], worker.id != id else {
                        throw APError.notFound("--cover names '\(cover)', who is not another user here")
                    }
                    guard worker.has(.practitioner) || worker.has(.manager) else {
                        throw APError.permission("'\(cover)' cannot cover cases: a practitioner or a manager can")
                    }
                }
                user.absence = Absence(from: from, to: to, planned: inv.flag("planned"), cover: cover)
            }
            return .done("\(id): \(user.absence!.text)", userJSON(user))
        })

    static let back = Command(
        path: ["user", "back"], summary: "record that a user is back from leave (managers)",
        usage: "ID",
        arguments: 1...1,
        examples: ["ap user back kim"],
        run: { inv in
            let id = inv.argument(0)
            let user = try recordLeave(inv, of: id) { user, _ in
                guard user.absence != nil else { throw APError.refused("'\(id)' has no leave recorded") }
                user.absence = nil
            }
            return .done("\(id) is back", userJSON(user))
        })

    /// Changes user `id`'s leave under the lock, as a manager, and saves the config.
    static func recordLeave(
        _ inv: Invocation, of id: String, _ change: (inout User, Config) throws -> Void
    ) throws -> User {
        let session = try inv.context.session()
        return try session.locked {
            _ = try session.requireRole([.manager], doing: "record leave")
            var config = session.config
            guard var user = config.users[id] else { throw unknown(id) }
            try change(&user, config)
            config.users[id] = user
            try session.saveConfig(config)
            return user
        }
    }

    static func unknown(_ id: String) -> APError {
        .notFound("no user '\(id)' in this repository; 'ap user list' shows them")
    }

    static func userJSON(_ u: User) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .string(u.id), "name": .string(u.name), "roles": .array(u.roles.map { .string($0.rawValue) }),
        ]
        if let grade = u.grade { o["grade"] = .string(grade.rawValue) }
        if let gender = u.gender { o["gender"] = .string(gender) }
        if let absence = u.absence { o["absence"] = absence.json }
        if let login = u.login { o["login"] = .string(login) }
        o["keys"] = .array(u.keys.map { .string($0.fingerprint) })
        return .object(o)
    }
}
