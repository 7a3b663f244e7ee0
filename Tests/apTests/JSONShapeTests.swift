import APModel
import Foundation
import XCTest

/// Every `--json` shape is documented in ap-json(5), and the documented keys are the keys ap
/// prints: a scenario runs each command that prints JSON and compares (issue 26).
final class JSONShapeTests: TwoYOTs {
    /// What each command printed, by command name, every run kept.
    private var printed: [String: [JSONValue]] = [:]
    /// Every command's name, from `ap help --json`.
    private var names: [String] = []

    func testEveryDocumentedShapeIsWhatTheCommandsPrint() throws {
        let help = try barnet.expectOK(["help", "--json"]).json?.arrayValue ?? []
        names = help.compactMap { $0["command"]?.stringValue }
        try runScenario()
        let pages = try ShapePage.read()
        var undocumented: [String] = []
        for (command, outputs) in printed.sorted(by: { $0.key < $1.key }) {
            guard let shape = pages.shapes.first(where: { $0.commands.contains(command) }) else {
                undocumented.append(command)
                continue
            }
            let seen = outputs.reduce(into: Set<String>()) { $0.formUnion(ShapePage.paths(of: $1, within: shape.keys)) }
            let extra = seen.subtracting(shape.keys)
            XCTAssertTrue(extra.isEmpty, "ap \(command) prints keys ap-json(5) does not name: \(extra.sorted())")
            let missing = shape.keys.subtracting(seen).subtracting(shape.optional)
            XCTAssertTrue(missing.isEmpty, "ap-json(5) names keys ap \(command) never printed: \(missing.sorted())")
        }
        XCTAssertEqual(undocumented, [], "commands whose --json shape ap-json(5) does not document")
        // Every shape's commands exist, and every command that prints JSON was run.
        let names = Set(self.names)
        for shape in pages.shapes {
            for command in shape.commands {
                let report = command.hasPrefix("report ") && Reports.names.contains(String(command.dropFirst(7)))
                XCTAssertTrue(names.contains(command) || report || command == "error", "ap-json(5) names '\(command)'")
            }
        }
        let silent: Set<String> = ["completions", "case export"]
        XCTAssertEqual(names.subtracting(printed.keys).subtracting(silent).sorted(), [],
                       "commands this scenario did not run with --json")
        // The glossary names each shared key once: one name per thing.
        for key in ["case", "stage", "kind", "owner", "startedAt", "overdue", "due", "dueBy", "name"] {
            XCTAssertTrue(pages.glossary.contains(key), "the KEYS section lacks '\(key)'")
        }
    }

    // MARK: - The scenario

