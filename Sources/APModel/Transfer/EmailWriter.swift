import Foundation

/// Writes the `.eml` that carries a transfer package by secure email (RFC 5322 headers,
/// RFC 2045/2046 MIME: multipart/mixed with a plain-text summary and the package as a
/// base64 attachment).
public enum EmailWriter {
    /// The message carrying `package`, whose written form is `bytes` (serialised once, by the caller).
    public static func message(
        _ package: TransferPackage, bytes: [UInt8], summary: String, date: Timestamp, boundary: String
    ) -> String {
        let subject = "AssetPlus transfer \(package.caseFile.id): \(describe(package)) "
            + "(\(package.from.code) to \(package.to.code))"
        return message(
            subject: subject, from: package.from, to: package.to, messageID: package.id, summary: summary,
            attachmentName: package.fileName, attachment: bytes, date: date, boundary: boundary)
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
            fold("From: \(mailbox(from))"),
            fold("To: \(mailbox(to))"),
            fold("Subject: " + (subject.unicodeScalars.allSatisfy(\.isASCII) ? subject : phrase(subject))),
            "Date: \(rfc5322(date))",
            "Message-ID: <\(messageID)@ap.\(from.code.lowercased()).invalid>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"\(boundary)\"",
        ]
        var out = headers.joined(separator: "\r\n") + "\r\n\r\nThis is a MIME message with an ap package attached.\r\n"
        out += "--\(boundary)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        // No line passes 998 octets (RFC 5322 §2.1.1): long ones wrap at spaces.
        let body = summary.replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).flatMap { wrap(String($0), width: 76) }
        out += body.joined(separator: "\r\n") + "\r\n"
        out += "--\(boundary)\r\nContent-Type: application/json; name=\"\(attachmentName)\"\r\n"
        out += "Content-Disposition: attachment; filename=\"\(attachmentName)\"\r\n"
        out += "Content-Transfer-Encoding: base64\r\n\r\n"
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

    /// The organisation's name and address. A name in plain ASCII is a quoted string; any
    /// other is RFC 2047 encoded-words, so no letter is dropped.
    static func mailbox(_ yot: YOT) -> String {
        let address = "<ap-transfers@\(yot.code.lowercased()).yot.invalid>"
        let printable = yot.name.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }
        guard printable else { return phrase(yot.name) + " " + address }
        let quoted = yot.name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(quoted)\" \(address)"
    }

    /// A display name of plain words and, for runs of words that need it, encoded-words:
    /// a decoder keeps the space between a plain word and an encoded one, and an encoded run
    /// carries its own spaces (RFC 2047 §§5, 6.2).
    static func phrase(_ text: String) -> String {
        let atext = Set("!#$%&'*+-/=?^_`{|}~".unicodeScalars)
        func plain(_ word: Substring) -> Bool {
            !word.isEmpty && word.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || atext.contains($0))
            }
        }
        var out: [String] = []
        var run: [Substring] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if plain(word) {
                if !run.isEmpty { out.append(encodedWords(run.joined(separator: " "))) }
                run = []
                out.append(String(word))
            } else {
                run.append(word)
            }
        }
        if !run.isEmpty { out.append(encodedWords(run.joined(separator: " "))) }
        return out.joined(separator: " ")
    }

    /// RFC 2047 `=?utf-8?B?...?=` words, each at most 75 characters, whole characters in each.
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=")
            chunk = []
        }
        for c in text {
            let bytes = Array(String(c).utf8)
            if chunk.count + bytes.count > 45 { flush() }  // 45 bytes: 60 in base64, 72 with the markers
            chunk += bytes
        }
        flush()
        return words.joined(separator: " ")
    }

    /// A header folded at spaces so that its lines stay within 78 characters where they can.
    static func fold(_ header: String) -> String { wrap(header, width: 78).joined(separator: "\r\n ") }

    /// `line` broken at spaces into pieces of at most `width` characters; a word longer than
    /// that is cut at 998 octets, the hard limit.
    static func wrap(_ line: String, width: Int) -> [String] {
        guard line.utf8.count > width else { return [line] }
        var out: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty, current.utf8.count + 1 + word.utf8.count > width {
                out.append(current)
                current = String(word)
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
            while current.utf8.count > 998 {
                let head = String(decoding: Array(current.utf8.prefix(990)), as: UTF8.self)
                out.append(head)
                current = String(current.dropFirst(head.count))
            }
        }
        out.append(current)
        return out
    }

    static func rfc5322(_ t: Timestamp) -> String {
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let d = t.day, c = d.components
        let time = String(t.description.dropFirst(11).prefix(8))
        return "\(days[((d.daysSinceEpoch % 7) + 7) % 7]), \(c.day) \(months[c.month - 1]) \(c.year) \(time) +0000"
    }
}
