import Foundation

/// The key events `ap record` takes (domain.md, "The custody journey"; 003 §§2–7, 004;
/// 002 for the allocation ones). Their slugs are a contract with users' scripts.
public struct KeyEventKind: Sendable {
    public var slug: String
    public var label: String
    /// Hearings and meetings are recorded ahead; what has happened is not dated in the future.
    public var scheduled: Bool
    public var ref: String

    public static let all: [KeyEventKind] = [
        .init(
            slug: "court-hearing", label: "Court hearing (--custody-possible where it is; --breach)", scheduled: true,
            ref: "003 §2.1"),
        .init(slug: "sentenced-custody", label: "Sentenced to custody", scheduled: false, ref: "003 §2.4"),
        .init(
            slug: "court-outcome", label: "Another court outcome or an adjournment (--note says which)",
            scheduled: false, ref: "004 §17"),
        .init(
            slug: "remanded-yda", label: "Remanded to youth detention accommodation", scheduled: false,
            ref: "003 §§2.4, 3.6; 004 §24"),
        .init(
            slug: "remanded-laa", label: "Remanded to local authority accommodation", scheduled: false,
            ref: "004 §§23–27"),
        .init(slug: "bailed", label: "Bailed: the remand ends", scheduled: false, ref: "004 §§23–24"),
        .init(slug: "arrived-establishment", label: "Arrived at the establishment", scheduled: false, ref: "003 §3.1"),
        .init(
            slug: "entering-custody-notified", label: "Entering into Custody stage received from the establishment",
            scheduled: false, ref: "003 §3.2"),
        .init(
            slug: "review-notified", label: "Review stage received from the establishment", scheduled: false,
            ref: "003 §§4.2, 5.4"),
        .init(
            slug: "planning-meeting", label: "Initial or review planning meeting (--updates-by)", scheduled: true,
            ref: "003 §§4.1, 4.5"),
        .init(
            slug: "release-preparation-meeting", label: "Release preparation meeting", scheduled: true,
            ref: "003 §6.2"),
        .init(slug: "final-release-meeting", label: "Final release meeting", scheduled: true, ref: "003 §6.5"),
        // A release is recorded once it has happened: it ends the custody obligations (003 §6.9).
        .init(slug: "released", label: "Released from custody", scheduled: false, ref: "003 §§6.7–6.9"),
        .init(
            slug: "transferred-establishment", label: "Moved to another secure establishment", scheduled: false,
            ref: "003 §7"),
        .init(
            slug: "release-updates-notified", label: "Final release updates received from the establishment",
            scheduled: false, ref: "003 §6.9"),
        .init(slug: "post-release-meeting", label: "Post-release meeting", scheduled: true, ref: "001 §12.2"),
        .init(
            slug: "moved", label: "Change of address or placement (--reason)", scheduled: false,
            ref: "002 §11.3; 004 §§16, 34"),
        .init(slug: "home-visit", label: "Home visit after a move", scheduled: true, ref: "002 §11.3"),
        .init(
            slug: "offending-reported", label: "Offending by a looked-after child reported (--by-social-care)",
            scheduled: false, ref: "004 §14"),
        .init(slug: "involvement-ended", label: "YOT involvement ended", scheduled: false, ref: "001 §6.21"),
        .init(slug: "cpf-held", label: "Case Planning Forum held", scheduled: false, ref: "001 §6"),
        .init(slug: "risk-strategy-meeting", label: "Risk Strategy Meeting held", scheduled: false, ref: "004 §3"),
        .init(
            slug: "social-care-notified", label: "Social care told of a court outcome", scheduled: false,
            ref: "004 §§14, 17"),
        .init(
            slug: "co-allocation-agreed", label: "Co-allocation agreement recorded", scheduled: false, ref: "002 §5.3"),
        .init(slug: "co-allocation-reviewed", label: "Co-allocation reviewed", scheduled: false, ref: "002 §5.3"),
        .init(
            slug: "three-way-meeting", label: "Three-way meeting for an internal transfer", scheduled: true,
            ref: "002 §11"),
        .init(
            slug: "team-transfer-endorsed", label: "A move to another locality team endorsed (--team)",
            scheduled: false, ref: "002 §11.4"),
        .init(
            slug: "mappa-endorsed", label: "MAPPA meeting endorsed a transfer", scheduled: false,
            ref: "002 §11.5, Appendix A"),
        .init(slug: "transfer-agreed", label: "Decision to transfer to another YOT", scheduled: false, ref: "002 §12"),
    ]

