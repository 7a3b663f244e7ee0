import Foundation

/// Checks signatures through the seam, remembering each one found good so that only new
/// signatures reach ssh-keygen. The memory is kept in the checking account's own cache
/// folder, not in the repository: whoever can write the repository cannot mark a forged
/// signature as checked. It records digests only, never case data. Which key was valid for
/// whom, and when, is decided afresh every time; only the cryptographic check is cached.
public final class SignatureVerifier: @unchecked Sendable {
    public let tool: SignatureTool
    private let cachePath: String?
    private var good: Set<String>?
    private var added: [String] = []
    public private(set) var checked = 0
    /// The index checks changed cases on several threads at once.
    private let lock = NSLock()

    public init(tool: SignatureTool, cachePath: String?) {
        self.tool = tool
        self.cachePath = cachePath
    }

    /// `$XDG_CACHE_HOME/ap` or `~/.cache/ap`, one file per repository; nil without a home.
    public static func cachePath(root: String, environment: [String: String]) -> String? {
        let base =
            environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 + "/.cache" : nil }
        guard let base else { return nil }
        return "\(base)/ap/verified-\(SHA256.hex(Array(root.utf8)).prefix(16))"
    }

    public func check(_ message: String, seal: Seal, key: PublicKey, principal: String) throws -> Bool {
        let id = SHA256.hex(Array("\(principal)\n\(key.line)\n\(message)\n\(seal.sig)".utf8))
        let known = lock.withLock { () -> Bool in
            if good == nil { good = load() }
            return good!.contains(id)
        }
        if known { return true }
        guard try tool.verify(message, signature: seal, key: key, principal: principal) else { return false }
        lock.withLock {
            checked += 1
            if good!.insert(id).inserted { added.append(id) }
        }
        return true
    }

    /// Forgets every remembered check (`ap verify --all`).
    public func forget() {
        lock.withLock {
            good = []
            added = []
        }
        if let cachePath { FileSystem.remove(cachePath) }
    }

    /// Appends the checks made since the last save; a cache that cannot be written is only slower.
    public func save() {
        lock.lock()
        defer { lock.unlock() }
        guard let cachePath, !added.isEmpty else { return }
        let folder = FileSystem.parent(cachePath)
        try? FileSystem.makeFolder(folder)
        let fd = open(cachePath, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let text = Array((added.joined(separator: "\n") + "\n").utf8)
        try? FileSystem.writeAll(fd, text, path: cachePath)
        added = []
    }

    private func load() -> Set<String> {
        guard let cachePath, let bytes = try? FileSystem.read(cachePath, limit: 256 << 20) else { return [] }
        return Set(
            bytes.split(separator: 0x0A).compactMap { $0.count == 64 ? String(decoding: $0, as: UTF8.self) : nil })
    }
}
