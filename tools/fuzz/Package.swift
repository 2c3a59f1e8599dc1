// swift-tools-version: 6.2
import PackageDescription

/// libFuzzer drivers for Atrium's input decoders, in their own package so that the
/// product never builds them (`tools/fuzz/run` builds and runs them). Each fuzzer is an
/// executable whose `main` comes from libFuzzer, hence `-parse-as-library`.
let fuzzer: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "AtriumFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Atrium", path: "../.."),
    ],
    targets: [
        .systemLibrary(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"]),
        .executableTarget(name: "fuzz-frames", dependencies: [
            "FuzzSupport", .product(name: "AtriumWebSocket", package: "Atrium"),
            .product(name: "AtriumFuzzInput", package: "Atrium"),
        ], swiftSettings: fuzzer),
        .executableTarget(name: "fuzz-http", dependencies: [
            "FuzzSupport", .product(name: "AtriumNet", package: "Atrium"),
            .product(name: "AtriumFuzzInput", package: "Atrium"),
            .product(name: "AtriumWebSocket", package: "Atrium"),
        ], swiftSettings: fuzzer),
        .executableTarget(name: "fuzz-json", dependencies: [
            "FuzzSupport", .product(name: "AtriumProtocol", package: "Atrium"),
        ], swiftSettings: fuzzer),
        .executableTarget(name: "fuzz-binary", dependencies: [
            "FuzzSupport", .product(name: "AtriumProtocol", package: "Atrium"),
        ], swiftSettings: fuzzer),
        .executableTarget(name: "fuzz-map", dependencies: [
            "FuzzSupport", .product(name: "AtriumWorld", package: "Atrium"),
        ], swiftSettings: fuzzer),
    ],
    swiftLanguageModes: [.v6]
)
