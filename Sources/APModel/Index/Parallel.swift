import Dispatch
import Foundation

/// Maps over `items` on all cores, keeping the order. For file-system work that is
/// mostly waiting on system calls (stat, read) and independent per item.
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    guard items.count > 1 else { return items.map(transform) }
    // Chunks keep the work per task large; a few per core balance uneven folders. Each result is
    // written once, in place: an array of optionals mapped again copied every result twice.
    let chunks = min(items.count, cores * 8)
    return [R](unsafeUninitializedCapacity: items.count) { buffer, initialized in
        nonisolated(unsafe) let out = buffer
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (items.count * chunk / chunks)..<(items.count * (chunk + 1) / chunks)
            for i in range { (out.baseAddress! + i).initialize(to: transform(items[i])) }
        }
        initialized = items.count
    }
}

/// The cores this process may run on, asked once: Foundation reads them from the system on
/// every call.
public let cores = ProcessInfo.processInfo.activeProcessorCount

/// Told how far a long piece of work has gone: the index reading case files it did not know.
/// Called from several threads at once.
public protocol ProgressReporter: Sendable {
    func start(total: Int)
    func advance()
    func finish()
}

extension Array {
    /// Puts the element at `order[k]` at position k, by swapping along each cycle: elements
    /// are moved, never copied (a list of ten thousand summaries copied and freed again was a
    /// tenth of the queue's time).
    public mutating func reorder(_ order: [Int]) {
        precondition(order.count == count)
        var placed = [Bool](repeating: false, count: count)
        for start in indices where !placed[start] {
            var at = start
            while true {
                placed[at] = true
                let from = order[at]
                if from == start { break }
                swapAt(at, from)
                at = from
            }
        }
    }
}
