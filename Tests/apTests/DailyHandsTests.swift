import APModel
import Foundation
import XCTest

// Issue 26, "ap in daily hands": output for pipes, one clock, scripting, help by task.

/// Issue 26, "never cut data": piped, every listing holds each value whole, whatever
/// COLUMNS says; `-w N` lays text out for N columns, counting wide characters as two.
final class PipedOutputTests: XCTestCase {
    let longName = "Adebayo Oluwaseun Montgomery-Smythe-Fotheringham 李小龍 de la Cruz"

    func testEveryListingHoldsLongValuesWholeWhenPiped() throws {
        let h = try Harness()
        h.now = "2026-11-23T09:00:00.000Z"
        try h.expectOK(["user", "add", "vic", "--name", "Victoria Wellesley-Thompson-Ashburnham-Fitzwilliam",
                        "--role", "practitioner"], as: "alex")
        try h.expectOK(["org", "add", "WETHERBY", "--name", "HMYOI Wetherby Young Offender Institution (Long Name)",
                        "--type", "establishment"], as: "alex")
        try h.expectOK(["case", "new", "YP-0001", "--name", longName, "--dob", "2009-03-14"], as: "bo")
        try h.expectOK(["stage", "new", "YP-0001", "--kind", "review"], as: "pat")
        try h.expectOK(["stage", "set", "YP-0001", "rosh=high", "saw=low", "lor=low", "scaled-approach=intensive",
                        "pfs.health=Care order made by the family court in Barnet on appeal"], as: "pat")
        try h.evidence(for: ["rosh=high"])
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectOK(["record", "YP-0001", "remanded-yda", "--date", "2026-11-23T13:00"], as: "pat")
        let wide = ["COLUMNS": "40"]  // ignored when piped
        let listings: [([String], String)] = [
            (["case", "list"], longName), (["queue"], longName), (["due"], longName),
            (["user", "list"], "Victoria Wellesley-Thompson-Ashburnham-Fitzwilliam"),
            (["org", "list"], "HMYOI Wetherby Young Offender Institution (Long Name)"),
            (["log", "YP-0001"], "pfs.health"),
        ]
        for (args, value) in listings {
            let r = try h.run(args, as: "mo", env: wide)
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains(value), "ap \(args.joined(separator: " ")) | grep:\n\(r.stdout)")
            XCTAssertFalse(r.stdout.contains("…"), "ap \(args.joined(separator: " ")) cut a cell:\n\(r.stdout)")
            for line in r.stdout.split(separator: "\n") {
                XCTAssertFalse(line.hasSuffix(" "), "ap \(args.joined(separator: " ")): trailing spaces in '\(line)'")
            }
        }
        // Asked for 80 columns, a table cuts its widest column, counting 李小龍 as six.
        let narrow = try h.expectOK(["case", "list", "-w", "80"]).stdout
        for line in narrow.split(separator: "\n") { XCTAssertLessThanOrEqual(TextWidth.of(line), 80, String(line)) }
        XCTAssertTrue(narrow.contains("…"), narrow)
        try h.expectFailure(["case", "list", "-w", "ten"], status: 64, message: "--width takes a number")
    }

    func testTheMergeReportShowsValuesWholeAndTimesToTheSecond() throws {
        let h = try Harness()
        try h.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
        let copy = h.dir + "-copy.json", merged = h.dir + "-merged.json"
        defer { for f in [copy, merged] { try? FileManager.default.removeItem(atPath: f) } }
        let theft = "Theft of a pedal cycle from outside the leisure centre, then a second name"
        try Forger.edit(file: h.caseFile("YP-0001"), to: copy) { events in
            events.append(
                Forger.event(
                    after: events, id: "copy0000000000000001", type: EventType.caseUpdated, by: "bo",
                    payload: ["name": .string(theft)], at: "2026-11-03T09:00:00.400Z"))
        }
        let robbery = "Robbery of a mobile telephone at knifepoint near the station, a long name"
        h.now = "2026-11-03T09:00:00.000Z"
        try h.expectOK(["case", "update", "YP-0001", "name=\(robbery)"], as: "bo")
        let r = try h.expectOK(["merge", h.caseFile("YP-0001"), copy, "-o", merged])
        XCTAssertTrue(r.stdout.contains(robbery) && r.stdout.contains(theft), r.stdout)
        XCTAssertTrue(r.stdout.contains("2026-11-03 09:00:00"), r.stdout)
        XCTAssertTrue(r.stdout.contains("within a second"), r.stdout)
    }
}

