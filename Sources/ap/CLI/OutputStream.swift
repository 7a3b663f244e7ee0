#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output and error written with write(2), so that a full disk or a closed pipe is
/// an error ap reports, not a crash (FileHandle.write traps on failure). The first failure
/// is kept: `Runner` turns it into the exit status, 74, or a quiet end on a closed pipe as
/// git does.
enum OutputStream {
    nonisolated(unsafe) static var failure: Int32?

    static func write(_ bytes: [UInt8], fd: Int32) {
        guard failure == nil || fd == 2 else { return }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { posixWrite(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                if failure == nil { failure = errno }
                return
            }
            done += n
        }
    }

    /// The exit status a failed write leaves: 141 (as a shell reports a process killed by
    /// SIGPIPE) for a closed pipe, else 74.
    static var status: Int32? {
        guard let failure else { return nil }
        return failure == EPIPE ? 141 : 74
    }

    /// Says, on standard error if it still takes text, why output failed.
    static func reportFailure() {
        guard let failure, failure != EPIPE else { return }
        let text = "ap: cannot write output: \(String(cString: strerror(failure)))\n"
        _ = Array(text.utf8).withUnsafeBytes { posixWrite(2, $0.baseAddress!, $0.count) }
    }
}

private func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
