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
        HugePages.advise(buffer.baseAddress!, bytes: items.count * MemoryLayout<R>.stride)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (items.count * chunk / chunks)..<(items.count * (chunk + 1) / chunks)
            for i in range { (out.baseAddress! + i).initialize(to: transform(items[i])) }
        }
        initialized = items.count
    }
}

/// Makes results 0..<count on all cores and hands each to `emit`, in order, as soon as it
/// and every one before it are made: a long answer is printed while the rest is worked out.
/// `emit` runs on one thread at a time, though not always the caller's; when it returns
/// false (the output failed), no more is started and nothing more handed on.
public func parallelInOrder<R>(_ count: Int, _ make: @Sendable (Int) -> R, emit: (R) -> Bool) {
    guard count > 1 else {
        if count == 1 { _ = emit(make(0)) }
        return
    }
    let order = InOrder<R>()
    withoutActuallyEscaping(emit) { emit in
        nonisolated(unsafe) let emit = emit
        DispatchQueue.concurrentPerform(iterations: count) { k in
            guard !order.isStopped else { return }
            order.finished(k, make(k), emit)
        }
    }
}

/// Rows 0..<count in runs of `size`, each made by `make` on all cores and handed to `emit` in
/// order (`parallelInOrder`): a listing printed while it is written. False when `emit` stopped it.
@discardableResult
public func parallelRuns<R>(_ count: Int, size: Int, _ make: @Sendable (Range<Int>) -> R, emit: (R) -> Bool) -> Bool {
    var going = true
    parallelInOrder((count + size - 1) / size, { make(($0 * size)..<min(count, ($0 + 1) * size)) }) {
        going = emit($0)
        return going
    }
    return going
}

/// What `parallelInOrder` has made and not yet handed on.
private final class InOrder<R>: @unchecked Sendable {
    private let lock = NSLock()
    private var waiting: [Int: R] = [:]
    private var next = 0
    private var emitting = false
    private var stopped = false

    var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    /// Result `k` is made: the thread that finds the next one ready hands on every ready one,
    /// outside the lock, so that others go on making while it writes.
    func finished(_ k: Int, _ result: R, _ emit: (R) -> Bool) {
        lock.lock()
        waiting[k] = result
        guard !emitting else { lock.unlock(); return }
        emitting = true
        while !stopped, let ready = waiting.removeValue(forKey: next) {
            next += 1
            lock.unlock()
            let going = emit(ready)
            lock.lock()
            if !going { stopped = true }
        }
        emitting = false
        lock.unlock()
    }
}

/// The cores this process may run on, asked once: the processors online, fewer where a cgroup
/// quota (a container's `--cpus`) allows less. Foundation's own count reads five files through
/// URLs on every call: a fortieth of a 1,000-case queue's instructions.
public let cores: Int = {
    #if os(Linux)
    return coreCount(
        online: sysconf(Int32(_SC_NPROCESSORS_ONLN)), cpuMax: smallFile("/sys/fs/cgroup/cpu.max"),
        cfsQuota: smallFile("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"),
        cfsPeriod: smallFile("/sys/fs/cgroup/cpu/cpu.cfs_period_us"))
    #else
    return max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    #endif
}()

/// `online` processors, limited by a cgroup v2 `cpu.max` ("QUOTA PERIOD", or "max PERIOD" for
/// none) where there is one, else by v1's quota and period (a quota of -1 for none).
func coreCount(online: Int, cpuMax: String?, cfsQuota: String?, cfsPeriod: String?) -> Int {
    let online = max(1, online)
    var limit: (quota: Int, period: Int)?
    if let cpuMax {
        let parts = cpuMax.split(separator: " ")
        if parts.count == 2, let quota = Int(parts[0]), let period = Int(parts[1]) { limit = (quota, period) }
    } else if let quota = cfsQuota.flatMap({ Int($0) }), let period = cfsPeriod.flatMap({ Int($0) }) {
        limit = (quota, period)
    }
    guard let limit, limit.quota > 0, limit.period > 0 else { return online }
    return min(online, max(1, (limit.quota + limit.period - 1) / limit.period))
}

/// A short system file's first line, or nil where it cannot be read.
private func smallFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 64)
    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 64) }
    guard n > 0 else { return nil }
    return String(decoding: buffer[..<n], as: UTF8.self).split(separator: "\n").first.map(String.init)
}

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
    /// tenth of the queue's time). Swapped through the buffer: the array's own `swapAt` copied
    /// each element, retaining and releasing every string in it.
    public mutating func reorder(_ order: [Int]) {
        precondition(order.count == count && order.allSatisfy { indices.contains($0) })
        var placed = [Bool](repeating: false, count: count)
        withUnsafeMutableBufferPointer { elements in
            for start in elements.indices where !placed[start] {
                var at = start
                while true {
                    placed[at] = true
                    let from = order[at]
                    if from == start { break }
                    elements.swapAt(at, from)
                    at = from
                }
            }
        }
    }
}
