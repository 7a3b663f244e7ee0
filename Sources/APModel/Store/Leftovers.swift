/// Temporary files an interrupted write left behind (`.NAME.tmp-*`). Every write goes
/// through one under the repository lock, so the next writer holding the lock removes those
/// older than its hold, and `ap fsck` reports the rest.
public enum Leftovers {
    /// The temporary files in `folder` (relative to the root) whose name starts with `prefix`,
    /// in name order; none in a folder that is a link or cannot be read.
    public static func names(_ repo: Repository, _ folder: String, prefix: String = ".") -> [String] {
        let dir = repo.root + "/" + folder
        guard !FileSystem.isSymlink(dir), let names = try? FileSystem.list(dir) else { return [] }
        return names.filter { $0.hasPrefix(prefix) && $0.contains(".tmp-") }.sorted()
    }

    /// Removes those last changed before `before` (nanoseconds since 1970); returns how many.
    @discardableResult
    public static func sweep(_ repo: Repository, _ folder: String, before: Int64, prefix: String = ".") -> Int {
        var removed = 0
        for name in names(repo, folder, prefix: prefix) {
            let path = repo.root + "/" + folder + "/" + name
            guard !FileSystem.isSymlink(path), let sig = FileSystem.signature(path), sig.mtimeNanos < before else {
                continue
            }
            FileSystem.remove(path)
            removed += 1
        }
        return removed
    }
}
