#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The second line of `.ap/index`: for each shard folder of `cases/`, in order, how many rows
/// it holds and the folder's stamp (modification and change times, inode) when that stamp can
/// be trusted. ap writes every case by rename and git checks files out the same way, so a
/// folder whose stamp is unchanged holds the files its rows describe: its files need no stat,
/// as git's untracked cache trusts an unchanged directory (issue 29). An edit in place keeps
/// the folder's stamp: `ap queue --verify` and `ap fsck` read every file.
struct ShardStamps: Equatable {
    struct Shard: Equatable {
        var name: String
        var rows: Int
        /// nil: not trusted (changed too recently, or not scanned whole).
        var stamp: String?
    }

    var shards: [Shard] = []

    static let prefix = Array("shards\t".utf8)

    /// Where each shard's rows start, by name.
    var blocks: [String: (start: Int, shard: Shard)] {
        var out: [String: (Int, Shard)] = [:]
        var start = 0
        for s in shards {
            out[s.name] = (start, s)
            start += s.rows
        }
        return out
    }

    var line: [UInt8] {
        let entries = shards.map { "\($0.name):\($0.rows):\($0.stamp ?? "-")" }
        return Self.prefix + Array(entries.joined(separator: "\t").utf8) + [0x0A]
    }

    /// Reads the line (without its newline); nil if damaged.
    init?(line: ArraySlice<UInt8>) {
        guard line.starts(with: Self.prefix) else { return nil }
        let body = String(decoding: line.dropFirst(Self.prefix.count), as: UTF8.self)
        for entry in body.split(separator: "\t") {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3, let rows = Int(parts[1]), rows >= 0 else { return nil }
            shards.append(Shard(name: String(parts[0]), rows: rows, stamp: parts[2] == "-" ? nil : String(parts[2])))
        }
    }

    init(shards: [Shard] = []) { self.shards = shards }

    /// A folder's stamp, and its modification time in nanoseconds; nil if not a folder.
    static func stamp(_ path: String) -> (text: String, mtimeNanos: Int64)? {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
        #if canImport(Darwin)
        let m = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        let c = Int64(st.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(st.st_ctimespec.tv_nsec)
        #else
        let m = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        let c = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
        #endif
        return ("\(m).\(c).\(st.st_ino)", m)
    }

    /// The racy case, as git treats it: a folder changed within the last two seconds may be
    /// changed again in the same tick of a coarse file-system clock (one second on some)
    /// without its stamp moving, so such a stamp is not recorded and the folder is scanned
    /// again next time.
    static func trustable(mtimeNanos: Int64) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nowNanos = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        return mtimeNanos < nowNanos - 2_000_000_000
    }
}
