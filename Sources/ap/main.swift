import Foundation

// The only place that exits: everything else returns or throws.
exit(Runner.run(Array(CommandLine.arguments.dropFirst()), Context(environment: ProcessInfo.processInfo.environment)))
