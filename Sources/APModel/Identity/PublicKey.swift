import Foundation

/// An OpenSSH public key as a user's `.pub` file holds it: `TYPE BASE64 [COMMENT]`.
/// Only the type and key are kept (the comment is the owner's, and may name a machine).
public struct PublicKey: Equatable, Hashable, Sendable {
    public let type: String
    public let base64: String

    /// The key types ssh-keygen signs with, certificates aside.
    public static let types: Set<String> = [
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ]

    public init(line text: String, source: String) throws {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        guard fields.count >= 2, PublicKey.types.contains(String(fields[0])) else {
            throw APError.data(
                "\(source) is not an OpenSSH public key (expected a line like 'ssh-ed25519 AAAA...'; "
                    + "give the .pub file, never the private key)")
        }
        guard let blob = Data(base64Encoded: String(fields[1])), blob.count >= 19, blob.count <= 4096,
            PublicKey.blobType(Array(blob)) == String(fields[0])
        else { throw APError.data("\(source): the key's data is damaged or does not match its type '\(fields[0])'") }
        type = String(fields[0])
        base64 = String(fields[1])
    }

    /// Reads a `.pub` file (a few hundred bytes; more is not a public key).
    public static func read(file path: String) throws -> PublicKey {
        let bytes = try FileSystem.read(path, limit: 16_384, followLinks: true)
        return try PublicKey(line: String(decoding: bytes, as: UTF8.self), source: "'\(path)'")
    }

    /// The key's own name for its type, the first string inside its data.
    static func blobType(_ blob: [UInt8]) -> String? {
        guard blob.count >= 4 else { return nil }
        let n = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard n > 0, n <= 64, blob.count >= 4 + n else { return nil }
        return String(decoding: blob[4..<(4 + n)], as: UTF8.self)
    }

    /// `SHA256:...` as `ssh-keygen -l` prints it: unpadded base64 of the key data's SHA-256.
    public var fingerprint: String {
        let blob = Array(Data(base64Encoded: base64) ?? Data())
        var text = Data(SHA256.digest(blob)).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return "SHA256:" + text
    }

    /// `TYPE BASE64`, as allowed_signers and the identity record write it.
    public var line: String { "\(type) \(base64)" }
}
