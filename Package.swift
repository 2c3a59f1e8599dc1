// swift-tools-version: 6.2
import PackageDescription

/// Every target builds in the Swift 6 language mode with warnings as errors: a warning
/// left standing hides the next one.
let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Atrium",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AtriumWebSocket", targets: ["AtriumWebSocket"]),
        .library(name: "AtriumNet", targets: ["AtriumNet"]),
        .executable(name: "atrium-server", targets: ["atrium-server"]),
        .executable(name: "atrium-bots", targets: ["atrium-bots"]),
        .library(name: "AtriumClient", targets: ["AtriumClient"]),
        .library(name: "AtriumProtocol", targets: ["AtriumProtocol"]),
        .library(name: "AtriumWorld", targets: ["AtriumWorld"]),
        .library(name: "AtriumServer", targets: ["AtriumServer"]),
        .library(name: "AtriumStore", targets: ["AtriumStore"]),
        .library(name: "AtriumPostgres", targets: ["AtriumPostgres"]),
        .library(name: "AtriumCluster", targets: ["AtriumCluster"]),
        .library(name: "AtriumClusterPostgres", targets: ["AtriumClusterPostgres"]),
        /// How fuzzers cut their input into pieces; shared by `tools/fuzz` and the corpus replay tests.
        .library(name: "AtriumFuzzInput", targets: ["AtriumFuzzInput"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),

        .target(name: "AtriumWebSocket", dependencies: ["CZlib"], swiftSettings: strict),
        .testTarget(name: "AtriumWebSocketTests", dependencies: ["AtriumWebSocket", "AtriumFuzzInput"], swiftSettings: strict),

        .target(name: "AtriumProtocol", swiftSettings: strict),
        .testTarget(name: "AtriumProtocolTests", dependencies: ["AtriumProtocol"], swiftSettings: strict),

        .target(name: "AtriumWorld", swiftSettings: strict),
        .target(name: "AtriumFuzzInput", dependencies: ["AtriumWorld"], path: "Tests/FuzzInput", swiftSettings: strict),
        .testTarget(name: "AtriumWorldTests", dependencies: ["AtriumWorld"], swiftSettings: strict),

        /// The rules of running rooms on several nodes (leases, seats, placement, the bus),
        /// as pure machines: no I/O, no clock reads, neither Dispatch nor sockets.
        .target(name: "AtriumCluster", dependencies: ["AtriumWorld"], swiftSettings: strict),
        .testTarget(name: "AtriumClusterTests", dependencies: ["AtriumCluster", "AtriumWorld"], swiftSettings: strict),

        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        /// A non-blocking PostgreSQL client on Dispatch (libpq's asynchronous API, pipelined).
        .target(name: "AtriumPostgres", dependencies: ["CLibPQ"], swiftSettings: strict),
        .testTarget(name: "AtriumPostgresTests", dependencies: ["AtriumPostgres", "AtriumPostgresTestSupport"], swiftSettings: strict),
        /// Starts a throwaway PostgreSQL server for tests (tools/lib/postgres-server).
        .target(name: "AtriumPostgresTestSupport", dependencies: ["AtriumPostgres"], path: "Tests/PostgresSupport",
                swiftSettings: strict),
        /// The cluster's directory and bus on PostgreSQL (leases as rows, LISTEN/NOTIFY).
        .target(name: "AtriumClusterPostgres", dependencies: ["AtriumCluster", "AtriumPostgres"], swiftSettings: strict),
        .testTarget(name: "AtriumClusterPostgresTests",
                    dependencies: ["AtriumClusterPostgres", "AtriumCluster", "AtriumPostgres", "AtriumPostgresTestSupport"],
                    swiftSettings: strict),
        .target(name: "AtriumStore", dependencies: ["CSQLite", "AtriumPostgres"], swiftSettings: strict),
        .testTarget(name: "AtriumStoreTests", dependencies: ["AtriumStore", "CSQLite", "AtriumPostgresTestSupport"],
                    swiftSettings: strict),

        .target(name: "AtriumNet", dependencies: ["AtriumWebSocket", "COpenSSL", "CZlib"], swiftSettings: strict),
        .testTarget(name: "AtriumNetTests", dependencies: ["AtriumNet", "COpenSSL", "AtriumTestSupport", "AtriumFuzzInput"],
                    swiftSettings: strict),
        .target(name: "AtriumTestSupport", dependencies: [
            "AtriumNet", "AtriumWebSocket", "AtriumServer", "AtriumClient", "AtriumProtocol", "AtriumStore", "AtriumCluster",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/Support",
                swiftSettings: strict),

        .target(name: "AtriumServer", dependencies: [
            "AtriumNet", "AtriumProtocol", "AtriumWorld", "AtriumWebSocket", "AtriumStore", "AtriumCluster", "AtriumClusterPostgres",
            "AtriumPostgres", "COpenSSL",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ], swiftSettings: strict),
        .testTarget(name: "AtriumServerTests", dependencies: [
            "AtriumServer", "AtriumClient", "AtriumTestSupport", "AtriumCluster", "AtriumClusterPostgres", "AtriumPostgres",
            "AtriumPostgresTestSupport",
        ], swiftSettings: strict),

        .target(name: "AtriumClient", dependencies: [
            "AtriumNet", "AtriumProtocol", "AtriumWebSocket",
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "AtriumClientTests", dependencies: ["AtriumClient", "AtriumServer", "AtriumTestSupport", "AtriumWorld"], swiftSettings: strict),

        .executableTarget(name: "atrium-bots", dependencies: [
            "AtriumClient", "AtriumNet", "AtriumProtocol", "AtriumWorld",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "AtriumBotsTests", dependencies: ["atrium-bots", "AtriumProtocol", "AtriumWorld"], swiftSettings: strict),

        .executableTarget(name: "atrium-server", dependencies: [
            "AtriumServer", "AtriumNet", "AtriumStore", "AtriumCluster",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
