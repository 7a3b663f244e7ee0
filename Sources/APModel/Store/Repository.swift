#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A case repository on disk: `.ap/config.json`, `.ap/lock`, and `cases/<shard>/<ID>.json`.
/// Found like git's: the nearest folder upwards that holds `.ap/`.
public final class Repository {
    public let root: String
    public let lock: RepositoryLock
    /// Cases (and config) written while buffering, by id: `ap batch` writes each case once,
    /// at the end, and `--atomic`/`--dry-run` can drop them all.
    var pending: [String: CaseFile]? = nil
    var pendingConfig: Config? = nil
    /// The config as last read, with the file's signature then: read again only when the file
    /// changed (a command asks for it several times; ap and git replace it by rename).
    private var readConfig: (signature: FileSystem.Signature, config: Config)? = nil

    public var configPath: String { root + "/.ap/config.json" }
    public var casesPath: String { root + "/cases" }

    public init(root: String) {
        self.root = root
        self.lock = RepositoryLock(path: root + "/.ap/lock")
    }

    /// The repository holding `start`, walking up to the file-system root.
    public static func find(from start: String) throws -> Repository {
        var dir = absolute(start)
        while true {
            if try FileSystem.isFolder(dir + "/.ap") { return try Repository(checked: dir) }
            let up = FileSystem.parent(dir)
            if up == dir || dir == "/" { break }
            dir = up
        }
        throw APError.notFound(
            "not an ap repository (or any parent up to /): '\(absolute(start))'; use -C DIR or AP_REPO, or create one with 'ap init'")
    }

    /// The repository named by `-C` or `AP_REPO`: it must be a repository's root.
    public static func at(_ path: String) throws -> Repository {
        let dir = absolute(path)
        guard FileSystem.isDirectory(dir) else { throw APError.notFound("no such folder '\(path)'") }
        guard try FileSystem.isFolder(dir + "/.ap") else {
            throw APError.notFound("'\(path)' is not an ap repository (no .ap folder); create one with 'ap init'")
        }
        return try Repository(checked: dir)
    }

    /// A repository whose `.ap` is a real folder: through a link, its config, lock and index
    /// would live outside the repository.
    convenience init(checked root: String) throws {
        try Repository.refuseLinks([root + "/.ap"])
        self.init(root: root)
        FileSystem.useShared(FileSystem.isShared(root + "/.ap"))
    }

    /// Folders inside the repository must be real folders: a symbolic link would let a case
    /// be read from, or written to, a place outside it.
    static func refuseLinks(_ folders: [String]) throws {
        for folder in folders where FileSystem.isSymlink(folder) {
            throw APError.data(
                "'\(folder)' is a symbolic link; ap does not read or write through links in a repository")
        }
    }

    /// Creates `.ap/config.json` and `cases/` in `path`, refusing inside an existing repository.
    /// `shared`: for the accounts of the folder's group (files 0660, folders 2770).
    public static func initialize(at path: String, config: Config, shared: Bool = false) throws -> Repository {
        let dir = absolute(path)
        if let existing = try? find(from: FileSystem.isDirectory(dir) ? dir : FileSystem.parent(dir)) {
            throw APError.exists("'\(dir)' is inside the ap repository at '\(existing.root)'")
        }
        FileSystem.useShared(shared)
        try FileSystem.makeFolder(dir)
        if shared { chmod(dir, FileSystem.folderMode) }
        try FileSystem.makeFolder(dir + "/.ap")
        try FileSystem.makeFolder(dir + "/cases")
        // A folder others could read or write holds children's data: make it private.
        if let mode = FileSystem.mode(dir), mode & 0o007 != 0 { chmod(dir, FileSystem.folderMode) }
        let repo = try Repository(checked: dir)
        try repo.saveConfig(config)
        return repo
    }

    /// The config with its users as the signed identity record has them, where there is one.
    public func loadConfig() throws -> Config {
        let config = try loadRawConfig()
        guard let identity = try identity() else { return config }
        return config.overlaying(identity.state)
    }

