/// The ways messages reach `ap transfer import`: a file (a package, an e-mail, an Outlook
/// message or winmail.dat), an mbox of many messages, a Maildir, a folder, or standard input
/// from a mail filter. Each message found is a `Delivery`, named for the import report.
public struct Delivery: Sendable {
    /// The file, with `#N` for the Nth message of an mbox, or `-` for standard input.
    public var label: String
    public var bytes: [UInt8]
    /// Named on the command line (or piped in), not found inside a folder or mailbox:
    /// holding no package is then a refusal, not a line in the report.
    public var named: Bool
    /// Why the file could not be read (reported as a refusal), if it could not.
    public var unreadable: String?

    public init(label: String, bytes: [UInt8], named: Bool) {
        self.label = label
        self.bytes = bytes
        self.named = named
    }
}

public enum Mailbox {
    /// An mbox may hold many messages: it is allowed more than one message's cap.
    public static let maxBytes = 512 << 20
    public static let maxMessages = 100_000

    /// An mbox starts with a `From ` line (RFC 4155); a saved e-mail starts with a header.
    public static func isMbox(_ bytes: [UInt8]) -> Bool { bytes.starts(with: Array("From ".utf8)) }

    /// The messages of an mbox: split at `From ` lines that follow a blank line (or begin the
    /// file), each message's `>From ` lines unquoted once (mboxrd), the `From ` line dropped.
    public static func split(_ bytes: [UInt8]) throws -> [[UInt8]] {
        var starts: [Int] = []
        var i = 0
        var previousBlank = true
        while i < bytes.count {
            var end = i
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let line = bytes[i..<end]
            if previousBlank && line.starts(with: Array("From ".utf8)) {
                starts.append(i)
                guard starts.count <= maxMessages else {
                    throw APError.data("mbox holds more than \(maxMessages) messages; split it")
                }
            }
            previousBlank = line.isEmpty || line == [0x0D]
            i = end + 1
        }
        return starts.enumerated().map { n, start in
            let end = n + 1 < starts.count ? starts[n + 1] : bytes.count
            return unquote(bytes[start..<end])
        }
    }

    /// One message without its `From ` line, `>From ` (and `>>From `...) lines unquoted once.
    static func unquote(_ message: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count)
        var i = message.startIndex
        var first = true
        while i < message.endIndex {
            var end = i
            while end < message.endIndex && message[end] != 0x0A { end += 1 }
            let next = min(end + 1, message.endIndex)
            defer { i = next; first = false }
            if first { continue }  // the From line itself
            let line = message[i..<next]
            let quotes = line.prefix(while: { $0 == 0x3E }).count
            if quotes > 0, line.dropFirst(quotes).starts(with: Array("From ".utf8)) {
                out += line.dropFirst()
            } else {
                out += line
            }
        }
        return out
    }

    /// A Maildir holds its messages in `cur/` and `new/` (and writes in `tmp/`).
    public static func isMaildir(_ path: String) -> Bool {
        FileSystem.isDirectory(path + "/cur") && FileSystem.isDirectory(path + "/new")
    }
}
