import APModel
import Foundation

// The only place that exits: everything else returns or throws.
// Arguments are read as bytes: Swift would silently turn invalid UTF-8 into U+FFFD.
let arguments = (1..<Int(CommandLine.argc)).map { i in
    CommandLine.unsafeArgv[i].flatMap { String(validatingCString: $0) }
}
// A closed pipe is an error write(2) returns (EPIPE), which Runner ends quietly on.
signal(SIGPIPE, SIG_IGN)
exit(Runner.run(checking: arguments, Context(environment: ProcessEnvironment.read())))
