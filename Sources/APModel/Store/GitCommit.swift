/// A commit of a few files made as git's own porcelain makes it, step by step (issue 29):
/// the blobs written (`hash-object`), only the trees on the files' paths rebuilt (`ls-tree`,
/// `mktree`), the commit written (`commit-tree`) and the branch moved only if no one moved
/// it meanwhile (`update-ref` with the old value). `git commit -- PATHS` instead re-checks
/// every entry of git's index, which at 100,000 cases was most of a write's time.
extension Git {
    struct TreeEntry {
        var mode: String
        var type: String
        var id: String
    }

    /// Commits `paths` (files, present or removed) on top of HEAD; false when this way does
    /// not apply (no commit yet, a folder among the paths, commits to be signed), so the
    /// caller commits the porcelain way.
    func commitFiles(_ paths: [String], message: String, environment: [String: String]) throws -> Bool {
        guard paths.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("/") && !FileSystem.isDirectory(root + "/" + $0) }),
              (try? run(["config", "--type=bool", "--get", "commit.gpgsign"]))?.hasPrefix("true") != true,
              let revisions = try? run(["rev-parse", "HEAD^{commit}", "HEAD^{tree}"])
                  .split(separator: "\n").map(String.init),
              revisions.count == 2
        else { return false }
        let (head, oldTree) = (revisions[0], revisions[1])
        let present = paths.filter { FileSystem.exists(root + "/" + $0) }
        let blobs = try run(["hash-object", "-w", "--stdin-paths"], input: Array(present.joined(separator: "\n").utf8))
            .split(separator: "\n").map(String.init)
        guard blobs.count == present.count else { throw APError.io("git hash-object gave \(blobs.count) ids") }
        var changes: [(path: [Substring], blob: String?)] = zip(present, blobs).map { ($0.split(separator: "/"), $1) }
        changes += paths.filter { !FileSystem.exists(root + "/" + $0) }.map { ($0.split(separator: "/"), nil) }
        let newTree = try rewrite(oldTree, changes[...]) ?? emptyTree()
        if newTree != oldTree {
            let commit = try run(["commit-tree", newTree, "-p", head, "-F", "-"], environment: environment,
                                 input: Array(message.utf8)).trimmed
            let subject = message.split(separator: "\n").first.map(String.init) ?? ""
            try run(["update-ref", "-m", "commit: \(subject)", "HEAD", commit, head])
        }
        // git's index follows, for these paths only: `git status` stays clean.
        try run(["update-index", "--add", "--remove", "--"] + paths)
        return true
    }

    /// The tree `tree` with `changes` made (a blob id, or nil to remove), or nil when empty.
    func rewrite(_ tree: String?, _ changes: ArraySlice<(path: [Substring], blob: String?)>) throws -> String? {
        var entries = try tree.map(entries(of:)) ?? [:]
        let groups = Dictionary(grouping: changes, by: { String($0.path[0]) })
        for (name, group) in groups {
            if let file = group.first(where: { $0.path.count == 1 }) {
                if let blob = file.blob {
                    let mode = entries[name].map(\.mode).flatMap { $0.hasPrefix("100") ? $0 : nil } ?? "100644"
                    entries[name] = TreeEntry(mode: mode, type: "blob", id: blob)
                } else {
                    entries[name] = nil
                }
                continue
            }
            let inner = group.map { (path: Array($0.path.dropFirst()), blob: $0.blob) }
            let old = entries[name].flatMap { $0.type == "tree" ? $0.id : nil }
            if let sub = try rewrite(old, inner[...]) {
                entries[name] = TreeEntry(mode: "040000", type: "tree", id: sub)
            } else {
                entries[name] = nil
            }
        }
        guard !entries.isEmpty else { return nil }
        let listing = entries.map { "\($0.value.mode) \($0.value.type) \($0.value.id)\t\($0.key)" }
        return try run(["mktree", "-z"], input: Array(listing.joined(separator: "\0").utf8) + [0]).trimmed
    }

    func entries(of tree: String) throws -> [String: TreeEntry] {
        var out: [String: TreeEntry] = [:]
        for line in try runBytes(["ls-tree", "-z", tree]).split(separator: 0) {
            let text = String(decoding: line, as: UTF8.self)
            guard let tab = text.firstIndex(of: "\t") else { continue }
            let fields = text[..<tab].split(separator: " ")
            guard fields.count == 3 else { continue }
            out[String(text[text.index(after: tab)...])] = TreeEntry(
                mode: String(fields[0]), type: String(fields[1]), id: String(fields[2]))
        }
        return out
    }

    func emptyTree() throws -> String { try run(["mktree"], input: []).trimmed }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
