@testable import APModel
import XCTest

final class QueueTests: XCTestCase {
    func summary(_ id: String, status: String = "awaiting-countersignature", owner: String = "pat", kind: String = "psr",
                 started: String, submitted: String = "", returned: String = "") -> CaseSummary {
        var s = try! CaseSummary(state: ["id": .string(id), "name": "N", "dob": "2010-01-01", "lookedAfter": false, "updatedAt": "x"])
        s.open = .init(id: "st-\(id)", kind: kind, owner: owner, status: status, startedAt: started, submittedAt: submitted,
                       criteria: ["rosh"], yetToClarifyPercent: nil, returnReason: returned)
        return s
    }

    let today = Day("2026-11-23")!
    let calendar = WorkingDays()

    func entries(_ s: [CaseSummary], _ change: (inout QueueFilter) -> Void = { _ in }) -> [QueueEntry] {
        var f = QueueFilter()
        change(&f)
        return Queue.entries(s, filter: f, today: today, calendar: calendar, timescale: { _ in 15 })
    }

    var sample: [CaseSummary] {
        [
            summary("B", started: "2026-11-02T09:00:00.000Z", submitted: "2026-11-10T09:00:00.000Z"),
            summary("A", owner: "kim", kind: "review", started: "2026-10-01T09:00:00.000Z", submitted: "2026-11-10T09:00:00.000Z"),
            summary("C", started: "2026-11-20T09:00:00.000Z", submitted: "2026-11-20T10:00:00.000Z"),
            summary("D", status: "in-progress", started: "2026-10-01T09:00:00.000Z"),
            summary("E", status: "in-progress", started: "2026-11-01T09:00:00.000Z", submitted: "2026-11-05T09:00:00.000Z", returned: "why?"),
        ]
    }

    func testOldestSubmissionFirstTiesByCaseAndDaysLeft() {
        let q = entries(sample)
        XCTAssertEqual(q.map(\.caseID), ["A", "B", "C"])
        XCTAssertEqual(q[1].elapsed, 15)
        XCTAssertEqual(q[1].left, 0)
        XCTAssertFalse(q[1].overdue)
        XCTAssertEqual(q[1].due.description, "2026-11-23")
        XCTAssertTrue(q[0].overdue)
        XCTAssertEqual(q[2].elapsed, 1)
    }

    /// A row's list fields (criteria) are split by pointer as the generic split did: empty
    /// parts left out, every other byte kept.
    func testAListFieldSplitsAsTheGenericSplit() {
        let fields = ["", ",", ",,", "rosh", "rosh,saw", ",rosh,,saw,", "é,ü", "a b,c\td", "x,\u{FFFD},y"]
        for field in fields {
            let generic = field.utf8.split(separator: UInt8(ascii: ",")).map { String(Substring($0)) }
            XCTAssertEqual(field.commaParts(keepingEmpty: false), generic, field)
        }
    }

    func testFilters() {
        XCTAssertEqual(entries(sample) { $0.overdueOnly = true }.map(\.caseID), ["A"])
        XCTAssertEqual(entries(sample) { $0.owner = "pat" }.map(\.caseID), ["B", "C"])
        XCTAssertEqual(entries(sample) { $0.kind = "review" }.map(\.caseID), ["A"])
        XCTAssertEqual(entries(sample) { $0.mine = "pat" }.map(\.caseID), ["E", "B", "C"])
    }

    func testReportsAndCSVQuoting() {
        let report = Reports.overdue(sample, today: today, calendar: calendar, timescale: { _ in 15 }, kindName: { $0 })
        XCTAssertEqual(report.rows.map { $0[0] }, ["A", "D", "E"], "E started on a Sunday: 16 working days by the 23rd")
        let csv = Report(columns: ["a", "b"], rows: [["x, y", "say \"hi\""], ["line\nbreak", "plain"]]).csv
        XCTAssertEqual(csv, "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"line\nbreak\",plain\r\n")
    }

    func testSummaryFromStateMatchesIndexRow() throws {
        var f = Fixture()
        try f.newCase()
        try f.startStage()
        try f.set([("rosh", "low"), ("pfs.health", "multi\nline\twith\\slash")])
        try f.submit()
        let summary = CaseSummary(try f.state)
        XCTAssertEqual(summary.open?.status, "awaiting-countersignature")
        XCTAssertEqual(summary.open?.criteria, ["rosh"])
        let row = summary.indexFields.map(CaseIndex.escape).joined(separator: "\t")
        XCTAssertFalse(row.contains("\n"))
        let back = CaseSummary(indexFields: row.split(separator: "\t", omittingEmptySubsequences: false).map { CaseIndex.unescape($0) })
        XCTAssertEqual(back, summary)
        let file = try CaseFile(id: "YP-1", events: f.events)
        XCTAssertEqual(try CaseSummary.skim(file.bytes), summary)
    }

    func testSkimFindsStateAfterSkippingTrickyValues() throws {
        let text = #"{"a": "}\"]{", "b": [1, {"c": [true, null]}, "x\\"], "n": -1.5e3, "state": {"k": "v"}, "z": 1}"#
        XCTAssertEqual(try JSONParser.topLevelField("state", in: Array(text.utf8)), ["k": "v"])
        XCTAssertNil(try JSONParser.topLevelField("state", in: Array(#"{"a": 1}"#.utf8)))
        XCTAssertThrowsError(try JSONParser.topLevelField("state", in: Array(#"{"a": [1, 2"#.utf8)))
        XCTAssertThrowsError(try JSONParser.topLevelField("state", in: Array("[]".utf8)))
    }
}

/// The index fields asked of before a row is decoded are where the decoder reads them.
final class IndexFieldTests: XCTestCase {
    func testTheNamedFieldsAreTheDecodersFields() throws {
        var f = (0..<CaseSummary.indexFieldCount).map { "v\($0)" }
        f[CaseSummary.IndexField.status] = "in-progress"
        f[CaseSummary.IndexField.needsReview] = "7"
        f[CaseSummary.IndexField.involvementEnded] = "1"
        f[28] = "1000"  // the handover's time, so that its manager and co-worker are read
        let s = try XCTUnwrap(CaseSummary(indexFields: f))
        typealias F = CaseSummary.IndexField
        XCTAssertEqual(s.open?.status, "in-progress")
        XCTAssertEqual(s.name, f[F.name])
        XCTAssertEqual(s.hostCode, f[F.host])
        XCTAssertEqual(s.manager, f[F.manager])
        XCTAssertEqual(s.coWorker, f[F.coWorker])
        XCTAssertEqual(s.needsReview, 7)
        XCTAssertEqual(s.handover?.manager, f[F.handoverManager])
        XCTAssertEqual(s.handover?.coWorker, f[F.handoverCoWorker])
        XCTAssertEqual(s.socialCare, f[F.socialCare])
        XCTAssertTrue(s.involvementEnded)
        XCTAssertEqual(s.indexFields[F.obligations], "", "v20 is no obligation: dropped")
    }
}
