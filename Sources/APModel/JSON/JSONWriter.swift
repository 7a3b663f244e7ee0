/// Canonical JSON output: keys sorted by their UTF-8 bytes, two-space indentation,
/// a trailing newline. The same value always gives the same bytes.
public enum JSONWriter {
    public static func pretty(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(value, into: &out, indent: 0, pretty: true)
        out.append(0x0A)
        return out
    }

    /// One line, no spaces: for JSON Lines output.
    public static func compact(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        write(value, into: &out, indent: 0, pretty: false)
        return String(decoding: out, as: UTF8.self)
    }

    public static func prettyString(_ value: JSONValue) -> String {
        String(decoding: pretty(value), as: UTF8.self)
    }

    static func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(0x0A)
        let width = indent * 2
        if width <= spaces.count {
            out.append(contentsOf: spaces[0..<width])
        } else {
            out.append(contentsOf: repeatElement(0x20, count: width))
        }
    }

    /// Indentation is copied from here: appending a repeated element byte by byte was
    /// a tenth of the writer's time.
    static let spaces = [UInt8](repeating: 0x20, count: 128)

    /// A timestamp as a JSON string, without making a String first.
    static func writeTimestamp(_ t: Timestamp, into out: inout [UInt8]) {
        out.append(0x22)
        t.appendText(to: &out)
        out.append(0x22)
    }

    static func write(_ value: JSONValue, into out: inout [UInt8], indent: Int, pretty: Bool) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: [0x5B, 0x5D]); return }
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                if pretty { newline(&out, indent + 1) }
                write(item, into: &out, indent: indent + 1, pretty: pretty)
            }
            if pretty { newline(&out, indent) }
            out.append(0x5D)
        case .object(let fields):
            if fields.isEmpty { out.append(contentsOf: [0x7B, 0x7D]); return }
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
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool in
                for i in 0..<min(x.count, y.count) where x[i] != y[i] { return x[i] < y[i] }
                return x.count < y.count
            }
        }
        if let fast, let result = fast { return result }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Starts the next field of an object written by hand (keys in canonical order,
    /// `pretty` layout at `indent`, the object's own level): `{` or `,`, then the key.
    static func key(_ key: String, first: Bool, indent: Int, into out: inout [UInt8]) {
        out.append(first ? 0x7B : 0x2C)
        newline(&out, indent + 1)
        writeString(key, into: &out)
        out.append(contentsOf: [0x3A, 0x20])
    }

    /// Closes an object written with `key`.
    static func endObject(indent: Int, into out: inout [UInt8]) {
        newline(&out, indent)
        out.append(0x7D)
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { bytes in
            // Plain runs are copied whole; only the bytes JSON needs escaped are rewritten.
            var start = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                start = i + 1
                switch b {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])
                case 0x09: out.append(contentsOf: [0x5C, 0x74])
                default: out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
        }
        out.append(0x22)
    }
}
