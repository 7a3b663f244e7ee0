import Foundation

/// Resolving and syncing a repository shared through git (issue 15). Only git's own
/// commands, run through `Git`; the merging is `Merge`.
extension Git {
    /// Case files that git left conflicted in a merge in progress.
    public func conflictedCases() throws -> [String] {
        try run(["diff", "--name-only", "--diff-filter=U", "--", "cases"]).split(separator: "\n").map(String.init)
    }

    /// One side of a conflicted file (`:2:` ours, `:3:` theirs), as git holds it.
    func stage(_ n: Int, of path: String) throws -> [UInt8]? {
        guard let text = try? run(["show", ":\(n):\(path)"]) else { return nil }
        return Array(text.utf8)
    }

    /// Resolves every conflicted case file of the merge in progress from git's stages with
    /// `Merge`, writes it and marks it resolved. A case deleted on one side and changed on
    /// the other is kept as the side that still has it (`kept`): nothing is deleted by a merge.
    public func resolveCases(write: ([UInt8], String) throws -> Void) throws
        -> [(path: String, conflicts: Int, kept: Bool)]
    {
        var out: [(String, Int, Bool)] = []
        for path in try conflictedCases() {
            let ours = try stage(2, of: path), theirs = try stage(3, of: path)
            guard let ours, let theirs else {
                guard let survivor = ours ?? theirs else {
                    throw APError.refused("'\(path)' is on neither side of the merge; resolve it with git")
                }
                try write(survivor, root + "/" + path)
                try run(["add", "--", path])
                out.append((path, 0, true))
                continue
            }
            let a: CaseFile
            let b: CaseFile
            do {
                a = try CaseFile(bytes: ours)
                b = try CaseFile(bytes: theirs)
            } catch let e as APError { throw APError.data("cannot resolve '\(path)': \(e.message)") }
            guard a.id == b.id else { throw APError.data("cannot resolve '\(path)': the sides hold different cases") }
            let merged = try Merge.merge(a, b, into: a.id)
            try write(merged.file.bytes, root + "/" + path)
            try run(["add", "--", path])
            out.append((path, merged.conflicts.count, false))
        }
        return out
    }

    /// The contents of `objects` (as `REV:PATH`) from one `git cat-file --batch`, in order; nil
    /// for one that does not exist. One process for all: a sync may bring thousands of cases.
    public func contents(_ objects: [String]) throws -> [[UInt8]?] {
        guard !objects.isEmpty else { return [] }
        // Input written and output read together (poll): git answers as it reads.
        let bytes = try runBytes(["cat-file", "--batch"], input: Array(objects.map { $0 + "\n" }.joined().utf8))
        var out: [[UInt8]?] = []
        var i = 0
        while out.count < objects.count, i < bytes.count {
            guard let end = bytes[i...].firstIndex(of: 0x0A) else { break }
            let header = String(decoding: bytes[i..<end], as: UTF8.self).split(separator: " ")
            i = end + 1
            guard header.count == 3, let size = Int(header[2]), i + size <= bytes.count else {
                out.append(nil)  // "REV:PATH missing"
                continue
            }
            out.append(Array(bytes[i..<(i + size)]))
            i += size + 1
        }
        guard out.count == objects.count else {
            throw APError.io("git cat-file answered \(out.count) of \(objects.count)")
        }
        return out
    }

    /// Undoes the merge in progress, as `git merge --abort`, else `git reset --merge`.
    public func abortMerge() throws {
        if (try? run(["merge", "--abort"])) == nil { try run(["reset", "-q", "--merge"]) }
    }

    /// Whether a merge is in progress.
    public var merging: Bool { FileSystem.exists(root + "/.git/MERGE_HEAD") }

    /// The remotes, and the current branch.
    public func remotes() throws -> [String] { try run(["remote"]).split(separator: "\n").map(String.init) }
    public func branch() throws -> String {
        try run(["rev-parse", "--abbrev-ref", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Case ids changed between two commits.
    public func casesChanged(from a: String, to b: String) throws -> [String] {
        try run(["diff", "--name-only", "\(a)", "\(b)", "--", "cases"]).split(separator: "\n").compactMap { line in
            guard line.hasSuffix(".json") else { return nil }
            return String(line.split(separator: "/").last!.dropLast(5))
        }.sorted()
    }
}

/// A case file git merged as text, before the driver was set: `<<<<<<<` lines in JSON.
public enum ConflictMarkers {
    static let start = Array("<<<<<<< ".utf8)

    /// Whether `bytes` hold a line beginning with git's conflict marker.
    public static func present(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= start.count else { return false }
        if bytes.starts(with: start) { return true }
        var i = 0
        while let n = bytes[i...].firstIndex(of: 0x0A) {
            if bytes[(n + 1)...].starts(with: start) { return true }
            i = n + 1
        }
        return false
    }

    /// The error for such a file, naming the way out.
    public static func error(_ path: String) -> APError {
        .data(
            "'\(path)' holds git conflict markers: git merged it as text before ap's merge driver was set. "
                + "During the merge run 'ap git resolve' then 'git commit'; after a commit, merge its two "
                + "parents with 'ap merge' (git show HEAD^1:PATH, git show HEAD^2:PATH) into PATH")
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Repository {
    /// Sets the modes a git clone loses (git keeps no 0640): case files and the config 0640,
    /// their folders 0750. Links are never followed. Returns how many changed.
    @discardableResult
    public func restoreModes() throws -> Int {
        var changed = 0
        func set(_ path: String, _ want: mode_t) {
            guard !FileSystem.isSymlink(path), let mode = FileSystem.mode(path), mode != want else { return }
            if chmod(path, want) == 0 { changed += 1 }
        }
        for folder in [root + "/.ap", casesPath] { set(folder, FileSystem.folderMode) }
        set(root + "/.ap/config.json", FileSystem.fileMode)
        for (_, relative) in try caseFiles() {
            set(FileSystem.parent(root + "/" + relative), FileSystem.folderMode)
            set(root + "/" + relative, FileSystem.fileMode)
        }
        return changed + (try closeGit())
    }

    /// Whether `.git` lets other accounts read the cases' history (a fresh clone's 0755).
    public var gitReadableByOthers: Bool {
        [root + "/.git", root + "/.git/objects"].contains { (FileSystem.mode($0) ?? 0) & 0o007 != 0 }
    }

    /// Gives `.git` the modes of the cases it holds: nothing for other accounts, the group
    /// as the folder's (`--shared group`), and tells git to keep it so for what it writes.
    @discardableResult
    public func closeGit() throws -> Int {
        let git = root + "/.git"
        guard FileSystem.isDirectory(git), !FileSystem.isSymlink(git) else { return 0 }
        let shared = FileSystem.folderMode & 0o070 == 0o070
        // 1: what `git init --shared=group` writes.
        try Git(root: root).run(["config", "core.sharedRepository", shared ? "1" : "0640"])
        var changed = 0
        func walk(_ path: String) {
            var st = stat()
            guard lstat(path, &st) == 0 else { return }
            let type = st.st_mode & S_IFMT
            let mode = st.st_mode & 0o7777
            var want = mode
            if type == S_IFDIR {
                want = FileSystem.folderMode
            } else if type == S_IFREG {
                want = shared ? (mode & ~0o007) | ((mode & 0o600) >> 3) : mode & ~0o027
            } else {
                return
            }
            if want != mode, chmod(path, want) == 0 { changed += 1 }
            guard type == S_IFDIR, let names = try? FileSystem.list(path) else { return }
            for name in names { walk(path + "/" + name) }
        }
        walk(git)
        return changed
    }
}
