import APModel
import Foundation

enum InitCommand {
    static let command = Command(
        path: ["init"], summary: "create a case repository",
        usage: "[DIR] --yot CODE --yot-name NAME --admin USER [OPTIONS]",
        details: "Creates DIR/.ap/config.json (this YOT, its users, the policy defaults of domain.md) and DIR/cases/.\nRefuses inside an existing repository.",
        options: [
            Opt(long: "yot", value: "CODE", help: "this YOT's short code, e.g. BARNET"),
            Opt(long: "yot-name", value: "NAME", help: "this YOT's display name"),
            Opt(long: "admin", value: "USER", help: "the first user's id; gets the admin role"),
            Opt(long: "admin-name", value: "NAME", help: "the first user's full name (default: the id)"),
            Opt(long: "git", help: "make it a git repository whose cases merge with ap (see 'ap git setup')"),
            Opt(long: "shared", value: "group",
                help: "for several accounts of the folder's group: files 0660, folders 2770 (as git's)"),
            Opt(long: "admin-key", value: "FILE.pub",
                help: "the admin's OpenSSH public key: signs the identity record and turns signatures on"),
        ],
        arguments: 0...1,
        examples: [
            "ap init barnet --yot BARNET --yot-name 'Barnet YJS' --admin alex",
            "ap init barnet --yot BARNET --yot-name Barnet --admin al --admin-key al.pub",
        ],
        run: { inv in
            let code = try inv.required("yot").uppercased()
            try Config.validateYOTCode(code)
            let adminID = try inv.required("admin")
            try User.validateID(adminID)
            let name = try inv.required("yot-name")
            var admin = User(id: adminID, name: inv.value("admin-name") ?? adminID, roles: [.admin])
            let keyFile = inv.value("admin-key")
            if let keyFile { admin.keys = [try PublicKey.read(file: keyFile)] }
            let dir = inv.arguments.first ?? inv.context.repoOption ?? "."
            let config = Config(yotCode: code, yotName: name, admin: admin)
            var environment = inv.context.environment
            // The private key beside the .pub signs, unless AP_SIGNING_KEY or ssh-agent holds it.
            if let keyFile, environment["AP_SIGNING_KEY"] == nil, keyFile.hasSuffix(".pub"),
                FileSystem.exists(String(keyFile.dropLast(4)))
            {
                environment["AP_SIGNING_KEY"] = String(keyFile.dropLast(4))
            }
            if keyFile != nil {
                // Refused before anything is made: no usable private key for the admin's key.
                let tool = SSHKeygen(environment: environment)
                _ = try SigningKey.find(
                    for: adminID, keys: admin.keys, environment: environment, tool: tool, owners: [:])
            }
            let shared = try inv.value("shared").map { value -> Bool in
                guard value == "group" else { throw APError.usage("--shared takes 'group'") }
                return true
            } ?? false
            let repo = try Repository.initialize(at: dir, config: config, shared: shared)
            repo.trust = Trust.system(root: repo.root, environment: environment)
            var anchor: String?
            if keyFile != nil {
                do {
                    let session = try Session(repo: repo, actorID: adminID, osUser: inv.context.osUser,
                                              env: try inv.context.clock(), commandName: "ap init")
                    anchor = try session.locked { try session.startIdentity().entries[0].seal?.key }
                } catch {
                    // No half-made repository: without its signed record it would start unsigned.
                    // `.ap` is new (init refuses inside a repository); `cases/` goes only if empty.
                    FileSystem.removeTree(repo.root + "/.ap")
                    rmdir(repo.root + "/cases")
                    throw error
                }
            }
            if inv.flag("git") {
                let git = Git(root: repo.root)
                try git.setup(shared: shared)
                try repo.closeGit()
                try git.commit(message: "ap init \(code) (by \(adminID))", author: admin, yot: code)
            }
            let warning = anchor == nil
                ? "\nwarning: signatures are off: anyone who can write this folder can act as any user; "
                    + "see ap-identity(7) and 'ap init --admin-key'"
                : "\nSignatures required; the identity record is anchored on \(adminID)'s key \(anchor!)"
            return .done(
                "Initialised ap repository for \(name) (\(code)) in \(repo.root)" + warning,
                [
                    "root": .string(repo.root), "yot": ["code": .string(code), "name": .string(name)],
                    "admin": .string(adminID), "signatures": .string(anchor == nil ? "off" : "required"),
                    "anchor": anchor.map(JSONValue.string) ?? .null,
                ])
        })
}
