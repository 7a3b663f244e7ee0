#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A write of many files that a crash or a full disk leaves all done or not done at all
/// (`ap batch --atomic`; engineering.md, "Safe writes"). Every new file is written and
/// flushed beside its target first; then `.ap/journal` names the renames (itself written
/// atomically, so it is whole or absent); then the renames; then the journal goes. The next
/// process to take the lock finds a journal left by a crash and finishes its renames.
public enum Journal {
    static let relativePath = ".ap/journal"
    static let header = "ap-journal 1"

    public struct Write {
        public var path: String
        public var bytes: [UInt8]
    }

    /// `author`: the ap user whose batch it is, named in the journal so that a batch the next
    /// writer finishes is committed to git under its author.
    public static func commit(_ root: String, _ writes: [Write], author: String? = nil) throws {
        guard writes.count > 1 else {
            for w in writes { try FileSystem.writeAtomically(w.path, w.bytes) }
            return
        }
        var renames: [(temp: String, target: String)] = []
        do {
            for w in writes { renames.append((try FileSystem.writeTemporary(for: w.path, w.bytes), w.path)) }
        } catch {
            // A full disk half way: nothing was renamed, so nothing changed.
            for r in renames { unlink(r.temp) }
            throw error
        }
        let lines = renames.map { relative($0.temp, root) + "\t" + relative($0.target, root) }
        let by = author.map { ["by\t\($0)"] } ?? []
        let text = ([header] + by + lines + ["end \(renames.count)"]).joined(separator: "\n") + "\n"
        do {
            try FileSystem.writeAtomically(root + "/" + relativePath, Array(text.utf8))
        } catch {
            for r in renames { unlink(r.temp) }
            throw error
        }
        try finish(root, renames)
    }

    /// Finishes the renames a journal names and removes it; a journal that is not whole, or
    /// names a path outside the repository's case files and config, is discarded with the
    /// temporary files it names. Only what ap could have written is trusted: a journal and
    /// temporary files that are regular files with one link, owned by this account, and
    /// temporary files written before the journal (never a link, nor a file git delivered
    /// later). Returns how many files a finished journal held, nil if none.
    @discardableResult
    public static func recover(_ root: String) throws -> Int? { try finishLeft(root)?.count }

    /// What a finished journal did: how many files, whose batch, and the files (relative).
    public struct Finished {
        public var count: Int
        public var author: String?
        public var targets: [String]
    }

    /// `recover`, saying whose batch was finished and which files it wrote.
    public static func finishLeft(_ root: String) throws -> Finished? {
        let path = root + "/" + relativePath
        var journal = stat()
        guard lstat(path, &journal) == 0 else { return nil }
        guard ownRegularFile(journal) else {
            setAside(path)
            return Finished(count: 0, targets: [])
        }
        let text = (try? FileSystem.read(path, limit: 16 << 20)).flatMap { String(validating: $0, as: UTF8.self) } ?? ""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var author: String?
        if lines.count > 1, lines[1].hasPrefix("by\t") {
            author = String(lines.remove(at: 1).dropFirst(3))
        }
        let ended = lines.last?.hasPrefix("end ") ?? false
        let pairs = lines.dropFirst().dropLast(ended ? 1 : 0).map { $0.split(separator: "\t").map(String.init) }
        let whole = lines.first == header && ended && lines.last == "end \(pairs.count)"
            && pairs.allSatisfy { $0.count == 2 && safe(temp: $0[0], target: $0[1]) }
        let renames = pairs.filter { $0.count == 2 }.map { (temp: root + "/" + $0[0], target: root + "/" + $0[1]) }
        let trusted = whole && renames.allSatisfy { writtenBefore(journal, $0.temp) }
        guard trusted else {
            for r in renames where safe(temp: relative(r.temp, root), target: relative(r.target, root)) {
                var st = stat()
                if lstat(r.temp, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR { unlink(r.temp) }
            }
            FileSystem.remove(path)
            FileSystem.syncFolder(root + "/.ap")
            return Finished(count: 0, targets: [])
        }
        try finish(root, renames.filter { FileSystem.exists($0.temp) })
        return Finished(count: renames.count, author: author, targets: pairs.map { $0[1] })
    }

    /// A regular file with one link, owned by the account running ap.
    static func ownRegularFile(_ st: stat) -> Bool {
        (st.st_mode & S_IFMT) == S_IFREG && st.st_nlink == 1 && st.st_uid == geteuid()
    }

    /// Whether `temp` is absent (renamed before a crash) or a file ap wrote before the journal.
    static func writtenBefore(_ journal: stat, _ temp: String) -> Bool {
        var st = stat()
        guard lstat(temp, &st) == 0 else { return errno == ENOENT }
        return ownRegularFile(st) && FileSystem.nanoseconds(of: st) <= FileSystem.nanoseconds(of: journal)
    }

    /// A journal path that is not a file ap wrote (a folder, a link) is moved out of the way,
    /// so that it blocks no write; its content is never followed.
    static func setAside(_ path: String) {
        if rmdir(path) == 0 || unlink(path) == 0 { return }
        rename(path, path + ".not-a-journal-\(getpid())")
    }

    static func finish(_ root: String, _ renames: [(temp: String, target: String)]) throws {
        for r in renames { try FileSystem.replace(r.target, with: r.temp) }
        for folder in Set(renames.map { FileSystem.parent($0.target) }) { FileSystem.syncFolder(folder) }
        FileSystem.remove(root + "/" + relativePath)
        FileSystem.syncFolder(root + "/.ap")
    }

    static func relative(_ path: String, _ root: String) -> String { String(path.dropFirst(root.count + 1)) }

    /// Only ap's own renames: a case file or the config, from a temporary file beside it.
    static func safe(temp: String, target: String) -> Bool {
        let t = target.split(separator: "/").map(String.init)
        let isCase = t.count == 3 && t[0] == "cases" && t[1].utf8.count == 2 && CaseIndex.isCaseFileName(t[2])
            && (try? CaseID.validate(CaseIndex.caseID(t[2]))) != nil
        guard isCase || target == ".ap/config.json" else { return false }
        let folder = t.dropLast().joined(separator: "/")
        let name = t.last ?? ""
        return temp.hasPrefix(folder + "/." + name + ".tmp-") && !temp.contains("..")
            && !temp.dropFirst(folder.count + 1).contains("/")
    }
}
