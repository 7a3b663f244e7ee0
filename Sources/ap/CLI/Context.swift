import APModel
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a command may know of the world: the environment, the global options, and
/// how to reach the repository. Built once in `main.swift`.
final class Context {
    let environment: [String: String]
    var repoOption: String?
    var userOption: String?
    var json = false
    /// The command's name, for git commit messages.
    var commandName = "ap"
    /// The session a command opened, so the runner can report what it left to say.
    private(set) var openSession: Session?

    init(environment: [String: String]) {
        self.environment = environment
    }

    /// `-C DIR`, else `AP_REPO`, else the nearest `.ap/` upwards from the working directory.
    func repository() throws -> Repository {
        if let dir = repoOption { return try Repository.at(dir) }
        if let dir = environment["AP_REPO"], !dir.isEmpty { return try Repository.at(dir) }
        return try Repository.find(from: FileSystem.currentDirectory)
    }

    /// `--as USER`, else `AP_USER`.
    var actingUser: String? { userOption ?? environment["AP_USER"].flatMap { $0.isEmpty ? nil : $0 } }

    var osUser: String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? "uid \(geteuid())"
    }

    func session() throws -> Session {
        if let s = openSession { return s }
        let s = try Session(
            repo: try repository(), actorID: actingUser, osUser: osUser, env: clock(), commandName: "ap " + commandName)
        openSession = s
        return s
    }

    /// The real clock, or a fixed start from `AP_NOW` (for reproducible examples and tests:
    /// successive events in one process still get later stamps).
    func clock() throws -> APModel.Environment {
        if let text = environment["AP_NOW"], !text.isEmpty {
            guard let fixed = Timestamp(text) ?? Day(text).map({ Timestamp(millis: Int64($0.daysSinceEpoch) * 86_400_000 + 9 * 3_600_000) }) else {
                throw APError.usage("AP_NOW must be a UTC time like 2026-11-23T09:30:00.000Z or a date like 2026-11-23")
            }
            return APModel.Environment(now: { fixed }, newID: APModel.Environment.randomID)
        }
        return APModel.Environment(now: { Timestamp(Date()) }, newID: APModel.Environment.randomID)
    }

    var today: Day {
        ((try? clock())?.now() ?? Timestamp(Date())).day
    }

    /// The terminal's width from COLUMNS, at least 80.
    var width: Int { max(80, columns) }

    /// COLUMNS as given (at least 20, for wrapping text), else 80.
    var columns: Int { max(20, environment["COLUMNS"].flatMap { Int($0) } ?? 80) }

    /// Colour only on a terminal and never with NO_COLOR (no-color.org).
    var colour: Bool {
        environment["NO_COLOR"].map { $0.isEmpty } ?? true && isatty(1) == 1 && environment["TERM"] != "dumb"
    }
}
