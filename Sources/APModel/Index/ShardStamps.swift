#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The second line of `.ap/index`: for each shard folder of `cases/`, in order, how many rows
/// it holds in each of the index's groups (`CaseIndex.Group`) and the folder's stamp
/// (modification and change times, inode) when that stamp can be trusted. ap writes every
/// case by rename and git checks files out the same way, so a folder whose stamp is unchanged
/// holds the files its rows describe: its files need no stat, as git's untracked cache trusts
/// an unchanged directory (issue 29). An edit in place keeps the folder's stamp:
/// `ap queue --verify` and `ap fsck` read every file.
struct ShardStamps: Equatable {
    struct Shard: Equatable {
        var name: String
        /// Its rows in each group, in group order.
        var rows: [Int]
        /// nil: not trusted (changed too recently, or not scanned whole).
        var stamp: String?
    }

    var shards: [Shard] = []

    static let prefix = Array("shards\t".utf8)

    /// How many rows each group holds.
    var groupRows: [Int] {
        shards.reduce(into: Array(repeating: 0, count: CaseIndex.Group.count)) { sum, s in
            for g in sum.indices { sum[g] += s.rows[g] }
        }
    }

    /// Where each shard's rows start in each group, by name: the groups follow one another,
    /// the shards in order within each.
    var blocks: [String: (starts: [Int], shard: Shard)] {
        // Typed as returned and sized at once: a dictionary of unlabelled tuples was converted
        // whole on return.
        var out: [String: (starts: [Int], shard: Shard)] = [:]
        out.reserveCapacity(shards.count)
        var next = [0]
        for n in groupRows.dropLast() { next.append(next.last! + n) }
        for s in shards {
            out[s.name] = (next, s)
            for g in next.indices { next[g] += s.rows[g] }
        }
        return out
    }

    var line: [UInt8] {
        let entries = shards.map { s in
            "\(s.name):\(s.rows.map(String.init).joined(separator: ",")):\(s.stamp ?? "-")"
        }
        return Self.prefix + Array(entries.joined(separator: "\t").utf8) + [0x0A]
    }

    /// Reads the line (without its newline); nil if damaged. By bytes, without splitting it
    /// into arrays: it is read on every run, and its 256 entries were a twentieth of a
    /// 1,000-case queue.
    init?(line: ArraySlice<UInt8>) {
        guard line.starts(with: Self.prefix) else { return nil }
        shards.reserveCapacity(256)
        var at = line.startIndex + Self.prefix.count
        while at < line.endIndex {
            let end = line[at...].firstIndex(of: 0x09) ?? line.endIndex
            guard let shard = Self.shard(line[at..<end]) else { return nil }
            shards.append(shard)
            at = end + 1
        }
    }

    /// One entry: `name:rows,rows,rows:stamp`, the stamp `-` when not trusted.
    private static func shard(_ entry: ArraySlice<UInt8>) -> Shard? {
        guard let nameEnd = entry.firstIndex(of: 0x3A), let rowsEnd = entry[(nameEnd + 1)...].firstIndex(of: 0x3A),
            !entry[(rowsEnd + 1)...].contains(0x3A)
        else { return nil }
        var rows: [Int] = []
        rows.reserveCapacity(CaseIndex.Group.count)
        var from = nameEnd + 1
        while true {
            let comma = entry[from..<rowsEnd].firstIndex(of: 0x2C) ?? rowsEnd
            // No more rows than the index could hold bytes: sums of them cannot overflow.
            guard let n = number(entry[from..<comma]), n <= FileSystem.maxFileBytes else { return nil }
            rows.append(n)
            if comma == rowsEnd { break }
            from = comma + 1
        }
        guard rows.count == CaseIndex.Group.count else { return nil }
        let stamp = entry[(rowsEnd + 1)...]
        return Shard(
            name: String(decoding: entry[..<nameEnd], as: UTF8.self), rows: rows,
            stamp: stamp.elementsEqual([0x2D]) ? nil : String(decoding: stamp, as: UTF8.self))
    }

    init(shards: [Shard] = []) { self.shards = shards }

    /// The stamps of the folders `names` in `parent` (`cases/`), on all cores, each asked of
    /// the one open parent: no path is joined and walked for each. Nil for what is not a folder,
    /// and for every name when the parent cannot be opened.
    static func stamps(in parent: String, _ names: [String]) -> [(text: String, mtimeNanos: Int64)?] {
        let folder = open(parent, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard folder >= 0 else { return names.map { _ in nil } }
        defer { close(folder) }
        return parallelMap(names) { stamp(in: folder, $0) }
    }

    /// A folder's stamp, and its modification time in nanoseconds; nil if not a folder.
    static func stamp(in parent: Int32, _ name: String) -> (text: String, mtimeNanos: Int64)? {
        var st = stat()
        guard fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
        let m = FileSystem.nanoseconds(of: st)
        return (text(m, FileSystem.nanoseconds(of: st, changed: true), UInt64(st.st_ino)), m)
    }

    /// `"\(m).\(c).\(inode)"` written as bytes: interpolated, the 256 stamps were a fifteenth
    /// of a 1,000-case queue's instructions.
    static func text(_ m: Int64, _ c: Int64, _ inode: UInt64) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
            var end = 0
            func put(_ value: UInt64, negative: Bool) {
                if negative { buffer[end] = UInt8(ascii: "-"); end += 1 }
                var digits = value, start = end
                repeat {
                    buffer[end] = UInt8(ascii: "0") + UInt8(digits % 10)
                    digits /= 10
                    end += 1
                } while digits > 0
                var last = end - 1
                while start < last {
                    buffer.swapAt(start, last)
                    start += 1
                    last -= 1
                }
            }
            put(m.magnitude, negative: m < 0)
            buffer[end] = UInt8(ascii: ".")
            end += 1
            put(c.magnitude, negative: c < 0)
            buffer[end] = UInt8(ascii: ".")
            end += 1
            put(inode, negative: false)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<end]), as: UTF8.self)
        }
    }

    /// The racy case, as git treats it: a folder changed within the last two seconds may be
    /// changed again in the same tick of a coarse file-system clock (one second on some)
    /// without its stamp moving, so such a stamp is not recorded and the folder is scanned
    /// again next time.
    static func trustable(mtimeNanos: Int64) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return mtimeNanos < FileSystem.nanoseconds(now) - 2_000_000_000
    }
}
