#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `.ap/index`: a derived summary of every case file, never the source of truth.
/// Each row carries the file's size, modification time and inode (as git's index does);
/// a row whose file no longer matches is read again, a missing or damaged index is
/// rebuilt. A shard folder whose stamp is unchanged is trusted without a stat of its files
/// (`ShardStamps`). Rows are tab-separated text kept as bytes and decoded only when shown:
/// a warm `ap queue` reads the index, stats the 256 folders and decodes the rows it lists.
public enum CaseIndex {
    public static let format = "ap-index\t13"

    /// The first line: the format, and the head of the identity record the rows were checked
    /// against ("-" without one), so that a changed record checks every case again.
    public static func header(_ repo: Repository) -> [UInt8] {
        let head = ((try? repo.identity()) ?? nil)?.entries.last?.digest ?? "-"
        return Array("\(format)\t\(head)\n".utf8)
    }

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
        /// How many case files there are, whether or not their summaries were kept.
        public var files = 0
        /// Rows `decode` said were not worth decoding: counted, not summarised.
        public var skipped = 0
    }

    /// A row's summary field `n` (`CaseSummary.indexFields` order) as stored, escaped.
    public typealias RowField = (_ n: Int) -> ArraySlice<UInt8>

    public static func path(_ repo: Repository) -> String { repo.root + "/.ap/index" }

    /// Summaries of every case, with `keep` deciding from the open stage's status
    /// (empty when none) which rows are worth decoding. Folders are scanned and changed
    /// files read on all cores. `owing` keeps only cases with open obligations (`ap due`),
    /// found without decoding the other rows. `verify` stats every file, trusting no folder.
    /// `decode`, where given, is asked of each kept row's fields as stored before the row is
    /// decoded; a row it turns down is counted in `skipped`. Rows read again from their files
    /// are not asked: a filter must still be applied to what comes back. Without `obligations`,
    /// rows from the index come without their obligations (lists and the queue show none:
    /// reading them was a twentieth of a listing).
    public static func summaries(
        _ repo: Repository, keep: (String) -> Bool = { _ in true }, owing: Bool = false,
        decode: ((RowField) -> Bool)? = nil, obligations: Bool = true, progress: (any ProgressReporter)? = nil,
        now: Timestamp? = nil, verify: Bool = false
    ) throws -> Result {
        var result = try read(
            repo, keep: keep, owing: owing, decode: decode, obligations: obligations, progress: progress,
            verify: verify)
        // A three-way meeting dated ahead has happened since its case was written (002 §11.7).
        if let now {
            for i in result.summaries.indices where result.summaries[i].handover != nil {
                result.summaries[i].settle(at: now)
            }
        }
        return result
    }

    enum Piece { case kept(Int), fresh(Int) }

    /// Above how many cases (as the index counts them) its stamps and rows are read on all cores.
    static let casesForThreads = 2_000

    /// `onAllCores`: whether the stamps and rows are read on all cores; by the repository's size
    /// when nil (`casesForThreads`).
    static func read(
        _ repo: Repository, keep: (String) -> Bool, owing: Bool, decode: ((RowField) -> Bool)? = nil,
        obligations: Bool = true, progress: (any ProgressReporter)?, verify: Bool, whole: Bool = false,
        onAllCores threads: Bool? = nil
    ) throws -> Result {
        func readWhole() throws -> Result {
            try read(repo, keep: keep, owing: owing, decode: decode, obligations: obligations, progress: progress,
                     verify: verify, whole: true, onAllCores: threads)
        }
        let header = CaseIndex.header(repo)
        // A reader that wants only open stages reads the groups that hold them, and the rest
        // only if a folder has changed.
        let needed = verify || whole ? Group.count : Group.needed(keep)
        var layout: IndexFile.Layout?
        let bytes = try? needed < Group.count
            ? FileSystem.readPrefix(path(repo)) { start in
                layout = IndexFile.layout(start, header: header)
                return layout.map { $0.sizes.prefix(needed).reduce($0.rowsAt, +) } ?? Int.max
            }
            : FileSystem.read(path(repo))
        var index = IndexFile(bytes: bytes ?? [], header: header, groups: needed, layout: layout)
        // With signatures required, a case read again is checked: what does not verify is not counted.
        let identity = ((try? repo.identity()) ?? nil).flatMap { $0.state.signaturesRequired ? $0.state : nil }
        let verifier = identity == nil ? nil : repo.currentTrust.verifier
        var result = Result(summaries: [], problems: [], refreshed: 0)
        let root = repo.root, casesPath = repo.casesPath
        // The shard folders are the ones the index names while `cases/` itself is as it recorded:
        // a folder added, removed or renamed there changes it. Taken before the listing, so that
        // a folder made while listing leaves the recorded stamp behind. No stamp: not a folder
        // (a link is refused; a missing one lists as empty).
        let casesStamp = ShardStamps.stamp(in: AT_FDCWD, casesPath)
        if casesStamp == nil { try Repository.refuseLinks([casesPath]) }
        let named = index.shards.shards.map(\.name)
        let shards = !verify && index.valid && casesStamp != nil && index.shards.folder == casesStamp
            && named.allSatisfy { $0.utf8.count == 2 } && zip(named, named.dropFirst()).allSatisfy { $0 < $1 }
            ? named : try FileSystem.list(casesPath).filter { $0.utf8.count == 2 }.sorted()
        // Other threads only for a repository large enough to pay for starting them: at 1,000
        // cases the stats and decoding were 0.12 ms quicker on one (in 300 alternations), at
        // 10,000 0.35 ms slower. Reading changed files is shared out whatever the size.
        let onAllCores = threads ?? (index.shards.groupRows.reduce(0, +) > Self.casesForThreads)
        // A shard folder whose stamp is as recorded holds the files its rows describe (`ShardStamps`).
        let stamps = ShardStamps.stamps(in: casesPath, shards, onAllCores: onAllCores)
        // Each listed folder's place in the index's shard line, and where its rows start.
        var known = index.valid ? index.shards.positions(of: shards) : shards.map { _ in nil }
        var starts = index.shards.starts
        func trusted(_ i: Int) -> Bool {
            guard !verify, let k = known[i], let recorded = index.shards.shards[k].stamp else { return false }
            return recorded == stamps[i]
        }
        var trust = shards.indices.map(trusted)
        // Part of the index answers only when every folder is as it describes (the index's
        // shard line then names the folders listed, in the same order).
        var partial = index.valid && needed < Group.count
        if partial && (trust.contains(false) || index.shards.shards.count != shards.count) {
            index = IndexFile(bytes: (try? FileSystem.read(path(repo))) ?? [], header: header)
            known = index.valid ? index.shards.positions(of: shards) : shards.map { _ in nil }
            starts = index.shards.starts
            trust = shards.indices.map(trusted)
            partial = false
        }
        let toScan = shards.indices.filter { !trust[$0] }
        let scanned = parallelMap(toScan) { i -> Swift.Result<[FileSystem.Entry], APError> in
            let folder = casesPath + "/" + shards[i]
            if FileSystem.isSymlink(folder) { return .failure(.data("is a symbolic link; skipped")) }
            do { return .success(try FileSystem.scan(folder)) } catch let e as APError { return .failure(e) } catch {
                return .failure(.io("\(error)"))
            }
        }
        var scans: [Int: Swift.Result<[FileSystem.Entry], APError>] = [:]
        for (i, scan) in zip(toScan, scanned) { scans[i] = scan }

        // Match each file with its row; rows are written in scan order, so the next row is almost always the one.
        var pieces: [Piece] = []
        var stale: [StaleFile] = []
        /// In each group, the row after the last one matched.
        var cursors = index.groupStarts
        var byID: [String: Int]? = nil
        var wanted: [(row: Int, from: Int)] = []
        /// Each shard's pieces, and whether it was read whole and clean (its stamp may then be recorded).
        var shardPieces: [(name: String, pieces: Range<Int>, whole: Bool)] = []
        func want(_ r: Int, _ fields: IndexFile.Fields) {
            guard keep(fields.status.isEmpty ? "" : index.string(fields.status)), !owing || index.owes(r) else {
                return
            }
            if let decode, !index.asking(r, from: fields.id.lowerBound, decode) {
                result.skipped += 1
                return
            }
            wanted.append((r, fields.id.lowerBound))
        }
        /// A trusted shard's rows, checked whole before any is kept.
        var kept: [(row: Int, fields: IndexFile.Fields)] = []
        shardLoop: for (i, shard) in shards.enumerated() {
            let first = pieces.count, problems = result.problems.count
            // Read whole, with nothing to report: a folder with a problem is looked at every time.
            defer { shardPieces.append((shard, first..<pieces.count, result.problems.count == problems)) }
            if trust[i], let k = known[i] {
                kept.removeAll(keepingCapacity: true)
                var damaged = false
                rows: for g in index.groupStarts.indices {
                    for r in starts[k][g]..<starts[k][g] + index.shards.shards[k].rows[g] {
                        guard let fields = index.fields(r) else {
                            damaged = true
                            break rows
                        }
                        kept.append((r, fields))
                    }
                }
                if !damaged {
                    for (r, fields) in kept {
                        pieces.append(.kept(r))
                        want(r, fields)
                    }
                    continue shardLoop
                }
                // A damaged row: settled with the whole index, as any untrusted folder is.
                if partial { return try readWhole() }
                scans[i] = Swift.Result { try FileSystem.scan(casesPath + "/" + shard) }
                    .mapError { $0 as? APError ?? .io("\($0)") }
            }
            if let k = known[i] { cursors = Array(starts[k].prefix(cursors.count)) }
            let entries: [FileSystem.Entry]
            switch scans[i]! {
            case .failure(let e):
                result.problems.append(Problem(path: "cases/\(shard)", message: e.message))
                continue
            case .success(let list): entries = list
            }
            for entry in entries where isCaseFileName(entry.name) {
                let name = entry.name
                guard let signature = entry.signature else {
                    result.problems.append(Problem(path: "cases/\(shard)/\(name)", message: "is not a regular file (a symbolic link?); skipped"))
                    continue
                }
                var row = cursors.first { $0 < index.count && index.isRow($0, for: name) }
                if row == nil {
                    if byID == nil { byID = index.lookup() }
                    row = byID?[caseID(name)]
                }
                if let r = row, let fields = index.fields(r) {
                    cursors[index.group(ofRow: r)] = r + 1
                    if fields.signature == signature {
                        pieces.append(.kept(r))
                        want(r, fields)
                        continue
                    }
                }
                pieces.append(.fresh(stale.count))
                stale.append(StaleFile(id: caseID(name), relative: "cases/\(shard)/\(name)", signature: signature))
            }
        }

        // Rows kept from the index are decoded on all cores too, in a large repository.
        // A damaged row decodes to no summary (id ""): its file is read again, as a changed one is.
        let decode: @Sendable ((row: Int, from: Int)) -> CaseSummary = { [index] w in
            index.summary(w.row, from: w.from, obligations: obligations) ?? CaseSummary.unreadable
        }
        let decoded = onAllCores ? parallelMap(wanted, decode) : wanted.map(decode)
        if decoded.contains(where: { $0.id.isEmpty }) {
            result.summaries = decoded.filter { !$0.id.isEmpty }
            let damaged = Set(zip(wanted, decoded).filter { $0.1.id.isEmpty }.map(\.0.row))
            for part in shardPieces {
                for p in part.pieces {
                    guard case .kept(let r) = pieces[p], damaged.contains(r), let f = index.fields(r) else { continue }
                    // Named by the row, so checked as a name the folder could hold.
                    let id = index.string(f.id)
                    guard (try? CaseID.validate(id)) != nil, CaseID.shard(id) == part.name else { continue }
                    pieces[p] = .fresh(stale.count)
                    stale.append(StaleFile(id: id, relative: "cases/\(part.name)/\(id).json", signature: f.signature))
                }
            }
        } else {
            result.summaries = decoded
        }
        if partial {
            // Nothing to read again and nothing to write: every folder is as the index says.
            guard stale.isEmpty else { return try readWhole() }
            result.files = index.shards.groupRows.reduce(0, +)
            return result
        }
        progress?.start(total: stale.count)
        defer { progress?.finish() }
        let fresh = parallelMap(stale) { file -> Swift.Result<CaseSummary, APError> in
            defer { progress?.advance() }
            do {
                let bytes = try FileSystem.read(root + "/" + file.relative)
                if ConflictMarkers.present(bytes) { throw ConflictMarkers.error(file.relative) }
                var summary = try CaseSummary.skim(bytes)
                guard summary.id == file.id else { throw APError.data("holds case '\(summary.id)', not '\(file.id)'") }
                if let identity, let verifier {
                    summary = try CaseIndex.verified(summary, bytes: bytes, identity: identity, verifier: verifier)
                }
                return .success(summary)
            } catch let e as APError { return .failure(e) } catch { return .failure(.io("\(error)")) }
        }
        result.refreshed = stale.count
        result.files = pieces.count

        // Each piece's group (nil: not summarised), each shard's rows in
        // each group, and its stamp where it can be trusted next time.
        let groups = pieces.map { piece -> Int? in
            switch piece {
            // A row kept as it is stays in its group.
            case .kept(let r): return index.group(ofRow: r)
            case .fresh(let k):
                guard case .success(let summary) = fresh[k] else { return nil }
                return Group.of(ArraySlice((summary.open?.status ?? "").utf8))
            }
        }
        var written = ShardStamps(folder: casesStamp.flatMap { ShardStamps.trustable($0) ? $0 : nil })
        for (i, part) in shardPieces.enumerated() {
            var rows = ShardStamps.Rows()
            for p in part.pieces { if let g = groups[p] { rows[g] += 1 } }
            let clean = part.whole && rows.reduce(0, +) == part.pieces.count
            let stamp = stamps[i].flatMap { clean && ShardStamps.trustable($0) ? $0 : nil }
            written.shards.append(.init(name: part.name, rows: rows, stamp: stamp))
        }
        // Also rewritten when the rows were out of order, so the next run matches them in sequence.
        let rewrite = !stale.isEmpty || pieces.count != index.count || !index.valid || byID != nil
            || written != index.shards
        verifier?.save()
        var parts = Array(repeating: [UInt8](), count: Group.count)
        for (p, piece) in pieces.enumerated() {
            switch piece {
            case .kept(let r):
                if rewrite {
                    parts[groups[p]!].append(contentsOf: index.line(r))
                    parts[groups[p]!].append(0x0A)
                }
            case .fresh(let k):
                switch fresh[k] {
                case .failure(let e):
                    result.problems.append(Problem(path: stale[k].relative, message: e.message))
                case .success(let summary):
                    let sig = stale[k].signature
                    let fields = [String(sig.size), String(sig.mtimeNanos), String(sig.inode)] + summary.indexFields
                    parts[groups[p]!].append(contentsOf: Array(fields.map(escape).joined(separator: "\t").utf8))
                    parts[groups[p]!].append(0x0A)
                    let owes = !summary.obligations.isEmpty || summary.socialCareUnrecorded
                    if keep(summary.open?.status ?? ""), !owing || owes {
                        result.summaries.append(summary)
                    }
                }
            }
        }
        if rewrite {
            let sizes = Array(("groups\t" + parts.map { String($0.count) }.joined(separator: "\t") + "\n").utf8)
            var out: [UInt8] = header + written.line + sizes
            out.reserveCapacity(out.count + parts.reduce(0) { $0 + $1.count })
            for part in parts { out.append(contentsOf: part) }
            // Best effort: a reader that cannot write the index still answers.
            try? FileSystem.writeAtomically(path(repo), out)
        }
        return result
    }

    /// The index keeps its rows in groups, each in shard order: stages awaiting
    /// countersignature, other open stages, then cases with no open stage. The third line
    /// gives each group's length in bytes, so a reader that wants only open stages (the queue)
    /// reads the groups that hold them and stops.
    enum Group {
        static let count = 3

        /// The group of a row whose open stage has this status ("": none).
        static func of(_ status: ArraySlice<UInt8>) -> Int {
            status.isEmpty ? 2 : status.elementsEqual(StageStatus.awaitingCountersignature.rawValue.utf8) ? 0 : 1
        }

        /// How many leading groups hold every row `keep` wants, asked of the statuses a stage has.
        static func needed(_ keep: (String) -> Bool) -> Int {
            if keep("") { return 3 }
            let others: [StageStatus] = [.inProgress, .completed, .stopped]
            return others.contains { keep($0.rawValue) } ? 2 : 1
        }
    }

    /// The summary of a case as its verified events leave it: events that do not verify
    /// (a countersignature typed in by hand) are left out and counted.
    static func verified(_ summary: CaseSummary, bytes: [UInt8], identity: IdentityState, verifier: SignatureVerifier)
        throws -> CaseSummary
    {
        let r = try JSONReader(try JSONParser.parse(bytes), path: "")
        let events = try Event.list(r)
        let bad = Set(try EventCheck.check(id: summary.id, events: events, identity: identity, verifier: verifier)
            .filter(\.status.isProblem).map(\.event))
        guard !bad.isEmpty else { return summary }
        var out = summary
        if let kept = try? CaseFile(id: summary.id, events: events.filter { !bad.contains($0.id) }) {
            out = try CaseSummary(state: kept.state.json)
        }
        out.unverified = bad.count
        return out
    }

    struct StaleFile: Sendable {
        var id: String
        var relative: String
        var signature: FileSystem.Signature
    }

    /// `YP-0001.json` → `YP-0001`.
    public static func caseID(_ name: String) -> String { String(decoding: name.utf8.dropLast(5), as: UTF8.self) }

    public static func isCaseFileName(_ name: String) -> Bool {
        let u = name.utf8
        return u.count > 5 && u.first != UInt8(ascii: ".") && u.suffix(5).elementsEqual(".json".utf8)
    }

    /// The index as read: the start and end of each row, fields parsed only when a
    /// file is matched with its row (most runs touch every row once).
    struct IndexFile {
        struct Fields {
            var signature: FileSystem.Signature
            /// Where the id and the open stage's status sit in the line.
            var id: Range<Int>
            var status: Range<Int>
        }

        let bytes: [UInt8]
        /// Row r spans bytes[lines[r] ..< lines[r + 1] - 1] (the newline excluded).
        var lines: [Int] = []
        var valid = false
        /// The shard folders' rows and stamps (the line after the header).
        var shards = ShardStamps()
        /// The first row of each group held: all of them, or the first few when only the start
        /// of the file was read (`Group`).
        var groupStarts: [Int] = []

        var count: Int { max(0, lines.count - 1) }

        typealias Layout = (shards: ShardStamps, rowsAt: Int, sizes: [Int])

        /// Where the rows start, and each group's length in bytes; nil if damaged or cut short.
        static func layout(_ bytes: [UInt8], header: [UInt8]) -> Layout? {
            guard bytes.starts(with: header), let end = bytes[header.count...].firstIndex(of: 0x0A),
                let shards = ShardStamps(line: bytes[header.count..<end]),
                let next = bytes[(end + 1)...].firstIndex(of: 0x0A)
            else { return nil }
            let line = String(decoding: bytes[(end + 1)..<next], as: UTF8.self).split(separator: "\t")
            let sizes = line.dropFirst().compactMap { Int($0) }
            // No length past what ap reads of a file: their sum cannot overflow.
            guard line.first == "groups", sizes.count == Group.count, line.count == Group.count + 1,
                sizes.allSatisfy({ $0 >= 0 && $0 <= FileSystem.maxFileBytes })
            else { return nil }
            return (shards, next + 1, sizes)
        }

        /// `bytes` holds the first `groups` groups: the whole file, or the start of it that its
        /// `layout` (read from that start, where given) says they fill.
        init(bytes: [UInt8], header: [UInt8], groups held: Int = Group.count, layout known: Layout? = nil) {
            self.bytes = bytes
            guard let layout = known ?? IndexFile.layout(bytes, header: header),
                layout.sizes.prefix(held).reduce(layout.rowsAt, +) == bytes.count
            else { return }
            var starts = [layout.rowsAt]
            bytes.withUnsafeBufferPointer { b in
                var p = layout.rowsAt
                while p < b.count {
                    guard let hit = memchr(b.baseAddress! + p, 0x0A, b.count - p) else { break }
                    p = b.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
                    starts.append(p)
                }
            }
            let rows = layout.shards.groupRows
            guard starts.last == bytes.count, starts.count - 1 == rows.prefix(held).reduce(0, +) else { return }
            shards = layout.shards
            groupStarts = [0]
            for n in rows.prefix(held - 1) { groupStarts.append(groupStarts.last! + n) }
            lines = starts
            valid = true
        }

        /// The group row r sits in.
        func group(ofRow r: Int) -> Int { groupStarts.lastIndex { $0 <= r } ?? 0 }

        func range(_ r: Int) -> Range<Int> { lines[r]..<(lines[r + 1] - 1) }
        func line(_ r: Int) -> ArraySlice<UInt8> { bytes[range(r)] }

        /// size, mtime, inode, id, status: the first five fields of row r; nil if damaged.
        /// Pointer loops here and in `isRow`: they run for every case file on every run.
        func fields(_ r: Int) -> Fields? {
            bytes.withUnsafeBufferPointer { b -> Fields? in
                let end = lines[r + 1] - 1
                var p = lines[r]
                /// The next field, and whether a tab followed it.
                func next() -> Range<Int> {
                    var q = p
                    while q < end && b[q] != 0x09 { q += 1 }
                    defer { p = q + 1 }
                    return p..<q
                }
                /// A field of digits as a number; nil if empty, not digits or too large.
                func number(_ field: Range<Int>) -> Int64? {
                    guard !field.isEmpty else { return nil }
                    var v: Int64 = 0
                    for i in field {
                        let d = b[i] &- 0x30
                        guard d <= 9 else { return nil }
                        let (times10, o1) = v.multipliedReportingOverflow(by: 10)
                        let (sum, o2) = times10.addingReportingOverflow(Int64(d))
                        guard !o1, !o2 else { return nil }
                        v = sum
                    }
                    return v
                }
                let size = next(), mtime = next(), inode = next(), id = next(), status = next()
                guard p <= end, let s = number(size), let m = number(mtime), let i = number(inode) else { return nil }
                return Fields(signature: .init(size: s, mtimeNanos: m, inode: UInt64(i)), id: id, status: status)
            }
        }

        /// Whether row r's obligations field (`CaseSummary.obligationsField`) is not empty, or
        /// its last two (social care, involvement ended) are both empty: `ap due` prompts for
        /// the social-care status of an open case (004 §2).
        func owes(_ r: Int) -> Bool {
            bytes.withUnsafeBufferPointer { b in
                let line = range(r)
                var last = line.upperBound
                if last > line.lowerBound, b[last - 1] == 0x0A { last -= 1 }
                if last - line.lowerBound >= 2, b[last - 1] == 0x09, b[last - 2] == 0x09 { return true }
                var p = line.lowerBound, tabs = 0
                // Three signature fields come before the summary's.
                let wanted = 3 + CaseSummary.obligationsField
                while p < line.upperBound && tabs < wanted {
                    if b[p] == 0x09 { tabs += 1 }
                    p += 1
                }
                return tabs == wanted && p < line.upperBound && b[p] != 0x09
            }
        }

        /// Whether row r's id is `name` less its `.json`, compared as bytes.
        func isRow(_ r: Int, for name: String) -> Bool {
            let line = range(r)
            var name = name
            return name.withUTF8 { n -> Bool in
                let idLength = n.count - 5
                guard idLength > 0 else { return false }
                return bytes.withUnsafeBufferPointer { b in
                    // The id is the fourth field: skip three tabs.
                    var p = line.lowerBound, tabs = 0
                    while p < line.upperBound && tabs < 3 {
                        if b[p] == 0x09 { tabs += 1 }
                        p += 1
                    }
                    guard p + idLength < line.upperBound, b[p + idLength] == 0x09 else { return false }
                    return memcmp(b.baseAddress! + p, n.baseAddress!, idLength) == 0
                }
            }
        }

        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

        /// `question` asked of row r's summary fields, whose id starts at `idStart`: field
        /// boundaries found by pointer only as far as a field asked for, kept on the stack (it
        /// runs for every row).
        func asking(_ r: Int, from idStart: Int, _ question: (RowField) -> Bool) -> Bool {
            let end = range(r).upperBound
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: CaseSummary.indexFieldCount + 1) { starts in
                var count = 1, p = idStart
                starts[0] = idStart
                return question { n in
                    // Scanned on to the start of field n + 1, or to the row's end.
                    bytes.withUnsafeBufferPointer { b in
                        while count <= n + 1 && count < starts.count && p < end {
                            if b[p] == 0x09 {
                                starts[count] = p + 1
                                count += 1
                            }
                            p += 1
                        }
                    }
                    guard n < count else { return [] }
                    // Field n runs from its start to the tab before the next one, or to the row's end.
                    return bytes[starts[n]..<(n + 1 < count ? starts[n + 1] - 1 : end)]
                }
            }
        }

        func lookup() -> [String: Int] {
            var out: [String: Int] = [:]
            out.reserveCapacity(count)
            for r in 0..<count { if let f = fields(r) { out[string(f.id)] = r } }
            return out
        }

        func summary(_ r: Int, from idStart: Int, obligations: Bool = true) -> CaseSummary? {
            let end = range(r).upperBound
            let count = CaseSummary.indexFieldCount
            // Field boundaries found by pointer and kept on the stack, each field made a String
            // only when the summary asks for it: this runs for every row a listing shows.
            return bytes.withUnsafeBufferPointer { b in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: count + 1) { starts -> CaseSummary? in
                    var n = 0, p = idStart
                    starts[0] = idStart
                    while p < end {
                        if b[p] == 0x09 {
                            n += 1
                            guard n < count else { return nil }
                            starts[n] = p + 1
                        }
                        p += 1
                    }
                    guard n == count - 1 else { return nil }
                    starts[count] = end + 1
                    return CaseSummary(obligations: obligations, indexField: { i in
                        let field = UnsafeBufferPointer(rebasing: b[starts[i]..<(starts[i + 1] - 1)])
                        // Most fields of a row are empty (a case without handover, team or due date).
                        guard !field.isEmpty else { return "" }
                        let text = String(decoding: field, as: UTF8.self)
                        return field.contains(0x5C) ? unescape(Substring(text)) : text
                    })
                }
            }
        }
    }

    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x5C }) else { return s }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A row field as stored, unescaped: a name asked of before its row is decoded.
    public static func text(_ field: ArraySlice<UInt8>) -> String {
        unescape(Substring(decoding: field, as: UTF8.self))
    }

    static func unescape(_ s: Substring) -> String {
        guard s.utf8.contains(0x5C) else { return String(s) }
        var out = ""
        var escaped = false
        for c in s.unicodeScalars {
            if escaped {
                switch c {
                case "t": out += "\t"
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.unicodeScalars.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
