import Foundation

/// The process's environment as `ProcessInfo.processInfo.environment` gives it (split at the
/// first '=', an entry without one passed over, a later entry for a name winning), read from
/// `environ` by bytes: Foundation's reader, with the process information it sets up first, was
/// a quarter of `ap version`'s instructions.
public enum ProcessEnvironment {
    public static func read() -> [String: String] {
        #if os(Linux)
        var out: [String: String] = [:]
        // Null after clearenv(3), though Swift is told it never is.
        let start: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = environ
        guard var entry = start else { return out }
        while let line = entry.pointee {
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(line).assumingMemoryBound(to: UInt8.self),
                                            count: strlen(line))
            if let equals = bytes.firstIndex(of: UInt8(ascii: "=")) {
                out[String(decoding: UnsafeBufferPointer(rebasing: bytes[..<equals]), as: UTF8.self)] =
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[(equals + 1)...]), as: UTF8.self)
            }
            entry += 1
        }
        return out
        #else
        return ProcessInfo.processInfo.environment
        #endif
    }
}