    @discardableResult
    private func json(_ h: Harness, _ args: [String], as user: String = "alex", command: String? = nil,
                      stdin: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> JSONValue? {
        let r = try h.run(args + ["--json"], as: user, stdin: stdin)
        guard r.status == 0 else {
            XCTFail("ap \(args.joined(separator: " ")): \(r.stderr)", file: file, line: line)
            return nil
        }
        // The command's name: the longest run of leading words that names one.
        let name = command ?? (1...min(3, args.count)).reversed().map { args.prefix($0).joined(separator: " ") }
            .first(where: names.contains) ?? args[0]
        // `ap batch` prints JSON Lines; everything else one document.
        let values = name == "batch"
            ? r.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
            : [try JSONParser.parse(r.stdout)]
        printed[name, default: []] += values
        return values.first
    }

    private func runScenario() throws {
        let b = barnet!, n = notts!
        let fresh = NSTemporaryDirectory() + "ap-shape-" + UUID().uuidString
        addTeardownBlock { try? FileManager.default.removeItem(atPath: fresh) }
        try json(b, ["init", fresh, "--yot", "SOUTH", "--yot-name", "South YJS", "--admin", "ann"])
        try json(b, ["help"])
        try json(b, ["version"])
        try json(b, ["whoami"], as: "pat")
        try identity(try Harness(signed: true))
        try administration(b, keys: try KeyRing(b.dir + "-keys"))
        try casework(b)
        try transfers(b, n)
        try repository(b)
        try listings(b)
        // An error is a shape of its own.
        let r = try b.run(["case", "show", "YP-0404", "--json"], as: "pat")
        printed["error", default: []].append(try JSONParser.parse(r.stdout.isEmpty ? r.stderr : r.stdout))
    }

    /// Keys and deactivation live in the signed identity record.
    private func identity(_ s: Harness) throws {
        let keys = s.keys!
        try json(s, ["user", "add", "zed", "--name", "Zed Ash", "--role", "practitioner",
                     "--key-file", try keys.publicFile("zed")])
        try json(s, ["user", "key", "add", "zed", try keys.publicFile("zed2")])
        try json(s, ["user", "key", "list"])
        try json(s, ["user", "key", "revoke", "zed", try keys.fingerprint("zed2"), "--reason", "lost"])
        try json(s, ["user", "deactivate", "zed", "--reason", "left"])
        try json(s, ["whoami"], as: "pat")
        try json(s, ["org", "add", "KENT", "--name", "Kent YJS", "--type", "yot"])
        try json(s, ["org", "key", "add", "KENT", try keys.publicFile("kent")])
        try json(s, ["org", "key", "list"])
    }

    private func administration(_ b: Harness, keys: KeyRing) throws {
        try json(b, ["user", "update", "kim", "--name", "Kim Odell"])
        try json(b, ["user", "list"])
        try json(b, ["user", "absent", "kim", "--from", "2026-11-09", "--to", "2026-11-13", "--planned",
                     "--cover", "pat"], as: "mo")
        try json(b, ["user", "back", "kim"], as: "mo")
        try json(b, ["org", "add", "KENT", "--name", "Kent YJS", "--type", "yot"])
        try json(b, ["org", "add", "BSC", "--name", "Barnet Social Care", "--type", "social-care"])
        try json(b, ["org", "add", "WETHERBY", "--name", "HMYOI Wetherby", "--type", "establishment"])
        try json(b, ["org", "list"])
        try json(b, ["org", "remove", "KENT"])
        try json(b, ["config", "sharing"])
        try json(b, ["config", "sharing", "education", "default"])
        try json(b, ["config", "show"])
        try json(b, ["config", "set", "lorDirection", "either"])
        try json(b, ["config", "question", "add", "pfs.young-carer", "--section", "pfs", "--label", "Young carer?",
                     "--type", "yes-no"])
        try json(b, ["config", "question", "list"])
        try json(b, ["config", "trigger", "add", "pfs.young-carer", "--referral", "Young carers service"])
        try json(b, ["config", "trigger", "list"])
        try json(b, ["config", "trigger", "remove", "pfs.young-carer"])
        try json(b, ["config", "question", "remove", "pfs.young-carer"])
        try json(b, ["config", "mandatory", "add", "review", "pfs.health"])
        try json(b, ["config", "mandatory", "list"])
        try json(b, ["config", "mandatory", "remove", "review", "pfs.health"])
        try json(b, ["config", "required-ratings", "review", "rosh"])
        try json(b, ["config", "kind-section", "add", "bail-recommendation", "rj"])
        try json(b, ["config", "kind-section", "remove", "bail-recommendation", "rj"])
        try json(b, ["config", "holiday", "add", "2027-06-07"])
        try json(b, ["config", "holiday", "list", "--from", "2027"])
        try json(b, ["config", "holiday", "remove", "2027-06-07"])
        try json(b, ["config", "countersign-kinds", "psr", "bail-recommendation", "post-court-report"])
        try json(b, ["config", "timescale", "psr", "15"])
        try json(b, ["config", "obligation", "psr-to-placements", "--within", "2d"])
    }

    private func casework(_ b: Harness) throws {
        try json(b, ["case", "new", "YP-0002", "--name", "Casey Brown", "--dob", "2010-07-01", "--looked-after",
                     "--manager", "mo"], as: "mo")
        try json(b, ["case", "update", "YP-0002", "gender=female"], as: "bo")
        try json(b, ["case", "allocate", "YP-0002", "--to", "pat", "--co", "kim", "--team", "north", "--reason",
                     "known to the family"], as: "mo")
        try json(b, ["stage", "kinds"])
        try json(b, ["stage", "questions", "--kind", "psr"])
        try json(b, ["stage", "new", "YP-0002", "--kind", "psr"], as: "pat")
        try b.screens("YP-0002")
        try json(b, ["stage", "set", "YP-0002", "rosh=high", "saw=low", "scaled-approach=intensive",
                     "lor=high", "indicative-lor=high", "psr.proposal=Referral order", "pfs.cse=yes",
                     "pfs.cse.explanation=Seen with older men"], as: "pat")
        try json(b, ["stage", "clear", "YP-0002", "psr.proposal"], as: "pat")
        try json(b, ["stage", "add", "YP-0002", "future-behaviours", "behaviour=Robbery", "victims=Strangers",
                     "likelihood=medium", "impact=high"], as: "pat")
        try json(b, ["stage", "add", "YP-0002", "ffc.barriers", "barrier=Shift work"], as: "pat")
        try json(b, ["stage", "edit", "YP-0002", "ffc.barriers", "1", "response=Evening visits"], as: "pat")
        try json(b, ["stage", "remove", "YP-0002", "ffc.barriers", "1"], as: "pat")
        try json(b, ["stage", "assign", "YP-0002", "--section", "pfs", "--to", "kim"], as: "mo")
        try json(b, ["stage", "unassign", "YP-0002", "--section", "pfs"], as: "mo")
        try json(b, ["stage", "show", "YP-0002"], as: "pat")
        try json(b, ["stage", "submit", "YP-0002", "--dry-run"], as: "pat")
        try json(b, ["stage", "submit", "YP-0002"], as: "pat")
        try json(b, ["stage", "withdraw", "YP-0002", "--reason", "one more answer"], as: "pat")
        try json(b, ["stage", "submit", "YP-0002"], as: "pat")
        try json(b, ["countersign", "YP-0002", "--return", "Say more about the offence"], as: "mo")
        try json(b, ["stage", "submit", "YP-0002"], as: "pat")
        try json(b, ["countersign", "YP-0002", "--comment", "Good"], as: "mo")
        try json(b, ["stage", "send", "YP-0002", "--to", "BSC", "--out", outbox], as: "pat")
        try json(b, ["referral", "made", "YP-0002", "pfs.cse", "--to", "MASE"], as: "pat")
        try json(b, ["referral", "list"], as: "pat")
        try json(b, ["referral", "outcome", "YP-0002", "pfs.cse", "accepted", "--reason", "Allocated"], as: "pat")
        try json(b, ["stage", "new", "YP-0002", "--kind", "review"], as: "pat")
        try json(b, ["stage", "stop", "YP-0002", "--reason", "opened in error"], as: "mo")
        let event = try json(b, ["record", "YP-0002", "sentenced-custody", "--date", "2026-10-01", "--at", "WETHERBY"],
                             as: "pat")?["id"]?.stringValue ?? ""
        try json(b, ["record", "YP-0002", "--correct", event, "--date", "2026-10-02", "--reason", "a day later"],
                 as: "pat")
        try json(b, ["due", "--all"], as: "pat")
        try json(b, ["record", "YP-0002", "--void", event, "--reason", "recorded in error"], as: "mo")
        try json(b, ["case", "show", "YP-0002"], as: "pat")
        try json(b, ["batch"], as: "bo", stdin: "[\"case\", \"update\", \"YP-0002\", \"gender=female\"]\n")
    }

    /// Lists and reports, run last and weeks later, when the stages left open are overdue.
    private func listings(_ b: Harness) throws {
        try b.expectOK(["case", "new", "YP-0005", "--name", "Ali Khan", "--dob", "2010-05-06"], as: "bo")
        try b.expectOK(["stage", "new", "YP-0005", "--kind", "psr"], as: "pat")
        try b.screens("YP-0005")
        try b.expectOK(["stage", "set", "YP-0005", "rosh=high", "saw=low", "lor=low", "indicative-lor=low",
                        "scaled-approach=intensive", "psr.proposal=Referral order"], as: "pat")
        try b.evidence(for: ["rosh=high"], "YP-0005")
        try b.expectOK(["stage", "submit", "YP-0005"], as: "pat")
        // The completed transfer stage lacks a rating required from now on.
        try b.expectOK(["config", "required-ratings", "transfer-yot-to-yot", "rosh"], as: "alex")
        b.now = "2027-01-15T09:00:00.000Z"
        try b.expectOK(["stage", "new", "YP-0003", "--kind", "review"], as: "kim")
        try b.expectOK(["stage", "set", "YP-0003", "pfs.gangs=yes"], as: "kim")
        try json(b, ["queue"], as: "mo")
        try json(b, ["status"], as: "pat")
        try json(b, ["due", "--all"], as: "pat")
        for name in Reports.names { try json(b, ["report", name], as: "mo", command: "report \(name)") }
        try json(b, ["report"], as: "mo")
        try json(b, ["case", "list"], as: "pat")
        try json(b, ["log"], as: "pat")
        try json(b, ["log", "YP-0002"], as: "pat")
        // Nottinghamshire still cares for YP-0001 (the end has not reached it), past its review date.
        notts.now = "2027-03-01T09:00:00.000Z"
        try json(notts, ["report", "caretaking"], as: "mo", command: "report caretaking")
    }

    private func transfers(_ b: Harness, _ n: Harness) throws {
        try readyToSend()
        let sent = try json(b, ["transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name", "Nottinghamshire YJS",
                                "--kind", "caretaking", "--out", outbox], as: "mo")
        let package = outbox + "/ap-transfer-\(sent?["package"]?.stringValue ?? "").json"
        try json(n, ["transfer", "import", package], as: "bo")
        // An Outlook message in a folder: reported with what it holds (attachments).
        let folder = outbox + "/outlook"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: MailArrivalTests.poi + "/attachment_test_msg.msg", toPath: folder + "/message.msg")
        try json(n, ["transfer", "import", "--dry-run", folder], as: "bo")
        try json(n, ["transfer", "list"], as: "mo")
        let transfer = sent?["transfer"]?.stringValue ?? ""
        let reply = try json(n, ["transfer", "accept", transfer, "--out", outbox], as: "mo")
        try b.takeIn(outbox + "/ap-transfer-\(reply?["package"]?.stringValue ?? "").json")
        try json(b, ["caretake", "review", "YP-0001", "--next", "2027-02-01"], as: "mo")
        try json(b, ["caretake", "end", "YP-0001", "--outcome", "return-home", "--out", outbox], as: "mo")
        // A second request, refused.
        try readyToSend("YP-0003")
        let again = try json(b, ["transfer", "send", "YP-0003", "--to", "NOTTS", "--to-name", "Nottinghamshire YJS",
                                 "--kind", "complete", "--out", outbox], as: "mo")
        try n.takeIn(outbox + "/ap-transfer-\(again?["package"]?.stringValue ?? "").json")
        try json(n, ["transfer", "stay", again?["transfer"]?.stringValue ?? "", "--reason", "RoSH missing"], as: "mo")
        try json(n, ["transfer", "reject", again?["transfer"]?.stringValue ?? "", "--reason", "other",
                     "--detail", "not ours", "--out", outbox], as: "mo")
    }

