#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The second line of `.ap/index`: the stamp of `cases/` itself when its listing can be trusted
/// (a folder added, removed or renamed in it changes it), then for each shard folder of
/// `cases/`, in order, how many rows it holds in each of the index's groups
/// (`CaseIndex.Group`) and the folder's stamp (modification and change times, inode) when that
/// stamp can be trusted. ap writes every case by rename and git checks files out the same way,
/// so a folder whose stamp is unchanged holds the files its rows describe: its files need no
/// stat, as git's untracked cache trusts an unchanged directory (issue 29). An edit in place
/// keeps the folder's stamp: `ap queue --verify` and `ap fsck` read every file.
struct ShardStamps: Equatable {
    struct Shard: Equatable {
        var name: String
        /// Its rows in each group, in group order.
        var rows: Rows
        /// nil: not trusted (changed too recently, or not scanned whole).
        var stamp: Stamp?
    }

    /// A folder's modification and change times in nanoseconds, and its inode: compared as
    /// numbers, written as `modified.changed.inode`.
    struct Stamp: Equatable {
        var modified: Int64
        var changed: Int64
        var inode: UInt64

        var text: String { ShardStamps.text(modified, changed, inode) }

        init(modified: Int64, changed: Int64, inode: UInt64) {
            (self.modified, self.changed, self.inode) = (modified, changed, inode)
        }
    }

    /// A shard's rows in each of the index's three groups (`CaseIndex.Group`), held in place: an
    /// array for each of 256 shards, made and freed on every run, was a twentieth of a small queue.
    struct Rows: RandomAccessCollection, MutableCollection, Equatable, ExpressibleByArrayLiteral {
        private var first = 0, second = 0, third = 0

        var startIndex: Int { 0 }
        var endIndex: Int { 3 }

        subscript(g: Int) -> Int {
            get { g == 0 ? first : g == 1 ? second : third }
            set {
                switch g {
                case 0: first = newValue
                case 1: second = newValue
                default: third = newValue
                }
            }
        }

        init(arrayLiteral rows: Int...) {
            for (g, n) in rows.prefix(3).enumerated() { self[g] = n }
        }

        init() {}
    }

    /// The stamp of `cases/` when the shard names below are its listing; nil if not trusted.
    var folder: Stamp?
    var shards: [Shard] = []

    static let prefix = Array("shards\t".utf8)

    /// How many rows each group holds.
    var groupRows: Rows {
        shards.reduce(into: Rows()) { sum, s in
            for g in sum.indices { sum[g] += s.rows[g] }
        }
    }

    /// Where each shard's rows start in each group, in shard order: the groups follow one
    /// another, the shards in order within each.
    var starts: [Rows] {
        var out: [Rows] = []
        out.reserveCapacity(shards.count)
        let total = groupRows
        var next: Rows = [0, total[0], total[0] + total[1]]
        for s in shards {
            out.append(next)
            for g in next.indices { next[g] += s.rows[g] }
        }
        return out
    }

    /// For each of `names` (the folders listed, sorted), its place in this line, found by
    /// walking both in order: ap writes the line in the order it lists the folders. Nil where
    /// the line has no such shard, or has it out of order (the folder is then scanned).
    func positions(of names: [String]) -> [Int?] {
        var k = 0
        return names.map { name in
            while k < shards.count, shards[k].name != name, shards[k].name < name { k += 1 }
            return k < shards.count && shards[k].name == name ? k : nil
        }
    }

    var line: [UInt8] {
        let entries = shards.map { s in
            "\t\(s.name):\(s.rows.map(String.init).joined(separator: ",")):\(s.stamp?.text ?? "-")"
        }
        return Self.prefix + Array(((folder?.text ?? "-") + entries.joined()).utf8) + [0x0A]
    }

    /// Reads the line (without its newline); nil if damaged. In one pass by pointer: it is
    /// read on every run, and with slices each of its 256 entries cost 2,600 instructions.
    init?(line: ArraySlice<UInt8>) {
        guard line.starts(with: Self.prefix), let read = line.withUnsafeBufferPointer({
            Self.entries(UnsafeBufferPointer(rebasing: $0.dropFirst(Self.prefix.count)))
        }) else { return nil }
        (folder, shards) = read
    }

