@testable import APModel
import XCTest

/// `parallelInOrder`, which prints a long listing while the rest is written: every result is
/// handed on once, in order, one at a time, however unevenly the work finishes; when the
/// output fails, nothing more is handed on.
final class InOrderTests: XCTestCase {
    func testEveryResultIsHandedOnOnceInOrder() {
        for count in [0, 1, 2, 3, 64, 500] {
            var seen: [Int] = []
            let busy = Busy()
            parallelInOrder(count, { k in
                // Early results take longest, so later ones finish first and wait their turn.
                if k % 7 == 0 { usleep(UInt32(200 * (10 - k % 10))) }
                return k
            }) { k in
                XCTAssertTrue(busy.enter(), "two threads handed results on at once")
                seen.append(k)
                busy.leave()
                return true
            }
            XCTAssertEqual(seen, Array(0..<count), "\(count) results")
        }
    }

    func testNothingIsHandedOnAfterTheOutputFails() {
        var seen: [Int] = []
        parallelInOrder(200, { $0 }) { k in
            seen.append(k)
            return k < 9
        }
        XCTAssertEqual(seen, Array(0...9))
    }

    func testARowStreamStopsWhereItsOutputFails() {
        var parts = 0
        JSONWriter.prettyRowStream(100_000, emit: { _ in parts += 1; return parts < 3 }) { i, row in
            row.int("n", i)
        }
        XCTAssertEqual(parts, 3, "the opening bracket, two runs, and nothing after")
    }
}

/// Notices two threads inside at once.
private final class Busy: @unchecked Sendable {
    private let lock = NSLock()
    private var inside = false

    func enter() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !inside else { return false }
        inside = true
        return true
    }

    func leave() {
        lock.lock()
        inside = false
        lock.unlock()
    }

    /// The processors online, fewer under a container's cgroup quota, never none.
    func testCoresFollowAContainersQuota() {
        func count(_ max: String?, _ quota: String? = nil, _ period: String? = nil, online: Int = 8) -> Int {
            coreCount(online: online, cpuMax: max, cfsQuota: quota, cfsPeriod: period)
        }
        XCTAssertEqual(count(nil), 8, "no cgroup files")
        XCTAssertEqual(count("max 100000"), 8, "v2 without a quota")
        XCTAssertEqual(count("200000 100000"), 2)
        XCTAssertEqual(count("150000 100000"), 2, "a part of a core is a core")
        XCTAssertEqual(count("50000 100000"), 1)
        XCTAssertEqual(count("1600000 100000"), 8, "a quota above the processors online")
        XCTAssertEqual(count(nil, "-1", "100000"), 8, "v1 without a quota")
        XCTAssertEqual(count(nil, "300000", "100000"), 3)
        XCTAssertEqual(count("max 100000", "100000", "100000"), 8, "v2 is read where it is")
        XCTAssertEqual(count("garbage"), 8)
        XCTAssertEqual(count(nil, online: 0), 1)
        XCTAssertGreaterThanOrEqual(cores, 1)
    }
}
