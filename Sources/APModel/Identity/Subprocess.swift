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

    /// The first executable `name` in an absolute PATH folder outside `root`: never one a
    /// repository (or the working directory, PATH's "" or ".") could supply.
    public static func executable(_ name: String, excluding root: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
        where folder.hasPrefix("/") {
            let clean = Repository.absolute(folder)
            if clean == root || clean.hasPrefix(root + "/") { continue }
            let candidate = clean + "/" + name
            if access(candidate, X_OK) == 0, !FileSystem.isDirectory(candidate) { return candidate }
        }
        return nil
    }

    /// `program` is looked up on PATH. `files` reach the program as `/dev/fd/3`, `/dev/fd/4`,
    /// ...: what it must read as files (a signature, an allowed_signers line) never touches a
    /// disk, where another process could change it. Output past 1 MiB is not kept: nothing ap
    /// runs this way says more, and a runaway child must not fill memory.
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
        return try spawn(
            program, args, input: input, environment: environment ?? ProcessInfo.processInfo.environment,
            searchPath: true, files: extra, keep: 1 << 20)
    }

    /// Runs `path` with `input` on its standard input and returns everything it prints, however
    /// much. For git, whose trees and listings can be large.
    public static func capture(
        _ path: String, _ args: [String], input: [UInt8] = [], environment: [String: String]
    ) throws -> Result {
        try spawn(path, args, input: input, environment: environment, searchPath: false, files: [], keep: nil)
    }

    /// Starts the program with pipes for its standard streams (and `files` as descriptors 3,
    /// 4, ...), writes `input` and reads both outputs together (poll), so neither side waits
    /// on a full pipe, then waits for it with waitpid: Foundation's `Process.waitUntilExit`
    /// polls every 50 ms, which was most of a small step's cost. `keep` caps each output.
    static func spawn(
        _ program: String, _ args: [String], input: [UInt8], environment: [String: String], searchPath: Bool,
        files: [Int32], keep: Int?
    ) throws -> Result {
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw APError.io("cannot start \(program): \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        let targets = Set(files.indices.map { Int32(3 + $0) })
        for (i, fd) in files.enumerated() { posix_spawn_file_actions_adddup2(&actions, fd, Int32(3 + i)) }
        for fd in inPipe + outPipe + errPipe where !targets.contains(fd) {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        let argv = ([program] + args).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid = pid_t()
        let rc = searchPath
            ? posix_spawnp(&pid, program, &actions, nil, argv, envp)
            : posix_spawn(&pid, program, &actions, nil, argv, envp)
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            for fd in [inPipe[1], outPipe[0], errPipe[0]] { close(fd) }
            let hint = searchPath ? "; is it installed?" : ""
            throw APError.io("cannot run \(program): \(String(cString: strerror(rc)))\(hint)")
        }
        // A program that exits without reading its input must not kill ap with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let (out, err) = exchange(input: input, to: inPipe[1], from: outPipe[0], errors: errPipe[0], keep: keep)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7F == 0
        return Result(status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), stdout: out, stderr: err)
    }

    /// Writes `input` and reads both outputs until the child closes them; closes all three. An
    /// output past `keep` bytes is closed early, so the child stops rather than ap's memory.
    static func exchange(input: [UInt8], to inFD: Int32, from outFD: Int32, errors errFD: Int32, keep: Int?)
        -> (out: [UInt8], err: [UInt8])
    {
        var out: [UInt8] = [], err: [UInt8] = []
        var written = 0
        var writeFD = inFD
        if input.isEmpty { close(writeFD); writeFD = -1 }
        var open: [Int32] = [outFD, errFD]
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
                if n > 0 && p.fd == outFD { out.append(contentsOf: buffer[0..<n]) }
                if n > 0 && p.fd == errFD { err.append(contentsOf: buffer[0..<n]) }
                let full = keep.map { (p.fd == outFD ? out.count : err.count) > $0 } ?? false
                if n <= 0 || full {
                    close(p.fd)
                    open.removeAll { $0 == p.fd }
                }
            }
        }
        for fd in open { close(fd) }
        if writeFD >= 0 { close(writeFD) }
        return (out, err)
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
