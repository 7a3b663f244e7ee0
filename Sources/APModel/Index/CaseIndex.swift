/// `.ap/index`: a derived summary of every case file, never the source of truth.
/// Each row carries the file's size, modification time and inode (as git's index does);
/// a row whose file no longer matches is read again, a missing or damaged index is
/// rebuilt. Rows are tab-separated text, decoded lazily: a warm `ap queue` reads the
/// index, stats every file and decodes only the rows it shows.
public enum CaseIndex {
    static let header = "ap-index\t1"

    /// A case file that could not be summarised, with the reason.
    public struct Problem: Equatable, Sendable {
        public var path: String
        public var message: String

        public init(path: String, message: String) {
            self.path = path
            self.message = message
        }
    }

    public struct Result {
        /// Summaries of the readable case files, in no particular order.
        public var summaries: [CaseSummary]
        public var problems: [Problem]
        /// How many files had to be read because the index did not know them as they are.
        public var refreshed: Int
    }

    public static func path(_ repo: Repository) -> String { repo.root + "/.ap/index" }

    /// Summaries of every case, with `keep` deciding from the open stage's status
    /// (empty when none) which rows are worth decoding.
    public static func summaries(_ repo: Repository, keep: (Substring) -> Bool = { _ in true }) throws -> Result {
        var known = load(path(repo))
        var rows: [String] = [header]
        var result = Result(summaries: [], problems: [], refreshed: 0)
        var changed = false
        for shard in try FileSystem.list(repo.casesPath) where shard.utf8.count == 2 {
            let folder = repo.casesPath + "/" + shard
            if FileSystem.isSymlink(folder) {
                result.problems.append(Problem(path: "cases/\(shard)", message: "is a symbolic link; skipped"))
                continue
            }
            for (name, signature) in try FileSystem.scan(folder) where name.hasSuffix(".json") && !name.hasPrefix(".") {
                let id = String(name.dropLast(5))
                let relative = "cases/\(shard)/\(name)"
                guard let signature else {
                    result.problems.append(Problem(path: relative, message: "is not a regular file (a symbolic link?); skipped"))
                    continue
                }
                if let row = known.removeValue(forKey: id), row.signature == signature {
                    rows.append(row.line)
                    if keep(row.status), let summary = row.summary() { result.summaries.append(summary) }
                    continue
                }
                changed = true
                result.refreshed += 1
                do {
                    let bytes = try FileSystem.read(repo.root + "/" + relative)
                    let summary = try CaseSummary.skim(bytes)
                    guard summary.id == id else { throw APError.data("holds case '\(summary.id)', not '\(id)'") }
                    let fields = [String(signature.size), String(signature.mtimeNanos), String(signature.inode)] + summary.indexFields
                    rows.append(fields.map(escape).joined(separator: "\t"))
                    if keep(Substring(summary.open?.status ?? "")) { result.summaries.append(summary) }
                } catch let e as APError {
                    result.problems.append(Problem(path: relative, message: e.message))
                }
            }
        }
        if changed || !known.isEmpty {
            // Best effort: a reader that cannot write the index still answers.
            try? FileSystem.writeAtomically(path(repo), Array((rows.joined(separator: "\n") + "\n").utf8))
        }
        return result
    }

    struct Row {
        var line: String
        var signature: FileSystem.Signature
        var status: Substring

        func summary() -> CaseSummary? {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).dropFirst(3).map { unescape($0) }
            return CaseSummary(indexFields: Array(fields))
        }
    }

    /// The index's rows by case id; empty when the index is missing or damaged.
    static func load(_ path: String) -> [String: Row] {
        guard let bytes = try? FileSystem.read(path) else { return [:] }
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard lines.first == Substring(header) else { return [:] }
        lines = lines.dropFirst()
        var rows: [String: Row] = [:]
        rows.reserveCapacity(lines.count)
        for line in lines {
            // size, mtime, inode, id, status, ...
            var parts = line.split(separator: "\t", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count == 6, let size = Int64(parts[0]), let mtime = Int64(parts[1]), let inode = UInt64(parts[2]) else {
                return [:]
            }
            parts.removeLast()
            rows[String(parts[3])] = Row(
                line: String(line), signature: FileSystem.Signature(size: size, mtimeNanos: mtime, inode: inode), status: parts[4])
        }
        return rows
    }

    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x5C }) else { return s }
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\r\n": out += "\\r\\n"
            default: out.append(c)
            }
        }
        return out
    }

    static func unescape(_ s: Substring) -> String {
        guard s.contains("\\") else { return String(s) }
        var out = ""
        var escaped = false
        for c in s {
            if escaped {
                switch c {
                case "t": out += "\t"
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
