/// Every failure `ap` reports, by kind. The kind fixes the exit status (see `ap(1)`, EXIT STATUS).
public enum APError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The command line is wrong: unknown command or option, missing argument.
    case usage(String)
    /// A file or a value is malformed or invalid: bad JSON, wrong format, a rating outside its set.
    case data(String)
    /// A case, stage, user or file does not exist.
    case notFound(String)
    /// The acting user lacks the role, or is not allowed on this stage.
    case permission(String)
    /// The case's state forbids it: a stage already open, nothing awaiting countersignature.
    case refused(String)
    /// The repository lock is held by another process (try again), or a file changed under us.
    case locked(String)
    /// Something already exists where it would be created.
    case exists(String)
    /// The operating system failed a read or write.
    case io(String)

    public var message: String {
        switch self {
        case .usage(let m), .data(let m), .notFound(let m), .permission(let m),
            .refused(let m), .locked(let m), .exists(let m), .io(let m):
            return m
        }
    }

    public var description: String { message }

    /// The process exit status for this kind of failure.
    public var exitStatus: Int32 {
        switch self {
        case .refused: return 1
        case .usage: return 64
        case .data: return 65
        case .notFound: return 66
        case .exists: return 73
        case .io: return 74
        case .locked: return 75
        case .permission: return 77
        }
    }

    /// A short, stable name for the kind, used in `--json` error output.
    public var kind: String {
        switch self {
        case .usage: return "usage"
        case .data: return "data"
        case .notFound: return "not-found"
        case .permission: return "permission"
        case .refused: return "refused"
        case .locked: return "locked"
        case .exists: return "exists"
        case .io: return "io"
        }
    }

    /// The same error with the file it concerns named in front.
    public func inFile(_ path: String) -> APError {
        switch self {
        case .data(let m): return .data("\(path): \(m)")
        case .io(let m): return .io("\(path): \(m)")
        default: return self
        }
    }
}
