import Foundation

/// Reads saved `.eml` messages and returns their attachments, as a careful mail client
/// would (engineering.md, "Email (.eml) import"): headers unfolded, CRLF or LF, nested
/// multiparts and message/rfc822 parts, base64 and quoted-printable, RFC 2231 and RFC 2047
/// file names. Sizes, part counts and nesting are capped; a sender's file name is never a path.
public enum EmailReader {
    public static let maxBytes = 32 << 20
    public static let maxHeaderBytes = 256 << 10
    public static let maxParts = 200
    public static let maxDepth = 8
    /// Seconds a message may take to read, whatever its shape.
    public static let maxSeconds = 10.0

    public struct Attachment: Equatable, Sendable {
        public var fileName: String?
        public var contentType: String
        public var bytes: [UInt8]
    }

    public static func attachments(_ message: [UInt8]) throws -> [Attachment] {
        try read(message).attachments
    }

    /// What a message holds: the parts that can carry a package, decoded, and how many other
    /// attachments were passed over without being decoded (a damaged or odd part elsewhere in
    /// the message does not sink the import; the package's SHA-256 is the check).
    public struct Contents: Sendable {
        public var attachments: [Attachment] = []
        public var skipped = 0
        /// What the reader could not read or check, in words for the import report.
        public var notes: [String] = []
        public var listed: [Listed] = []
    }

    /// An attachment of an Outlook message or winmail.dat: its name, size and SHA-256, and how
    /// deep it lies (1 for the message's own attachments).
    public struct Listed: Sendable {
        public var name: String?
        public var size: Int
        public var sha256: String
        public var depth: Int
    }

    public static func read(_ message: [UInt8]) throws -> Contents {
        guard message.count <= maxBytes else { throw APError.data("email larger than \(maxBytes) bytes; refused") }
        var out = Contents()
        var budget = Budget()
        try walk(message[...], depth: 0, defaultType: "text/plain", budget: &budget, into: &out)
        return out
    }

    /// Caps held per message, not per part.
    struct Budget {
        var parts = 0
        var headerBytes = 0
        let deadline = Date().addingTimeInterval(maxSeconds)

        func checkTime() throws {
            guard Date() < deadline else {
                throw APError.data("email took longer than \(Int(maxSeconds)) seconds to read; refused")
            }
        }
    }

    /// Errors of a part's own structure (not the message's caps): skipped below the top.
    static func malformed(_ e: APError) -> Bool {
        ["without a boundary", "has no parts for boundary", "is not closed"].contains { e.message.contains($0) }
    }

    /// Whether a part may carry a package: by its name or its type.
    static func mayHoldPackage(name: String?, type: String) -> Bool {
        type == "application/json" || (name ?? "").lowercased().hasSuffix(".json")
    }

    struct Part {
        var headers: [(name: String, value: String)]
        var body: ArraySlice<UInt8>

        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    }

    static func walk(
        _ bytes: ArraySlice<UInt8>, depth: Int, defaultType: String, budget: inout Budget, into out: inout Contents
    ) throws {
        guard depth <= maxDepth else { throw APError.data("email nests parts deeper than \(maxDepth) levels; refused") }
        budget.parts += 1
        guard budget.parts <= maxParts else { throw APError.data("email has more than \(maxParts) parts; refused") }
        try budget.checkTime()
        let part = try split(bytes, budget: &budget)
        let (type, params) = parameters(part.header("content-type") ?? defaultType)
        let encoding = (part.header("content-transfer-encoding") ?? "7bit").lowercased()
        if isSMIME(name: params["name"], type: type) {
            guard (params["smime-type"] ?? "").lowercased() != "enveloped-data" else { throw encrypted }
            try opened(try decode(part.body, encoding: encoding), depth: depth, budget: &budget, into: &out)
            return
        }
        if type.hasPrefix("multipart/") {
            do {
                guard let boundary = params["boundary"], !boundary.isEmpty else {
                    throw APError.data("multipart email part without a boundary")
                }
                // In a digest, a part without a Content-Type is a message (RFC 2046 §5.1.5).
                let inner = type == "multipart/digest" ? "message/rfc822" : "text/plain"
                for sub in try subparts(part.body, boundary: boundary, budget: budget.parts) {
                    try walk(sub, depth: depth + 1, defaultType: inner, budget: &budget, into: &out)
                }
            } catch let e as APError where depth > 0 && malformed(e) {
                // A damaged multipart inside the message is passed over, as a mail client
                // shows what it can: the package, if elsewhere, still comes through.
                out.skipped += 1
            }
            return
        }
        if type == "message/rfc822" {
            let body = try decode(part.body, encoding: encoding)
            try walk(body[...], depth: depth + 1, defaultType: "text/plain", budget: &budget, into: &out)
            return
        }
        let (disposition, dparams) = parameters(part.header("content-disposition") ?? "")
        let name = dparams["filename"] ?? params["name"]
        guard mayHoldPackage(name: name, type: type) || isContainer(name: name, type: type) else {
            // Never decoded: an odd or damaged attachment elsewhere cannot stop the import.
            if disposition == "attachment" || name != nil { out.skipped += 1 }
            return
        }
        try attachment(name: name, type: type, bytes: { try decode(part.body, encoding: encoding) }, depth: depth,
                       budget: &budget, into: &out)
    }

