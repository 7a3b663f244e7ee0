/// A signature over one write: the signer's key fingerprint, the signature ssh-keygen made,
/// and the path from the signed item to the signed root where one signature covers many
/// items (a batch signs every event it wrote once, as a Merkle tree).
public struct Seal: Equatable, Sendable {
    public var key: String
    /// The base64 between the armour lines of ssh-keygen's signature, without line breaks.
    public var sig: String
    public var path: [String]

    public init(key: String, sig: String, path: [String] = []) {
        self.key = key
        self.sig = sig
        self.path = path
    }

    public init(json: JSONValue, at field: String) throws {
        let r = try JSONReader(json, path: field)
        key = try r.string("key")
        sig = try r.string("sig")
        path = r.object["path"] == nil ? [] : try r.strings("path")
        guard key.hasPrefix("SHA256:"), key.count < 100, !sig.isEmpty, sig.count < 20_000, path.count <= 64,
            path.allSatisfy({ $0.utf8.count == 64 && $0.utf8.allSatisfy(Digest.isHex) })
        else { throw APError.data("field '\(field)' is not a valid seal") }
    }

    public var json: JSONValue {
        var o: [String: JSONValue] = ["key": .string(key), "sig": .string(sig)]
        if !path.isEmpty { o["path"] = .array(path.map(JSONValue.string)) }
        return .object(o)
    }

    /// ssh-keygen's signature file text.
    public var armoured: String {
        var lines = ["-----BEGIN SSH SIGNATURE-----"]
        var rest = Substring(sig)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(70)))
            rest = rest.dropFirst(70)
        }
        return (lines + ["-----END SSH SIGNATURE-----", ""]).joined(separator: "\n")
    }

    /// The base64 of an armoured signature, or nil when it is not one.
    public static func body(ofArmoured text: String) -> String? {
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init)
        guard lines.first == "-----BEGIN SSH SIGNATURE-----", lines.last == "-----END SSH SIGNATURE-----" else {
            return nil
        }
        return lines.dropFirst().dropLast().joined()
    }
}

/// SHA-256 digests as lowercase hex, and the Merkle tree one signature covers.
public enum Digest {
    static func isHex(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) }

    public static func of(_ value: JSONValue) -> String { SHA256.hex(Array(JSONWriter.compact(value).utf8)) }

    /// A pair's parent: the two digests in byte order, so a path needs no left/right flags.
    static func pair(_ a: String, _ b: String) -> String {
        SHA256.hex(Array((a < b ? a + b : b + a).utf8))
    }

    /// The root over `leaves` and each leaf's path to it (leaf order as given).
    public static func tree(_ leaves: [String]) -> (root: String, paths: [[String]]) {
        guard !leaves.isEmpty else { return ("", []) }
        var paths = [[String]](repeating: [], count: leaves.count)
        // Which leaves sit under each node of the current level.
        var level = leaves
        var members = leaves.indices.map { [$0] }
        while level.count > 1 {
            var next: [String] = []
            var nextMembers: [[Int]] = []
            var i = 0
            while i < level.count {
                if i + 1 < level.count {
                    for m in members[i] { paths[m].append(level[i + 1]) }
                    for m in members[i + 1] { paths[m].append(level[i]) }
                    next.append(pair(level[i], level[i + 1]))
                    nextMembers.append(members[i] + members[i + 1])
                } else {
                    next.append(level[i])
                    nextMembers.append(members[i])
                }
                i += 2
            }
            level = next
            members = nextMembers
        }
        return (level[0], paths)
    }

    /// The root a leaf and its path lead to.
    public static func root(_ leaf: String, path: [String]) -> String {
        path.reduce(leaf) { pair($0, $1) }
    }
}
