import Foundation

// The only place that exits: everything else returns or throws.
// Arguments are read as bytes: Swift would silently turn invalid UTF-8 into U+FFFD.
let arguments = (1..<Int(CommandLine.argc)).map { i in
    CommandLine.unsafeArgv[i].flatMap { String(validatingCString: $0) }
}
exit(Runner.run(checking: arguments, Context(environment: ProcessInfo.processInfo.environment)))
