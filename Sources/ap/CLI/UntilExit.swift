/// Large answers are kept until the process exits, which frees all its memory at once: freeing
/// a listing of 100,000 cases piece by piece took a tenth of a warm command's time (as compilers
/// skip freeing their trees before they exit). Only the last two are kept (a scan, an output):
/// `ap batch` runs many listings in one process, each of which would hold its memory to the end.
enum UntilExit {
    nonisolated(unsafe) private static var kept: [Any] = []
    static let most = 2

    static func keep(_ value: Any) {
        if kept.count == most { kept.removeFirst() }
        kept.append(value)
    }
}
