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

/// `ssh-keygen -Y` with namespace `ap`. Files ssh-keygen must read (an allowed_signers line,
/// a signature, an agent key's public half) are written in `scratch`, inside the repository's
/// `.ap`, and removed: they hold keys and signatures over digests, never case data.
public struct SSHKeygen: SignatureTool {
    public static let namespace = "ap"
    public let scratch: String
    public let environment: [String: String]

    public init(scratch: String, environment: [String: String]) {
        self.scratch = scratch
        self.environment = environment
    }

    public func sign(_ message: String, with key: SigningKey) throws -> String {
        var keyFile = key.privatePath
        var temp: String?
        if keyFile == nil {
            temp = try writeScratch("pub", key.publicKey.line + "\n")
            keyFile = temp
        }
        defer { if let temp { FileSystem.remove(temp) } }
        let r = try Subprocess.run(
            "ssh-keygen", ["-q", "-Y", "sign", "-n", SSHKeygen.namespace, "-f", keyFile!], input: Array(message.utf8),
            environment: environment)
        guard r.status == 0, let body = Seal.body(ofArmoured: String(decoding: r.stdout, as: UTF8.self)) else {
            throw APError.permission(
                "ssh-keygen could not sign with \(key.source) (\(key.publicKey.fingerprint)): "
                    + (r.errorText.isEmpty ? "exit \(r.status)" : r.errorText))
        }
        return body
    }

    public func verify(_ message: String, signature: Seal, key: PublicKey, principal: String) throws -> Bool {
        let signers = try writeScratch("signers", "\(principal) namespaces=\"\(SSHKeygen.namespace)\" \(key.line)\n")
        defer { FileSystem.remove(signers) }
        let sig = try writeScratch("sig", signature.armoured)
        defer { FileSystem.remove(sig) }
        let r = try Subprocess.run(
            "ssh-keygen",
            ["-Y", "verify", "-n", SSHKeygen.namespace, "-f", signers, "-I", principal, "-s", sig],
            input: Array(message.utf8), environment: environment)
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

    private func writeScratch(_ kind: String, _ text: String) throws -> String {
        let path = "\(scratch)/.sig.tmp-\(getpid())-\(Environment.randomID()).\(kind)"
        try FileSystem.writeAtomically(path, Array(text.utf8), syncFolder: false)
        return path
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