    private func repository(_ b: Harness) throws {
        // Two copies of a case that disagree, merged, and the disagreement reviewed.
        let copy = b.dir + "/../copy-" + UUID().uuidString + ".json"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: b.caseFile("YP-0002"), toPath: copy)
        b.now = "2026-11-03T09:00:00.000Z"
        try json(b, ["case", "update", "YP-0002", "gender=male"], as: "bo")
        b.now = "2026-11-04T09:00:00.000Z"
        try json(b, ["merge", b.caseFile("YP-0002"), copy, "-o", copy], as: "bo")
        try json(b, ["merge", "YP-0002", "--with", copy], as: "mo")
        try json(b, ["verify", "--all"], as: "mo")
        try json(b, ["fsck"], as: "alex")
        // A submission countersigned here and returned at another site needs review after sync.
        try b.expectOK(["case", "new", "YP-0004", "--name", "Sam Lee", "--dob", "2011-02-03"], as: "bo")
        try b.expectOK(["stage", "new", "YP-0004", "--kind", "psr"], as: "pat")
        try b.screens("YP-0004")
        try b.expectOK(["stage", "set", "YP-0004", "rosh=high", "saw=low", "lor=low", "indicative-lor=low",
                        "scaled-approach=intensive", "psr.proposal=Referral order"], as: "pat")
        try b.evidence(for: ["rosh=high"], "YP-0004")
        try b.expectOK(["stage", "submit", "YP-0004"], as: "pat")
        try json(b, ["git", "setup"], as: "alex")
        let other = try b.hubAndClone(self).clone
        try b.expectOK(["countersign", "YP-0004"], as: "mo")
        b.now = "2026-11-05T09:00:00.000Z"
        try b.expectOK(["-C", other, "countersign", "YP-0004", "--return", "Add the victim's view"], as: "lee")
        try json(b, ["sync"], as: "mo")
        try json(b, ["-C", other, "sync"], as: "lee", command: "sync")
        try json(b, ["-C", other, "case", "resolve", "YP-0004", "--note", "The return stands"], as: "lee",
                 command: "case resolve")
        // A case merged by git as text, without the driver, and resolved by ap.
        b.now = "2026-11-06T09:00:00.000Z"
        try b.expectOK(["case", "update", "YP-0004", "gender=female"], as: "bo")
        try json(b, ["sync"], as: "mo")
        b.now = "2026-11-07T09:00:00.000Z"
        try b.expectOK(["-C", other, "case", "update", "YP-0004", "gender=male"], as: "bo")
        try Harness.git(["config", "--unset", "merge.ap.driver"], in: other)
        try Harness.git(["config", "--unset", "merge.ap.name"], in: other)
        try Harness.git(["-c", "core.attributesFile=/dev/null", "pull", "-q", "--no-rebase", "--no-edit", "origin",
                         "master"], in: other, expect: 1)
        try json(b, ["-C", other, "git", "resolve"], as: "pat", command: "git resolve")
    }
}

