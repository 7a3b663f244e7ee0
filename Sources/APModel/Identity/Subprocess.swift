import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a trusted system program (ssh-keygen, ssh-add) with a small input and collects its
/// output. posix_spawn and waitpid directly: Foundation's `Process.waitUntilExit` polls
/// every 50 ms, which would be most of a signed write's cost.
public enum Subprocess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        public var errorText: String {
            String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// `program` is looked up on PATH. The input is small (a digest or a key), well under a
    /// pipe's buffer, so it is written whole before the output is read. `files` reach the
    /// program as `/dev/fd/3`, `/dev/fd/4`, ...: what it must read as files (a signature, an
    /// allowed_signers line) never touches a disk, where another process could change it.
    public static func run(
        _ program: String, _ args: [String], input: [UInt8] = [], files: [[UInt8]] = [],
        environment: [String: String]? = nil
    ) throws -> Result {
        var extra: [Int32] = []
        defer { for fd in extra { close(fd) } }
        for bytes in files {
            var p: [Int32] = [0, 0]
            guard bytes.count < 16_384, pipe(&p) == 0 else { throw APError.io("cannot pass a file to \(program)") }
            bytes.withUnsafeBytes { buf in _ = write(p[1], buf.baseAddress!, buf.count) }
            close(p[1])
            // Above the descriptors the child is given, so no dup2 below overwrites a source.
            let high = fcntl(p[0], F_DUPFD_CLOEXEC, 64)
            close(p[0])
            guard high >= 0 else { throw APError.io("cannot pass a file to \(program)") }
            extra.append(high)
        }
        var inPipe: [Int32] = [0, 0]
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw APError.io("cannot start \(program): \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        let targets = Set(extra.indices.map { Int32(3 + $0) })
        for (i, fd) in extra.enumerated() { posix_spawn_file_actions_adddup2(&actions, fd, Int32(3 + i)) }
        for fd in inPipe + outPipe + errPipe where !targets.contains(fd) {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = ([program] + args).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid = pid_t()
        let rc = posix_spawnp(&pid, program, &actions, nil, argv, envp)
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            throw APError.io("cannot run \(program): \(String(cString: strerror(rc))); is it installed?")
        }
        // A program that exits without reading its input must not kill ap with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        input.withUnsafeBytes { buf in
            var done = 0
            while done < buf.count {
                let n = write(inPipe[1], buf.baseAddress! + done, buf.count - done)
                if n <= 0 { break }
                done += n
            }
        }
        close(inPipe[1])
        let out = readAll(outPipe[0])
        let err = readAll(errPipe[0])
        close(outPipe[0])
        close(errPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7F == 0
        return Result(status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), stdout: out, stderr: err)
    }

    static func readAll(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
            // Nothing ap runs says more than this; a runaway child must not fill memory.
            if out.count > 1 << 20 { break }
        }
        return out
    }
}

extension Subprocess {
    /// Runs `path` in a process group of its own with no input, its output discarded and its
    /// errors written to `log`, for at most `seconds`: then the whole group (git and the ssh
    /// it started) is stopped. Returns the exit status, nil when it ran out of time.
    public static func runTimed(_ path: String, _ args: [String], environment: [String: String], log: String,
                                seconds: Int) throws -> Int32? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = ([path] + args).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw APError.io("cannot run \(path): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        func reaped() -> Bool {
            let r = waitpid(pid, &status, WNOHANG)
            return r == pid || (r < 0 && errno != EINTR)
        }
        let deadline = monotonicMillis() + Int64(seconds) * 1000
        while !reaped() {
            guard monotonicMillis() < deadline else {
                kill(-pid, SIGTERM)
                let grace = monotonicMillis() + 2000
                while !reaped() {
                    if monotonicMillis() >= grace { kill(-pid, SIGKILL) }
                    usleep(20_000)
                }
                return nil
            }
            usleep(10_000)
        }
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}

extension Subprocess {
    /// Runs `path` with `input` on its standard input and returns everything it prints, however
    /// much: input written and both outputs read together (poll), so neither side waits on a
    /// full pipe. For git, whose trees and listings can be large.
    public static func capture(
        _ path: String, _ args: [String], input: [UInt8] = [], environment: [String: String]
    ) throws -> Result {
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw APError.io("cannot start \(path): \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in inPipe + outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = ([path] + args).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            for fd in [inPipe[1], outPipe[0], errPipe[0]] { close(fd) }
            throw APError.io("cannot run \(path): \(String(cString: strerror(rc)))")
        }
        signal(SIGPIPE, SIG_IGN)
        var out: [UInt8] = [], err: [UInt8] = []
        var written = 0
        var writeFD: Int32 = inPipe[1]
        if input.isEmpty { close(writeFD); writeFD = -1 }
        var open: [Int32] = [outPipe[0], errPipe[0]]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !open.isEmpty || writeFD >= 0 {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if writeFD >= 0 { fds.append(pollfd(fd: writeFD, events: Int16(POLLOUT), revents: 0)) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for p in fds where p.revents != 0 {
                if p.fd == writeFD {
                    let n = input.withUnsafeBytes { write(writeFD, $0.baseAddress! + written, $0.count - written) }
                    if n > 0 { written += n }
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 || written == input.count { close(writeFD); writeFD = -1 }
                    continue
                }
                let n = buffer.withUnsafeMutableBytes { read(p.fd, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    close(p.fd)
                    open.removeAll { $0 == p.fd }
                } else if p.fd == outPipe[0] {
                    out.append(contentsOf: buffer[0..<n])
                } else {
                    err.append(contentsOf: buffer[0..<n])
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7F == 0
        return Result(status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), stdout: out, stderr: err)
    }
}