    public static func named(_ slug: String) throws -> KeyEventKind {
        guard let kind = all.first(where: { $0.slug == slug.lowercased() }) else {
            let wanted = slug.lowercased()
            // The nearest slug, when it is near enough to be what was meant.
            let near = all.map(\.slug).min { EditDistance.between($0, wanted) < EditDistance.between($1, wanted) }
                .flatMap { slug in
                    let near = slug.hasPrefix(wanted) || EditDistance.between(slug, wanted) <= max(2, wanted.count / 3)
                    return near ? slug : nil
                }
            throw APError.usage(
                "unknown key event '\(slug)'" + (near.map { "; did you mean '\($0)'?" } ?? "")
                    + "; 'ap record --help' lists them")
        }
        return kind
    }

    public static let remands = ["remanded-yda", "remanded-laa"]
    /// What ends a remand, and a looked-after status it alone made (004 §§23–24).
    public static let remandEnders: Set<String> = ["sentenced-custody", "bailed", "released"]
    static let scheduledSlugs = Set(all.filter(\.scheduled).map(\.slug))
    /// A `court-hearing` recorded `--custody-possible`, as the obligation rules read it: only
    /// such a hearing asks for the PSR at Placements 24 hours before (003 §2.1).
    static let custodyHearing = "court-hearing/custody-possible"
    /// A breach hearing where custody is possible: a Placement Notification stage, or the PSR,
    /// goes to Placements before it (001 §11.2.1).
    static let breachCustodyHearing = "court-hearing/breach-custody-possible"
    /// A planning meeting after which the YOT, or the establishment, updates AssetPlus (003 §4.1).
    static let yotUpdates = "planning-meeting/yot-updates"
    static let establishmentUpdates = "planning-meeting/establishment-updates"
}

/// A key event as the case's history holds it.
public struct KeyEvent: Equatable, Sendable {
    /// The id of the event that recorded it.
    public var id: String
    public var kind: String
    /// As given: `2026-11-24` or `2026-11-24T10:00`, UK clock time.
    public var date: String
    /// When it happened (or will), in UTC; a date alone is the start of that day.
    public var happenedAt: Timestamp
    public var at: Organisation?
    public var note: String?
    /// Who chaired it: a Case Planning Forum's operational manager (001 §6).
    public var chair: String?
    /// A hearing where custody is a possible outcome (003 §2.1).
    public var custodyPossible = false
    /// A breach hearing (001 §11.2.1).
    public var breach = false
    /// Who updates AssetPlus after a planning meeting, where agreed (003 §4.1).
    public var updatesBy: String?
    /// The team a move between teams goes to (002 §11.4).
    public var team: String?
    /// Why: a move's reason.
    public var reason: String?
    /// Who told the YOT: `social-care` for offending it reported (004 §14).
    public var reportedBy: String?
    public var recordedAt: Timestamp
    public var recordedBy: String

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "id": .string(id), "event": .string(kind), "date": .string(date),
            "happenedAt": .string(happenedAt.description), "recordedAt": .string(recordedAt.description),
            "recordedBy": .string(recordedBy),
        ]
        if let at { o["at"] = at.json }
        if let note { o["note"] = .string(note) }
        if let chair { o["chair"] = .string(chair) }
        if custodyPossible { o["custodyPossible"] = true }
        if breach { o["breach"] = true }
        if let updatesBy { o["updatesBy"] = .string(updatesBy) }
        if let team { o["team"] = .string(team) }
        if let reason { o["reason"] = .string(reason) }
        if let reportedBy { o["reportedBy"] = .string(reportedBy) }
        return .object(o)
    }
}

