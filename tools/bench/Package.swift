// swift-tools-version: 6.2
import PackageDescription

// Benchmarks live in their own package so that the product never builds them.
let package = Package(
    name: "AtriumBench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Atrium", path: "../.."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(name: "atrium-bench", dependencies: [
            .product(name: "AtriumWorld", package: "Atrium"),
            .product(name: "AtriumServer", package: "Atrium"),
            .product(name: "AtriumStore", package: "Atrium"),
            .product(name: "AtriumCluster", package: "Atrium"),
            .product(name: "AtriumClusterPostgres", package: "Atrium"),
            .product(name: "AtriumPostgres", package: "Atrium"),
            .product(name: "AtriumProtocol", package: "Atrium"),
            .product(name: "AtriumNet", package: "Atrium"),
            .product(name: "AtriumWebSocket", package: "Atrium"),
            .product(name: "AtriumClient", package: "Atrium"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
