import Foundation

/// A report: named columns and rows of values, shown as a table, CSV or JSON.
public struct Report: Equatable, Sendable {
    public var columns: [String]
    public var rows: [[String]]

    public init(columns: [String], rows: [[String]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Columns that hold counts, and yes-or-no columns.
    static let numbers: Set<String> = [
        "working-days", "left", "over-by", "days-past", "days-waiting", "answers", "yet-to-clarify", "percent",
        "stages", "triggers", "explored", "explained", "explored-percent", "ytc-percent", "hours-left",
        "days-to-make",
    ]
    static let flags: Set<String> = ["returned", "overdue", "open", "looked-after"]

    /// Rows as objects for `--json`, in the queue's conventions: camelCase keys, counts as
    /// numbers, yes-or-no as true or false, and kinds as slugs (`kindSlugs` maps the names shown
    /// back); an empty cell is left out.
    public func json(kindSlugs: [String: String] = [:]) -> JSONValue {
        let keys = columns.map(Report.camelCase)
        return .array(rows.map { row in
            var o: [String: JSONValue] = [:]
            for (i, cell) in row.enumerated() where i < columns.count {
                let column = columns[i]
                if Report.flags.contains(column) {
                    o[keys[i]] = .bool(cell == "yes")
                } else if cell.isEmpty {
                    continue
                } else if Report.numbers.contains(column), let n = Int(cell) {
                    o[keys[i]] = .int(n)
                    if let name = Report.queueNames[column] { o[name] = .int(n) }
                } else if column == "kind" {
                    o[keys[i]] = .string(kindSlugs[cell] ?? cell)
                } else {
                    o[keys[i]] = .string(cell)
                }
            }
            return .object(o)
        })
    }

    public var json: JSONValue { json() }

    /// The queue's names for the same counts, printed beside the report's own (kept for scripts).
    static let queueNames = ["working-days": "workingDaysElapsed", "left": "workingDaysLeft"]

    /// `working-days` → `workingDays`.
    public static func camelCase(_ column: String) -> String {
        // ASCII by bytes: upper-casing by Unicode's tables was a thirtieth of a 1,000-case
        // queue's instructions (every command that reads the config names every setting).
        guard column.utf8.allSatisfy({ $0 < 0x80 }) else {
            let parts = column.split(separator: "-")
            return parts.enumerated().map { i, p in i == 0 ? String(p) : p.prefix(1).uppercased() + p.dropFirst() }
                .joined()
        }
        var out: [UInt8] = []
        var upper = false
        for byte in column.utf8 {
            if byte == UInt8(ascii: "-") {
                upper = !out.isEmpty
                continue
            }
            out.append(upper && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 0x20 : byte)
            upper = false
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 4180: CRLF line ends; fields with a comma, quote or line break are quoted, quotes doubled.
    /// A field a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a
    /// leading ' (OWASP, "CSV Injection"); a plain number such as -3 stays a number.
    public var csv: String { ([columns] + rows).map(Report.csvRecord).joined() }

    /// `csv` of `columns` and `count` rows made by `row`, handed to `emit` in runs of records
    /// as they are made on all cores, in order: a spreadsheet of 100,000 cases is printed while
    /// it is made, never held whole. `emit` returns false to stop (the output failed).
    public static func csvStream(
        columns: [String], count: Int, emit: (String) -> Bool, _ row: @Sendable (Int) -> [String]
    ) {
        guard emit(csvRecord(columns)) else { return }
        parallelRuns(count, size: 2048, { run in run.map { csvRecord(row($0)) }.joined() }, emit: emit)
    }

    /// One record, its line end included.
    static func csvRecord(_ cells: [String]) -> String { cells.map(csvField).joined(separator: ",") + "\r\n" }

    static func csvField(_ text: String) -> String {
        // Most cells are plain ASCII with nothing to quote and no formula's first character:
        // looked at as bytes, not as Characters (a listing's CSV took three times its JSON).
        if let first = text.utf8.first, !"=+-@".utf8.contains(first),
            text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x2C && $0 != 0x22 })
        {
            return text
        }
        var s = text
        if let first = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), !Report.isNumber(s) {
            s = "'" + s
        }
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Report {
    /// A decimal number, signed or not: safe in a spreadsheet.
    static func isNumber(_ s: String) -> Bool {
        var digits = Substring(s)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        return !digits.isEmpty && parts.count <= 2
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}

/// One stage as reports see it, read from a case's stored state.
public struct StageFacts: Equatable, Sendable {
    public var caseID: String
    public var name: String
    public var stageID: String
    public var kind: String
    public var owner: String
    public var status: String
    public var startedAt: Timestamp
    public var completedAt: String
    public var answers: [String: String]
    /// Who entered each answer and when (a timestamp's text).
    public var entered: [String: Entry]

    public struct Entry: Equatable, Sendable {
        public var by: String
        public var at: String
    }

    /// `here` qualifies owners of another YOT (`pat@NOTTS`), as every list does.
    public static func from(state: JSONValue, here: String = "") throws -> [StageFacts] {
        let r = try JSONReader(state, path: "state")
        let caseID = try r.string("id"), name = try r.string("name")
        return try r.array("stages").enumerated().map { i, v in
            let s = try JSONReader(v, path: "state.stages[\(i)]")
            var answers: [String: String] = [:]
            var entered: [String: Entry] = [:]
            for (key, a) in try s.object("answers") {
                answers[key] = a["value"]?.stringValue ?? ""
                entered[key] = Entry(by: a["by"]?.stringValue ?? "", at: a["at"]?.stringValue ?? "")
            }
            return StageFacts(
                caseID: caseID, name: name, stageID: try s.string("id"), kind: try s.string("kind"),
                owner: qualified(try s.string("owner"), yot: try s.optionalString("ownerYOT"), here: here),
                status: try s.string("status"), startedAt: try s.timestamp("startedAt"),
                completedAt: try s.optionalString("completedAt") ?? "", answers: answers, entered: entered)
        }
    }
}

/// A user id as lists show it: plain for this YOT's users, `id@YOT` for another's.
public func qualified(_ user: String, yot: String?, here: String) -> String {
    guard let yot, !yot.isEmpty, yot != here else { return user }
    return "\(user)@\(yot)"
}

/// The reports of domain.md, "Reports" (001 §17). Pure: facts in, a report out.
public enum Reports {
    public static let names = [
        "in-progress", "overdue", "missing-ratings", "yet-to-clarify", "transfers", "caretaking",
        "referrals", "further-exploration", "self-assessment",
    ]

    /// Caretaking arrangements past their review date (002 §12.1: not normally beyond three months).
    public static func caretaking(_ summaries: [CaseSummary], today: Day) -> Report {
        let late = summaries.filter { !$0.hostCode.isEmpty && (Day($0.reviewDate).map { $0 < today } ?? false) }
            .sorted { ($0.reviewDate, $0.id) < ($1.reviewDate, $1.id) }
        return Report(
            columns: ["case", "name", "home", "host", "review-date", "days-past"],
            rows: late.map { s in
                [s.id, s.name, s.homeCode, s.hostCode, s.reviewDate, String(today.daysSinceEpoch - Day(s.reviewDate)!.daysSinceEpoch)]
            })
    }

    /// Transfers awaiting a decision: received here, or sent and not yet answered.
    public static func transfers(_ records: [TransferRecord], decided: (TransferRecord) -> Bool, today: Day) -> Report {
        let waiting = records.filter { $0.package.type == .request && $0.status == "pending" && !decided($0) }.sorted { $0.at < $1.at }
        return Report(
            columns: ["transfer", "direction", "case", "kind", "from", "to", "sent", "days-waiting"],
            rows: waiting.map { r in
                [r.package.transfer, r.direction.rawValue, r.package.caseFile.id, r.package.kind, r.package.from.code, r.package.to.code,
                 r.package.sentAt.day.description, String(today.daysSinceEpoch - r.package.sentAt.day.daysSinceEpoch)]
            })
    }

    /// Open stages of the cases this YOT holds, with when each is due (`Deadline`).
    static func deadlines(
        _ summaries: [CaseSummary], today: Day, calendar: WorkingDays, timescale: (String) -> Int, here: String?
    ) -> [(CaseSummary, CaseSummary.OpenStage, Deadline)] {
        summaries.compactMap { s in
            guard let o = s.open, here.map({ s.holding(for: $0) != .released }) ?? true,
                let d = o.deadline(timescale: timescale(o.kind), today: today, calendar: calendar)
            else { return nil }
            return (s, o, d)
        }
    }

    /// Stages in progress with their age in working days and when they are due, oldest first.
    public static func inProgress(
        _ summaries: [CaseSummary], today: Day, calendar: WorkingDays, timescale: (String) -> Int, here: String? = nil,
        kindName: (String) -> String
    ) -> Report {
        let open = deadlines(summaries, today: today, calendar: calendar, timescale: timescale, here: here)
            .filter { $0.1.status == StageStatus.inProgress.rawValue }
            .sorted { ($0.1.startedAt, $0.0.id) < ($1.1.startedAt, $1.0.id) }
        return Report(
            columns: ["case", "name", "stage", "kind", "owner", "started", "working-days", "returned", "due", "due-by",
                      "left", "started-at"],
            rows: open.map { s, o, d in
                [s.id, s.name, o.id, kindName(o.kind), o.ownerShown(here: here ?? ""), String(o.startedAt.prefix(10)),
                 String(d.elapsed), o.returnReason.isEmpty ? "" : "yes", d.due.description, d.basis, String(d.left),
                 o.startedAt]
            })
    }

    /// Open stages past their timescale or due date (Case Closures included), most overdue first.
    public static func overdue(
        _ summaries: [CaseSummary], today: Day, calendar: WorkingDays, timescale: (String) -> Int, here: String? = nil,
        kindName: (String) -> String
    ) -> Report {
        let late = deadlines(summaries, today: today, calendar: calendar, timescale: timescale, here: here)
            .filter { $0.2.overdue }
            .sorted { $0.2.left != $1.2.left ? $0.2.left < $1.2.left : $0.0.id < $1.0.id }
        return Report(
            columns: ["case", "name", "stage", "kind", "owner", "status", "started", "due", "working-days", "over-by",
                      "due-by", "started-at"],
            rows: late.map { s, o, d in
                [s.id, s.name, o.id, kindName(o.kind), o.ownerShown(here: here ?? ""), o.status,
                 String(o.startedAt.prefix(10)),
                 d.due.description, String(d.elapsed), String(-d.left), d.basis, o.startedAt]
            })
    }

    /// Completed stages that lack a rating their kind requires (config `requiredRatings`).
    public static func missingRatings(_ stages: [StageFacts], required: [String: [String]], kindName: (String) -> String) -> Report {
        let rows = stages.compactMap { s -> [String]? in
            guard s.status == StageStatus.completed.rawValue else { return nil }
            let missing = (required[s.kind] ?? []).filter { (s.answers[$0] ?? "").isEmpty }
            return missing.isEmpty ? nil
                : [s.caseID, s.name, s.stageID, kindName(s.kind), s.owner, s.startedAt.day.description,
                   missing.joined(separator: " "), s.startedAt.description]
        }
        return Report(
            columns: ["case", "name", "stage", "kind", "owner", "started", "missing", "started-at"], rows: rows)
    }

    /// The share of `yet-to-clarify` answers per stage (stages with answers, stopped ones aside).
    public static func yetToClarifyByStage(_ stages: [StageFacts], kindName: (String) -> String) -> Report {
        let rows = stages.compactMap { s -> [String]? in
            let answered = s.answers.values.filter { !$0.isEmpty }
            guard s.status != StageStatus.stopped.rawValue, !answered.isEmpty else { return nil }
            let unclear = answered.filter { $0 == AnswerKey.yetToClarify }.count
            return [s.caseID, s.stageID, kindName(s.kind), s.owner, s.status, String(answered.count), String(unclear),
                    String(unclear * 100 / answered.count)]
        }
        return Report(columns: ["case", "stage", "kind", "owner", "status", "answers", "yet-to-clarify", "percent"], rows: rows)
    }

    /// The share of `yet-to-clarify` answers per stage owner, highest share first.
    public static func yetToClarifyByPractitioner(_ stages: [StageFacts]) -> Report {
        var totals: [String: (stages: Int, answers: Int, unclear: Int)] = [:]
        for s in stages where s.status != StageStatus.stopped.rawValue {
            let answered = s.answers.values.filter { !$0.isEmpty }
            guard !answered.isEmpty else { continue }
            var t = totals[s.owner] ?? (0, 0, 0)
            t.stages += 1
            t.answers += answered.count
            t.unclear += answered.filter { $0 == AnswerKey.yetToClarify }.count
            totals[s.owner] = t
        }
        struct Line { var owner: String; var stages: Int; var answers: Int; var unclear: Int; var percent: Int }
        let lines: [Line] = totals.map { owner, t in
            Line(owner: owner, stages: t.stages, answers: t.answers, unclear: t.unclear, percent: t.unclear * 100 / t.answers)
        }
        let rows: [[String]] = lines
            .sorted { $0.percent != $1.percent ? $0.percent > $1.percent : $0.owner < $1.owner }
            .map { [$0.owner, String($0.stages), String($0.answers), String($0.unclear), String($0.percent)] }
        return Report(columns: ["owner", "stages", "answers", "yet-to-clarify", "percent"], rows: rows)
    }
}
