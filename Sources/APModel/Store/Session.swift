import Foundation

/// The seams to the outside world that rules must not touch: the clock and fresh ids.
/// Tests and `AP_NOW` replace the clock.
public struct Environment: Sendable {
    public var now: @Sendable () -> Timestamp
    public var newID: @Sendable () -> String

    public init(now: @escaping @Sendable () -> Timestamp, newID: @escaping @Sendable () -> String) {
        self.now = now
        self.newID = newID
    }

    /// 20 random hex digits: unique enough across sites that merged histories never clash.
    public static func randomID() -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        for _ in 0..<20 { out.append(digits[Int.random(in: 0..<16)]) }
        return out
    }
}

/// One command's work on a repository: the loaded config, who acts, and the
/// load → rule → append → save cycle under the repository lock.
public final class Session {
    public let repo: Repository
    public private(set) var config: Config
    public let env: Environment
    let actorID: String?
    let osUser: String
    /// Written into the lock file while this session holds it, so waiters can name it.
    let holderNote: String

    public init(repo: Repository, actorID: String?, osUser: String, env: Environment, command: String) throws {
        self.repo = repo
        self.config = try repo.loadConfig()
        self.env = env
        self.actorID = actorID
        self.osUser = osUser
        self.holderNote = "pid \(ProcessInfo.processInfo.processIdentifier) (ap user \(actorID ?? "-"), os user \(osUser), '\(command)')"
    }

    /// The acting user, checked against the config's users.
    public func actor() throws -> Actor {
        guard let id = actorID, !id.isEmpty else {
            throw APError.usage("no acting user: give --as USER or set AP_USER")
        }
        guard let user = config.users[id] else {
            throw APError.permission(
                "unknown user '\(id)' (from --as or AP_USER); 'ap user list' shows the users of this repository")
        }
        return Actor(user: user, osUser: osUser)
    }

    public func requireRole(_ roles: [Role], doing: String) throws -> Actor {
        let a = try actor()
        guard roles.contains(where: a.user.has) else {
            throw APError.permission(
                "'\(a.id)' cannot \(doing): it needs the role \(roles.map(\.rawValue).joined(separator: " or "))")
        }
        return a
    }

    /// Runs `body` holding the repository's write lock, with the config read afresh inside
    /// it so that a concurrent change to users or policy is seen.
    public func locked<T>(_ body: () throws -> T) throws -> T {
        try repo.lock.withLock(timeoutSeconds: config.policy.lockTimeoutSeconds, holder: holderNote) {
            config = try repo.loadConfig()
            return try body()
        }
    }

    /// Stamps a change as an event: after every event the case already holds.
    public func stamp(_ change: Change, after latest: Timestamp?, actor: Actor) -> Event {
        var at = env.now()
        if let latest, at <= latest { at = latest.adding(millis: 1) }
        return Event(id: env.newID(), at: at, by: actor.id, osUser: actor.osUser, type: change.type, payload: change.payload)
    }

    /// Applies a rule to one case and saves the result.
    @discardableResult
    public func change(_ caseID: String, _ rule: (CaseState, Actor) throws -> Change) throws -> CaseFile {
        try locked {
            let actor = try actor()
            var file = try repo.loadCase(caseID)
            let change = try rule(file.state, actor)
            try file.append([stamp(change, after: file.latestEventTime, actor: actor)])
            try repo.saveCase(file)
            return file
        }
    }

    /// Creates a case from its first event.
    public func create(_ caseID: String, _ change: Change) throws -> CaseFile {
        try locked {
            let actor = try actor()
            guard !repo.caseExists(caseID) else { throw APError.exists("case '\(caseID)' already exists") }
            let file = try CaseFile(id: caseID, events: [stamp(change, after: nil, actor: actor)])
            try repo.saveCase(file)
            return file
        }
    }
}

