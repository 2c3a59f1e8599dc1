import ArgumentParser
import AtriumNet
import AtriumWebSocket
import Foundation
import Synchronization

/// The transport alone, against a server started with `--echo`: handshakes per second,
/// echo round trips over many connections, broadcast fan-out, and memory per idle
/// connection. Loopback only.
struct TransportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transport", abstract: "Handshakes, echo, fan-out, idle memory.")

    @Option(help: "Server origin, e.g. ws://127.0.0.1:8080") var server = "ws://127.0.0.1:8080"
    @Option(help: "The server's process id, to read its resident memory.") var serverPid: Int32?
    @Option(help: "Handshakes to perform (0 skips).") var handshakes = 5000
    @Option(help: "Echo connections (0 skips).") var echoConnections = 1000
    @Option(help: "Seconds of echo traffic.") var echoSeconds = 10.0
    @Option(help: "Fan-out sizes, comma-separated (empty skips).") var fanout = "1000,5000"
    @Option(help: "Messages broadcast per fan-out run.") var fanoutMessages = 50
    @Option(help: "Idle connections for the memory figure (0 skips).") var idle = 10_000
    @Option(help: "Client I/O queues.") var queues = 1

    func run() async throws {
        let group = IOQueueGroup(count: queues, sweepInterval: .milliseconds(100))
        let noCompression = WebSocketClient.Options(configuration: WebSocketConfiguration(compression: .disabled),
                                                    timeout: .seconds(30))
        if handshakes > 0 {
            let rate = await Self.handshakes(count: handshakes, url: url("/echo"), group: group, options: noCompression)
            print(String(format: "handshakes: %d in %.2f s = %.0f per second", handshakes, rate.seconds, Double(handshakes) / rate.seconds))
        }
        if echoConnections > 0 {
            let echo = try await Self.echo(connections: echoConnections, seconds: echoSeconds, url: url("/echo"), group: group,
                                           options: noCompression)
            print(String(format: "echo: %d connections, %llu round trips in %.0f s (%.0f/s), RTT p50 %.3f ms, p99 %.3f ms, max %.3f ms",
                         echoConnections, echo.count, echoSeconds, Double(echo.count) / echoSeconds, echo.p50, echo.p99, echo.maxMs))
        }
        for size in fanout.split(separator: ",").compactMap({ Int($0) }) {
            let frames = try await Self.fanout(members: size, messages: fanoutMessages, url: url("/fanout"), group: group,
                                               options: noCompression)
            print(String(format: "fan-out: 1 message to %d connections × %d messages: %.0f frames per second delivered",
                         size, fanoutMessages, frames))
        }
        if idle > 0, let serverPid {
            let (before, after) = try await Self.idleMemory(count: idle, pid: serverPid, url: url("/echo"), group: group,
                                                            options: noCompression)
            print(String(format: "idle: %d WebSocket connections: server resident %.1f MiB → %.1f MiB = %.2f KiB per connection",
                         idle, Double(before) / 1048576, Double(after) / 1048576, Double(after - before) / 1024 / Double(idle)))
        }
    }

    func url(_ path: String) -> WebSocketURL {
        WebSocketURL(server + path)!
    }

    static func connect(_ url: WebSocketURL, group: IOQueueGroup, options: WebSocketClient.Options,
                        delegate: @escaping @Sendable () -> any WebSocketChannelDelegate) async throws -> WebSocketChannel {
        let result: Result<WebSocketChannel, WebSocketConnectError> = await withCheckedContinuation { continuation in
            WebSocketClient.connect(to: url, group: group, options: options) { result in
                if case .success(let channel) = result { channel.delegate = delegate() }
                continuation.resume(returning: result)
            }
        }
        return try result.get()
    }

    /// Opens and closes connections, 64 at a time.
    static func handshakes(count: Int, url: WebSocketURL, group: IOQueueGroup, options: WebSocketClient.Options) async -> Duration {
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { tasks in
            let perWorker = count / 64
            for _ in 0..<64 {
                tasks.addTask {
                    for _ in 0..<perWorker {
                        let closed = Closed()
                        if let channel = try? await connect(url, group: group, options: options, delegate: { closed }) {
                            channel.close()
                            await closed.wait()
                        }
                    }
                }
            }
        }
        return started.duration(to: .now)
    }

    static func echo(connections: Int, seconds: Double, url: WebSocketURL, group: IOQueueGroup,
                     options: WebSocketClient.Options) async throws -> Timings {
        let timings = SharedTimings()
        let deadline = ContinuousClock.now + .seconds(seconds)
        var channels: [WebSocketChannel] = []
        let payload = [UInt8](repeating: 0x61, count: 32)
        for _ in 0..<connections {
            let pinger = Pinger(payload: payload, deadline: deadline, timings: timings)
            let channel = try await connect(url, group: group, options: options) { pinger }
            channels.append(channel)
        }
        // Everyone starts at once, after all are connected.
        let start = ContinuousClock.now
        let measured = Pinger.Start(deadline: start + .seconds(seconds))
        for channel in channels { (channel.delegate as? Pinger)?.begin(on: channel, measured) }
        try await Task.sleep(for: .seconds(seconds + 0.5))
        channels.forEach { $0.close() }
        return timings.value.withLock { $0 }
    }

    static func fanout(members: Int, messages: Int, url: WebSocketURL, group: IOQueueGroup,
                       options: WebSocketClient.Options) async throws -> Double {
        let counter = Counter(expected: members * messages)
        var channels: [WebSocketChannel] = []
        for _ in 0..<members {
            channels.append(try await connect(url, group: group, options: options) { counter })
        }
        let started = ContinuousClock.now
        for index in 0..<messages { channels[0].send(text: "broadcast \(index)") }
        await counter.wait()
        let elapsed = started.duration(to: .now)
        channels.forEach { $0.close() }
        try await Task.sleep(for: .milliseconds(500))
        return Double(members * messages) / elapsed.seconds
    }

    static func idleMemory(count: Int, pid: Int32, url: WebSocketURL, group: IOQueueGroup,
                           options: WebSocketClient.Options) async throws -> (Int, Int) {
        try await Task.sleep(for: .seconds(1))
        let before = residentBytes(pid)
        var channels: [WebSocketChannel] = []
        channels.reserveCapacity(count)
        for _ in 0..<count {
            channels.append(try await connect(url, group: group, options: options) { Closed() })
        }
        try await Task.sleep(for: .seconds(2))
        let after = residentBytes(pid)
        channels.forEach { $0.close() }
        try await Task.sleep(for: .seconds(1))
        return (before, after)
    }

    static func residentBytes(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kilobytes * 1024
        }
        return 0
    }
}

