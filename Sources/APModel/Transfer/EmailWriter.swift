import Foundation

/// Writes the `.eml` that carries a transfer package by secure email (RFC 5322 headers,
/// RFC 2045/2046 MIME: multipart/mixed with a plain-text summary and the package as a
/// base64 attachment).
public enum EmailWriter {
    public static func message(_ package: TransferPackage, summary: String, date: Timestamp, boundary: String) -> String {
        let subject = "AssetPlus transfer \(package.caseFile.id): \(describe(package)) (\(package.from.code) to \(package.to.code))"
        return message(
            subject: subject, from: package.from, to: package.to, messageID: package.id, summary: summary,
            attachmentName: package.fileName, attachment: package.bytes, date: date, boundary: boundary)
    }

    /// A message with a plain-text summary and one JSON attachment, from `from` to `to`.
    public static func message(
        subject: String, from: YOT, to: YOT, messageID: String, summary: String, attachmentName: String,
        attachment: [UInt8], date: Timestamp, boundary: String
    ) -> String {
        var base64 = Data(attachment).base64EncodedString()
        var lines: [String] = []
        while !base64.isEmpty {
            lines.append(String(base64.prefix(76)))
            base64 = String(base64.dropFirst(76))
        }
        let headers = [
            "From: \(mailbox(from))",
            "To: \(mailbox(to))",
            "Subject: \(subject)",
            "Date: \(rfc5322(date))",
            "Message-ID: <\(messageID)@ap.\(from.code.lowercased()).invalid>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"\(boundary)\"",
        ]
        var out = headers.joined(separator: "\r\n") + "\r\n\r\nThis is a MIME message with an ap package attached.\r\n"
        out += "--\(boundary)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        out += summary.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        out += "--\(boundary)\r\nContent-Type: application/json; name=\"\(attachmentName)\"\r\n"
        out += "Content-Disposition: attachment; filename=\"\(attachmentName)\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        out += lines.joined(separator: "\r\n") + "\r\n--\(boundary)--\r\n"
        return out
    }

    public static func describe(_ p: TransferPackage) -> String {
        switch p.type {
        case .request: return p.kind == "update" ? "caretaking update" : "\(p.kind) transfer request"
        case .reply: return "\(p.decision ?? "decision") (\(p.kind))"
        case .caretakingEnd: return "caretaking ended (\(p.kind))"
        }
    }

    /// A display name that needs no encoding: the YOT name with anything unusual removed.
    static func mailbox(_ yot: YOT) -> String {
        let name = String(yot.name.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0 == " " || $0.properties.numericType != nil) })
        return "\"\(name)\" <ap-transfers@\(yot.code.lowercased()).yot.invalid>"
    }

    static func rfc5322(_ t: Timestamp) -> String {
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let d = t.day, c = d.components
        let time = String(t.description.dropFirst(11).prefix(8))
        return "\(days[((d.daysSinceEpoch % 7) + 7) % 7]), \(c.day) \(months[c.month - 1]) \(c.year) \(time) +0000"
    }
}
