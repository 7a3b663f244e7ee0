/// Opens an S/MIME `application/pkcs7-mime` body (RFC 8551) far enough to read it: a DER or
/// BER walk of the CMS ContentInfo (RFC 5652) to the signed content of a SignedData. No
/// cryptography: the signature is not checked (ap says so), and enveloped (encrypted) data
/// is told apart so its refusal can say what to do.
public enum SMIME {
    public enum Content: Equatable, Sendable {
        case signed([UInt8])
        case encrypted
        case other
    }

    // 1.2.840.113549.1.7.2 and .3; 1.2.840.113549.1.9.16.1.23 (AuthEnvelopedData).
    static let signedData: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02]
    static let envelopedData: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x03]
    static let authEnvelopedData: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x01, 0x17]
    static let maxDepth = 32

    struct Node {
        var tag: UInt8
        var content: Range<Int>
        var end: Int  // where the next element begins
        var indefinite: Bool
        var constructed: Bool { tag & 0x20 != 0 }
    }

    public static func open(_ der: [UInt8]) throws -> Content {
        let info = try node(der, at: 0, depth: 0)
        let parts = try children(der, info, depth: 1)
        guard info.tag == 0x30, parts.count >= 2, parts[0].tag == 0x06 else { throw damaged("no ContentInfo") }
        let type = Array(der[parts[0].content])
        if type == envelopedData || type == authEnvelopedData { return .encrypted }
        guard type == signedData, parts[1].tag == 0xA0 else { return .other }
        guard let signed = try children(der, parts[1], depth: 2).first, signed.tag == 0x30 else {
            throw damaged("no SignedData")
        }
        // SignedData: version, digest algorithms, then the encapsulated content.
        let fields = try children(der, signed, depth: 3)
        guard fields.count >= 3, fields[2].tag == 0x30 else { throw damaged("no encapsulated content") }
        let encapsulated = try children(der, fields[2], depth: 4)
        guard encapsulated.count >= 2, encapsulated[1].tag == 0xA0,
              let octets = try children(der, encapsulated[1], depth: 5).first
        else { throw damaged("the signed message holds no content (detached signature)") }
        var content: [UInt8] = []
        try collect(der, octets, depth: 6, into: &content)
        return .signed(content)
    }

    /// An OCTET STRING's bytes, its BER pieces joined when it is constructed.
    static func collect(_ b: [UInt8], _ n: Node, depth: Int, into out: inout [UInt8]) throws {
        switch n.tag {
        case 0x04: out += b[n.content]
        case 0x24: for c in try children(b, n, depth: depth + 1) { try collect(b, c, depth: depth + 1, into: &out) }
        default: throw damaged("signed content is not an octet string")
        }
    }

    static func children(_ b: [UInt8], _ n: Node, depth: Int) throws -> [Node] {
        guard n.constructed else { return [] }
        var out: [Node] = []
        var at = n.content.lowerBound
        while at < n.content.upperBound {
            let c = try node(b, at: at, depth: depth)
            out.append(c)
            at = c.end
        }
        return out
    }

    /// One element: tag, length (short, long or indefinite) and where its content lies.
    static func node(_ b: [UInt8], at start: Int, depth: Int) throws -> Node {
        guard depth <= maxDepth else { throw damaged("nested too deeply") }
        guard start + 2 <= b.count else { throw damaged("cut short") }
        let tag = b[start]
        guard tag & 0x1F != 0x1F else { throw damaged("unexpected high tag number") }
        var at = start + 1
        let first = b[at]
        at += 1
        if first == 0x80 {  // indefinite: children until an end-of-contents marker
            guard tag & 0x20 != 0 else { throw damaged("indefinite length on a primitive") }
            var p = at
            while true {
                guard p + 2 <= b.count else { throw damaged("no end of contents") }
                if b[p] == 0 && b[p + 1] == 0 { return Node(tag: tag, content: at..<p, end: p + 2, indefinite: true) }
                p = try node(b, at: p, depth: depth + 1).end
            }
        }
        var length = Int(first)
        if first & 0x80 != 0 {
            let count = Int(first & 0x7F)
            guard count <= 4, at + count <= b.count else { throw damaged("bad length") }
            length = b[at..<(at + count)].reduce(0) { $0 << 8 | Int($1) }
            at += count
        }
        guard length <= b.count - at else { throw damaged("an element runs past the end") }
        return Node(tag: tag, content: at..<(at + length), end: at + length, indefinite: false)
    }

    static func damaged(_ what: String) -> APError {
        APError.data("S/MIME message could not be read (\(what)); refused")
    }
}
