// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ap",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ap", targets: ["ap"]),
        .library(name: "APModel", targets: ["APModel"]),
    ],
    targets: [
        .target(name: "APModel"),
        .executableTarget(name: "ap", dependencies: ["APModel"]),
        // Generates synthetic repositories for `make bench`.
        .executableTarget(name: "ap-bench", dependencies: ["APModel"]),
        .testTarget(name: "APModelTests", dependencies: ["APModel"]),
        // End-to-end tests run the built `ap` binary; depending on the target makes `swift test` build it.
        .testTarget(name: "apTests", dependencies: ["ap", "APModel"]),
    ]
)
