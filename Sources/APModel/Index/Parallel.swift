import Dispatch
import Foundation

/// Maps over `items` on all cores, keeping the order. For file-system work that is
/// mostly waiting on system calls (stat, read) and independent per item.
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    guard items.count > 1 else { return items.map(transform) }
    var results = [R?](repeating: nil, count: items.count)
    let lock = NSLock()
    // Chunks keep the lock cheap; a few per core balance uneven folders.
    let chunks = min(items.count, ProcessInfo.processInfo.activeProcessorCount * 8)
    results.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let out = buffer
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (items.count * chunk / chunks)..<(items.count * (chunk + 1) / chunks)
            let mapped = range.map { transform(items[$0]) }
            lock.lock()
            for (offset, value) in zip(range, mapped) { out[offset] = value }
            lock.unlock()
        }
    }
    return results.map { $0! }
}

/// Told how far a long piece of work has gone: the index reading case files it did not know.
/// Called from several threads at once.
public protocol ProgressReporter: Sendable {
    func start(total: Int)
    func advance()
    func finish()
}
