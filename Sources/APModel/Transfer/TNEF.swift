/// Reads the attachments of a TNEF stream (`winmail.dat`, `application/ms-tnef`), which
/// Outlook sends in place of MIME attachments when it sends rich text: each attachment's
/// title (attAttachTitle) and data (attAttachData), and its long file name from the MAPI
/// properties (attAttachment, PidTagAttachLongFilename) where the title is an 8.3 name.
public enum TNEF {
    static let signature: UInt32 = 0x223E_9F78
    static let renderData: UInt32 = 0x0006_9002  // starts each attachment
    static let title: UInt32 = 0x0001_8010
    static let data: UInt32 = 0x0006_800F
    static let mapiProperties: UInt32 = 0x0006_9005

    public struct Attachment: Sendable {
        public var name: String?
        public var type: String?
        public var bytes: [UInt8] = []
    }

    public static func looksLike(_ bytes: [UInt8]) -> Bool { CompoundFile.u32(bytes, 0) == signature }

    public static func attachments(_ bytes: [UInt8]) throws -> [Attachment] {
        guard looksLike(bytes) else { throw damaged("no TNEF signature") }
        var out: [Attachment] = []
        var at = 6  // signature and legacy key
        // A few bytes after the last attribute (a mailer's line break) are not an attribute.
        while at + 9 <= bytes.count {
            let id = CompoundFile.u32(bytes, at + 1)
            let length = Int(CompoundFile.u32(bytes, at + 5))
            let start = at + 9
            guard length <= bytes.count - start - 2 else { throw damaged("attribute runs past the end") }
            let value = bytes[start..<(start + length)]
            switch id {
            case renderData:
                guard out.count < EmailReader.maxParts else {
                    throw APError.data("winmail.dat has more than \(EmailReader.maxParts) attachments; refused")
                }
                out.append(Attachment())
            case title where !out.isEmpty:
                out[out.count - 1].name = out[out.count - 1].name ?? OutlookMessage.clean(
                    OutlookMessage.decode(Array(value), codePage: nil))
            case data where !out.isEmpty:
                out[out.count - 1].bytes = Array(value)
            case mapiProperties where !out.isEmpty:
                let props = MAPIProperties.strings(Array(value))
                if let long = props[0x3707] { out[out.count - 1].name = long }
                if let type = props[0x370E] { out[out.count - 1].type = type.lowercased() }
            default:
                break
            }
            at = start + length + 2  // the checksum after each value
        }
        return out
    }

    static func damaged(_ what: String) -> APError {
        APError.data("winmail.dat (TNEF) is damaged (\(what)); refused")
    }
}

/// The string properties of a MAPI property list as TNEF writes it (MS-OXTNEF §2.1.3.4).
enum MAPIProperties {
    static let fixedSizes: [UInt16: Int] = [
        0x0001: 4, 0x0002: 4, 0x0003: 4, 0x0004: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x000A: 4, 0x000B: 4,
        0x0014: 8, 0x0040: 8, 0x0048: 16,
    ]
    static let variable: Set<UInt16> = [0x001E, 0x001F, 0x0102, 0x000D]

    /// Strings by property id; a list it cannot follow ends the reading (what came before stands).
    static func strings(_ b: [UInt8]) -> [UInt16: String] {
        var out: [UInt16: String] = [:]
        var at = 4
        let count = Int(CompoundFile.u32(b, 0))
        for _ in 0..<min(count, 10_000) {
            guard at + 4 <= b.count else { break }
            let type = CompoundFile.u16(b, at), id = CompoundFile.u16(b, at + 2)
            at += 4
            if id >= 0x8000 {  // a named property: GUID, kind, then a number or a name
                guard at + 20 <= b.count else { break }
                let kind = CompoundFile.u32(b, at + 16)
                at += 20
                at += kind == 0 ? 4 : 4 + padded(Int(CompoundFile.u32(b, at)))
            }
            let base = type & 0x0FFF, multiple = type & 0x1000 != 0
            var values = 1
            if multiple || variable.contains(base) {
                guard at + 4 <= b.count else { break }
                values = Int(CompoundFile.u32(b, at))
                at += 4
            }
            if let size = fixedSizes[base] {
                at += values * size
                continue
            }
            guard variable.contains(base), values <= b.count else { break }
            for _ in 0..<values {
                guard at + 4 <= b.count else { return out }
                let length = Int(CompoundFile.u32(b, at))
                guard length <= b.count - at - 4 else { return out }
                let bytes = Array(b[(at + 4)..<(at + 4 + length)])
                if base == 0x001F {
                    let units = stride(from: 0, to: bytes.count - 1, by: 2).map { CompoundFile.u16(bytes, $0) }
                    out[id] = OutlookMessage.clean(String(decoding: units, as: UTF16.self))
                } else if base == 0x001E {
                    out[id] = OutlookMessage.clean(OutlookMessage.decode(bytes, codePage: nil))
                }
                at += 4 + padded(length)
            }
        }
        return out
    }

    static func padded(_ n: Int) -> Int { (n + 3) & ~3 }
}
