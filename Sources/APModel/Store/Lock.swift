#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The repository's write lock: `flock` on `.ap/lock`, a file that is never renamed, so
/// the kernel releases it when the holder dies, even by SIGKILL, and it cannot go stale
/// (engineering.md, "Safe writes and locks"). The holder writes who it is into the file
/// so that a waiting process can name it.
public final class RepositoryLock {
    let path: String
    var fd: Int32 = -1
    var depth = 0

    public init(path: String) { self.path = path }

    deinit { if fd >= 0 { close(fd) } }

    /// Runs `body` holding the lock; nested calls in the same process share it.
    public func withLock<T>(timeoutSeconds: Int, holder: String, _ body: () throws -> T) throws -> T {
        if depth == 0 { try acquire(timeoutSeconds: timeoutSeconds, holder: holder) }
        depth += 1
        defer {
            depth -= 1
            if depth == 0 { release() }
        }
        return try body()
    }

    func acquire(timeoutSeconds: Int, holder: String) throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, FileSystem.fileMode)
        guard fd >= 0 else { throw APError.io("cannot open lock file '\(path)': \(FileSystem.errorText())") }
        fchmod(fd, FileSystem.fileMode)  // whatever the umask
        let deadline = monotonicMillis() + Int64(timeoutSeconds) * 1000
        var pause: UInt32 = 1_000
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                close(fd); fd = -1
                throw APError.io("cannot lock '\(path)': \(FileSystem.errorText())")
            }
            if monotonicMillis() >= deadline {
                let who = (try? FileSystem.read(path, limit: 4096)).map { String(decoding: $0, as: UTF8.self) } ?? ""
                close(fd); fd = -1
                let text = who.trimmingNewlines.isEmpty ? "another process" : who.trimmingNewlines
                throw APError.locked(
                    "the repository is locked by \(text); waited \(timeoutSeconds)s. Try again, or raise 'lock-timeout-seconds' with 'ap config set'")
            }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
        ftruncate(fd, 0)
        let note = Array((holder + "\n").utf8)
        _ = note.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, 0) }
    }

    func release() {
        guard fd >= 0 else { return }
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }
}

func monotonicMillis() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}

extension String {
    var trimmingNewlines: String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == "\r" || last == " " { s.removeLast() }
        return String(s)
    }
}
