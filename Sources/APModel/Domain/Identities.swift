/// Who did what, as this YOT shows it. A case travels between YOTs, and each YOT has its
/// own users: another YOT's `pat` is shown qualified, `pat@NOTTS (Pat Jones)`, and this
/// YOT's users stay plain. Every event since they were recorded names its user's YOT and
/// display name; the derived state's `by`/`at` pairs are matched to the event that set them.
public struct Identities: Sendable {
    public let here: String
    private var byTime: [Timestamp: (yot: String, name: String?)] = [:]

    public init(events: [Event], here: String) {
        self.here = here
        for e in events {
            guard let yot = e.yot else { continue }
            if byTime[e.at] == nil { byTime[e.at] = (yot, e.byName) }
        }
    }

    /// `user` as written by the event at `at`.
    public func show(_ user: String, at: Timestamp?) -> String {
        guard let at, let who = byTime[at], who.yot != here else { return user }
        return "\(user)@\(who.yot)" + (who.name.map { " (\($0))" } ?? "")
    }

    /// `2026-11-23 09:30 GMT by pat`: when and who, as text views show an act.
    public func when(_ user: String?, at: Timestamp) -> String {
        "\(UKClock.label(at)) by \(show(user ?? "?", at: at))"
    }

    /// The event's user, qualified when of another YOT.
    public func show(_ event: Event) -> String {
        guard let yot = event.yot, yot != here else { return event.by }
        return "\(event.by)@\(yot)" + (event.byName.map { " (\($0))" } ?? "")
    }

    /// Another YOT's user as its events name them: the YOT and the display name; nil for
    /// this YOT's users, whose names the config holds.
    public func foreign(_ user: String, at: Timestamp?) -> (yot: String, name: String?)? {
        guard let at, let who = byTime[at], who.yot != here else { return nil }
        return who
    }

    /// Only the qualified id (`pat@NOTTS`), for JSON and tables that name ids.
    public func id(_ user: String, at: Timestamp?) -> String {
        guard let at, let who = byTime[at], who.yot != here else { return user }
        return "\(user)@\(who.yot)"
    }

    /// A stage's JSON with the users of another YOT qualified: owner, starter, submitter,
    /// countersigner, who stopped it, who returned it and who answered.
    public func qualify(stage json: JSONValue) -> JSONValue {
        guard case .object(var o) = json, !byTime.isEmpty else { return json }
        func at(_ key: String, in object: [String: JSONValue]) -> Timestamp? {
            object[key]?.stringValue.flatMap(Timestamp.init)
        }
        for (user, time) in [
            ("startedBy", "startedAt"), ("submittedBy", "submittedAt"), ("countersignedBy", "countersignedAt"),
            ("stoppedBy", "stoppedAt"),
        ] {
            if let u = o[user]?.stringValue { o[user] = .string(id(u, at: at(time, in: o))) }
        }
        if let owner = o["owner"]?.stringValue { o["owner"] = .string(id(owner, at: at("startedAt", in: o))) }
        if case .object(var answers)? = o["answers"] {
            for (key, value) in answers {
                guard case .object(var a) = value, let by = a["by"]?.stringValue else { continue }
                a["by"] = .string(id(by, at: at("at", in: a)))
                answers[key] = .object(a)
            }
            o["answers"] = .object(answers)
        }
        if case .array(let returns)? = o["returns"] {
            o["returns"] = .array(
                returns.map { r in
                    guard case .object(var x) = r, let by = x["by"]?.stringValue else { return r }
                    x["by"] = .string(id(by, at: at("at", in: x)))
                    return .object(x)
                })
        }
        return .object(o)
    }
}
