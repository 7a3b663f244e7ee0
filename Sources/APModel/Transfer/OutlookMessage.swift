import Foundation

/// Reads the attachments of an Outlook message saved as `.msg` (MS-OXMSG inside a compound
/// file): each `__attach_version1.0_#…` storage's data (`__substg1.0_37010102`) and name
/// (long file name 3707, short 3704, display name 3001, in UTF-16LE or the message's code
/// page), embedded messages (3701000D) read in turn, and a signed message's MIME entity
/// handed to the e-mail reader.
public enum OutlookMessage {
    static let properties = "__properties_version1.0"
    static let attachPrefix = "__attach_version1.0_#"
    static let embedded = "__substg1.0_3701000D"

    public static func looksLike(_ bytes: [UInt8]) -> Bool { CompoundFile.looksLike(bytes) }

    public static func read(_ bytes: [UInt8]) throws -> EmailReader.Contents {
        var out = EmailReader.Contents()
        var budget = EmailReader.Budget()
        try read(bytes, depth: 0, budget: &budget, into: &out)
        return out
    }

    static func read(
        _ bytes: [UInt8], depth: Int, budget: inout EmailReader.Budget, into out: inout EmailReader.Contents
    ) throws {
        let file = try CompoundFile(bytes)
        let top = try file.children(of: 0)
        guard top[properties] != nil || top.keys.contains(where: { $0.hasPrefix("__substg1.0_") }) else {
            throw APError.data("a compound file that is not an Outlook message (a Word or Excel file?); refused")
        }
        var visited = Set<Int>()
        try message(file, storage: 0, children: top, headerSize: 32, depth: depth, visited: &visited, budget: &budget,
                    into: &out)
    }

    /// One message's attachments; an embedded message is read with the same file and budget.
    static func message(
        _ file: CompoundFile, storage: Int, children: [String: Int], headerSize: Int, depth: Int,
        visited: inout Set<Int>, budget: inout EmailReader.Budget, into out: inout EmailReader.Contents
    ) throws {
        guard depth <= EmailReader.maxDepth else {
            throw APError.data("Outlook message nests messages deeper than \(EmailReader.maxDepth) levels; refused")
        }
        guard visited.insert(storage).inserted else { throw CompoundFile.damaged("a message is inside itself") }
        let codePage = try children[properties].flatMap { i -> UInt32? in
            let stream = try file.read(i)
            return fixed(stream, headerSize: headerSize, tag: 0x3FFD_0003)
                ?? fixed(stream, headerSize: headerSize, tag: 0x3FDE_0003)
        }
        let messageClass = try string(file, children, 0x001A, codePage: codePage) ?? ""
        for (name, index) in children.sorted(by: { $0.key < $1.key }) where name.hasPrefix(attachPrefix) {
            budget.parts += 1
            guard budget.parts <= EmailReader.maxParts else {
                throw APError.data("Outlook message has more than \(EmailReader.maxParts) attachments; refused")
            }
            try budget.checkTime()
            let inside = try file.children(of: index)
            if let inner = inside[embedded], file.entries[inner]?.kind == .storage {
                let innerChildren = try file.children(of: inner)
                if innerChildren[properties] != nil {
                    try message(file, storage: inner, children: innerChildren, headerSize: 24, depth: depth + 1,
                                visited: &visited, budget: &budget, into: &out)
                } else {
                    out.skipped += 1  // an OLE object, not a message
                }
                continue
            }
            let fileName = try string(file, inside, 0x3707, codePage: codePage)
                ?? string(file, inside, 0x3704, codePage: codePage) ?? string(file, inside, 0x3001, codePage: codePage)
            var type = (try string(file, inside, 0x370E, codePage: codePage) ?? "").lowercased()
            if type.isEmpty && messageClass.uppercased().hasPrefix("IPM.NOTE.SMIME.MULTIPARTSIGNED") {
                type = "multipart/signed"
            }
            guard let stream = inside["__substg1.0_37010102"] else { out.skipped += 1; continue }
            let data = try file.read(stream)
            out.listed.append(.init(name: fileName, size: data.count, sha256: SHA256.hex(data), depth: depth + 1))
            try EmailReader.attachment(
                name: fileName, type: type.isEmpty ? "application/octet-stream" : type,
                bytes: { data }, depth: depth + 1, budget: &budget, into: &out)
        }
    }

    /// A fixed-size property's value from a properties stream (16-byte entries after its header).
    static func fixed(_ stream: [UInt8], headerSize: Int, tag: UInt32) -> UInt32? {
        for at in stride(from: headerSize, to: stream.count - 15, by: 16) where CompoundFile.u32(stream, at) == tag {
            return CompoundFile.u32(stream, at + 8)
        }
        return nil
    }

    /// A string property: UTF-16LE (type 001F) or 8-bit in the message's code page (001E).
    static func string(_ file: CompoundFile, _ children: [String: Int], _ id: UInt16, codePage: UInt32?) throws
        -> String?
    {
        let hex = String(format: "%04X", id)
        if let i = children["__substg1.0_\(hex)001F"] {
            let bytes = try file.read(i)
            let units = stride(from: 0, to: bytes.count - 1, by: 2).map { CompoundFile.u16(bytes, $0) }
            return clean(String(decoding: units, as: UTF16.self))
        }
        if let i = children["__substg1.0_\(hex)001E"] {
            return clean(decode(try file.read(i), codePage: codePage))
        }
        return nil
    }

    static func clean(_ s: String) -> String? {
        let t = s.trimmingCharacters(in: CharacterSet(charactersIn: "\0").union(.whitespaces))
        return t.isEmpty ? nil : t
    }

    /// 8-bit text in a Windows code page; Windows-1252 where the page is unknown.
    static func decode(_ bytes: [UInt8], codePage: UInt32?) -> String {
        let encodings: [UInt32: String.Encoding] = [
            65001: .utf8, 1250: .windowsCP1250, 1251: .windowsCP1251, 1252: .windowsCP1252, 1253: .windowsCP1253,
            1254: .windowsCP1254, 28591: .isoLatin1, 20127: .ascii, 932: .shiftJIS,
        ]
        let encoding = codePage.flatMap { encodings[$0] } ?? .windowsCP1252
        return String(bytes: bytes, encoding: encoding) ?? String(decoding: bytes, as: UTF8.self)
    }
}
