import APModel

enum InitCommand {
    static let command = Command(
        path: ["init"], summary: "create a case repository", usage: "[DIR] --yot CODE --yot-name NAME --admin USER [--admin-name NAME]",
        details: "Creates DIR/.ap/config.json (this YOT, its users, the policy defaults of domain.md) and DIR/cases/.\nRefuses inside an existing repository.",
        options: [
            Opt(long: "yot", value: "CODE", help: "this YOT's short code, e.g. BARNET"),
            Opt(long: "yot-name", value: "NAME", help: "this YOT's display name"),
            Opt(long: "admin", value: "USER", help: "the first user's id; gets the admin role"),
            Opt(long: "admin-name", value: "NAME", help: "the first user's full name (default: the id)"),
            Opt(long: "git", help: "make it a git repository whose cases merge with ap (see 'ap git setup')"),
        ],
        arguments: 0...1,
        examples: ["ap init barnet --yot BARNET --yot-name 'Barnet YJS' --admin alex"],
        run: { inv in
            let code = try inv.required("yot").uppercased()
            try Config.validateYOTCode(code)
            let adminID = try inv.required("admin")
            try User.validateID(adminID)
            let name = try inv.required("yot-name")
            let admin = User(id: adminID, name: inv.value("admin-name") ?? adminID, roles: [.admin])
            let dir = inv.arguments.first ?? inv.context.repoOption ?? "."
            let config = Config(yotCode: code, yotName: name, admin: admin)
            let repo = try Repository.initialize(at: dir, config: config)
            if inv.flag("git") {
                let git = Git(root: repo.root)
                try git.setup()
                try git.commit(message: "ap init \(code) (by \(adminID))", author: admin, yot: code)
            }
            return .done(
                "Initialised ap repository for \(name) (\(code)) in \(repo.root)",
                ["root": .string(repo.root), "yot": ["code": .string(code), "name": .string(name)], "admin": .string(adminID)])
        })
}