    /// `.ap/config.json` as written, users and all.
    public func loadRawConfig() throws -> Config {
        if let c = pendingConfig { return c }
        let signature = FileSystem.signature(configPath)
        if let signature, let read = readConfig, read.signature == signature { return read.config }
        do {
            let config = try Config(json: try JSONParser.parse(try FileSystem.read(configPath)))
            // Kept only when the file is as it was before the read (not replaced meanwhile).
            if let signature, FileSystem.signature(configPath) == signature { readConfig = (signature, config) }
            return config
        } catch let e as APError {
            throw e.inFile(configPath)
        }
    }

    /// How this process checks signatures; the system's ssh-keygen unless a command set it.
    public var trust: Trust?

    /// `trust`, set to the system's on first use.
    public var currentTrust: Trust {
        if let trust { return trust }
        let made = Trust.system(root: root, environment: ProcessInfo.processInfo.environment)
        trust = made
        return made
    }
    public var identityPath: String { root + "/" + IdentityRecord.relativePath }
    private var identityCache: (FileSystem.Signature, IdentityRecord)?

    /// The signed identity record, verified, or nil where the repository has none
    /// (signatures off since it was made). Read again only when the file changed.
    public func identity() throws -> IdentityRecord? {
        guard let sig = FileSystem.signature(identityPath) else {
            if FileSystem.isSymlink(identityPath) {
                throw APError.data(
                    "'\(identityPath)' is a symbolic link; ap does not read through links in a repository")
            }
            return nil
        }
        if let (seen, record) = identityCache, seen == sig { return record }
        let trust = currentTrust
        do {
            let record = try IdentityRecord(
                json: try JSONParser.parse(try FileSystem.read(identityPath)), verifier: trust.verifier)
            trust.verifier.save()
            identityCache = (sig, record)
            return record
        } catch let e as APError {
            throw APError.data(
                "\(IdentityRecord.relativePath): \(e.message); nobody can act until it is restored "
                    + "(git checkout \(IdentityRecord.relativePath), or a copy from another site)")
        }
    }

    /// Writes the identity record (under the lock).
    public func saveIdentity(_ record: IdentityRecord) throws {
        try FileSystem.writeAtomically(identityPath, JSONWriter.pretty(record.json))
        if let sig = FileSystem.signature(identityPath) { identityCache = (sig, record) }
    }

    public func saveConfig(_ config: Config) throws {
        if pending != nil { pendingConfig = config; return }
        try FileSystem.writeAtomically(configPath, JSONWriter.pretty(config.json))
    }

    public func casePath(_ id: String) -> String { root + "/" + CaseID.relativePath(id) }

    public func caseExists(_ id: String) -> Bool { pending?[id] != nil || FileSystem.exists(casePath(id)) }

