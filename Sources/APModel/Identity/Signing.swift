import Foundation

/// The key that signs for the acting user: a private key file (`AP_SIGNING_KEY`, as git's
/// user.signingKey) or, with `privatePath` nil, the same key held by ssh-agent.
public struct SigningKey: Equatable, Sendable {
    public var publicKey: PublicKey
    public var privatePath: String?
    public var source: String

    public init(publicKey: PublicKey, privatePath: String?, source: String) {
        self.publicKey = publicKey
        self.privatePath = privatePath
        self.source = source
    }
}

/// The seam to signatures: OpenSSH's `ssh-keygen -Y sign/verify` in ap, a stand-in in tests
/// that need no keys. Never cryptography of ap's own.
public protocol SignatureTool: Sendable {
    /// The signature over `message` (the base64 of ssh-keygen's armoured text).
    func sign(_ message: String, with key: SigningKey) throws -> String
    /// Whether `signature` is `principal`'s, made with `key` over `message`.
    func verify(_ message: String, signature: Seal, key: PublicKey, principal: String) throws -> Bool
    /// The public keys ssh-agent holds (none without an agent).
    func agentKeys() -> [PublicKey]
    /// The public half of a private key file with no passphrase.
    func publicKey(ofPrivate path: String) throws -> PublicKey
}

/// `ssh-keygen -Y` with namespace `ap`. What ssh-keygen must read as files (an allowed_signers
/// line, a signature, an agent key's public half) reaches it through pipes, as `/dev/fd/N`:
/// nothing is written to disk, and nothing another process writes is read.
public struct SSHKeygen: SignatureTool {
    public static let namespace = "ap"
    public let environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func sign(_ message: String, with key: SigningKey) throws -> String {
        // With no private key file, the public half names the key ssh-agent holds.
        let files = key.privatePath == nil ? [Array((key.publicKey.line + "\n").utf8)] : []
        let r = try Subprocess.run(
            "ssh-keygen", ["-q", "-Y", "sign", "-n", SSHKeygen.namespace, "-f", key.privatePath ?? "/dev/fd/3"],
            input: Array(message.utf8), files: files, environment: environment)
        guard r.status == 0, let body = Seal.body(ofArmoured: String(decoding: r.stdout, as: UTF8.self)) else {
            throw APError.permission(
                "ssh-keygen could not sign with \(key.source) (\(key.publicKey.fingerprint)): "
                    + (r.errorText.isEmpty ? "exit \(r.status)" : r.errorText))
        }
        return body
    }

    public func verify(_ message: String, signature: Seal, key: PublicKey, principal: String) throws -> Bool {
        let signers = "\(principal) namespaces=\"\(SSHKeygen.namespace)\" \(key.line)\n"
        let r = try Subprocess.run(
            "ssh-keygen",
            ["-Y", "verify", "-n", SSHKeygen.namespace, "-f", "/dev/fd/3", "-I", principal, "-s", "/dev/fd/4"],
            input: Array(message.utf8), files: [Array(signers.utf8), Array(signature.armoured.utf8)],
            environment: environment)
        return r.status == 0
    }

    public func agentKeys() -> [PublicKey] {
        guard let sock = environment["SSH_AUTH_SOCK"], !sock.isEmpty,
            let r = try? Subprocess.run("ssh-add", ["-L"], environment: environment), r.status == 0
        else { return [] }
        return String(decoding: r.stdout, as: UTF8.self).split(separator: "\n").compactMap {
            try? PublicKey(line: String($0), source: "ssh-agent")
        }
    }

    public func publicKey(ofPrivate path: String) throws -> PublicKey {
        let r = try Subprocess.run("ssh-keygen", ["-y", "-P", "", "-f", path], environment: environment)
        guard r.status == 0 else {
            throw APError.permission(
                "cannot read the public half of '\(path)' (AP_SIGNING_KEY): \(r.errorText); "
                    + "keep '\(path).pub' beside it, or load the key into ssh-agent")
        }
        return try PublicKey(line: String(decoding: r.stdout, as: UTF8.self), source: "'\(path)'")
    }

}

extension SigningKey {
    /// The key that signs for `user`, whose registered keys are `keys`: `AP_SIGNING_KEY`
    /// (a private key file, or a public one whose private half ssh-agent holds), else the
    /// first agent key registered to the user. Refused (77) when none is, naming the key.
    public static func find(
        for user: String, keys: [PublicKey], environment: [String: String],
        tool: SignatureTool, owners: [String: String]
    ) throws -> SigningKey {
        let registered = Set(keys.map(\.fingerprint))
        func check(_ key: PublicKey, _ source: String) throws {
            guard registered.contains(key.fingerprint) else {
                let owner = owners[key.fingerprint].map { "; it is registered to '\($0)'" } ?? ""
                throw APError.permission(
                    "\(source) holds \(key.fingerprint), which is not a key of '\(user)'\(owner); nothing was written")
            }
        }
        if let path = environment["AP_SIGNING_KEY"], !path.isEmpty {
            let text = String(
                decoding: (try? FileSystem.read(path, limit: 65_536, followLinks: true)) ?? [], as: UTF8.self)
            if let pub = try? PublicKey(line: text, source: path) {
                try check(pub, "AP_SIGNING_KEY '\(path)'")
                return SigningKey(publicKey: pub, privatePath: nil, source: "ssh-agent")
            }
            guard FileSystem.exists(path) else {
                throw APError.permission("AP_SIGNING_KEY names '\(path)', which does not exist")
            }
            let pub =
                FileSystem.exists(path + ".pub")
                ? try PublicKey.read(file: path + ".pub")
                : try tool.publicKey(ofPrivate: path)
            try check(pub, "AP_SIGNING_KEY '\(path)'")
            return SigningKey(publicKey: pub, privatePath: path, source: "'\(path)'")
        }
        let agent = tool.agentKeys()
        if let key = agent.first(where: { registered.contains($0.fingerprint) }) {
            return SigningKey(publicKey: key, privatePath: nil, source: "ssh-agent")
        }
        let why =
            agent.isEmpty
            ? "no AP_SIGNING_KEY and no key in ssh-agent"
            : "none of the \(agent.count) keys in ssh-agent is registered to '\(user)'"
        throw APError.permission(
            "signatures are required and '\(user)' has no usable key (\(why)); set AP_SIGNING_KEY to your private key "
                + "file or add it to ssh-agent ('ap user key list \(user)' shows the registered keys); "
                + "nothing was written"
        )
    }
}
