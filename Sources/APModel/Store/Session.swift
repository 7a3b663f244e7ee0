import Foundation

/// The seams to the outside world that rules must not touch: the clock and fresh ids.
/// Tests (and `AP_NOW` with `AP_TEST_CLOCK=1`) replace the clock.
public struct Environment: Sendable {
    public var now: @Sendable () -> Timestamp
    public var newID: @Sendable () -> String
    /// A clock set by a test, not the machine's: never trusted where signatures are required.
    public var testClock = false

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
    public private(set) var config: Config {
        didSet { cachedCatalogue = nil }
    }
    private var cachedCatalogue: Catalogue?
    /// The config's catalogue, built once per config read (a batch answers many lines).
    public var catalogue: Catalogue {
        if let c = cachedCatalogue { return c }
        let c = config.catalogue
        cachedCatalogue = c
        return c
    }
    public let env: Environment
    /// Who acts; `ap batch` changes it line by line.
    public var actorID: String?
    let osUser: String
    public var osUserName: String { osUser }
    /// Written into the lock file while this session holds it, so waiters can name it.
    let holderNote: String
    /// The command's name, for git commit messages.
    let commandName: String
    /// Cases written in this session, and whether the config was.
    public private(set) var writtenCases: [String] = []
    var wroteConfig = false
    /// Other files written or removed (a case set aside by a merge), relative to the root.
    var writtenPaths: [String] = []
    var depth = 0
    /// Problems after the data was safely written (a failed git commit), for the user to see.
    public private(set) var warnings: [String] = []

    public init(repo: Repository, actorID: String?, osUser: String, env: Environment, commandName: String = "ap") throws {
        self.commandName = commandName
        self.repo = repo
        self.config = try repo.loadConfig()
        self.env = env
        self.actorID = actorID
        self.osUser = osUser
        // The command's name only: its arguments may hold answers about a child.
        self.holderNote = "pid \(ProcessInfo.processInfo.processIdentifier) (ap user \(actorID ?? "-"), os user \(osUser), '\(commandName)')"
    }

    /// The acting user, checked against the config's users and, where the repository has a
    /// signed identity record, against it: an active user, and with `logins required` the
    /// one bound to this operating-system account (ap-identity(7)).
    public func actor() throws -> Actor {
        let identity = try repo.identity()?.state
        var id = actorID ?? ""
        if let identity, identity.logins {
            guard let bound = identity.user(login: osUser) else {
                throw APError.permission("logins are required and the login '\(osUser)' is bound to no ap user; "
                    + "an admin binds it with 'ap user update ID --login \(osUser)'")
            }
            if id.isEmpty { id = bound.id }
            guard id == bound.id else {
                throw APError.permission(
                    "the login '\(osUser)' acts as '\(bound.id)', not '\(id)' (from --as or AP_USER)")
            }
        }
        guard !id.isEmpty else {
            throw APError.usage("no acting user: give --as USER or set AP_USER")
        }
        guard let user = config.users[id] else {
            throw APError.permission(
                "unknown user '\(id)' (from --as or AP_USER); 'ap user list' shows the users of this repository")
        }
        if let deactivated = identity?.users[id]?.deactivated {
            throw APError.permission("'\(id)' was deactivated on \(deactivated.day) and can no longer act")
        }
        var actor = Actor(user: user, osUser: osUser, yot: config.yotCode)
        let today = UKClock.day(of: env.now())
        actor.absentColleagues = Set(config.users.values.filter { $0.isAbsent(on: today) }.map(\.id))
        return actor
    }

    /// Events stamped in this session that its write must sign.
    var fresh: Set<String> = []
    private var signingKeys: [String: SigningKey] = [:]

    /// The acting user's signing key (77 when there is none usable).
    public func signingKey() throws -> SigningKey { try signingKey(for: try actor().id) }

    /// `user`'s signing key, looked for once: a batch may act as several users.
    func signingKey(for user: String) throws -> SigningKey {
        let identity = try repo.identity()?.state ?? IdentityState()
        let keys = identity.users[user]?.currentKeys ?? []
        if let k = signingKeys[user], keys.contains(k.publicKey) { return k }
        let trust = repo.currentTrust
        let key = try SigningKey.find(
            for: user, keys: keys, environment: trust.environment, tool: trust.tool, owners: identity.keyOwners)
        signingKeys[user] = key
        return key
    }