    /// Headers (unfolded, names lowercased, encoded words decoded) and the body.
    static func split(_ bytes: ArraySlice<UInt8>) throws -> Part {
        var budget = Budget()
        return try split(bytes, budget: &budget)
    }

    /// Headers (unfolded, names lowercased, encoded words decoded) and the body, the header
    /// bytes counted against the message's whole budget.
    static func split(_ bytes: ArraySlice<UInt8>, budget: inout Budget) throws -> Part {
        var i = bytes.startIndex
        var lines: [String] = []
        var starts: [Int] = []
        var lineStart = i
        var headerEnd: Int? = nil
        while i < bytes.endIndex {
            if bytes[i] == 0x0A {
                var end = i
                if end > lineStart && bytes[end - 1] == 0x0D { end -= 1 }
                if end == lineStart { headerEnd = i + 1; break }
                lines.append(String(decoding: bytes[lineStart..<end], as: UTF8.self))
                starts.append(lineStart)
                lineStart = i + 1
            }
            i += 1
            guard budget.headerBytes + (i - bytes.startIndex) <= maxHeaderBytes else {
                throw APError.data("email headers longer than \(maxHeaderBytes) bytes in all; refused")
            }
        }
        budget.headerBytes += (headerEnd ?? bytes.endIndex) - bytes.startIndex
        if headerEnd == nil, lineStart < bytes.endIndex {
            lines.append(String(decoding: bytes[lineStart..<bytes.endIndex], as: UTF8.self))
            starts.append(lineStart)
        }
        var headers: [(String, String)] = []
        for (n, line) in lines.enumerated() {
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].1 += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":"), !line[..<colon].contains(" ") || n == 0 {
                headers.append((line[..<colon].trimmingCharacters(in: .whitespaces).lowercased(),
                                line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            } else if !(n == 0 && line.hasPrefix("From ")) {
                // Not a header: the body begins here, with no blank line before it (as
                // Python's email package reads such a message).
                return Part(headers: headers, body: bytes[starts[n]...])
            }
        }
        return Part(headers: headers, body: headerEnd.map { bytes[$0...] } ?? bytes[bytes.endIndex...])
    }

