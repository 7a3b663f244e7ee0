/// A merge made without git's merge drivers (issue 29): git started ap's driver once for
/// every case changed on both sides, about 14 ms each, and even a driver that does nothing
/// (`true`) is a process per case. Here the trees are merged in a private index
/// (`read-tree -m`, which merges no file's content), ap merges what that leaves unmerged, and
/// the commit is written from plumbing (`write-tree`, `commit-tree`); the branch then moves
/// to it as a fast-forward. Nothing in the work tree, git's index or HEAD changes until then.
extension Git {
    /// What the merge made, or nil when it cannot make it (a path other than a case file is
    /// left unmerged): the caller merges the usual way.
    public struct TreeMerge {
        public var commit: String
        /// Case files deleted on one side and changed or left alone on the other: kept as the
        /// side that has them.
        public var kept: [String]
    }

    /// The private index and the merged files' folder, inside `.git`; both removed afterwards
    /// and by `removeTreeMergeLeftovers` after a kill.
    var treeMergeIndex: String { root + "/.git/ap-sync-index" }
    var treeMergeFolder: String { root + "/.git/ap-sync-merged" }

    public func removeTreeMergeLeftovers() {
        FileSystem.remove(treeMergeIndex)
        FileSystem.removeTree(treeMergeFolder)
    }

    /// A file changed on both sides: its path and each side's content (theirs nil where the
    /// caller said it holds it already).
    public struct BothSides: Sendable {
        public var path: String
        public var ours: [UInt8]
        public var theirs: [UInt8]?

        public init(path: String, ours: [UInt8], theirs: [UInt8]?) {
            self.path = path
            self.ours = ours
            self.theirs = theirs
        }
    }

    /// Merges `theirs` into `ours` (HEAD) over `base`. `isCase` says which paths ap merges;
    /// `merge` merges every case changed on both sides (the results in order) or throws to
    /// stop; `restore` lists paths deleted there that are kept as HEAD has them; `held` says
    /// whose content in `theirs` the caller holds already (not read again).
    public func treeMerge(
        base: String, ours: String, theirs: String, message: String, environment: [String: String],
        isCase: (String) -> Bool, restore: [String], held: (String) -> Bool = { _ in false },
        merge: ([BothSides]) throws -> [[UInt8]]
    ) throws -> TreeMerge? {
        removeTreeMergeLeftovers()
        defer { removeTreeMergeLeftovers() }
        let index = ["GIT_INDEX_FILE": treeMergeIndex]
        try run(["read-tree", "-i", "-m", "--aggressive", base, ours, theirs], environment: index)
        let unmerged = try unmergedEntries(environment: index)
        guard unmerged.keys.allSatisfy(isCase) else { return nil }

        var resolved: [(path: String, mode: String, id: String)] = []
        var kept: [String] = []
        var toMerge: [(path: String, mode: String, ours: String, theirs: String)] = []
        for (path, stages) in unmerged.sorted(by: { $0.key < $1.key }) {
            switch (stages[2], stages[3]) {
            case let (a?, b?): toMerge.append((path, a.mode, a.id, b.id))
            case let (survivor?, nil), let (nil, survivor?):
                resolved.append((path, survivor.mode, survivor.id))
                kept.append(path)
            case (nil, nil): return nil  // deleted on both sides yet unmerged: git's to decide
            }
        }
        let wanted = toMerge.map { held($0.path) ? nil : $0.theirs }
        let blobs = try contents(toMerge.map(\.ours) + wanted.compactMap { $0 })
        var next = toMerge.count
        let sides = try toMerge.enumerated().map { n, entry in
            var b: [UInt8]? = nil
            if wanted[n] != nil {
                b = blobs[next]
                next += 1
            }
            guard let a = blobs[n], wanted[n] == nil || b != nil else {
                throw APError.io("git holds no content for '\(entry.path)'")
            }
            return BothSides(path: entry.path, ours: a, theirs: b)
        }
        let merged = try merge(sides)
        guard merged.count == sides.count else { throw APError.io("\(merged.count) of \(sides.count) merged") }
        try FileSystem.makeFolder(treeMergeFolder)
        var files: [String] = []
        for (n, bytes) in merged.enumerated() {
            let file = treeMergeFolder + "/\(n)"
            try FileSystem.writeAtomically(file, bytes, syncFolder: false, durable: false)
            files.append(file)
        }
        if !files.isEmpty {
            let ids = try run(["hash-object", "-w", "--no-filters", "--stdin-paths"],
                              input: Array(files.joined(separator: "\n").utf8)).split(separator: "\n")
            guard ids.count == files.count else { throw APError.io("git hash-object gave \(ids.count) ids") }
            resolved += zip(toMerge, ids).map { ($0.path, $0.mode, String($1)) }
        }
        // Cases deleted there and unchanged here: kept as HEAD has them.
        if !restore.isEmpty {
            let listing = try runBytes(["ls-tree", "-z", ours, "--"] + restore).split(separator: 0)
            for line in listing {
                let text = String(decoding: line, as: UTF8.self)
                guard let tab = text.firstIndex(of: "\t") else { continue }
                let fields = text[..<tab].split(separator: " ")
                guard fields.count == 3, fields[1] == "blob" else { continue }
                let path = String(text[text.index(after: tab)...])
                resolved.append((path, String(fields[0]), String(fields[2])))
                if !kept.contains(path) { kept.append(path) }
            }
        }
        if !resolved.isEmpty {
            // Stage 0 entries replace a path's unmerged stages.
            let info = resolved.map { "\($0.mode) \($0.id)\t\($0.path)\0" }.joined()
            try run(["update-index", "-z", "--index-info"], environment: index, input: Array(info.utf8))
        }
        let tree = try run(["write-tree"], environment: index).trimmed
        var env = environment
        env["GIT_INDEX_FILE"] = treeMergeIndex
        let commit = try run(["commit-tree", tree, "-p", ours, "-p", theirs, "-F", "-"], environment: env,
                             input: Array(message.utf8)).trimmed
        return TreeMerge(commit: commit, kept: kept)
    }

    /// The private index's unmerged paths: stage number to mode and blob id.
    func unmergedEntries(environment: [String: String]) throws -> [String: [Int: (mode: String, id: String)]] {
        var out: [String: [Int: (mode: String, id: String)]] = [:]
        // "MODE ID STAGE\tPATH", NUL-terminated.
        for record in try runBytes(["ls-files", "-u", "-z"], environment: environment).split(separator: 0) {
            let text = String(decoding: record, as: UTF8.self)
            guard let tab = text.firstIndex(of: "\t") else { continue }
            let fields = text[..<tab].split(separator: " ")
            guard fields.count == 3, let stage = Int(fields[2]) else { continue }
            out[String(text[text.index(after: tab)...]), default: [:]][stage] = (String(fields[0]), String(fields[1]))
        }
        return out
    }
}
