import AtriumNet
import AtriumWebSocket
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

public struct TimedOut: Error, CustomStringConvertible {
    public var what: String
    public var description: String { "timed out waiting for \(what)" }
}

/// An unbounded queue of events that a test awaits one at a time. The deadline only
/// turns a missing event into a failure instead of a hang; it is never how long a test
/// waits when things work.
public final class EventQueue<Event: Sendable>: Sendable {
    private struct State {
        var buffer: [Event] = []
        var waiter: (id: Int, continuation: CheckedContinuation<Event?, Never>)?
        var nextID = 0
    }

    private let state = Mutex(State())

    public init() {}

    public func push(_ event: Event) {
        let waiter = state.withLock { state -> CheckedContinuation<Event?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter.continuation
            }
            state.buffer.append(event)
            return nil
        }
        waiter?.resume(returning: event)
    }

    public func next(within timeout: Duration = .seconds(10), _ what: String = "an event") async throws -> Event {
        let event: Event? = await withCheckedContinuation { continuation in
            let id = state.withLock { state -> Int? in
                if !state.buffer.isEmpty {
                    let first = state.buffer.removeFirst()
                    continuation.resume(returning: first)
                    return nil
                }
                state.nextID += 1
                state.waiter = (state.nextID, continuation)
                return state.nextID
            }
            guard let id else { return }
            Task {
                try? await Task.sleep(for: timeout)
                let expired = state.withLock { state -> CheckedContinuation<Event?, Never>? in
                    guard let waiter = state.waiter, waiter.id == id else { return nil }
                    state.waiter = nil
                    return waiter.continuation
                }
                expired?.resume(returning: nil)
            }
        }
        guard let event else { throw TimedOut(what: what) }
        return event
    }

    /// Waits for the first event that matches, dropping the others.
    public func first(within timeout: Duration = .seconds(10), _ what: String = "an event",
               where predicate: (Event) -> Bool) async throws -> Event {
        let deadline = ContinuousClock.now + timeout
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { throw TimedOut(what: what) }
            let event = try await next(within: remaining, what)
            if predicate(event) { return event }
        }
    }
}

public enum ChannelEvent: Sendable, Equatable {
    case message(WebSocketMessage)
    case closed(WebSocketCloseReport)

    public var closeReport: WebSocketCloseReport? {
        if case .closed(let report) = self { return report }
        return nil
    }
}

/// A delegate that records everything into an ``EventQueue``.
public final class RecordingDelegate: WebSocketChannelDelegate, Sendable {
    public let events = EventQueue<ChannelEvent>()

    public func webSocket(_ channel: WebSocketChannel, didReceive message: WebSocketMessage) {
        events.push(.message(message))
    }

    public func webSocketDidClose(_ channel: WebSocketChannel, report: WebSocketCloseReport) {
        events.push(.closed(report))
    }
}

/// Routes for transport tests: `/echo`, `/record` (server side recorded into
/// `serverEvents`), `/healthz`, `/flood?n=…&size=…` which sends that many binary
/// messages at once to exercise backpressure, `/states?n=…` which sends n state messages
/// (payload: the index) each followed by a text message (the index) in one turn of the
/// I/O queue, and `/hold`, whose server side channel goes to `serverChannels` for the
/// test to drive.
public struct TestRouter: HTTPRouter {
    let serverEvents: EventQueue<ChannelEvent>
    let serverChannels: EventQueue<WebSocketChannel>
    let configuration: WebSocketConfiguration
    let limits: OutboundLimits