    public func loadCase(_ id: String) throws -> CaseFile {
        if let file = pending?[id] { return file }
        let path = casePath(id)
        try Repository.refuseLinks([casesPath, FileSystem.parent(path)])
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path)
        } catch APError.notFound {
            throw APError.notFound("no case '\(id)' in this repository; 'ap case list' shows the cases")
        }
        do {
            let file = try CaseFile(bytes: bytes)
            guard file.id == id else { throw APError.data("holds case '\(file.id)', not '\(id)'") }
            return file
        } catch let e as APError {
            if ConflictMarkers.present(bytes) { throw ConflictMarkers.error(CaseID.relativePath(id)) }
            throw e.inFile(path)
        }
    }

    /// A case to change and save again. While buffering, the held copy is handed over, not
    /// shared, so that appending to it does not copy its whole history (`putBack` returns it
    /// unchanged when the change fails).
    func takeCase(_ id: String) throws -> CaseFile {
        if pending != nil, let file = pending!.removeValue(forKey: id) { return file }
        return try loadCase(id)
    }

    func putBack(_ file: CaseFile) {
        if pending != nil, pending![file.id] == nil { pending![file.id] = file }
    }

    public func saveCase(_ file: CaseFile) throws {
        if pending != nil { pending![file.id] = file; return }
        let path = casePath(file.id)
        try Repository.refuseLinks([casesPath, FileSystem.parent(path)])
        try FileSystem.makeFolder(FileSystem.parent(path))
        try FileSystem.writeAtomically(path, try Repository.bounded(file))
    }

    /// A case's bytes, refused when they are more than ap reads back (exit 65).
    static func bounded(_ file: CaseFile) throws -> [UInt8] {
        let bytes = file.bytes
        guard bytes.count <= FileSystem.maxFileBytes else {
            throw APError.data(
                "case '\(file.id)' would be \(bytes.count) bytes, more than the \(FileSystem.maxFileBytes) ap reads "
                    + "back; nothing was written")
        }
        return bytes
    }

    /// Holds writes in memory until `flush` or `discard` (the caller holds the lock).
    public func beginBuffering() {
        pending = [:]
        pendingConfig = nil
    }

    /// Writes every held case and the config together through the journal: a crash or a
    /// full disk leaves all of them written or none (`Journal`).
    public func flush(author: String? = nil) throws {
        guard let files = pending else { return }
        pending = nil
        var writes: [Journal.Write] = []
        if let c = pendingConfig { writes.append(.init(path: configPath, bytes: JSONWriter.pretty(c.json))) }
        pendingConfig = nil
        var folders = Set<String>()
        for id in files.keys.sorted() {
            let path = casePath(id)
            let folder = FileSystem.parent(path)
            if !folders.contains(folder) {
                try Repository.refuseLinks([casesPath, folder])
                try FileSystem.makeFolder(folder)
                folders.insert(folder)
            }
            writes.append(.init(path: path, bytes: try Repository.bounded(files[id]!)))
        }
        try Journal.commit(root, writes, author: author)
    }

    public func discard() {
        pending = nil
        pendingConfig = nil
    }

    /// The relative paths of all case files, `cases/<shard>/<ID>.json`; temporary and hidden files are skipped.
    public func caseFiles() throws -> [(id: String, path: String)] {
        var out: [(String, String)] = []
        try Repository.refuseLinks([casesPath])
        for shard in try FileSystem.list(casesPath).sorted()
        where shard.utf8.count == 2 && !FileSystem.isSymlink(casesPath + "/" + shard) {
            for name in try FileSystem.list(casesPath + "/" + shard) where name.hasSuffix(".json") && !name.hasPrefix(".") {
                out.append((String(name.dropLast(5)), "cases/\(shard)/\(name)"))
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// `.ap/merged-away`, refused when it is a link (it would move a case out of the
    /// repository) or not a folder: checked before a merge writes anything.
    public func mergedAwayFolder() throws -> String {
        let folder = root + "/.ap/merged-away"
        try Repository.refuseLinks([folder])
        if FileSystem.exists(folder), !FileSystem.isDirectory(folder) {
            throw APError.data("'\(folder)' is not a folder; nothing was merged")
        }
        return folder
    }

    /// Moves a case merged into another out of the case folders, into `.ap/merged-away/`,
    /// where it is kept, never deleted.
    @discardableResult
    public func setAside(_ id: String) throws -> String {
        let folder = try mergedAwayFolder()
        try FileSystem.makeFolder(folder)
        var target = "\(folder)/\(id).json"
        var n = 1
        while FileSystem.exists(target) { n += 1; target = "\(folder)/\(id).\(n).json" }
        guard rename(casePath(id), target) == 0 else {
            throw APError.io("cannot move '\(casePath(id))' to '\(target)'")
        }
        FileSystem.syncFolder(folder)
        FileSystem.syncFolder(FileSystem.parent(casePath(id)))
        return String(target.dropFirst(root.count + 1))
    }

    public static func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : FileSystem.currentDirectory + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        // Joined by hand, as `Command.name` is: the generic `joined` scans for a conformance.
        var absolute = parts.isEmpty ? "/" : ""
        for part in parts { absolute += "/" + String(part) }
        return absolute
    }
}