    /// Signs now the events this session stamped in `file`, even while a batch holds the
    /// writes, and keeps that copy: a package is about to carry them, and the copy sent and
    /// the copy kept must be the same.
    public func sealNow(_ file: CaseFile) throws -> CaseFile {
        var files = [file]
        try seal(&files)
        if repo.pending != nil { try repo.saveCase(files[0]) }
        return files[0]
    }

    /// Signs the events this session stamped in `files`, each author's under one signature.
    func seal(_ files: inout [CaseFile]) throws {
        guard !fresh.isEmpty else { return }
        try Sealer.seal(&files, fresh: fresh, key: signingKey(for:), tool: repo.currentTrust.tool)
        for f in files { fresh.subtract(f.events.map(\.id)) }
    }

    /// Turns signatures on where they never were: the acting admin, with a key the config
    /// registers to them, signs the first entry of the identity record.
    public func startIdentity() throws -> IdentityRecord {
        guard try repo.identity() == nil else { throw APError.refused("signatures are already set up here") }
        let me = try requireRole([.admin], doing: "turn signatures on")
        guard !me.user.keys.isEmpty else {
            throw APError.refused("'\(me.id)' has no key registered; first 'ap user key add \(me.id) FILE.pub'")
        }
        let trust = repo.currentTrust
        let key = try SigningKey.find(
            for: me.id, keys: me.user.keys, environment: trust.environment, tool: trust.tool, owners: [:])
        var entry = IdentityRecord.genesis(config: config, anchor: me.id, at: env.now())
        entry.seal = Seal(key: key.publicKey.fingerprint, sig: try trust.tool.sign(entry.message, with: key))
        var record = IdentityRecord()
        try record.append(entry, verifier: trust.verifier)
        trust.verifier.save()
        try repo.saveIdentity(record)
        writtenPaths.append(IdentityRecord.relativePath)
        signingKeys[me.id] = key
        try saveConfig(try repo.loadConfig())
        return record
    }

    /// Signs a package as the acting user, with the keys that signed this YOT's events in it,
    /// where signatures are required; unchanged otherwise.
    public func signed(_ package: TransferPackage) throws -> TransferPackage {
        let used = Set(package.caseFile.events.filter { ($0.yot ?? config.yotCode) == config.yotCode }
            .compactMap { $0.seal?.key })
        var out = package
        out.signature = try packageSignature(package.signedDigest, eventKeys: used)
        return out
    }

    /// The acting user's signature over a package's digest, with the public keys of `eventKeys`
    /// (fingerprints); nil where signatures are not required.
    public func packageSignature(_ digest: String, eventKeys: Set<String> = []) throws -> PackageSignature? {
        guard let identity = try repo.identity()?.state, identity.signaturesRequired else { return nil }
        let me = try actor()
        let key = try signingKey()
        var keys: [PublicKey] = []
        for user in identity.users.values.sorted(by: { $0.id < $1.id }) {
            for k in user.keys where eventKeys.contains(k.key.fingerprint) { keys.append(k.key) }
        }
        let sig = try repo.currentTrust.tool.sign(PackageSignature.message(digest), with: key)
        return PackageSignature(by: me.id, key: key.publicKey, sig: sig, keys: keys)
    }

    /// Where signatures are required, an incoming transfer travels to the YOT's other clones
    /// as `transfers/<package>.json`, signed by its importer, and once decided by its manager
    /// (`TravellingTransfer`). A decision on a record that never travelled stays here.
    public func travel(_ record: TransferRecord) throws {
        guard record.direction == .incoming, try repo.identity()?.state.signaturesRequired == true else { return }
        let me = try actor()
        let key = try signingKey()
        let tool = repo.currentTrust.tool
        var t: TravellingTransfer
        if record.status == "pending" {
            let sig = try tool.sign(TravellingTransfer.importMessage(record), with: key)
            t = TravellingTransfer(record: record, imported: .init(by: me.id, key: key.publicKey, sig: sig))
        } else {
            guard let existing = repo.travellingTransfer(record.package.id) else { return }
            t = existing
            t.record = record
            let sig = try tool.sign(TravellingTransfer.decisionMessage(record), with: key)
            t.decided = .init(by: me.id, key: key.publicKey, sig: sig)
        }
        try repo.saveTravelling(t)
        writtenPaths.append(TravellingTransfer.relativePath(record.package.id))
    }

