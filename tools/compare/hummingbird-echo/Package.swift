// swift-tools-version: 6.2
import PackageDescription

// The Hummingbird (SwiftNIO) side of `tools/compare`: a WebSocket echo server used only
// as a benchmark peer. It lives in its own package so the product never depends on NIO.
let package = Package(
    name: "hummingbird-echo",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
    ],
    targets: [
        .executableTarget(name: "hummingbird-echo", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
