/// What an attachment may be besides a package: a container the package travels inside
/// (Outlook's winmail.dat, an Outlook message attached to a mail, a signed S/MIME body, a
/// MIME entity an Outlook message keeps for a signed mail), opened in turn with the same caps.
extension EmailReader {
    static let encrypted = APError.data(
        "the email is encrypted with S/MIME (smime.p7m), which ap cannot read; "
            + "save the decrypted message from the mail client and import that")

    static func isSMIME(name: String?, type: String) -> Bool {
        type == "application/pkcs7-mime" || type == "application/x-pkcs7-mime"
            || (name ?? "").lowercased().hasSuffix(".p7m")
    }

    static func isTNEF(name: String?, type: String) -> Bool {
        type == "application/ms-tnef" || type == "application/vnd.ms-tnef" || (name ?? "").lowercased() == "winmail.dat"
    }

    static func isOutlook(name: String?, type: String) -> Bool {
        type == "application/vnd.ms-outlook" || (name ?? "").lowercased().hasSuffix(".msg")
    }

    static func isContainer(name: String?, type: String) -> Bool {
        isTNEF(name: name, type: type) || isOutlook(name: name, type: type)
    }

    /// An attachment read: a package candidate kept, a container opened, anything else passed
    /// over. `bytes` is called only for what is read, so an odd part elsewhere is never decoded.
    static func attachment(
        name: String?, type: String, bytes: () throws -> [UInt8], depth: Int, budget: inout Budget,
        into out: inout Contents
    ) throws {
        guard depth <= maxDepth else { throw APError.data("email nests parts deeper than \(maxDepth) levels; refused") }
        if type == "multipart/signed" || type == "message/rfc822" {
            // Outlook keeps a signed mail's whole MIME entity as one attachment.
            try walk(try bytes()[...], depth: depth + 1, defaultType: "text/plain", budget: &budget, into: &out)
        } else if isSMIME(name: name, type: type) {
            try opened(try bytes(), depth: depth, budget: &budget, into: &out)
        } else if isTNEF(name: name, type: type) || isOutlook(name: name, type: type) {
            let label = name ?? (isTNEF(name: name, type: type) ? "winmail.dat" : "an Outlook message")
            do {
                let data = try bytes()
                if TNEF.looksLike(data) {
                    for a in try TNEF.attachments(data) {
                        out.listed.append(.init(name: a.name, size: a.bytes.count, sha256: SHA256.hex(a.bytes),
                                                depth: depth + 1))
                        try attachment(name: a.name, type: a.type ?? "application/octet-stream", bytes: { a.bytes },
                                       depth: depth + 1, budget: &budget, into: &out)
                    }
                } else if OutlookMessage.looksLike(data) {
                    try OutlookMessage.read(data, depth: depth + 1, budget: &budget, into: &out)
                } else {
                    out.skipped += 1
                }
            } catch let e as APError where depth > 0 {
                // A damaged container is passed over like any odd part, and said in the report.
                out.skipped += 1
                out.notes.append("\(label) could not be read: \(e.message)")
            }
        } else if mayHoldPackage(name: name, type: type) {
            out.attachments.append(Attachment(fileName: name, contentType: type, bytes: try bytes()))
        } else {
            out.skipped += 1
        }
    }

    /// An S/MIME body: a signed one yields its content (said to be unchecked); an encrypted one
    /// is refused with what to do.
    static func opened(_ der: [UInt8], depth: Int, budget: inout Budget, into out: inout Contents) throws {
        switch try SMIME.open(der) {
        case .encrypted:
            throw encrypted
        case .other:
            throw APError.data("the email's S/MIME body is neither signed nor encrypted data; refused")
        case .signed(let content):
            out.notes.append("signed with S/MIME: the signature was not checked by ap")
            try walk(content[...], depth: depth + 1, defaultType: "text/plain", budget: &budget, into: &out)
        }
    }
}
