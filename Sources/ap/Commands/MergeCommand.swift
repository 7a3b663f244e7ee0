import APModel
import Foundation

enum MergeCommand {
    static let command = Command(
        path: ["merge"], summary: "merge two copies of a case by the latest data entered",
        usage: "A.json B.json [-o OUT] [--into ID] | CASE --with FILE | --git BASE OURS THEIRS [PATH]",
        details: """
            Events are united by id and the state derived again in time order (ties by event id),
            so each field goes to the latest entry; where both copies had a stage open, the later
            stays open and the earlier is stopped ("superseded in merge"). Every field on which the
            copies disagreed is reported with both values, both times and the winner.
              ap merge A.json B.json   the merged case goes to -o OUT, else to standard
                                       output with the report on standard error
              ap merge CASE --with F   merges the copy F into CASE of this repository
                                       (managers, admins); a copy that was a case here
                                       under another id is kept in .ap/merged-away/
              ap merge --git ...       git's merge driver (see 'ap git setup'): writes
                                       the result into OURS
            """,
        options: [
            Opt(long: "output", short: "o", value: "OUT", help: "where to write the merged case"),
            Opt(long: "into", value: "ID", help: "the surviving id when the copies' ids differ"),
            Opt(long: "with", value: "FILE", help: "the copy to merge into CASE"),
            Opt(long: "dry-run", help: "report the merge, write nothing"),
            Opt(long: "force", help: "merge copies that name different young people (CASE --with FILE)"),
            Opt(long: "git", help: "run as git's merge driver: BASE OURS THEIRS [PATH]"),
        ],
        arguments: 1...4,
        examples: ["ap merge old/YP-0042.json new/YP-0042.json -o YP-0042.json", "ap merge YP-0042 --with found/YP-0042.json --dry-run"],
        run: { inv in
            if inv.flag("git") { return try gitDriver(inv) }
            if inv.value("with") != nil { return try intoRepository(inv) }
            guard inv.arguments.count == 2 else { throw APError.usage("usage: ap merge A.json B.json [-o OUT] [--into ID]") }
            let (a, b) = try readCopies(inv.argument(0), inv.argument(1))
            let outcome = try Merge.merge(a, b, into: try survivor(a.id, b.id, inv.value("into")))
            var written: String? = nil
            if !inv.flag("dry-run") {
                if let out = inv.value("output") {
                    try FileSystem.writeAtomically(out, outcome.file.bytes)
                    written = out
                } else {
                    // The document goes to stdout; the report, for people, to stderr.
                    Runner.write(String(decoding: outcome.file.bytes, as: UTF8.self), to: .standardOutput)
                    Runner.write(report(outcome, written: "standard output", dryRun: false).text, to: .standardError)
                    return Output(text: "", json: .null)
                }
            }
            return report(outcome, written: written, dryRun: inv.flag("dry-run"))
        })

    /// `ap merge --git %O %A %B %P`: the merged case replaces OURS; exit 0 = merged.
    static func gitDriver(_ inv: Invocation) throws -> Output {
        guard inv.arguments.count >= 3 else { throw APError.usage("usage: ap merge --git BASE OURS THEIRS [PATH]") }
        let path = inv.arguments.count > 3 ? inv.argument(3) : inv.argument(1)
        let ours: CaseFile, theirs: CaseFile
        do {
            (ours, theirs) = try readCopies(inv.argument(1), inv.argument(2))
        } catch let e as APError {
            throw APError.data("cannot merge '\(path)': \(e.message); resolve it by hand")
        }
        guard ours.id == theirs.id else {
            throw APError.data("cannot merge '\(path)': our copy holds case '\(ours.id)', theirs '\(theirs.id)'")
        }
        let outcome = try Merge.merge(ours, theirs, into: ours.id)
        // Run by git from the top of the work tree: the repository's identity record decides.
        if let repo = try? inv.context.repository() {
            try RepositoryVerification.checkIncoming(
                outcome.file, ours: ours, repo: repo, source: path, now: try inv.context.clock().now())
        }
        try FileSystem.writeAtomically(inv.argument(1), outcome.file.bytes)
        // git shows the driver's standard error: decisions in conflict are worth a look.
        let before = Set(ours.state.needsReview.map(\.event))
        for item in outcome.file.state.needsReview where !before.contains(item.event) {
            Runner.write(
                "ap: \(path): decisions in conflict, \(item.text); 'ap case resolve' after review\n",
                to: .standardError)
        }
        return Output(text: "", json: .null)
    }