    /// Checks a package from another organisation against the keys pinned here, pinning them
    /// when `trust` is given (an admin's decision, signed in the identity record).
    public func checkPackage(_ package: TransferPackage, trust: Bool) throws {
        let trustTool = repo.currentTrust
        let pin = try PackageCheck.verify(package, identity: try repo.identity()?.state, verifier: trustTool.verifier,
                                          trust: trust)
        trustTool.verifier.save()
        guard !pin.isEmpty else { return }
        _ = try requireRole([.admin], doing: "pin another organisation's keys (--trust)")
        for key in pin {
            try appendIdentity(
                IdentityEntryType.orgKeyAdded, ["org": .string(package.from.code), "key": .string(key.line)])
        }
    }

    /// Adds one signed entry to the identity record, as the acting admin.
    public func appendIdentity(_ type: String, _ payload: [String: JSONValue]) throws {
        guard var record = try repo.identity() else {
            throw APError.refused("this repository has no identity record; turn signatures on first "
                + "('ap config set signatures required' with your key in AP_SIGNING_KEY or ssh-agent)")
        }
        let me = try actor()
        var at = env.now()
        if let last = record.entries.last, at <= last.at { at = last.at.adding(millis: 1) }
        var entry = IdentityEntry(
            at: at, by: me.id, type: type, payload: payload, prev: record.entries.last?.digest ?? "")
        let key = try signingKey()
        let trust = repo.currentTrust
        entry.seal = Seal(key: key.publicKey.fingerprint, sig: try trust.tool.sign(entry.message, with: key))
        try record.append(entry, verifier: trust.verifier)
        trust.verifier.save()
        try repo.saveIdentity(record)
        writtenPaths.append(IdentityRecord.relativePath)
        config = try repo.loadConfig()
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
    /// Where the repository is a git repository, the outermost block that wrote ends with one commit.
    public func locked<T>(_ body: () throws -> T) throws -> T {
        try repo.lock.withLock(timeoutSeconds: config.policy.lockTimeoutSeconds, holder: holderNote) {
            if depth == 0 {
                if env.testClock, try repo.identity()?.state.signaturesRequired == true {
                    throw APError.permission(
                        "AP_NOW sets a test clock, which a repository with signatures required never takes; "
                            + "unset AP_NOW and AP_TEST_CLOCK")
                }
                // A batch that died between its renames is finished before anything is read,
                // and committed under its own author.
                let finished = try Journal.finishLeft(repo.root)
                config = try repo.loadConfig()
                if let finished, !finished.targets.isEmpty { commitFinished(finished) }
                lockedSince = Int64(Date().timeIntervalSince1970 * 1_000_000_000)
                for folder in [".ap", ".ap/transfers"] { Leftovers.sweep(repo, folder, before: lockedSince) }
            }
            depth += 1
            defer { depth -= 1 }
            let value = try body()
            if depth == 1 { commitIfGit() }
            return value
        }
    }

    public func saveConfig(_ new: Config) throws {
        var written = new
        // Once signed, keys and logins live in the identity record only: a copy in the
        // config would go stale, and one typed in must stand out.
        if try repo.identity() != nil {
            for id in written.users.keys {
                written.users[id]?.keys = []
                written.users[id]?.login = nil
            }
        }
        try repo.saveConfig(written)
        config = new
        wroteConfig = true
    }

    /// Events appended since `forgetAppended`, with their case: what a batch line did.
    public private(set) var appended: [(caseID: String, event: Event)] = []
    public func forgetAppended() { appended = [] }

    /// Files written outside `save` and `saveConfig`, relative to the root, for the commit.
    public func noteWritten(_ paths: [String]) { writtenPaths += paths }

    /// Moves a case merged into another out of the case folders (`Repository.setAside`).
    public func setAside(_ id: String) throws {
        try repo.setAside(id)
        // The copy set aside stays at this site (.gitignore): git records the case's removal.
        writtenPaths += [CaseID.relativePath(id)]
    }

    /// When this session took the lock (nanoseconds since 1970): temporary files older than
    /// that were left by a write that did not finish.
    var lockedSince: Int64 = 0

    /// Saves a case, signing first the events this session stamped in it (unless a batch
    /// holds the writes: those are signed together when they are written); returns the
    /// copy saved.
    @discardableResult
    public func save(_ file: CaseFile) throws -> CaseFile {
        let ours = { (e: Event) in e.seal != nil && (e.yot ?? self.config.yotCode) == self.config.yotCode }
        if try repo.identity() == nil, file.events.contains(where: ours) {
            throw APError.data("case '\(file.id)' holds signed events but the repository has no identity record "
                + "(\(IdentityRecord.relativePath) removed?); restore it before writing; nothing was written")
        }
        var files = [file]
        if repo.pending == nil { try seal(&files) }
        let saved = files[0]
        try repo.saveCase(saved)
        writtenCases.append(file.id)
        // The case written, any temporary copy of it an earlier writer left is stale; looked
        // for once a session (a batch saves one case thousands of times).
        guard swept.insert(file.id).inserted else { return saved }
        let folder = FileSystem.parent(CaseID.relativePath(file.id))
        Leftovers.sweep(repo, folder, before: lockedSince, prefix: ".\(file.id).json.tmp-")
        return saved
    }
    private var swept: Set<String> = []

    /// Writes held by `Repository.beginBuffering` go to disk (or are dropped); cases written
    /// are then committed once by the outermost `locked`.
    public func endBuffering(write: Bool) throws {
        if write {
            if var files = repo.pending.map({ Array($0.values) }), !files.isEmpty {
                do { try seal(&files) } catch { repo.discard(); throw error }
                for f in files { repo.pending![f.id] = f }
            }
            try repo.flush(author: (try? actor())?.id ?? actorID)
        } else {
            repo.discard()
            writtenCases = []
            wroteConfig = false
            writtenPaths = []
        }
    }

    /// Commits the files of a batch this session finished for a writer that died, as that
    /// writer (the author the journal names; `ap` when it names none).
    func commitFinished(_ finished: Journal.Finished) {
        let git = Git(root: repo.root)
        guard git.isRepository else { return }
        let id = finished.author ?? "ap"
        let user = config.users[id] ?? User(id: id, name: id, roles: [])
        do {
            try git.commit(
                message: "batch of \(finished.count) files, finished after an interruption (\(id))", author: user,
                yot: config.yotCode, only: finished.targets)
        } catch let e as APError {
            warnings.append("an interrupted batch was finished but not committed to git: \(e.message)")
        } catch {}
    }

    /// What the command did, for its git commit (`countersign YP-0101 st-50a7`); without it the
    /// command's name, its cases and the stage its events name. Never answers or notes.
    public var commitSubject: String?

    /// The commit message: the subject and the acting user, as `return YP-0101 st-50a7 (mo)`.
    func commitMessage(user: String) -> String {
        if let commitSubject { return "\(commitSubject) (\(user))" }
        let ids = Array(Set(writtenCases)).sorted()
        let what = ids.isEmpty ? "config" : ids.count <= 3 ? ids.joined(separator: " ") : "\(ids.count) cases"
        let stages = Set(appended.compactMap { $0.event.payload["stage"]?.stringValue })
        let stage = stages.count == 1 && ids.count == 1 ? " " + stages.first! : ""
        let command = commandName.hasPrefix("ap ") ? String(commandName.dropFirst(3)) : commandName
        return "\(command) \(what)\(stage) (\(user))"
    }

    func commitIfGit() {
        defer { writtenCases = []; wroteConfig = false; writtenPaths = []; commitSubject = nil }
        guard !writtenCases.isEmpty || wroteConfig || !writtenPaths.isEmpty else { return }
        let git = Git(root: repo.root)
        guard git.isRepository else { return }
        let user = (try? actor())?.user ?? User(id: actorID ?? "ap", name: actorID ?? "ap", roles: [])
        // Only what this command wrote: never what another process left changed.
        let paths = Array(Set(writtenCases)).sorted().map(CaseID.relativePath)
            + (wroteConfig ? [".ap/config.json"] : []) + writtenPaths
        do {
            try git.commit(message: commitMessage(user: user.id), author: user, yot: config.yotCode, only: paths)
        } catch let e as APError {
            warnings.append("the change is saved but not committed to git: \(e.message)")
        } catch {
            warnings.append("the change is saved but not committed to git: \(error)")
        }
    }

    /// Stamps a change as an event: after every event the case already holds.
    public func stamp(_ change: Change, after latest: Timestamp?, actor: Actor) -> Event {
        var at = env.now()
        // After the identity record's latest entry too: a key added a moment ago must hold
        // at the time of the events it signs, whatever this machine's clock says.
        let identity = (try? repo.identity()) ?? nil
        if let latest = [latest, identity?.entries.last?.at].compactMap({ $0 }).max(), at <= latest {
            at = latest.adding(millis: 1)
        }
        var event = Event(
            id: env.newID(), at: at, by: actor.id, osUser: actor.osUser, type: change.type, payload: change.payload)
        event.yot = actor.yot
        event.byName = actor.yot == nil ? nil : actor.user.name
        if identity?.state.signaturesRequired == true { fresh.insert(event.id) }
        return event
    }

    /// A case holding an event more than a day ahead of this machine's clock would date every
    /// new event after it: refused, pointing at the repair.
    func refuseFuture(_ file: CaseFile) throws {
        guard let latest = file.latestEventTime, latest > FutureEvents.limit(env.now()) else { return }
        throw APError.data(
            "case '\(file.id)' holds an event dated \(latest), more than a day ahead of this machine's clock "
                + "(\(env.now())); a new event would have to follow it. 'ap fsck --repair' re-dates it; "
                + "nothing was written")
    }

    /// Applies a rule to one case and saves the result; `then` may add what follows from it
    /// (a stage stopped when the case is passed on), in the same write.
    @discardableResult
    public func change(
        _ caseID: String, _ rule: (CaseState, Actor) throws -> Change, then: ((CaseState, Actor) -> Change?)? = nil
    ) throws -> CaseFile {
        try locked {
            let actor = try actor()
            var file = try repo.takeCase(caseID)
            var saved = false, added = 0
            defer {
                // A batch holds the case: give it back as it was.
                if !saved {
                    try? file.dropLast(added)
                    repo.putBack(file)
                }
            }
            if file.state.holding(for: config.yotCode) == .released {
                let now = file.state.home.map { "\($0.name) (\($0.code))" } ?? "another YOT"
                throw APError.refused("case '\(caseID)' is held by \(now), not this YOT; this copy is kept read-only")
            }
            let change = try rule(file.state, actor)
            try refuseFuture(file)
            var new = [stamp(change, after: file.latestEventTime, actor: actor)]
            try file.append(new)
            added = 1
            if let next = then?(file.state, actor) {
                let event = stamp(next, after: file.latestEventTime, actor: actor)
                try file.append([event])
                added = 2
                new.append(event)
            }
            file = try save(file)
            saved = true
            appended += new.map { (caseID, $0) }
            return file
        }
    }

    /// Creates a case from its first event.
    /// `then` may add a second event in the same write (the first allocation).
    public func create(
        _ caseID: String, _ change: Change, then: ((CaseState, Actor) throws -> Change?)? = nil
    ) throws -> CaseFile {
        try locked {
            let actor = try actor()
            guard !repo.caseExists(caseID) else { throw APError.exists("case '\(caseID)' already exists") }
            var file = try CaseFile(id: caseID, events: [stamp(change, after: nil, actor: actor)])
            if let next = try then?(file.state, actor) {
                try file.append([stamp(next, after: file.latestEventTime, actor: actor)])
            }
            file = try save(file)
            appended += file.events.map { (caseID, $0) }
            return file
        }
    }
}

