/// `ap due --ics`: open obligations as an iCalendar (RFC 5545) for a calendar program. Each
/// event carries the case id and what is owed, never the young person's name: calendars are
/// often shared and synced outside the YOT.
public enum DueCalendar {
    public static func ics(_ entries: [DueEntry], now: Timestamp) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ap//AssetPlus due//EN", "CALSCALE:GREGORIAN"]
        for e in entries where e.open {
            let uid = SHA256.hex(Array("\(e.caseID)|\(e.rule.id)|\(e.obligation.since)".utf8)).prefix(32)
            lines += [
                "BEGIN:VEVENT", "UID:\(uid)@ap.invalid", "DTSTAMP:\(stamp(now))", "DTSTART:\(stamp(e.due))",
                "DTEND:\(stamp(e.due))",
                "SUMMARY:" + text("\(e.caseID): \(e.rule.what)"),
                "DESCRIPTION:" + text(
                    (e.rule.party == .establishment ? "The establishment: " : "") + "\(e.rule.what) (\(e.rule.ref)); "
                        + "'ap due --case \(e.caseID)'"),
                "CATEGORIES:" + text(e.overdue ? "overdue" : "due"),
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20261124T100000Z`.
    static func stamp(_ t: Timestamp) -> String {
        let d = t.description  // 2026-11-24T10:00:00.000Z
        return d.prefix(10).replacingOccurrences(of: "-", with: "") + "T"
            + d.dropFirst(11).prefix(8).replacingOccurrences(of: ":", with: "") + "Z"
    }

    /// TEXT escaping (RFC 5545 §3.3.11).
    static func text(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    /// Lines longer than 75 octets folded with CRLF and a space (§3.1), never inside a character.
    static func fold(_ line: String) -> String {
        var out = "", count = 0
        for c in line {
            let n = String(c).utf8.count
            if count + n > 75 {
                out += "\r\n "
                count = 1
            }
            out.append(c)
            count += n
        }
        return out
    }
}