    static func intoRepository(_ inv: Invocation) throws -> Output {
        guard inv.arguments.count == 1 else { throw APError.usage("usage: ap merge CASE --with FILE") }
        let id = try inv.caseID()
        let otherPath = inv.value("with")!
        let other = try readCopy(otherPath)
        let session = try inv.context.session()
        let dryRun = inv.flag("dry-run")
        let outcome = try session.locked { () -> Merge.Outcome in
            let actor = try session.requireRole([.manager, .admin], doing: "merge cases")
            let current = try session.repo.loadCase(id)
            let (a, b) = (current.state, other.state)
            if !a.isSamePerson(as: b) && !inv.flag("force") {
                throw APError.refused(
                    "'\(id)' is \(a.name) (born \(a.dob)) but \(otherPath) holds \(b.name) (born \(b.dob)): "
                        + "two different young people? Nothing was merged; --force merges them all the same")
            }
            var outcome = try Merge.merge(current, other, into: id)
            try RepositoryVerification.checkIncoming(
                outcome.file, ours: current, repo: session.repo, source: otherPath, now: session.env.now())
            guard !dryRun, outcome.addedFromTheirs > 0 || other.id != id else { return outcome }
            let setAside = other.id != id && session.repo.caseExists(other.id)
                && Repository.absolute(otherPath) == session.repo.casePath(other.id)
            if setAside { _ = try session.repo.mergedAwayFolder() }
            var file = outcome.file
            let record = Change(EventType.caseMerged, [
                "from": .string(other.id), "events": .int(outcome.addedFromTheirs), "conflicts": .int(outcome.conflicts.count),
            ])
            try file.append([session.stamp(record, after: file.latestEventTime, actor: actor)])
            try session.save(file)
            outcome.file = file
            if setAside { try session.setAside(other.id) }
            return outcome
        }
        return report(outcome, written: dryRun ? nil : CaseID.relativePath(id), dryRun: dryRun)
    }

    static func readCopy(_ path: String) throws -> CaseFile {
        do {
            return try CaseFile(bytes: try FileSystem.read(path, followLinks: true))
        } catch let e as APError {
            throw e.inFile(path)
        }
    }

    /// Both copies, read and checked on two cores.
    static func readCopies(_ a: String, _ b: String) throws -> (CaseFile, CaseFile) {
        let results = parallelMap([a, b]) { path -> Result<CaseFile, APError> in
            do { return .success(try readCopy(path)) } catch let e as APError { return .failure(e) } catch { return .failure(.io("\(error)")) }
        }
        return (try results[0].get(), try results[1].get())
    }

    static func survivor(_ a: String, _ b: String, _ into: String?) throws -> String {
        if let into {
            let id = try CaseID.normalize(into)
            guard id == a || id == b else { throw APError.usage("--into must name one of the copies: '\(a)' or '\(b)'") }
            return id
        }
        guard a == b else {
            throw APError.usage("the copies hold different cases ('\(a)', '\(b)'); choose the survivor with --into")
        }
        return a
    }

    static func report(_ o: Merge.Outcome, written: String?, dryRun: Bool) -> Output {
        let head = "\(dryRun ? "Would merge" : "Merged") case \(o.file.id): \(o.file.events.count) events, "
            + "\(o.addedFromOurs) only in the first copy, \(o.addedFromTheirs) only in the second; "
            + "\(o.conflicts.count) conflict\(o.conflicts.count == 1 ? "" : "s")"
            + (written.map { "; written to \($0)" } ?? "")
        // Values in full and times to the second: the reader must see why one side won.
        let second = { (t: Timestamp?) -> String in
            guard let t else { return "" }
            let uk = UKClock.label(t)  // 2026-11-03 09:00 GMT; seconds are the same in UTC
            return String(uk.prefix(16) + t.description.dropFirst(16).prefix(3) + uk.dropFirst(16))
        }
        let rows = o.conflicts.map { c in [c.field, c.ours, second(c.oursAt), c.theirs, second(c.theirsAt), c.winner] }
        let headers = ["FIELD", "FIRST", "AT", "SECOND", "AT", "WINNER"]
        var table = rows.isEmpty ? "" : "\n" + Table.render(headers, rows, fixed: Set(headers))
        for c in o.conflicts {
            guard let a = c.oursAt, let b = c.theirsAt, abs(a.millis - b.millis) < 1000 else { continue }
            table += "  \(c.field): both entered within a second (\(a.description), \(b.description)); "
                + "the later to the millisecond wins, and at the same millisecond the higher event id\n"
        }
        let rules = Set(o.conflicts.map(\.rule)).sorted().map { "  rule: \($0)\n" }.joined()
        var json: [String: JSONValue] = [
            "case": .string(o.file.id), "events": .int(o.file.events.count), "onlyInFirst": .int(o.addedFromOurs),
            "onlyInSecond": .int(o.addedFromTheirs), "dryRun": .bool(dryRun),
            "conflicts": .array(o.conflicts.map { c in
                var obj: [String: JSONValue] = ["field": .string(c.field), "first": .string(c.ours), "second": .string(c.theirs),
                                                "winner": .string(c.winner), "rule": .string(c.rule)]
                if let t = c.oursAt { obj["firstAt"] = .string(t.description) }
                if let t = c.theirsAt { obj["secondAt"] = .string(t.description) }
                return .object(obj)
            }),
        ]
        if let written { json["written"] = .string(written) }
        return Output(text: head + "\n" + table + rules, json: .object(json))
    }
}
