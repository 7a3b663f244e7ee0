/// Rules for key events and the custody journey. Pure: values in, a `Change` out.
public enum CustodyRules {
    /// Who records key events: practitioners, managers and proxies (business support, admin).
    public static let recorders: [Role] = [.practitioner, .manager, .businessSupport, .admin]

    public static func record(
        _ state: CaseState, event slug: String, date text: String, at: Organisation?, note: String?, actor: Actor,
        now: Timestamp, details: KeyEventDetails = KeyEventDetails()
    ) throws -> Change {
        let kind = try KeyEventKind.named(slug)
        guard recorders.contains(where: actor.user.has) else {
            throw APError.permission(
                "'\(actor.id)' cannot record key events: it needs a practitioner, manager or proxy role")
        }
        let (date, happened) = try when(text, kind: kind, now: now)
        var payload: [String: JSONValue] = [
            "event": .string(kind.slug), "date": .string(date), "happenedAt": .string(happened.description),
        ]
        if let at { payload["at"] = at.json }
        try details.check(for: kind.slug)
        // A Case Planning Forum is chaired by an operational manager (001 §6).
        if let chair = details.chair {
            guard chair.has(.manager) else {
                throw APError.refused(
                    "'\(chair.id)' cannot chair a Case Planning Forum: an operational manager chairs it (001 §6)")
            }
            payload["chair"] = .string(chair.id)
        }
        // A move says why: a significant event the review assesses (002 §11.3).
        if let reason = details.reason { payload["reason"] = .string(try StageRules.requiredText(reason, "--reason")) }
        // Social care tells the YOT of offending by a looked-after child (004 §14).
        if details.bySocialCare { payload["reportedBy"] = "social-care" }
        if details.custodyPossible { payload["custodyPossible"] = true }
        if details.breach { payload["breach"] = true }
        if let who = details.updatesBy { payload["updatesBy"] = .string(who.rawValue) }
        // A move between teams is endorsed by the case manager's manager (002 §11.4).
        if let team = details.team {
            guard actor.user.has(.manager) else {
                throw APError.permission(
                    "'\(actor.id)' cannot endorse a move between teams: a manager does (002 §11.4)")
            }
            payload["team"] = .string(try AllocationRules.validTeam(team))
        }
        if let note { payload["note"] = .string(try StageRules.requiredText(note, "--note")) }
        // Looked after only by a remand: sentence, bail or release ends it (004 §§23–24). The
        // event says so, so that cases recorded before this rule derive as they did.
        if KeyEventKind.remandEnders.contains(kind.slug), state.lookedAfter,
            state.lookedAfterBasis == CaseRules.remandBasis,
            let remand = state.latest(Set(KeyEventKind.remands)), remand.happenedAt < happened
        {
            payload["endsRemandLookedAfter"] = true
        }
        return Change(EventType.caseRecorded, payload)
    }

    /// A key event's `--date`: a UK date or time, ahead only for hearings and meetings.
    static func when(_ text: String, kind: KeyEventKind, now: Timestamp) throws -> (String, Timestamp) {
        guard let (date, happened) = UKClock.parse(text), happened.isInRange else {
            throw APError.usage("--date takes a UK date and time like 2026-11-24 or 2026-11-24T10:00")
        }
        if !kind.scheduled, UKClock.day(of: now) < UKClock.day(of: happened) {
            throw APError.usage("--date \(date) is in the future; '\(kind.slug)' is recorded once it has happened")
        }
        return (date, happened)
    }

    /// Remanded to youth detention accommodation, the YOT starts its PSR stage only once the
    /// establishment's Entering into Custody stage has been received (003 §3.6).
    static func checkPSRMayStart(_ state: CaseState, kind: String) throws {
        guard kind == StageKind.psr, let remand = state.awaitingEnteringCustody else { return }
        throw APError.refused(
            "case '\(state.id)' was remanded to youth detention accommodation on \(remand.date): the PSR stage "
                + "starts once the establishment's Entering into Custody stage is received "
                + "(record it with 'ap record \(state.id) entering-custody-notified --date DATE'; 003 §3.6)")
    }
}
