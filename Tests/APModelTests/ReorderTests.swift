@testable import APModel
import XCTest

/// `Array.reorder`, which puts sorted listings in place by swapping: the same as mapping the
/// order, for every shape of permutation (fixed points, one long cycle, many short ones).
final class ReorderTests: XCTestCase {
    func testReorderIsTheMapOfTheOrder() {
        var rng = SystemRandomNumberGenerator()
        for n in [0, 1, 2, 3, 10, 257] {
            let values = (0..<n).map { "value \($0) " + String(repeating: "x", count: $0 % 20) }
            var orders: [[Int]] = [Array(0..<n), Array((0..<n).reversed())]
            if n > 1 { orders.append(Array(1..<n) + [0]) }
            for _ in 0..<20 { orders.append(Array(0..<n).shuffled(using: &rng)) }
            for order in orders {
                var moved = values
                moved.reorder(order)
                XCTAssertEqual(moved, order.map { values[$0] }, "\(order)")
            }
        }
    }
}