/// ap-json(5) read as data: each `.Ss` names the commands that print a shape, and the `.Cm`
/// lines of its indented block (`.Bd -ragged` to `.Ed`) name the keys (`home.code` for a nested
/// one); keys after `.Op` may be absent.
struct ShapePage {
    struct Shape {
        var commands: [String]
        var keys: Set<String> = []
        var optional: Set<String> = []
    }

    var shapes: [Shape] = []
    var glossary: Set<String> = []

    static func read() throws -> ShapePage {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("man/ap-json.5"), encoding: .utf8)
        var page = ShapePage(), section = "", inBlock = false
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix(".Sh ") { section = String(line.dropFirst(4)) }
            if line.hasPrefix(".Bd -ragged") { inBlock = true }
            if line == ".Ed" { inBlock = false }
            if section == "KEYS", line.hasPrefix(".It Cm ") {
                page.glossary.formUnion(line.dropFirst(7).split(separator: " ").map(String.init).filter { $0 != "," })
            }
            guard section == "SHAPES" else { continue }
            if line.hasPrefix(".Ss ") {
                let names = line.dropFirst(4).replacingOccurrences(of: "\"", with: "")
                page.shapes.append(Shape(commands: names.components(separatedBy: ", ")))
            } else if inBlock, line.hasPrefix(".Cm ") || line.hasPrefix(".Op Cm "), !page.shapes.isEmpty {
                let words = line.split(separator: " ").map(String.init).filter { $0 != "," && $0 != "." }
                let keys = words.filter { $0 != ".Cm" && $0 != ".Op" && $0 != "Cm" }
                page.shapes[page.shapes.count - 1].keys.formUnion(keys)
                if line.hasPrefix(".Op") { page.shapes[page.shapes.count - 1].optional.formUnion(keys) }
            }
        }
        return page
    }

    /// The key paths of a printed value: a list's entries together, and nested objects only where
    /// the page names keys inside them (others, such as `answers`, are keyed by data).
    static func paths(of value: JSONValue, within documented: Set<String>, prefix: String = "") -> Set<String> {
        switch value {
        case .array(let items):
            return items.reduce(into: Set<String>()) { $0.formUnion(paths(of: $1, within: documented, prefix: prefix)) }
        case .object(let o):
            var out: Set<String> = []
            for (key, inner) in o {
                let path = prefix + key
                out.insert(path)
                if documented.contains(where: { $0.hasPrefix(path + ".") }) {
                    out.formUnion(paths(of: inner, within: documented, prefix: path + "."))
                }
            }
            return out
        default:
            return []
        }
    }
}
