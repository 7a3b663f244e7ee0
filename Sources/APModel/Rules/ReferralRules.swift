/// Following a flagged referral through (issue 24; 001 §9, Annex B): made to someone on a
/// date, then accepted, declined or found not needed, with a reason.
public enum ReferralRules {
    /// A referral by its id, or by its question when one referral of the case asks it.
    public static func find(_ text: String, in state: CaseState) throws -> Referral {
        if let r = state.referrals.first(where: { $0.id == text }) { return r }
        let asking = state.referrals.filter { $0.question == text.lowercased() }
        if let latest = asking.last { return latest }
        let known = state.referrals.map { "\($0.id) (\($0.question))" }
        throw APError.notFound(
            "case '\(state.id)' has no referral '\(text)'; "
                + (known.isEmpty
                    ? "none was flagged by a submitted stage" : "referrals: " + known.joined(separator: ", ")))
    }

    public static func made(
        _ state: CaseState, referral text: String, to: String, date: Day, actor: Actor, today: Day
    ) throws -> Change {
        try mayFollow(actor)
        let r = try find(text, in: state)
        if let on = r.madeOn {
            throw APError.refused("referral \(r.id) (\(r.question)) was already recorded as made on \(on)")
        }
        if let outcome = r.outcome {
            throw APError.refused("referral \(r.id) (\(r.question)) is concluded: \(outcome)")
        }
        try check(date, of: r, in: state, today: today)
        let to = try StageRules.requiredText(to, "--to")
        return Change(
            EventType.referralMade, ["referral": .string(r.id), "to": .string(to), "date": .string(date.description)])
    }

    public static func outcome(
        _ state: CaseState, referral text: String, outcome: String, reason: String, date: Day, actor: Actor, today: Day
    ) throws -> Change {
        try mayFollow(actor)
        let r = try find(text, in: state)
        guard Referral.outcomes.contains(outcome) else {
            throw APError.usage("an outcome is one of \(Referral.outcomes.joined(separator: ", "))")
        }
        if let done = r.outcome { throw APError.refused("referral \(r.id) (\(r.question)) is already \(done)") }
        if outcome != "not-needed", r.madeOn == nil {
            throw APError.refused(
                "referral \(r.id) (\(r.question)) was not made, so it cannot be \(outcome); record it with "
                    + "'ap referral made' first, or its outcome as not-needed")
        }
        try check(date, of: r, in: state, today: today)
        if let made = r.madeOn, date < made {
            throw APError.usage("--date \(date) is before the referral was made (\(made))")
        }
        let reason = try StageRules.requiredText(reason, "--reason")
        return Change(
            EventType.referralOutcome,
            [
                "referral": .string(r.id), "outcome": .string(outcome), "reason": .string(reason),
                "date": .string(date.description),
            ])
    }

    /// Practitioners, managers and proxies follow referrals through; a user with no role does not.
    static func mayFollow(_ actor: Actor) throws {
        guard actor.user.has(.practitioner) || actor.user.has(.manager) || actor.user.isProxy else {
            throw APError.permission("'\(actor.id)' has no role that follows referrals through")
        }
    }

    /// A date not ahead of today, nor before the stage that flagged it started: a referral
    /// may be made as soon as the question is answered, before the stage is submitted.
    static func check(_ date: Day, of r: Referral, in state: CaseState, today: Day) throws {
        if today < date { throw APError.usage("--date \(date) is in the future") }
        let started = state.stage(r.stage).map { UKClock.day(of: $0.startedAt) } ?? UKClock.day(of: r.flaggedAt)
        if date < started {
            throw APError.usage("--date \(date) is before stage \(r.stage), which flagged it, started (\(started))")
        }
    }
}
