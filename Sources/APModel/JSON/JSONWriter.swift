/// Canonical JSON output: keys sorted by their UTF-8 bytes, two-space indentation,
/// a trailing newline. The same value always gives the same bytes.
public enum JSONWriter {
    public static func pretty(_ value: JSONValue) -> [UInt8] {
        var out = ByteBuffer()
        write(value, into: &out, indent: 0, pretty: true)
        out.append(0x0A)
        return out.bytes
    }

    /// One line, no spaces: for JSON Lines output.
    public static func compact(_ value: JSONValue) -> String {
        var out = ByteBuffer()
        write(value, into: &out, indent: 0, pretty: false)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    public static func prettyString(_ value: JSONValue) -> String {
        String(decoding: pretty(value), as: UTF8.self)
    }

    static func newline(_ out: inout ByteBuffer, _ indent: Int) {
        out.append(0x0A)
        out.append(spaces: indent * 2)
    }

    /// A timestamp as a JSON string, without making a String first.
    static func writeTimestamp(_ t: Timestamp, into out: inout ByteBuffer) {
        out.append(0x22)
        t.withText { out.append($0) }
        out.append(0x22)
    }

    static func write(_ value: JSONValue, into out: inout ByteBuffer, indent: Int, pretty: Bool) {
        switch value {
        case .null: out.append("null" as StaticString)
        case .bool(let b): out.append(b ? "true" as StaticString : "false")
        case .number(let n): out.append(n)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            if items.isEmpty { out.append("[]" as StaticString); return }
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                if pretty { newline(&out, indent + 1) }
                write(item, into: &out, indent: indent + 1, pretty: pretty)
            }
            if pretty { newline(&out, indent) }
            out.append(0x5D)
        case .object(let fields):
            if fields.isEmpty { out.append("{}" as StaticString); return }
            out.append(0x7B)
            // Sort the pairs, not the keys: no hash lookup per key afterwards.
            let pairs = fields.sorted { precedes($0.key, $1.key) }
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out.append(0x2C) }
                if pretty { newline(&out, indent + 1) }
                writeString(pair.key, into: &out)
                out.append(0x3A)
                if pretty { out.append(0x20) }
                write(pair.value, into: &out, indent: indent + 1, pretty: pretty)
            }
            if pretty { newline(&out, indent) }
            out.append(0x7D)
        }
    }

    /// Byte order of the UTF-8 forms: the canonical key order.
    static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                for i in 0..<min(x.count, y.count) where x[i] != y[i] { return x[i] < y[i] }
                return x.count < y.count
            }
        }
    }

    /// Exactly `pretty` of an array of `count` objects, each written by `row` field by
    /// field in canonical key order, without a dictionary per row: for commands that print
    /// thousands of rows. Handed to `emit` in parts, in order, as they are written: runs of rows
    /// on all cores (the writing was a fifth of a 100,000-case listing's time), so a long list
    /// is printed while the rest is written and is not held whole. `emit` returns false to stop
    /// (the output failed).
    public static func prettyRowStream(
        _ count: Int, emit: ([UInt8]) -> Bool, _ row: @Sendable (Int, inout RowWriter) -> Void
    ) {
        guard count > 0 else { _ = emit(Array("[]\n".utf8)); return }
        guard emit([0x5B]) else { return }
        let size = max(256, min(runRows, count / cores))
        guard parallelRuns(count, size: size, { rows($0, row) }, emit: emit) else { return }
        _ = emit(Array("\n]\n".utf8))
    }

    /// Rows a core writes at a time in `prettyRowStream`: about half a megabyte.
    static let runRows = 2048

    /// Parts as one buffer.
    public static func joined(_ parts: [[UInt8]]) -> [UInt8] {
        guard parts.count > 1 else { return parts.first ?? [] }
        var out: [UInt8] = []
        out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { out.append(contentsOf: part) }
        return out
    }

    /// Rows `range` of a `prettyRowStream` list, each after its comma (but the first) and newline.
    static func rows(_ range: Range<Int>, _ row: (Int, inout RowWriter) -> Void) -> [UInt8] {
        // Room for long rows: memory not written is never touched, and a buffer that grew was
        // copied whole (a 1,000-case queue's rows, 535 bytes each, grew once).
        var w = RowWriter(out: ByteBuffer(capacity: range.count * 1024))
        for i in range {
            if i > 0 { w.out.append(0x2C) }
            newline(&w.out, 1)
            w.fields = 0
            row(i, &w)
            if w.fields == 0 { w.out.append("{}" as StaticString) } else { endObject(indent: 1, into: &w.out) }
        }
        return w.out.bytes
    }

    /// Writes the fields of one row of `prettyRows`; keys must come in byte order.
    public struct RowWriter: ~Copyable {
        var out: ByteBuffer
        var fields = 0
        var lastKey = ""
        /// The level of the object being written: 1 for the row, 2 for an object in it.
        var indent = 1

        mutating func key(_ key: String) {
            assert(fields == 0 || JSONWriter.precedes(lastKey, key), "keys out of order: \(lastKey), \(key)")
            JSONWriter.key(key, first: fields == 0, indent: indent, into: &out)
            fields += 1
            lastKey = key
        }

        public mutating func string(_ key: String, _ value: String) {
            self.key(key)
            JSONWriter.writeString(value, into: &out)
        }

        public mutating func int(_ key: String, _ value: Int) {
            self.key(key)
            out.append(String(value))
        }

        public mutating func bool(_ key: String, _ value: Bool) {
            self.key(key)
            out.append(value ? "true" as StaticString : "false")
        }

        /// A list of strings, written as `pretty` writes it, without a value per string.
        public mutating func strings(_ key: String, _ values: [String]) {
            self.key(key)
            guard !values.isEmpty else { return out.append("[]" as StaticString) }
            out.append(0x5B)
            for (i, value) in values.enumerated() {
                if i > 0 { out.append(0x2C) }
                JSONWriter.newline(&out, indent + 2)
                JSONWriter.writeString(value, into: &out)
            }
            JSONWriter.newline(&out, indent + 1)
            out.append(0x5D)
        }

        /// An object nested in the row, its fields written by `body` in byte order as the row's
        /// are, without a dictionary or a value per field (a list's open stages).
        public mutating func object(_ key: String, _ body: (inout RowWriter) -> Void) {
            self.key(key)
            let (outerFields, outerKey) = (fields, lastKey)
            (fields, indent) = (0, indent + 1)
            body(&self)
            if fields == 0 {
                out.append("{}" as StaticString)
            } else {
                JSONWriter.endObject(indent: indent, into: &out)
            }
            (fields, lastKey, indent) = (outerFields, outerKey, indent - 1)
        }

        /// Any value, an object or list nested in the row.
        public mutating func value(_ key: String, _ value: JSONValue) {
            self.key(key)
            JSONWriter.write(value, into: &out, indent: indent + 1, pretty: true)
        }
    }

    /// Starts the next field of an object written by hand (keys in canonical order,
    /// `pretty` layout at `indent`, the object's own level): `{` or `,`, then the key.
    static func key(_ key: String, first: Bool, indent: Int, into out: inout ByteBuffer) {
        out.append(first ? 0x7B : 0x2C)
        newline(&out, indent + 1)
        writeString(key, into: &out)
        out.append(0x3A)
        out.append(0x20)
    }

    /// Closes an object written with `key`.
    static func endObject(indent: Int, into out: inout ByteBuffer) {
        newline(&out, indent)
        out.append(0x7D)
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ s: String, into out: inout ByteBuffer) {
        out.append(0x22)
        var s = s
        s.withUTF8 { writeEscaped($0, into: &out) }
        out.append(0x22)
    }

    /// String contents: plain runs are copied whole; only the bytes JSON needs escaped are rewritten.
    static func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout ByteBuffer) {
        guard let base = bytes.baseAddress else { return }
        var start = 0
        for i in plainPrefix(bytes)..<bytes.count {
            let b = base[i]
            guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
            out.append(UnsafeBufferPointer(start: base + start, count: i - start))
            start = i + 1
            out.append(0x5C)
            switch b {
            case 0x22, 0x5C: out.append(b)
            case 0x0A: out.append(0x6E)
            case 0x0D: out.append(0x72)
            case 0x09: out.append(0x74)
            default:
                out.append("u00" as StaticString)
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0xF)])
            }
        }
        out.append(UnsafeBufferPointer(start: base + start, count: bytes.count - start))
    }

    /// How many leading bytes, in whole words of eight, surely need no escape: each word is
    /// tested at once for a control byte, a quote or a backslash (a word that may hold one is
    /// left to the byte loop). Most strings written have none, and testing byte by byte was a
    /// third of writing a queue.
    static func plainPrefix(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        /// Whether some byte of `w` is zero (exact for "some", as the bit trick is).
        func someZero(_ w: UInt64) -> Bool { (w &- ones) & ~w & highs != 0 }
        var i = 0
        while i + 8 <= bytes.count {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let control = (w &- ones &* 0x20) & ~w & highs != 0
            if control || someZero(w ^ (ones &* 0x22)) || someZero(w ^ (ones &* 0x5C)) { break }
            i += 8
        }
        return i
    }
}
