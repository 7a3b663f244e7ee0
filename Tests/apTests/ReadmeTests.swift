import Foundation
import XCTest

/// README.md is a tested document: every shell block after the two set-up commands runs
/// as written, in order, in one shell, from the project folder with a scratch TMPDIR.
final class ReadmeTests: XCTestCase {
    static var root: URL { IntegrityTests.root }

    /// The ```sh blocks of the README, in order.
    static func blocks() throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        var out: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```sh" {
                current = []
            } else if current != nil, line == "```" {
                out.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return out
    }

    func testTheSetUpCommandsComeFirst() throws {
        let blocks = try ReadmeTests.blocks()
        XCTAssertEqual(blocks.prefix(2), ["swift build && .build/debug/ap -C examples/cases queue", "make test"])
    }

    func testEveryBlockAfterTheSetUpRunsAsWritten() throws {
        let blocks = try ReadmeTests.blocks().dropFirst(2)
        XCTAssertGreaterThan(blocks.count, 5)
        let scratch = NSTemporaryDirectory() + "ap-readme-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: scratch) }
        let script = scratch + "/readme.sh"
        try ("set -euo pipefail\n" + blocks.joined(separator: "\n")).write(
            toFile: script, atomically: true, encoding: .utf8)
        // The README puts .build/debug on PATH itself; empty values leave ap's variables unset.
        let (status, text) = try Harness.tool(
            "/bin/bash", [script], cwd: ReadmeTests.root.path,
            env: ["AP_USER": "", "AP_REPO": "", "AP_NOW": "", "TMPDIR": scratch, "NO_COLOR": "1"])
        XCTAssertEqual(status, 0, text)
        XCTAssertFalse(text.contains("ap: "), "no command complained:\n\(text)")
        XCTAssertTrue(text.contains("Merged case YP-0042"), text)
    }
}