/// Display columns, as a terminal counts them (wide East Asian characters two).
enum TextWidth {
    static func of(_ line: Substring) -> Int {
        line.unicodeScalars.reduce(0) { n, s in
            let v = s.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFF60).contains(v)
            return n + (wide ? 2 : 1)
        }
    }
}

/// Issue 26: a commit says what happened, never an answer.
final class CommitMessageTests: XCTestCase {
    func testCommitsSayWhatHappened() throws {
        let h = try Harness()
        try h.expectOK(["git", "setup"], as: "alex")
        try h.expectOK(["config", "set", "countersign", "all"], as: "alex")
        try h.expectOK(["user", "add", "vic", "--name", "Vic Adams", "--role", "practitioner"], as: "alex")
        try h.caseWithStage(kind: "review")
        let stage = try h.loadCase("YP-0001").state.stages[0].id
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low", "saw=low", "lor=low", "scaled-approach=standard",
                        "pfs.health=private words"], as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectOK(["countersign", "YP-0001", "--return", "explain the LoR"], as: "mo")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectOK(["countersign", "YP-0001"], as: "mo")
        let log = try Harness.tool("git", ["-C", h.dir, "log", "--format=%s"]).output.split(separator: "\n")
        XCTAssertEqual(log.prefix(4), [
            "countersign YP-0001 \(stage) (mo)", "stage submit YP-0001 \(stage) (pat)",
            "return YP-0001 \(stage) (mo)", "stage submit YP-0001 \(stage) (pat)",
        ])
        XCTAssertTrue(log.contains("user add vic (alex)"), "\(log)")
        XCTAssertTrue(log.contains("config set countersign=all (alex)"), "\(log)")
        XCTAssertFalse(log.contains { $0.contains("private") || $0.contains("explain") }, "\(log)")
    }
}