    public func route(_ request: HTTPRequest, connection: Connection) -> HTTPRoute {
        switch request.path {
        case "/healthz":
            return .respond(.json(200, #"{"status":"ok"}"#))
        case "/echo":
            return .webSocket(WebSocketUpgrade(configuration: configuration, outboundLimits: limits) { channel in
                channel.delegate = EchoWebSocket()
            })
        case "/record":
            let events = serverEvents
            return .webSocket(WebSocketUpgrade(configuration: configuration, outboundLimits: limits) { channel in
                let recorder = ForwardingDelegate(events: events)
                channel.delegate = recorder
            })
        case "/flood":
            let count = Int(request.query("n") ?? "") ?? 100
            let size = Int(request.query("size") ?? "") ?? 65536
            let events = serverEvents
            return .webSocket(WebSocketUpgrade(configuration: configuration, outboundLimits: limits) { channel in
                channel.delegate = ForwardingDelegate(events: events)
                let payload = [UInt8](repeating: 0x5A, count: size)
                for _ in 0..<count { channel.send(binary: payload) }
            })
        case "/states":
            let count = Int(request.query("n") ?? "") ?? 10
            return .webSocket(WebSocketUpgrade(configuration: configuration, outboundLimits: limits) { channel in
                for index in 0..<count {
                    channel.send(state: [UInt8(truncatingIfNeeded: index)])
                    channel.send(text: "\(index)")
                }
            })
        case "/hold":
            let channels = serverChannels
            let events = serverEvents
            return .webSocket(WebSocketUpgrade(configuration: configuration, outboundLimits: limits) { channel in
                channel.delegate = ForwardingDelegate(events: events)
                channels.push(channel)
            })
        default:
            return .respond(.error(404, code: "not_found", message: "no such path"))
        }
    }
}

public final class ForwardingDelegate: WebSocketChannelDelegate, Sendable {
    let events: EventQueue<ChannelEvent>
    init(events: EventQueue<ChannelEvent>) { self.events = events }
    public func webSocket(_ channel: WebSocketChannel, didReceive message: WebSocketMessage) { events.push(.message(message)) }
    public func webSocketDidClose(_ channel: WebSocketChannel, report: WebSocketCloseReport) { events.push(.closed(report)) }
}

/// An in-process server on loopback, IPv4 and IPv6, on a kernel-chosen port.
public final class TestServer: Sendable {
    public let server: HTTPServer
    public let port: UInt16
    public let serverEvents = EventQueue<ChannelEvent>()
    public let serverChannels = EventQueue<WebSocketChannel>()
    public let group: IOQueueGroup

    public init(configuration: WebSocketConfiguration = .init(), limits: OutboundLimits = .init(),
         http: HTTPServerHandler.Configuration = .init(), maxConnections: Int = 1000, tls: TLSContext? = nil) throws {
        group = IOQueueGroup(count: 2, sweepInterval: .milliseconds(20))
        let router = TestRouter(serverEvents: serverEvents, serverChannels: serverChannels, configuration: configuration,
                                limits: limits)
        let addresses = [SocketAddress(ip: "127.0.0.1", port: 0)!, SocketAddress(ip: "::1", port: 0)!]
        server = HTTPServer(listener: .init(addresses: addresses, maxConnections: maxConnections, tls: tls),
                            http: http, group: group, router: router)
        let bound = try server.start()
        port = bound[0].port
    }

    public func url(_ path: String, host: String = "127.0.0.1", secure: Bool = false) -> WebSocketURL {
        WebSocketURL("\(secure ? "wss" : "ws")://\(host.contains(":") ? "[\(host)]" : host):\(port)\(path)")!
    }

    public func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            server.shutdown(grace: .seconds(2)) { continuation.resume() }
        }
    }
}

/// Opens a client channel whose events are recorded.
public func connectClient(
    _ url: WebSocketURL, group: IOQueueGroup, options: WebSocketClient.Options = .init()
) async throws -> (WebSocketChannel, RecordingDelegate) {
    let delegate = RecordingDelegate()
    let result: Result<WebSocketChannel, WebSocketConnectError> = await withCheckedContinuation { continuation in
        WebSocketClient.connect(to: url, group: group, options: options) { result in
            if case .success(let channel) = result { channel.delegate = delegate }
            continuation.resume(returning: result)
        }
    }
    return (try result.get(), delegate)
}

/// A blocking TCP socket with a receive timeout, for speaking raw bytes at the server.
public final class RawSocket {
    public let fd: Int32

    /// - Parameter receiveBuffer: a small `SO_RCVBUF` makes a peer that does not read
    ///   fill up after a few KiB instead of megabytes.
    public init(port: UInt16, receiveTimeout: Duration = .seconds(5), receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw SocketError("connect", errno: errno) }
        var timeout = timeval(tv_sec: Int(receiveTimeout.components.seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(fd) }

    public func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    public func send(_ text: String) { send(Array(text.utf8)) }

    /// Reads until the peer closes or the timeout passes; returns everything read. On the
    /// peer's EOF it closes its own side too, as a well-behaved client would.
    public func readToEnd(limit: Int = 1 << 24) -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while result.count < limit {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { shutdown(fd, Int32(SHUT_WR)) }
            if count <= 0 { break }
            result.append(contentsOf: buffer[0..<count])
        }
        return result
    }

    /// Reads until `predicate` holds for what was read, the peer closes, or the timeout passes.
    public func read(until predicate: ([UInt8]) -> Bool) -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !predicate(result) {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            result.append(contentsOf: buffer[0..<count])
        }
        return result
    }

    /// Closes with RST instead of FIN.
    public func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Performs the upgrade on `path`; returns the status line and any bytes that came
    /// after the response head.
    public func upgrade(_ path: String) -> (statusLine: String, rest: [UInt8]) {
        send("GET \(path) HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        let bytes = read { headEnd($0) != nil }
        guard let end = headEnd(bytes) else { return ("", bytes) }
        let head = String(decoding: bytes[..<end], as: UTF8.self)
        return (String(head.split(separator: "\r\n").first ?? ""), Array(bytes[(end + 4)...]))
    }
}

public func headEnd(_ bytes: [UInt8]) -> Int? {
    guard bytes.count >= 4 else { return nil }
    for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
        return index
    }
    return nil
}

/// Parses the frames a server sent, as a client would.
public func serverFrames(_ bytes: [UInt8]) -> [WebSocketFrame] {
    var parser = WebSocketFrameParser(role: .client)
    parser.append(bytes)
    var frames: [WebSocketFrame] = []
    while let frame = try? parser.nextFrame(maxPayload: 1 << 30) { frames.append(frame) }
    return frames
}

public func maskedFrame(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true) -> [UInt8] {
    var bytes: [UInt8] = []
    WebSocketFrameEncoder.encode(opcode: opcode, fin: fin, payload: payload, maskKey: 0xA1B2_C3D4, into: &bytes)
    return bytes
}

public func closeCode(of frame: WebSocketFrame?) -> UInt16? {
    guard let frame, frame.opcode == .close, frame.payload.count >= 2 else { return nil }
    return UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1])
}
