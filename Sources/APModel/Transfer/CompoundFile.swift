/// Reads a compound file (MS-CFB), the container Outlook saves a message in (`.msg`): the
/// header, the FAT and its DIFAT, the mini FAT and mini stream, and the directory tree of
/// storages and streams. Read only, and hardened as the e-mail reader is: every chain is
/// bounded (a loop is refused, not followed for ever), every sector number is checked
/// against the file, a stream whose declared size is larger than its chain is refused, and
/// each storage's sibling tree is walked without recursion, each entry once.
public struct CompoundFile: Sendable {
    public static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    public enum Kind: UInt8, Sendable { case storage = 1, stream = 2, root = 5 }

    public struct Entry: Sendable {
        public var name: String
        public var kind: Kind
        var left: UInt32, right: UInt32, child: UInt32
        var start: UInt32
        public var size: Int
    }

    static let endOfChain: UInt32 = 0xFFFF_FFFE
    static let free: UInt32 = 0xFFFF_FFFF
    static let noStream: UInt32 = 0xFFFF_FFFF
    static let maxRegular: UInt32 = 0xFFFF_FFFA

    let bytes: [UInt8]
    let sectorShift: Int
    let miniCutoff: Int
    var fat: [UInt32] = []
    var miniFat: [UInt32] = []
    var miniStream: [UInt8] = []
    public private(set) var entries: [Entry?] = []

    public static func looksLike(_ bytes: [UInt8]) -> Bool { bytes.starts(with: signature) }

    public init(_ bytes: [UInt8]) throws {
        guard bytes.count >= 512, CompoundFile.looksLike(bytes) else {
            throw CompoundFile.damaged("no compound-file header")
        }
        self.bytes = bytes
        let major = Self.u16(bytes, 26)
        sectorShift = Int(Self.u16(bytes, 30))
        guard (major == 3 && sectorShift == 9) || (major == 4 && sectorShift == 12) else {
            throw CompoundFile.damaged("version \(major) with sector shift \(sectorShift)")
        }
        guard Self.u16(bytes, 28) == 0xFFFE, Self.u16(bytes, 32) == 6 else {
            throw CompoundFile.damaged("byte order or mini sector size")
        }
        miniCutoff = Int(Self.u32(bytes, 56))
        fat = try readFAT()
        let directory = try chain(from: Self.u32(bytes, 48), table: fat, limit: nil)
        entries = Self.directoryEntries(directory, major: major)
        guard let root = entries.first ?? nil, root.kind == .root else {
            throw CompoundFile.damaged("no root entry")
        }
        let miniFatBytes = try chain(from: Self.u32(bytes, 60), table: fat, limit: nil)
        miniFat = stride(from: 0, to: miniFatBytes.count - 3, by: 4).map { Self.u32(miniFatBytes, $0) }
        miniStream = try chain(from: root.start, table: fat, limit: root.size)
        guard miniStream.count >= root.size else {
            throw CompoundFile.damaged("mini stream declares \(root.size) bytes; its chain holds \(miniStream.count)")
        }
    }

    static func damaged(_ what: String) -> APError {
        APError.data("not a readable Outlook message: damaged compound file (\(what))")
    }

    var sectorSize: Int { 1 << sectorShift }
    /// Sectors after the header, the last one perhaps cut short.
    var sectorCount: Int { max(0, (bytes.count - 1) >> sectorShift) }

    /// Where sector `n` starts, or nil when it lies outside the file.
    func offset(of n: UInt32) -> Int? {
        guard n <= CompoundFile.maxRegular else { return nil }
        let start = (Int(n) + 1) << sectorShift
        return start < bytes.count ? start : nil
    }

    func sector(_ n: UInt32) throws -> ArraySlice<UInt8> {
        guard let start = offset(of: n) else { throw CompoundFile.damaged("sector \(n) outside the file") }
        // The last sector of a file may be cut short; what is missing reads as absent.
        return bytes[start..<min(start + sectorSize, bytes.count)]
    }

