/// Events dated ahead of the clock (issue 23): one far-future event would make every later
/// event of its case follow it, at every site it reaches. A day's slack allows for clocks
/// that disagree a little.
public enum FutureEvents {
    public static let slackMillis: Int64 = 86_400_000

    /// The latest time an event may carry, seen at `now`.
    public static func limit(_ now: Timestamp) -> Timestamp { now.adding(millis: slackMillis) }

    /// The events of `file` dated after `limit(now)`.
    public static func ahead(_ file: CaseFile, now: Timestamp) -> [Event] {
        let limit = limit(now)
        return file.events.filter { $0.at > limit }
    }

    /// Refuses a case from elsewhere (`source`: a package, a remote) holding such events.
    public static func refuse(_ file: CaseFile, now: Timestamp, source: String) throws {
        guard let first = ahead(file, now: now).min(by: Event.replayOrder) else { return }
        throw APError.data(
            "\(source) case '\(file.id)' holds event \(first.id) dated \(first.at), more than a day ahead of this "
                + "machine's clock (\(now)); nothing was written")
    }

    /// The case with its far-future unsigned events dated again, in their order, just after
    /// the latest event that is not ahead (`ap fsck --repair`). A signed event cannot be
    /// dated again without breaking its signature: it is named in the error.
    public static func redated(_ file: CaseFile, now: Timestamp) throws -> (file: CaseFile, count: Int) {
        let limit = limit(now)
        let ahead = file.events.filter { $0.at > limit }.sorted(by: Event.replayOrder)
        guard !ahead.isEmpty else { return (file, 0) }
        if let signed = ahead.first(where: { $0.seal != nil }) {
            throw APError.data(
                "event \(signed.id) is signed by '\(signed.by)' and cannot be dated again without breaking its "
                    + "signature; restore the case from git or another site")
        }
        var at = file.events.filter { $0.at <= limit }.map(\.at).max() ?? now
        if at < now { at = now }
        var order: [String: Timestamp] = [:]
        for e in ahead {
            at = at.adding(millis: 1)
            order[e.id] = at
        }
        let events = file.events.map { e -> Event in
            var e = e
            if let t = order[e.id] { e.at = t }
            return e
        }
        var out = try CaseFile(id: file.id, events: events)
        out.unknown = file.unknown
        return (out, ahead.count)
    }
}
