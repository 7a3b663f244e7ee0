/// Finds the transfer packages in one message or file, whatever it is: a package itself, a
/// saved e-mail, an Outlook `.msg`, or a `winmail.dat`. Attachments that are JSON but not a
/// package (a calendar export, another system's data) are passed over by name; one that
/// claims to be a package but is damaged is refused, never passed over.
public struct PackageFinder: Sendable {
    public enum Format: String, Sendable {
        case package, email, outlook = "Outlook message", tnef = "winmail.dat"
    }

    public var format: Format
    public var packages: [TransferPackage] = []
    /// JSON attachments that are not transfer packages, by name.
    public var unrelated: [String] = []
    public var skipped = 0
    public var notes: [String] = []
    /// The attachments of an Outlook message or winmail.dat, whatever they hold.
    public var listed: [EmailReader.Listed] = []

    static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

    public init(_ raw: [UInt8]) throws {
        guard raw.count <= EmailReader.maxBytes else {
            throw APError.data("message larger than \(EmailReader.maxBytes) bytes; refused")
        }
        if raw.starts(with: [0xFF, 0xFE]) || raw.starts(with: [0xFE, 0xFF]) {
            throw APError.data("saved as UTF-16 text; ap reads packages and e-mails saved as UTF-8 (save it again)")
        }
        let bytes = raw.starts(with: PackageFinder.utf8BOM) ? Array(raw.dropFirst(3)) : raw
        let first = bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 })
        if first == UInt8(ascii: "{") {
            format = .package
            if PackageFinder.claimsPackage(bytes) { packages = [try TransferPackage(bytes: bytes)] }
            return
        }
        let contents: EmailReader.Contents
        if OutlookMessage.looksLike(bytes) {
            format = .outlook
            contents = try OutlookMessage.read(bytes)
        } else if TNEF.looksLike(bytes) {
            format = .tnef
            var read = EmailReader.Contents()
            var budget = EmailReader.Budget()
            try EmailReader.attachment(name: "winmail.dat", type: "application/ms-tnef", bytes: { bytes }, depth: 0,
                                       budget: &budget, into: &read)
            contents = read
        } else {
            format = .email
            contents = try EmailReader.read(bytes)
        }
        skipped = contents.skipped
        notes = contents.notes
        listed = contents.listed
        for a in contents.attachments {
            if let name = a.fileName, name.contains("/") || name.contains("\\") || name.contains("..") {
                throw APError.data("attachment name '\(name)' holds a path; refused")
            }
            guard PackageFinder.claimsPackage(a.bytes) else {
                unrelated.append(a.fileName ?? "(unnamed \(a.contentType))")
                continue
            }
            do {
                packages.append(try TransferPackage(bytes: a.bytes.starts(with: PackageFinder.utf8BOM)
                    ? Array(a.bytes.dropFirst(3)) : a.bytes))
            } catch let e as APError {
                throw APError.data("attachment '\(a.fileName ?? "(unnamed)")': \(e.message)")
            }
        }
    }

    /// Whether JSON says it is an ap transfer package; a damaged one still says so.
    static func claimsPackage(_ bytes: [UInt8]) -> Bool {
        let marker = Array("\"ap-transfer\"".utf8)
        guard bytes.count >= marker.count else { return false }
        return (0...(bytes.count - marker.count)).contains { i in
            bytes[i] == 0x22 && bytes[i..<(i + marker.count)].elementsEqual(marker)
        }
    }

    /// Why a message without a package holds none, in words for the report.
    public var nothingFound: String {
        if format == .package { return "not an ap transfer package (no \"format\": \"ap-transfer\")" }
        var why = format == .outlook
            ? "no transfer package attached to this Outlook message"
            : format == .tnef ? "no transfer package inside this winmail.dat" : "no transfer package attached"
        if !unrelated.isEmpty { why += "; JSON attachment not a package: " + unrelated.joined(separator: ", ") }
        if !notes.isEmpty { why += "; " + notes.joined(separator: "; ") }
        if unrelated.isEmpty && notes.isEmpty && format == .email {
            why += " (a portal notification? the package travels as an ap-transfer-*.json attachment)"
        }
        return why
    }
}
