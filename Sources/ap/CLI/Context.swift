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
    /// A named acting user must be one of its users, for reading as for writing; with no
    /// user at all a command may still read.
    func repository() throws -> Repository {
        let repo: Repository
        if let dir = repoOption {
            repo = try Repository.at(dir)
        } else if let dir = environment["AP_REPO"], !dir.isEmpty {
            repo = try Repository.at(dir)
        } else {
            repo = try Repository.find(from: FileSystem.currentDirectory)
        }
        repo.trust = Trust.system(root: repo.root, environment: environment)
        configureGitDriver(repo)
        if let user = actingUser, checkedUser != repo.root + "\u{0}" + user {
            guard try repo.loadConfig().users[user] != nil else {
                throw APError.permission(
                    "unknown user '\(user)' (from --as or AP_USER); 'ap user list' shows the users")
            }
            checkedUser = repo.root + "\u{0}" + user
        }
        return repo
    }

    /// In a fresh clone, whose `.gitattributes` routes case files to ap but whose own config
    /// has no driver, `git pull` would write conflict markers into a case: the first command
    /// sets the driver (local config only) and says so. Not `fsck`, which reports it, nor the
    /// commands git and the shells run.
    private func configureGitDriver(_ repo: Repository) {
        let exempt = ["fsck", "git setup", "merge", "completions"]
        guard !gitChecked, !exempt.contains(commandName) else { return }
        gitChecked = true
        let git = Git(root: repo.root)
        guard git.driverMissing else { return }
        do {
            try git.configureDriver()
            try repo.restoreModes()
            Runner.write(
                "ap: set git's merge driver for case files in this clone (local git config): "
                    + "'git pull' now merges cases with 'ap merge --git'\n", to: .standardError)
        } catch let e as APError {
            Runner.write("ap: warning: could not set git's merge driver: \(e.message)\n", to: .standardError)
        } catch {}
    }
    private var gitChecked = false

    /// The repository and user last checked, so a batch checks each user once.
    private var checkedUser: String?

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

    /// The real clock, or for tests only a fixed start from `AP_NOW`, honoured when
    /// `AP_TEST_CLOCK=1` is set too (successive events in one process still get later stamps).
    /// A repository with signatures required refuses writes under it (`Session.locked`).
    func clock() throws -> APModel.Environment {
        if let text = environment["AP_NOW"], !text.isEmpty {
            guard environment["AP_TEST_CLOCK"] == "1" else {
                throw APError.usage(
                    "AP_NOW is for tests only and is honoured with AP_TEST_CLOCK=1; unset AP_NOW to use the clock")
            }
            let day = Day(text).map { Timestamp(millis: Int64($0.daysSinceEpoch) * 86_400_000 + 9 * 3_600_000) }
            guard let fixed = Timestamp(text) ?? day, fixed.isInRange else {
                throw APError.usage(
                    "AP_NOW must be a UTC time like 2026-11-23T09:30:00.000Z or a date like 2026-11-23, "
                        + Timestamp.rangeText)
            }
            var env = APModel.Environment(now: { fixed }, newID: APModel.Environment.randomID)
            env.testClock = true
            return env
        }
        guard Timestamp(Date()).isInRange else {
            throw APError.io(
                "the system clock reads \(Timestamp(Date())), not \(Timestamp.rangeText); set it right first")
        }
        return APModel.Environment(now: { Timestamp(Date()) }, newID: APModel.Environment.randomID)
    }

    var today: Day { now.day }

    var now: Timestamp { (try? clock())?.now() ?? Timestamp(Date()) }

    /// `-w/--width N`.
    var widthOption: Int?

    /// How wide text may be: `--width`; else, on a terminal, COLUMNS or what the terminal
    /// says (TIOCGWINSZ), else 80. Piped or redirected, no limit: data is never cut for a
    /// script, as git and gh do.
    var width: Int {
        if let widthOption { return widthOption }
        guard isatty(1) == 1 else { return Table.unbounded }
        if let c = environment["COLUMNS"].flatMap({ Int($0) }), c > 0 { return max(20, c) }
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return max(20, Int(size.ws_col)) }
        return 80
    }

    /// The same, for wrapping text.
    var columns: Int { width }

    /// Colour only on a terminal and never with NO_COLOR (no-color.org).
    var colour: Bool {
        environment["NO_COLOR"].map { $0.isEmpty } ?? true && isatty(1) == 1 && environment["TERM"] != "dumb"
    }
}
