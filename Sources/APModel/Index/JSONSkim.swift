/// Reads one field of a top-level JSON object without building the rest: the other
/// values are skipped by scanning. A case scan needs only `state`, and skipping the
/// events is most of what makes the cold `ap queue` fast (BENCHMARKS.md).
extension JSONParser {
    public static func topLevelField(_ key: String, in bytes: [UInt8]) throws -> JSONValue? {
        let wanted = Array(key.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            var p = JSONParser(buffer)
            p.skipSpace()
            guard p.pos < buffer.count, buffer[p.pos] == UInt8(ascii: "{") else { throw p.error("expected a JSON object") }
            p.pos += 1
            while true {
                p.skipSpace()
                guard p.pos < buffer.count else { throw p.error("unexpected end of input in an object") }
                if buffer[p.pos] == UInt8(ascii: "}") { return nil }
                guard buffer[p.pos] == UInt8(ascii: "\"") else { throw p.error("expected a quoted key") }
                let start = p.pos + 1
                try p.skipString()
                let isWanted = p.pos - 1 - start == wanted.count
                    && wanted.withUnsafeBufferPointer { w in zip(w, UnsafeBufferPointer(rebasing: buffer[start..<(p.pos - 1)])).allSatisfy { $0 == $1 } }
                p.skipSpace()
                guard p.pos < buffer.count, buffer[p.pos] == UInt8(ascii: ":") else { throw p.error("expected ':'") }
                p.pos += 1
                p.skipSpace()
                if isWanted { return try p.parseValue(depth: 0) }
                try p.skipValue()
                p.skipSpace()
                guard p.pos < buffer.count else { throw p.error("unexpected end of input in an object") }
                if buffer[p.pos] == UInt8(ascii: ",") { p.pos += 1; continue }
                if buffer[p.pos] == UInt8(ascii: "}") { return nil }
                throw p.error("expected ',' or '}' in an object")
            }
        }
    }

    /// Moves past a string, starting at its opening quote.
    mutating func skipString() throws {
        pos += 1
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") { pos += 1; return }
            pos += c == UInt8(ascii: "\\") ? 2 : 1
        }
        throw error("unterminated string")
    }

    /// Moves past any value, tracking only bracket depth and strings.
    mutating func skipValue() throws {
        guard pos < bytes.count else { throw error("unexpected end of input") }
        switch bytes[pos] {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            repeat {
                guard pos < bytes.count else { throw error("unexpected end of input") }
                switch bytes[pos] {
                case UInt8(ascii: "\""): try skipString(); continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
                pos += 1
            } while depth > 0
        default:
            // A number or a literal: up to the next delimiter.
            while pos < bytes.count {
                switch bytes[pos] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: return
                default: pos += 1
                }
            }
        }
    }
}
