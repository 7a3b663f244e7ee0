import APModel

enum UserCommands {
    static let all = [add, list]

    static let add = Command(
        path: ["user", "add"], summary: "add a user or change their name and roles (admin only)",
        usage: "ID --name NAME --role ROLE[,ROLE]",
        details: "Roles: practitioner, manager, business-support, admin.",
        options: [
            Opt(long: "name", value: "NAME", help: "the user's full name"),
            Opt(long: "role", value: "ROLES", help: "comma-separated roles"),
        ],
        arguments: 1...1,
        examples: ["ap user add pat --name 'Pat Jones' --role practitioner", "ap user add sam --name 'Sam Lee' --role manager,practitioner"],
        run: { inv in
            let id = inv.argument(0)
            try User.validateID(id)
            let roles = try Role.parseList(try inv.required("role"))
            let name = try inv.required("name")
            let session = try inv.context.session()
            let user = User(id: id, name: name, roles: roles)
            try session.locked {
                _ = try session.requireRole([.admin], doing: "add users")
                var config = session.config
                config.users[id] = user
                try session.saveConfig(config)
            }
            return .done("User \(id) (\(name)): \(roles.map(\.rawValue).joined(separator: ", "))", userJSON(user))
        })

    static let list = Command(
        path: ["user", "list"], summary: "list the users and their roles", usage: "",
        examples: ["ap user list --json"],
        run: { inv in
            let config = try inv.context.repository().loadConfig()
            let users = config.users.values.sorted { $0.id < $1.id }
            let text = Table.render(["USER", "NAME", "ROLES"], users.map { [$0.id, $0.name, $0.roles.map(\.rawValue).joined(separator: ",")] })
            return Output(text: text, json: .array(users.map(userJSON)))
        })

    static func userJSON(_ u: User) -> JSONValue {
        ["id": .string(u.id), "name": .string(u.name), "roles": .array(u.roles.map { .string($0.rawValue) })]
    }
}
