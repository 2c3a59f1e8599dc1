#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOPosix

// A WebSocket echo server on Hummingbird 2 for `tools/compare`:
//   hummingbird-echo [--host 127.0.0.1] [--port 18090] [--nio-executor]
// - `GET /echo` upgrades to a WebSocket that sends every message back; pings are answered
//   by the library (swift-websocket's handler replies to each ping with a pong).
// - One NIO event-loop thread (`MultiThreadedEventLoopGroup(numberOfThreads: 1)`); the
//   async WebSocket handler runs on Swift's global concurrency executor, whose width
//   follows the CPU affinity (1 thread under `taskset -c 0`).
// - `--nio-executor` also makes that single event loop the global concurrency executor
//   (NIO's `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`), so
//   everything runs on one thread with no hops between threads.
// - No extensions (no permessage-deflate), no automatic keep-alive pings, backlog 1024.

struct Options {
    var host = "127.0.0.1"
    var port = 18090
    var nioExecutor = false

    init(_ arguments: [String]) {
        var arguments = arguments.makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--host": host = arguments.next() ?? host
            case "--port": port = arguments.next().flatMap { Int($0) } ?? port
            case "--nio-executor": nioExecutor = true
            default:
                print("usage: hummingbird-echo [--host H] [--port P] [--nio-executor]")
                exit(2)
            }
        }
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let host = options.host
let port = options.port
let nioExecutor = options.nioExecutor

let eventLoopGroup: any EventLoopGroup
if nioExecutor {
    NIOSingletons.groupLoopCountSuggestion = 1
    guard NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() else {
        print("could not install NIO's event loop as the global executor")
        exit(1)
    }
    eventLoopGroup = MultiThreadedEventLoopGroup.singleton
} else {
    eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
}

var logger = Logger(label: "hummingbird-echo")
logger.logLevel = .error

let router = Router()
router.get("/healthz") { _, _ in "ok" }

let app = Application(
    router: router,
    server: .http1WebSocketUpgrade(
        configuration: .init(ws: .init(maxFrameSize: 1 << 16, extensions: [], autoPing: .disabled))
    ) { request, _, _ in
        guard request.path == "/echo" else { return .dontUpgrade }
        return .upgrade([:]) { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: 1 << 20) {
                switch message {
                case .binary(let buffer): try await outbound.write(.binary(buffer))
                case .text(let text): try await outbound.write(.text(text))
                }
            }
        }
    },
    configuration: .init(address: .hostname(host, port: port), serverName: nil, backlog: 1024),
    eventLoopGroupProvider: .shared(eventLoopGroup),
    logger: logger
)
print("Listening on \(host):\(port)")
try await app.runService()