    /// The FAT, gathered from the header's 109 DIFAT entries and the DIFAT chain after them.
    func readFAT() throws -> [UInt32] {
        var locations = (0..<109).map { Self.u32(bytes, 76 + 4 * $0) }
        var next = Self.u32(bytes, 68)
        var seen = Set<UInt32>()
        let perSector = sectorSize / 4 - 1
        while next <= CompoundFile.maxRegular {
            guard seen.insert(next).inserted, seen.count <= sectorCount else {
                throw CompoundFile.damaged("DIFAT chain loops")
            }
            let s = try sector(next)
            locations += (0..<perSector).map { Self.u32(s, s.startIndex + 4 * $0) }
            next = Self.u32(s, s.startIndex + 4 * perSector)
        }
        let declared = Int(Self.u32(bytes, 44))
        let used = locations.filter { $0 <= CompoundFile.maxRegular }
        guard !used.isEmpty || declared == 0 else { throw CompoundFile.damaged("no FAT sectors") }
        var table: [UInt32] = []
        table.reserveCapacity(used.count * sectorSize / 4)
        for n in used {
            let s = try sector(n)
            for i in stride(from: s.startIndex, to: s.endIndex - 3, by: 4) { table.append(Self.u32(s, i)) }
        }
        return table
    }

    /// The bytes of the chain starting at `start`; `limit` stops it once that many bytes are read.
    func chain(from start: UInt32, table: [UInt32], limit: Int?, mini: Bool = false) throws -> [UInt8] {
        var out: [UInt8] = []
        var n = start
        var seen = Set<UInt32>()
        let size = mini ? 64 : sectorSize
        while n != CompoundFile.endOfChain {
            if let limit, out.count >= limit { break }
            guard n <= CompoundFile.maxRegular, Int(n) < table.count else {
                if n == CompoundFile.free && out.isEmpty && start == n { break }  // an empty stream
                throw CompoundFile.damaged("chain reaches sector \(n), outside the table")
            }
            guard seen.insert(n).inserted else { throw CompoundFile.damaged("sector chain loops") }
            if mini {
                let at = Int(n) * 64
                guard at < miniStream.count else {
                    throw CompoundFile.damaged("mini sector \(n) outside the mini stream")
                }
                out += miniStream[at..<min(at + size, miniStream.count)]
            } else {
                out += try sector(n)
            }
            n = table[Int(n)]
        }
        return out
    }

    static func directoryEntries(_ directory: [UInt8], major: UInt16) -> [Entry?] {
        stride(from: 0, to: directory.count - 127, by: 128).map { at -> Entry? in
            guard let kind = Kind(rawValue: directory[at + 66]) else { return nil }
            let length = min(Int(u16(directory, at + 64)), 64)
            let units = stride(from: 0, to: max(0, length - 2), by: 2).map { u16(directory, at + $0) }
            var size = Int(u32(directory, at + 120))
            if major == 4 { size |= Int(u32(directory, at + 124)) << 32 }  // version 3 ignores the high half
            return Entry(
                name: String(decoding: units, as: UTF16.self), kind: kind, left: u32(directory, at + 68),
                right: u32(directory, at + 72), child: u32(directory, at + 76), start: u32(directory, at + 116),
                size: size)
        }
    }

    /// The entries directly inside storage `index`, by name; the sibling tree walked once.
    public func children(of index: Int) throws -> [String: Int] {
        guard let parent = entries[index] else { return [:] }
        var out: [String: Int] = [:]
        var stack = [parent.child]
        var seen = Set<UInt32>()
        while let n = stack.popLast() {
            guard n != CompoundFile.noStream else { continue }
            guard Int(n) < entries.count, let e = entries[Int(n)], n != 0 else {
                throw CompoundFile.damaged("directory entry \(n) missing")
            }
            guard seen.insert(n).inserted else { throw CompoundFile.damaged("directory tree loops") }
            out[e.name] = Int(n)
            stack += [e.left, e.right]
        }
        return out
    }

    /// A stream's bytes, refused when its chain holds fewer than it declares.
    public func read(_ index: Int) throws -> [UInt8] {
        guard let e = entries[index], e.kind == .stream else {
            throw CompoundFile.damaged("entry \(index) is no stream")
        }
        guard e.size <= bytes.count else {
            throw CompoundFile.damaged("stream '\(e.name)' declares \(e.size) bytes, more than the file")
        }
        if e.size == 0 { return [] }
        let mini = e.size < miniCutoff
        let data = try chain(from: e.start, table: mini ? miniFat : fat, limit: e.size, mini: mini)
        guard data.count >= e.size else {
            throw CompoundFile.damaged("stream '\(e.name)' declares \(e.size) bytes; its chain holds \(data.count)")
        }
        return Array(data.prefix(e.size))
    }

    static func u16<C: Collection<UInt8>>(_ b: C, _ at: C.Index) -> UInt16 where C.Index == Int {
        guard at + 1 < b.endIndex else { return 0 }
        return UInt16(b[at]) | UInt16(b[at + 1]) << 8
    }

    static func u32<C: Collection<UInt8>>(_ b: C, _ at: C.Index) -> UInt32 where C.Index == Int {
        guard at + 3 < b.endIndex else { return 0 }
        return UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }
}
