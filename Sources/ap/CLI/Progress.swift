import APModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Progress on standard error while the index reads case files, once that has taken longer
/// than `after` seconds, and only on a terminal: `ap queue` on a new clone of 100,000 cases
/// takes seconds the first time.
final class TerminalProgress: ProgressReporter, @unchecked Sendable {
    let after: Double
    private let lock = NSLock()
    private var total = 0, done = 0
    private var started = Date()
    private var lastShown: Date? = nil

    init(after: Double) { self.after = after }

    func start(total: Int) {
        lock.withLock {
            self.total = total
            started = Date()
        }
    }

    func advance() {
        lock.withLock {
            done += 1
            let now = Date()
            guard now.timeIntervalSince(started) >= after, lastShown.map({ now.timeIntervalSince($0) >= 0.2 }) ?? true
            else { return }
            lastShown = now
            write("\rap: indexing case files: \(done) of \(total)")
        }
    }

    func finish() {
        lock.withLock {
            if lastShown != nil { write("\r\u{1B}[K") }
        }
    }

    private func write(_ text: String) {
        OutputStream.write(Array(text.utf8), fd: 2)
    }
}

extension Context {
    /// A reporter when standard error is a terminal; `AP_PROGRESS_AFTER` (seconds, default 1)
    /// says how long before it shows.
    var indexProgress: TerminalProgress? {
        guard isatty(2) == 1 else { return nil }
        return TerminalProgress(after: environment["AP_PROGRESS_AFTER"].flatMap(Double.init) ?? 1)
    }
}
