/// Referrals across cases (`ap referral list`, `ap report referrals`; issue 24).
public struct CaseReferral: Sendable {
    public var caseID: String
    public var name: String
    public var referral: Referral

    /// Each case's referrals from its stored state, as the reports read cases.
    public static func from(state: JSONValue) throws -> [CaseReferral] {
        let r = try JSONReader(state, path: "state")
        let caseID = try r.string("id"), name = try r.string("name")
        return try r.array("referrals").enumerated().map { i, v in
            CaseReferral(caseID: caseID, name: name, referral: try Referral(json: v, path: "state.referrals[\(i)]"))
        }
    }
}

extension Reports {
    /// Working days from the flag to the referral made; empty while it is not.
    static func daysToMake(_ r: Referral, calendar: WorkingDays) -> String {
        r.madeOn.map { String(calendar.elapsed(from: UKClock.day(of: r.flaggedAt), to: $0)) } ?? ""
    }

    /// One row a referral, oldest flag first; `openOnly` keeps those without an outcome.
    public static func referralList(_ list: [CaseReferral], openOnly: Bool, calendar: WorkingDays) -> Report {
        // Oldest flag first; one submission's flags in the catalogue's order, as raised.
        let rows = list.enumerated().filter { !openOnly || $0.element.referral.isOpen }
            .sorted {
                ($0.element.referral.flaggedAt, $0.element.caseID, $0.offset)
                    < ($1.element.referral.flaggedAt, $1.element.caseID, $1.offset)
            }
            .map(\.element).map { c -> [String] in
                let r = c.referral
                return [
                    c.caseID, c.name, r.id, r.question, r.service, r.stage, UKClock.day(of: r.flaggedAt).description,
                    r.progress, r.madeTo ?? "", r.madeOn?.description ?? "", daysToMake(r, calendar: calendar),
                    r.outcomeOn?.description ?? "", r.outcomeReason ?? "",
                ]
            }
        return Report(
            columns: [
                "case", "name", "id", "question", "referral", "stage", "flagged", "progress", "made-to", "made",
                "days-to-make", "outcome-date", "outcome-reason",
            ], rows: rows)
    }

    /// The referral that follows a stage's flag: the one it raised, or one raised before the
    /// stage started (a `yes` pulled forward while it was followed); nil when none was.
    static func referral(for s: StageFacts, question: String, in list: [Referral]) -> Referral? {
        list.first { $0.stage == s.stageID && $0.question == question }
            ?? list.last { $0.question == question && $0.flaggedAt < s.startedAt }
    }
}