/// Issue 26: one clock. Text shows UK time with its zone; JSON keeps UTC.
final class OneClockTests: XCTestCase {
    func testTextShowsUKTimeWithItsZoneAndJSONKeepsUTC() throws {
        let h = try Harness()
        h.now = "2026-06-01T09:30:00.000Z"
        try h.caseWithStage()
        h.now = "2026-11-23T09:30:00.000Z"
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        let log = try h.expectOK(["log", "YP-0001"]).stdout
        XCTAssertTrue(log.contains("2026-06-01 10:30 BST") && log.contains("2026-11-23 09:30 GMT"), log)
        XCTAssertFalse(log.contains("UTC"), log)
        let show = try h.expectOK(["case", "show", "YP-0001"]).stdout
        XCTAssertTrue(show.contains("started 2026-06-01 10:30 BST"), show)
        let json = try h.expectOK(["log", "YP-0001", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(json.first?["at"]?.stringValue?.hasSuffix("09:30:00.000Z"), true, "\(json)")
    }
}

/// Issue 26: scripting that composes.
final class ScriptingTests: XCTestCase {
    func testLogFiltersAndTheRepositoryLog() throws {
        let h = try Harness()
        h.now = "2026-11-20T09:00:00.000Z"
        try h.caseWithStage(screened: false)
        h.now = "2026-11-23T09:00:00.000Z"
        try h.caseWithStage("YP-0002", screened: false)
        h.now = "2026-11-23T09:05:00.000Z"
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        // The repository's log, newest first, each event with its case.
        let all = try h.expectOK(["log", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(all.first?["case"], "YP-0001")
        XCTAssertEqual(all.first?["type"], "stage.answered")
        XCTAssertEqual(all.count, 5)
        let recent = try h.expectOK(["log", "--since", "yesterday", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(Set(recent.compactMap { $0["case"]?.stringValue }), ["YP-0001", "YP-0002"])
        XCTAssertEqual(recent.count, 3)
        let older = try h.expectOK(["log", "--until", "-3", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(older.count, 2, "\(older)")
        let pats = try h.expectOK(["log", "--user", "pat", "--type", "stage", "-n", "2", "--json"]).json?.arrayValue
        XCTAssertEqual(pats?.map { $0["type"] }, ["stage.answered", "stage.started"])
        let text = try h.expectOK(["log", "YP-0001", "--type", "stage.answered"]).stdout
        XCTAssertTrue(text.contains("rosh") && !text.contains("stage.started"), text)
        try h.expectFailure(["log", "--user", "ghost"], status: 66, message: "no user 'ghost'")
        try h.expectFailure(["log", "--type", "stage.nonsense"], status: 64, message: "names no event type")
        try h.expectFailure(["log", "--since", "last tuesday"], status: 64, message: "today, yesterday, +3 or -7")
        try h.expectFailure(["queue", "--owner", "ghost"], status: 66, message: "no user 'ghost' (from --owner)")
        try h.expectFailure(["case", "list", "--owner", "ghost"], status: 66, message: "no user 'ghost'")
    }

    func testStageIdsByAUniquePrefix() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        let stage = try h.loadCase("YP-0001").state.stages[0].id
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low", "saw=low", "lor=low", "scaled-approach=standard"],
                       as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        try h.expectFailure(["countersign", "YP-0001", "--stage", "st-zz"], as: "mo", status: 66,
                            message: "case 'YP-0001' has no stage 'st-zz'")
        try h.expectOK(["countersign", "YP-0001", "--stage", String(stage.prefix(6))], as: "mo")
        XCTAssertEqual(try h.loadCase("YP-0001").state.stages[0].status, .completed)
        let html = try h.expectOK(["case", "export", "YP-0001", "--html", "--stage", String(stage.prefix(5))]).stdout
        XCTAssertTrue(html.contains(stage), "export found the stage by its prefix")
    }

    func testDueAsACalendarAndForCron() throws {
        let h = try Harness()
        h.now = "2026-11-24T09:00:00.000Z"
        try h.caseWithStage(kind: "review")
        try h.expectOK(["record", "YP-0001", "court-hearing", "--date", "2026-11-25T10:00", "--custody-possible"],
                       as: "pat")
        XCTAssertEqual(try h.run(["due", "--exit-code"]).status, 0, "nothing overdue yet")
        h.now = "2026-11-26T09:00:00.000Z"
        XCTAssertEqual(try h.run(["due", "--exit-code"]).status, 1, "overdue now")
        let ics = try h.expectOK(["due", "--ics"]).stdout
        XCTAssertTrue(ics.hasPrefix("BEGIN:VCALENDAR\r\n") && ics.hasSuffix("END:VCALENDAR\r\n"), ics)
        XCTAssertFalse(ics.contains("Jordan"), "no names in a calendar")
        XCTAssertTrue(ics.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 75 }, ics)
        let csv = try h.expectOK(["due", "--csv"]).stdout
        XCTAssertTrue(csv.hasSuffix("\r\n") && !csv.hasSuffix("\r\n\n"), "no stray final record")
        let python = ProcessInfo.processInfo.environment["AP_TEST_PYTHON"] ?? "python3"
        guard (try? Harness.tool(python, ["-c", "import icalendar"]))?.status == 0 else {
            throw XCTSkip("Python's icalendar is not installed (.ci/run installs it)")
        }
        let path = h.dir + "-due.ics"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(ics.utf8).write(to: URL(fileURLWithPath: path))
        let read = try Harness.tool(python, ["-c", """
            import sys, icalendar
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            for e in cal.walk('VEVENT'):
                print(e['SUMMARY'], e['DTSTART'].dt.isoformat(), e['UID'])
            """, path])
        XCTAssertEqual(read.status, 0, read.output)
        let event = "YP-0001: send the PSR (all options) stage to the YCS Placements Team 2026-11-24T10:00:00+00:00"
        XCTAssertTrue(read.output.contains(event), read.output)
    }
}

/// Issue 26: transfer ids by a unique prefix, and the young person named in the list.
final class TransferPrefixTests: TwoYOTs {
    func testATransferIsDecidedByAShortIdAndListedWithItsName() throws {
        try readyToSend()
        let sent = try packaged(barnet, ["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                                         "Nottinghamshire YJS", "--kind", "complete"])
        try notts.takeIn(sent.json)
        let listed = try notts.expectOK(["transfer", "list", "--incoming"]).stdout
        XCTAssertTrue(listed.contains("Jordan Smith"), listed)
        // The ids a shell completes after 'ap transfer accept'.
        let ids = try notts.expectOK(["completions", "--list", "transfers"]).stdout
        XCTAssertEqual(ids.split(separator: "\n").map(String.init), [sent.transfer!])
        try notts.expectFailure(["transfer", "accept", "t-nope"], as: "mo", status: 66, message: "no transfer 't-nope'")
        try packaged(notts, ["transfer", "accept", String(sent.transfer!.prefix(7))])
        XCTAssertEqual(try notts.loadCase("YP-0001").state.holding(for: "NOTTS"), .home)
    }
}

/// Issue 26: help by task.
final class HelpByTaskTests: XCTestCase {
    func testHelpIsGroupedByTaskAndFitsOneScreen() throws {
        let h = try Harness(users: false)
        let page = try h.expectOK(["help"]).stdout
        XCTAssertLessThan(page.split(separator: "\n", omittingEmptySubsequences: false).count, 60, page)
        let groups = ["Everyday", "Stages:", "Countersignature:", "Transfers and caretaking:", "Custody and care:",
                      "Allocation:", "Reports:", "Repository and sync:", "Administration:"]
        var last = page.startIndex
        for group in groups {
            let found = try XCTUnwrap(page.range(of: group), group)
            XCTAssertGreaterThan(found.lowerBound, last, "\(group) in order")
            last = found.lowerBound
        }
        XCTAssertTrue(page.split(separator: "\n").allSatisfy { $0.count <= 80 }, page)
        // Every command is in exactly one group, and --all lists each with its summary.
        let commands = try h.expectOK(["help", "--json"]).json?.arrayValue ?? []
        let ungrouped = commands.filter { ($0["group"]?.stringValue ?? "").isEmpty }
        XCTAssertEqual(ungrouped, [], "every command in a group")
        let all = try h.expectOK(["help", "--all"]).stdout
        for c in commands { XCTAssertTrue(all.contains("  \(c["command"]!.stringValue!) "), "\(c)") }
        // A bare ap says what it can do and exits 1, as git does.
        let bare = try h.run([])
        XCTAssertEqual(bare.status, 1)
        XCTAssertTrue(bare.stdout.hasPrefix("usage: ap"), bare.stdout)
    }
}

/// Issue 26: a stage says what it still needs and when it is due; submit can be tried first.
final class StageReadinessTests: XCTestCase {
    func testStageShowSaysWhatIsStillNeededAndSubmitCanBeTried() throws {
        let h = try Harness()
        h.now = "2026-11-23T09:00:00.000Z"
        try h.caseWithStage(kind: "review")
        h.now = "2026-11-26T09:00:00.000Z"
        try h.expectFailure(["stage", "submit", "YP-0001", "--dry-run"], as: "pat", status: 1,
                            message: "mandatory answers missing")
        let show = try h.expectOK(["stage", "show", "YP-0001", "--json"]).json
        XCTAssertEqual(show?["deadline"]?["workingDaysLeft"], .int(12), "\(show as Any)")
        let needed = show?["stillNeeded"]?.arrayValue?.compactMap(\.stringValue) ?? []
        XCTAssertTrue(needed.contains("rosh") && needed.contains("saw"), "\(needed)")
        let text = try h.expectOK(["stage", "show", "YP-0001"]).stdout
        XCTAssertTrue(text.contains("Deadline:") && text.contains("12 working days left"), text)
        XCTAssertTrue(text.contains("Still needed:") && text.contains("rosh"), text)
        try h.expectOK(["stage", "set", "YP-0001", "rosh=high", "saw=low", "lor=low", "scaled-approach=intensive"],
                       as: "pat")
        try h.expectFailure(["stage", "submit", "YP-0001", "--dry-run"], as: "pat", status: 1,
                            message: "rosh is high, so 'future-behaviours' needs at least one entry")
        try h.evidence(for: ["rosh=high"])
        let tried = try h.expectOK(["stage", "submit", "YP-0001", "--dry-run", "--json"], as: "pat").json
        XCTAssertEqual(tried?["dryRun"], true)
        XCTAssertEqual(tried?["completes"], false)
        XCTAssertTrue(try h.expectOK(["stage", "show", "YP-0001"]).stdout.contains("nothing: it can be submitted"))
        XCTAssertEqual(try h.loadCase("YP-0001").state.stages[0].status, .inProgress, "nothing was written")
    }
}

/// Issue 26: the same mistake, the same answer.
final class SameMistakeTests: XCTestCase {
    func testMissingOptionsAreNamedAtOnceAndBadDatesAre64Everywhere() throws {
        let h = try Harness()
        try h.expectFailure(["case", "new", "YP-9"], as: "bo", status: 64, message: "needs --name and --dob;")
        try h.expectFailure(["user", "add", "q"], as: "alex", status: 64, message: "needs --name and --role;")
        try h.caseWithStage()
        for (args, user) in [
            (["case", "new", "YP-9", "--name", "A", "--dob", "2010-13-01"], "bo"),
            (["case", "update", "YP-0001", "dob=2010-13-01"], "bo"),
            (["record", "YP-0001", "court-hearing", "--date", "2026-13-01"], "pat"),
            (["user", "absent", "pat", "--from", "x", "--to", "y"], "mo"),
            (["log", "--since", "2026-13-01"], "pat"),
        ] {
            let r = try h.run(args, as: user)
            XCTAssertEqual(r.status, 64, "ap \(args.joined(separator: " ")): \(r.stderr)")
        }
    }
}

/// Issue 26: one word for one thing.
final class OneWordTests: XCTestCase {
    func testCountersignatureIsCalledSoEverywhere() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        try h.expectOK(["stage", "set", "YP-0001", "rosh=high", "saw=low", "lor=low", "scaled-approach=intensive"],
                       as: "pat")
        try h.evidence(for: ["rosh=high"])
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        let list = try h.expectOK(["case", "list"]).stdout
        XCTAssertTrue(list.contains("awaiting countersignature"), list)
        try h.expectOK(["countersign", "YP-0001"], as: "mo")
        let html = try h.expectOK(["case", "export", "YP-0001", "--html"]).stdout
        XCTAssertTrue(html.contains("<th scope=\"row\">Countersigned</th>"), html)
        XCTAssertTrue(html.contains(" November 2026.</p>"), "the document's date ends its sentence")
        for text in [list, html] { XCTAssertFalse(text.lowercased().contains("sign-off"), text) }
    }
}

/// Issue 26: a contributor sees the sections allocated to them.
final class ContributorTests: XCTestCase {
    func testAContributorSeesTheirSectionsInStatusAndTheirQueue() throws {
        let h = try Harness()
        try h.caseWithStage(kind: "review")
        try h.expectOK(["stage", "assign", "YP-0001", "--section", "pfs", "--to", "kim"], as: "mo")
        let status = try h.expectOK(["status"], as: "kim")
        XCTAssertTrue(status.stdout.contains("Sections allocated to you:"), status.stdout)
        XCTAssertTrue(status.stdout.contains("pfs of the Review"), status.stdout)
        let json = try h.expectOK(["status", "--json"], as: "kim").json
        XCTAssertEqual(json?["contributing"]?.arrayValue?.first?["case"], "YP-0001")
        XCTAssertEqual(try h.expectOK(["status", "--json"], as: "lee").json?["contributing"], .array([]))
        // Returned for amendment: it is in the contributor's queue too.
        try h.expectOK(["stage", "set", "YP-0001", "rosh=high", "saw=low", "lor=low", "scaled-approach=intensive"],
                       as: "pat")
        try h.evidence(for: ["rosh=high"])
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        XCTAssertEqual(try h.expectOK(["queue", "--mine", "--json"], as: "kim").json?.arrayValue?.count, 0)
        try h.expectOK(["countersign", "YP-0001", "--return", "more on family"], as: "mo")
        let queue = try h.expectOK(["queue", "--mine", "--json"], as: "kim").json?.arrayValue ?? []
        XCTAssertEqual(queue.map { $0["case"] }, ["YP-0001"])
    }
}

/// Issue 26, "one vocabulary": the case is `case`, a start `startedAt`, `overdue` a yes-or-no
/// and a count named for what it counts, settings camelCase in JSON; the old names stay.
final class VocabularyTests: XCTestCase {
    func testOneNameForEachThingWithTheOldKeptForScripts() throws {
        let h = try Harness()
        try h.caseWithStage()
        h.now = "2027-01-15T09:00:00.000Z"
        let stage = try h.expectOK(["stage", "show", "YP-0001", "--json"]).json
        XCTAssertEqual(stage?["case"], "YP-0001")
        XCTAssertEqual(stage?["stage"], stage?["id"])
        let listed = try h.expectOK(["case", "list", "--json"]).json?.arrayValue?.first
        XCTAssertEqual(listed?["case"], "YP-0001")
        XCTAssertEqual(listed?["id"], "YP-0001", "kept for scripts")
        XCTAssertEqual(try h.expectOK(["case", "show", "YP-0001", "--json"]).json?["case"], "YP-0001")
        // The report and the queue's row name the same start and counts alike.
        let report = try h.expectOK(["report", "overdue", "--json"], as: "mo").json?.arrayValue?.first
        XCTAssertEqual(report?["startedAt"], stage?["startedAt"])
        XCTAssertEqual(report?["started"]?.stringValue, String(stage?["startedAt"]?.stringValue?.prefix(10) ?? ""))
        XCTAssertEqual(report?["workingDaysElapsed"], report?["workingDays"])
        XCTAssertNotNil(report?["workingDaysElapsed"]?.intValue)
        let csv = try h.expectOK(["report", "overdue", "--csv"], as: "mo").stdout
        XCTAssertTrue(csv.hasPrefix("case,name,stage,kind,owner,status,started,"), csv)
        XCTAssertTrue(csv.contains(",started-at\r\n"), csv)
        let status = try h.expectOK(["status", "--json"]).json
        XCTAssertEqual(status?["stagesOverdue"], 1)
        XCTAssertEqual(status?["overdue"], 1, "kept for scripts")
        XCTAssertEqual(try h.expectOK(["log", "YP-0001", "--json"]).json?.arrayValue?.first?["case"], "YP-0001")
        // Settings: camelCase in JSON; the command line takes either spelling.
        let set = try h.expectOK(["config", "set", "lorDirection", "either"], as: "alex")
        XCTAssertEqual(set.stdout, "lor-direction = either\n")
        let policy = try h.expectOK(["config", "show", "--json"]).json?["policy"]
        XCTAssertEqual(policy?["lorDirection"], "either")
        XCTAssertNil(policy?["lor-direction"])
        try h.expectOK(["config", "set", "lock-timeout-seconds", "20"], as: "alex")
        XCTAssertEqual(try h.expectOK(["config", "show", "--json"]).json?["policy"]?["lockTimeoutSeconds"], 20)
        // The file keeps its spelling, which older copies of ap read.
        let file = try String(contentsOfFile: h.dir + "/.ap/config.json", encoding: .utf8)
        XCTAssertTrue(file.contains("\"lor-direction\": \"either\""), file)
        try h.expectFailure(["config", "set", "lorDirectionX", "either"], as: "alex", status: 64,
                            message: "unknown setting")
    }
}

/// Issue 26: on a real terminal (a pseudo-terminal of a set size), ap asks its width
/// (TIOCGWINSZ) and pages `ap log` as git does; piped, neither.
final class TerminalTests: XCTestCase {
    let longName = "Adebayo Oluwaseun Montgomery-Smythe"

    /// What a terminal of `cols` columns showed, with `env` and no COLUMNS or pager setting else.
    func onTerminal(_ h: Harness, cols: Int, _ args: [String], env: [String: String] = [:]) throws -> String {
        let helper = IntegrityTests.root.appendingPathComponent("Tests/helpers/pty_run.py").path
        let settings = ["-u", "COLUMNS", "-u", "AP_PAGER", "-u", "PAGER", "NO_COLOR=1"]
            + env.map { "\($0.key)=\($0.value)" }
        let r = try Harness.tool("/usr/bin/env", settings + ["python3", helper, String(cols), "40", Harness.binary,
                                                             "-C", h.dir] + args)
        XCTAssertEqual(r.status, 0, r.output)
        return r.output
    }

    func testTheTerminalsOwnWidthIsAskedWhenColumnsIsUnset() throws {
        let h = try Harness()
        try h.expectOK(["case", "new", "YP-0001", "--name", longName, "--dob", "2010-01-01"], as: "bo")
        let narrow = try onTerminal(h, cols: 60, ["case", "list"])
        XCTAssertFalse(narrow.contains(longName), narrow)
        XCTAssertTrue(narrow.contains("…"), narrow)
        XCTAssertTrue(try onTerminal(h, cols: 200, ["case", "list"]).contains(longName))
        XCTAssertTrue(try onTerminal(h, cols: 60, ["case", "list", "-w", "200"]).contains(longName), "-w wins")
    }

    func testTheLogIsPagedOnATerminalOnly() throws {
        let h = try Harness()
        try h.caseWithStage()
        let pager = ["PAGER": "sed 's/^/PAGED: /'"]
        let paged = try onTerminal(h, cols: 100, ["log", "YP-0001"], env: pager)
        XCTAssertTrue(paged.hasPrefix("PAGED: WHEN"), paged)
        XCTAssertTrue(try onTerminal(h, cols: 100, ["log", "YP-0001"], env: ["AP_PAGER": "sed 's/^/AP: /'"])
            .hasPrefix("AP: WHEN"), "AP_PAGER comes first")
        for (args, env) in [(["log", "YP-0001", "--no-pager"], pager), (["log", "YP-0001", "--json"], pager),
                            (["log", "YP-0001"], ["PAGER": "cat"]), (["case", "list"], pager)] {
            XCTAssertFalse(try onTerminal(h, cols: 100, args, env: env).contains("PAGED"), "\(args) \(env)")
        }
        let missing = try onTerminal(h, cols: 100, ["log", "YP-0001"], env: ["PAGER": "no-such-pager-here"])
        XCTAssertTrue(missing.contains("WHEN"), "a pager that cannot be found loses nothing: \(missing)")
        let piped = try h.run(["log", "YP-0001"], env: pager)
        XCTAssertTrue(piped.stdout.hasPrefix("WHEN"), "piped: no pager")
    }
}