    /// `cases/`'s stamp, then entries `name:rows,rows,rows:stamp`, each after a tab; a stamp
    /// is `-` when not trusted.
    private static func entries(_ b: UnsafeBufferPointer<UInt8>) -> (Stamp?, [Shard])? {
        var shards: [Shard] = []
        shards.reserveCapacity(256)
        var at = Cursor(b: b)
        guard let folder = at.stamp() else { return nil }
        while !at.end {
            guard at.skip(0x09) else { return nil }
            let nameStart = at.p
            while !at.end, b[at.p] != 0x3A, b[at.p] != 0x09 { at.p += 1 }
            let name = String(decoding: UnsafeBufferPointer(rebasing: b[nameStart..<at.p]), as: UTF8.self)
            guard at.skip(0x3A) else { return nil }
            var rows = Rows()
            for g in rows.indices {
                // No more rows than the index could hold bytes: sums of them cannot overflow.
                guard let n = at.unsigned(), n <= UInt64(FileSystem.maxFileBytes),
                    at.skip(g < rows.count - 1 ? 0x2C : 0x3A)
                else { return nil }
                rows[g] = Int(n)
            }
            guard let stamp = at.stamp() else { return nil }
            shards.append(Shard(name: name, rows: rows, stamp: stamp))
        }
        return (folder, shards)
    }

    /// A place in the line as it is read.
    private struct Cursor {
        let b: UnsafeBufferPointer<UInt8>
        var p = 0

        var end: Bool { p == b.count }
        func `is`(_ byte: UInt8) -> Bool { p < b.count && b[p] == byte }

        /// Steps over `byte` if it is next.
        mutating func skip(_ byte: UInt8) -> Bool {
            guard `is`(byte) else { return false }
            p += 1
            return true
        }

        /// Digits, nil if none or too large; left after them.
        mutating func unsigned() -> UInt64? {
            let start = p
            var v: UInt64 = 0
            while p < b.count, case let d = b[p] &- 0x30, d <= 9 {
                // Nineteen digits fit; only a twentieth can overflow.
                if p - start < 19 {
                    v = v &* 10 &+ UInt64(d)
                } else {
                    let (times10, o1) = v.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times10.addingReportingOverflow(UInt64(d))
                    guard !o1, !o2 else { return nil }
                    v = sum
                }
                p += 1
            }
            return p > start ? v : nil
        }

        /// A stamp, or `-` for none (`.some(nil)`); nil if damaged.
        mutating func stamp() -> Stamp?? {
            if `is`(0x2D) && (p + 1 == b.count || b[p + 1] == 0x09) {
                p += 1
                return .some(nil)
            }
            guard let m = signed(), skip(0x2E), let c = signed(), skip(0x2E), let inode = unsigned() else { return nil }
            return Stamp(modified: m, changed: c, inode: inode)
        }

        /// Digits after an optional minus sign, down to `Int64.min`.
        mutating func signed() -> Int64? {
            let negative = skip(0x2D)
            guard let magnitude = unsigned() else { return nil }
            if negative { return magnitude <= Int64.min.magnitude ? Int64(bitPattern: 0 &- magnitude) : nil }
            return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
        }
    }

    init(folder: Stamp? = nil, shards: [Shard] = []) { (self.folder, self.shards) = (folder, shards) }

    /// The stamps of the folders `names` in `parent` (`cases/`), on all cores or on this thread,
    /// each asked of the one open parent: no path is joined and walked for each. Nil for what is
    /// not a folder, and for every name when the parent cannot be opened.
    static func stamps(in parent: String, _ names: [String], onAllCores: Bool = true) -> [Stamp?] {
        let folder = open(parent, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard folder >= 0 else { return names.map { _ in nil } }
        defer { close(folder) }
        return onAllCores ? parallelMap(names) { stamp(in: folder, $0) } : names.map { stamp(in: folder, $0) }
    }

    /// A folder's stamp; nil if not a folder.
    static func stamp(in parent: Int32, _ name: String) -> Stamp? {
        var st = stat()
        guard fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
        return Stamp(
            modified: FileSystem.nanoseconds(of: st), changed: FileSystem.nanoseconds(of: st, changed: true),
            inode: UInt64(st.st_ino))
    }

    /// `"\(m).\(c).\(inode)"` written as bytes (interpolation was a fifteenth of a 1,000-case
    /// queue's instructions when every run wrote its 256 stamps).
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
    static func trustable(_ stamp: Stamp) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return stamp.modified < FileSystem.nanoseconds(now) - 2_000_000_000
    }
}
