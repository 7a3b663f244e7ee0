@testable import APModel
import Foundation
import XCTest

/// ap reads its environment from `environ` itself; it must be what Foundation would give.
final class ProcessEnvironmentTests: XCTestCase {
    func testTheEnvironmentIsFoundations() {
        let names = ["AP_TEST_EQUALS", "AP_TEST_EMPTY", "AP_TEST_BYTES", "AP_TEST_ACCENT"]
        defer { for name in names { unsetenv(name) } }
        setenv("AP_TEST_EQUALS", "a=b==c", 1)
        setenv("AP_TEST_EMPTY", "", 1)
        setenv("AP_TEST_BYTES", "\u{FF}", 1)  // UTF-8 C3 BF
        "AP_TEST_ACCENT".withCString { name in
            var bad: [CChar] = [0x61, -1, 0x62, 0]  // 'a', a byte that is not UTF-8, 'b'
            _ = setenv(name, &bad, 1)
        }
        let read = ProcessEnvironment.read()
        XCTAssertEqual(read, ProcessInfo.processInfo.environment)
        XCTAssertEqual(read["AP_TEST_EQUALS"], "a=b==c")
        XCTAssertEqual(read["AP_TEST_EMPTY"], "")
        XCTAssertEqual(read["AP_TEST_BYTES"], "\u{FF}")
        XCTAssertEqual(read["AP_TEST_ACCENT"], "a\u{FFFD}b", "repaired as Foundation repairs it")
    }
}