/// The clock of England and Wales, where every YOT is: times typed and deadlines shown are
/// UK times (GMT or BST), stored in UTC. Falls back to UTC where no zone data is installed.
public enum UKClock {
    static let zone = TimeZone(identifier: "Europe/London") ?? TimeZone(secondsFromGMT: 0)!

    /// Each change of offset from 1990 to 2060 (UTC millis, the offset from then on), found
    /// once: `ap due` converts hundreds of thousands of times, and asking the zone each time
    /// was most of its cost.
    static let changes: [(at: Int64, offset: Int64)] = {
        var out: [(Int64, Int64)] = []
        var date = Date(timeIntervalSince1970: 631_152_000)  // 1990-01-01
        let end = Date(timeIntervalSince1970: 2_871_763_200)  // 2061-01-01
        out.append((Int64.min, Int64(zone.secondsFromGMT(for: date)) * 1000))
        while let next = zone.nextDaylightSavingTimeTransition(after: date), next < end {
            out.append((Int64(next.timeIntervalSince1970 * 1000), Int64(zone.secondsFromGMT(for: next)) * 1000))
            date = next
        }
        return out
    }()

    static func offsetMillis(at utc: Int64) -> Int64 {
        guard utc >= 631_152_000_000, utc < 2_871_763_200_000 else {
            return Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc) / 1000))) * 1000
        }
        // The last change at or before `utc`.
        var low = 0
        var high = changes.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if changes[mid].at <= utc { low = mid } else { high = mid - 1 }
        }
        return changes[low].offset
    }

    /// The UTC instant of a UK wall-clock time.
    public static func instant(_ day: Day, hour: Int = 0, minute: Int = 0) -> Timestamp {
        let wall = Int64(day.daysSinceEpoch) * 86_400_000 + Int64(hour * 3_600_000 + minute * 60_000)
        // The offset at the wall time read as UTC is right except within an hour of a change.
        let guess = wall - offsetMillis(at: wall)
        return Timestamp(millis: wall - offsetMillis(at: guess))
    }

    /// The UK day an instant falls in.
    public static func day(of t: Timestamp) -> Day {
        Day(daysSinceEpoch: Int(floorDiv(t.millis + offsetMillis(at: t.millis), 86_400_000)))
    }

    /// The last millisecond of a UK day.
    public static func endOfDay(_ day: Day) -> Timestamp {
        instant(day.adding(days: 1)).adding(millis: -1)
    }

    /// `YYYY-MM-DD HH:MM` in UK time.
    public static func show(_ t: Timestamp) -> String {
        let local = Timestamp(millis: t.millis + offsetMillis(at: t.millis)).description
        return String(local.prefix(10)) + " " + String(local.dropFirst(11).prefix(5))
    }

    /// `YYYY-MM-DD HH:MM GMT` or `... BST`: UK time with its zone, as every text view shows a
    /// time (JSON keeps UTC).
    public static func label(_ t: Timestamp) -> String {
        show(t) + (offsetMillis(at: t.millis) == 0 ? " GMT" : " BST")
    }

    /// Reads `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (UK time).
    public static func parse(_ text: String) -> (date: String, at: Timestamp)? {
        let parts = text.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count <= 2, let day = Day(String(parts[0])) else { return nil }
        guard parts.count == 2 else { return (day.description, instant(day)) }
        let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard time.count == 2, time.allSatisfy({ $0.count == 2 }), let h = Int(time[0]), let m = Int(time[1]),
            (0...23).contains(h), (0...59).contains(m)
        else { return nil }
        return (day.description + "T" + parts[1], instant(day, hour: h, minute: m))
    }
}