    /// The parts between `boundary` lines; counted while scanning, so a message of nothing
    /// but boundary lines is refused before it is held in memory.
    static func subparts(_ body: ArraySlice<UInt8>, boundary: String, budget: Int = 0) throws -> [ArraySlice<UInt8>] {
        let marker = Array(("--" + boundary).utf8)
        var starts: [Int] = []  // where each delimiter line begins
        var ends: [Int] = []    // where the line after it begins
        var closed = false
        var i = body.startIndex
        while i < body.endIndex {
            let lineStart = i
            while i < body.endIndex && body[i] != 0x0A { i += 1 }
            let next = min(i + 1, body.endIndex)
            if body[lineStart..<i].starts(with: marker) {
                let rest = body[(lineStart + marker.count)..<i]
                if rest.starts(with: [0x2D, 0x2D]) { starts.append(lineStart); closed = true; break }
                if rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    starts.append(lineStart)
                    ends.append(next)
                    guard budget + ends.count <= maxParts else {
                        throw APError.data("email has more than \(maxParts) parts; refused")
                    }
                }
            }
            i = next
        }
        guard !ends.isEmpty else { throw APError.data("multipart email has no parts for boundary '\(boundary)' (truncated?)") }
        guard closed else { throw APError.data("multipart email is not closed ('--\(boundary)--' missing): truncated?") }
        return ends.enumerated().map { n, start in
            var end = starts[n + 1]
            // The line break before a delimiter belongs to the delimiter.
            if end > start && body[end - 1] == 0x0A { end -= 1 }
            if end > start && body[end - 1] == 0x0D { end -= 1 }
            return body[start..<max(start, end)]
        }
    }

    static func decode(_ body: ArraySlice<UInt8>, encoding: String) throws -> [UInt8] {
        switch encoding {
        case "base64":
            return try base64(body)
        case "quoted-printable":
            return try quotedPrintable(body)
        default:
            return Array(body)
        }
    }

    /// Base64 as mail clients read it: line breaks and spaces ignored, missing padding
    /// supplied, and a footer some gateways add after the data (a line that is not base64)
    /// ignored with everything after it.
    static func base64(_ body: ArraySlice<UInt8>) throws -> [UInt8] {
        func isBase64(_ b: UInt8) -> Bool {
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2F
                || b == 0x3D
        }
        var clean: [UInt8] = []
        clean.reserveCapacity(body.count)
        for line in body.split(separator: 0x0A, omittingEmptySubsequences: true) {
            let trimmed = line.filter { $0 != 0x0D && $0 != 0x20 && $0 != 0x09 }
            if trimmed.isEmpty { continue }
            guard trimmed.allSatisfy(isBase64) else {
                // A footer after the data ends it; a damaged line inside it is damage.
                guard !clean.isEmpty, clean.count % 4 == 0 || line.first == 0x2D else {
                    throw APError.data("attachment is not valid base64 (damaged or truncated)")
                }
                break
            }
            clean += trimmed
            if trimmed.contains(0x3D) { break }  // padding ends the data
        }
        while clean.last == 0x3D { clean.removeLast() }
        clean += Array(repeating: 0x3D, count: (4 - clean.count % 4) % 4)
        guard let data = Data(base64Encoded: Data(clean)) else {
            throw APError.data("attachment is not valid base64 (damaged or truncated)")
        }
        return Array(data)
    }

    static func quotedPrintable(_ body: ArraySlice<UInt8>) throws -> [UInt8] {
        var out: [UInt8] = []
        var i = body.startIndex
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: return b - 0x30
            case 0x41...0x46: return b - 0x41 + 10
            case 0x61...0x66: return b - 0x61 + 10
            default: return nil
            }
        }
        while i < body.endIndex {
            let b = body[i]
            guard b == 0x3D else { out.append(b); i += 1; continue }
            // Soft line break: '=' at the end of a line (CRLF or LF).
            if i + 1 < body.endIndex, body[i + 1] == 0x0A { i += 2; continue }
            if i + 2 < body.endIndex, body[i + 1] == 0x0D, body[i + 2] == 0x0A { i += 3; continue }
            guard i + 2 < body.endIndex, let h = hex(body[i + 1]), let l = hex(body[i + 2]) else {
                throw APError.data("attachment is not valid quoted-printable")
            }
            out.append(h << 4 | l)
            i += 3
        }
        return out
    }

    /// `type/subtype; a=b; c*0*=utf-8''x; c*1=y` → ("type/subtype", [a: b, c: xy]), with
    /// RFC 2231 continuations joined in numeric order and RFC 2047 encoded words decoded.
    static func parameters(_ value: String) -> (String, [String: String]) {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        for c in value {
            if c == "\"" { quoted.toggle() }
            if c == ";" && !quoted { pieces.append(current); current = ""; continue }
            current.append(c)
        }
        pieces.append(current)
        let type = pieces[0].trimmingCharacters(in: .whitespaces).lowercased()
        var plain: [String: String] = [:]
        var sections: [String: [(Int, String, Bool)]] = [:]
        for piece in pieces.dropFirst() {
            guard let eq = piece.firstIndex(of: "=") else { continue }
            var name = piece[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var v = piece[piece.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if v.hasPrefix("\"") && v.hasSuffix("\"") && v.count >= 2 { v = String(v.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"") }
            let encoded = name.hasSuffix("*")
            if encoded { name.removeLast() }
            if let star = name.firstIndex(of: "*"), let n = Int(name[name.index(after: star)...]) {
                sections[String(name[..<star]), default: []].append((n, v, encoded))
            } else if encoded {
                sections[name, default: []].append((0, v, true))
            } else {
                plain[name] = decodeWords(v)
            }
        }
        for (name, parts) in sections {
            var bytes: [UInt8] = []
            for (n, (_, v, encoded)) in parts.sorted(by: { $0.0 < $1.0 }).enumerated() {
                var text = v
                if encoded {
                    if n == 0, let q = text.firstIndex(of: "'"), let q2 = text[text.index(after: q)...].firstIndex(of: "'") {
                        text = String(text[text.index(after: q2)...])  // charset'language'value
                    }
                    bytes += percentDecode(text)
                } else {
                    bytes += Array(text.utf8)
                }
            }
            plain[name] = String(decoding: bytes, as: UTF8.self)
        }
        return (type, plain)
    }

    static func percentDecode(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        while i < u.count {
            if u[i] == 0x25, i + 2 < u.count, let v = UInt8(String(decoding: u[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(v)
                i += 3
            } else {
                out.append(u[i])
                i += 1
            }
        }
        return out
    }

    /// RFC 2047: `=?utf-8?B?...?=` and `=?utf-8?Q?...?=` words.
    static func decodeWords(_ s: String) -> String {
        guard s.contains("=?") else { return s }
        var out = ""
        var rest = Substring(s)
        while let start = rest.range(of: "=?") {
            out += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            let fields = after.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count == 4, fields[3].hasPrefix("="), let _ = fields.first else { out += "=?"; rest = after; continue }
            let encoding = fields[1].uppercased(), text = String(fields[2])
            var bytes: [UInt8] = []
            if encoding == "B" {
                bytes = Array(Data(base64Encoded: text) ?? Data())
            } else {
                bytes = (try? quotedPrintable(ArraySlice(Array(text.replacingOccurrences(of: "_", with: " ").utf8)))) ?? []
            }
            out += String(decoding: bytes, as: UTF8.self)
            rest = fields[3].dropFirst()
            // Whitespace between two encoded words is dropped.
            if rest.drop(while: { $0 == " " }).hasPrefix("=?") { rest = rest.drop(while: { $0 == " " }) }
        }
        return out + rest
    }
}
