import APModel
import Foundation
import XCTest

/// Issue 25, 001 §2.2: every YOT officer is a proxy on a stage whose owner is on leave. While
/// the owner is away another practitioner fills it in (never countersigns), and the history
/// says on whose behalf.
final class ProxyTests: XCTestCase {
    func testAPractitionerFillsInForAnAbsentOwnerAndTheHistorySaysSo_001_2_2() throws {
        let h = try Harness()
        h.now = "2026-11-23T09:00:00.000Z"
        try h.caseWithStage()
        try h.expectFailure(["stage", "set", "YP-0001", "pfs.living-arrangements=With mother"], as: "kim",
                            status: 77, message: "owned by 'pat'")
        try h.expectOK(["user", "absent", "pat", "--from", "2026-11-23", "--to", "2026-11-27"], as: "mo")
        try h.expectOK(["stage", "set", "YP-0001", "pfs.living-arrangements=With mother"], as: "kim")
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low", "saw=low", "lor=low", "scaled-approach=standard",
                        "indicative-lor=low"], as: "bo")
        let log = try h.expectOK(["log", "YP-0001"], env: ["COLUMNS": "200"]).stdout
        XCTAssertTrue(log.contains("kim") && log.contains("pfs.living-arrangements (on behalf of pat)"), log)
        XCTAssertTrue(log.contains("rosh, saw, scaled-approach (on behalf of pat)"), log)
        let events = try h.loadCase("YP-0001").events
        XCTAssertEqual(events.filter { $0.payload["onBehalfOf"]?.stringValue == "pat" }.map(\.by), ["kim", "bo"])
        // Submitted on pat's behalf; kim never countersigns.
        let submitted = try h.expectOK(["stage", "submit", "YP-0001"], as: "kim").stdout
        if submitted.contains("awaits countersignature") {
            try h.expectFailure(["countersign", "YP-0001"], as: "kim", status: 77, message: "kim")
        }
        XCTAssertEqual(try h.loadCase("YP-0001").events.last?.payload["onBehalfOf"], "pat")
        // Back from leave: pat's stage is pat's again.
        h.now = "2026-11-30T09:00:00.000Z"
        try h.caseWithStage("YP-0002")
        try h.expectFailure(["stage", "set", "YP-0002", "pfs.living-arrangements=x"], as: "kim", status: 77,
                            message: "owned by 'pat'")
        // The owner and a manager act in their own right: nobody's behalf.
        try h.expectOK(["stage", "set", "YP-0002", "pfs.living-arrangements=x"], as: "pat")
        try h.expectOK(["stage", "set", "YP-0002", "rosh=low"], as: "mo")
        XCTAssertEqual(try h.loadCase("YP-0002").events.filter { $0.payload["onBehalfOf"] != nil }.count, 0)
    }
}
