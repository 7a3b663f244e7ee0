import APModel
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Long text on a terminal goes through a pager, as git's does: `AP_PAGER`, else `PAGER`,
/// else `less`, run by `/bin/sh` with `LESS=FRX` unless set (quit when the text fits one
/// screen, keep colours, leave the text on screen). The pager comes from the user's own
/// environment, never from the repository, which another site can write.
enum Pager {
    /// The pager to run, or nil for none: `cat` or an empty setting turns paging off.
    static func command(_ environment: [String: String]) -> String? {
        let chosen = (environment["AP_PAGER"] ?? environment["PAGER"] ?? "less").trimmingCharacters(in: .whitespaces)
        return chosen.isEmpty || chosen == "cat" ? nil : chosen
    }

    /// Writes `bytes` through the pager and waits for it; false when it could not start or
    /// was not found, and the caller writes them itself. A reader who quits early is not an error.
    static func page(_ bytes: [UInt8], command: String, environment: [String: String]) -> Bool {
        var env = environment
        if env["LESS"] == nil { env["LESS"] = "FRX" }
        if env["LV"] == nil { env["LV"] = "-c" }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return false }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        let words: [String] = ["/bin/sh", "-c", command]
        let argv = words.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
        close(fds[0])
        guard rc == 0 else {
            close(fds[1])
            return false
        }
        bytes.withUnsafeBytes { buf in
            var done = 0
            while done < buf.count {
                let n = write(fds[1], buf.baseAddress! + done, buf.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }  // EPIPE: the reader quit (SIGPIPE is ignored in main)
                done += n
            }
        }
        close(fds[1])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // 127: the shell found no such pager (it said so on stderr); the text is printed as it is.
        return !(status & 0x7F == 0 && (status >> 8) & 0xFF == 127)
    }
}