/// Resumes a waiter when the channel closes.
final class Closed: WebSocketChannelDelegate, @unchecked Sendable {
    private let state = Mutex<(closed: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))
    func webSocket(_ channel: WebSocketChannel, didReceive message: WebSocketMessage) {}
    func webSocketDidClose(_ channel: WebSocketChannel, report: WebSocketCloseReport) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
    func wait() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.closed { return true }
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }
}

/// Sends a message, times the echo, sends the next, until the deadline.
final class Pinger: WebSocketChannelDelegate, @unchecked Sendable {
    struct Start: Sendable { var deadline: ContinuousClock.Instant }
    let payload: [UInt8]
    let timings: SharedTimings
    private var sentAt = ContinuousClock.now
    private var deadline: ContinuousClock.Instant
    private var local = Timings()

    init(payload: [UInt8], deadline: ContinuousClock.Instant, timings: SharedTimings) {
        self.payload = payload
        self.deadline = deadline
        self.timings = timings
    }

    func begin(on channel: WebSocketChannel, _ start: Start) {
        channel.connection.ioQueue.queue.async { [self] in
            deadline = start.deadline
            sentAt = .now
            channel.send(.text(String(decoding: payload, as: UTF8.self)))
        }
    }

    func webSocket(_ channel: WebSocketChannel, didReceive message: WebSocketMessage) {
        let now = ContinuousClock.now
        local.record(sentAt.duration(to: now))
        guard now < deadline else {
            let finished = local
            local = Timings()
            timings.value.withLock { $0.add(finished) }
            return
        }
        sentAt = now
        channel.send(message)
    }

    func webSocketDidClose(_ channel: WebSocketChannel, report: WebSocketCloseReport) {}
}

/// Counts received frames until the expected number arrived.
final class Counter: WebSocketChannelDelegate, @unchecked Sendable {
    private let state: Mutex<(count: Int, waiter: CheckedContinuation<Void, Never>?)>
    let expected: Int
    init(expected: Int) {
        self.expected = expected
        state = Mutex((0, nil))
    }
    func webSocket(_ channel: WebSocketChannel, didReceive message: WebSocketMessage) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.count += 1
            guard state.count == expected else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
    func webSocketDidClose(_ channel: WebSocketChannel, report: WebSocketCloseReport) {}
    func wait() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.count >= expected { return true }
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }
}

final class SharedTimings: Sendable {
    let value = Mutex(Timings())
}
