/// Large answers are kept until the process exits, which frees all its memory at once: freeing
/// a listing of 100,000 cases piece by piece took a tenth of a warm command's time (as compilers
/// skip freeing their trees before they exit).
enum UntilExit {
    nonisolated(unsafe) private static var kept: [Any] = []

    static func keep(_ value: Any) { kept.append(value) }
}
