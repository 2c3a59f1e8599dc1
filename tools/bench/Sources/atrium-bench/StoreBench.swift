import ArgumentParser
import AtriumClient
import AtriumProtocol
import Foundation
import Histogram
import Logging
import Synchronization

/// Durable writes through a running server, as a visitor makes them: writers stand at a
/// board, post notes and toggle reactions at a fixed total rate (open loop: a slow
/// acknowledgement does not slow the offered load), and every write's time from send to
/// acknowledgement is recorded. The acknowledgement comes only after the commit, so this
/// is the latency a visitor sees for "saved". Run by `tools/bench-store`, which also puts
/// a busy room beside it and reads the tick times from `/metrics`.
struct StoreBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "store", abstract: "Note and reaction writes with their acknowledgement latency.")

    @Option(help: "The server's /ws URL.") var url = "ws://127.0.0.1:8080/ws"
    @Option(help: "Room with a board exhibit.") var room = "plaza"
    @Option(help: "The board's exhibit id.") var board = "plaza-wall"
    @Option(help: "Where the writers stand, in tiles: X,Y (within the board's radius).") var stand = "44,16"
    @Option(help: "Writer connections.") var writers = 50
    @Option(help: "Writes per second offered, all writers together.") var rate = 1000.0
    @Option(help: "Seconds of writing.") var seconds = 30.0
    @Option(help: "Share of writes that are reactions (the rest are notes), 0…1.") var reactions = 0.5
    @Option(help: "Save the server's /metrics to PREFIX.before and PREFIX.after around the writing (needs curl).")
    var metricsSnapshot: String?

    func run() async throws {
        let queues = ClientQueues(count: 1, timeoutResolution: .milliseconds(100))
        let parts = stand.split(separator: ",").compactMap { Int($0) }
        guard parts.count == 2 else { throw ValidationError("--stand takes X,Y") }
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }

        var clients: [AtriumClient] = []
        for index in 0..<writers {
            let configuration = ClientConfiguration(url: url + "?room=\(room)", name: "writer \(index)",
                                                    reconnect: .init(isEnabled: false), queues: queues, logger: quiet)
            let client = try AtriumClient(configuration: configuration)
            _ = try await client.connect()
            client.walk(toX: parts[0] * 64 + 32, y: parts[1] * 64 + 32)
            clients.append(client)
        }
        // Walking there takes a few seconds; each writer tries to open the board until it
        // is within reach (the server answers too_far until then).
        let reachDeadline = ContinuousClock.now + .seconds(60)
        for client in clients {
            while try await !Self.open(board, with: client, before: reachDeadline) {
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        print("\(writers) writers at the board; writing \(Int(rate))/s for \(Int(seconds)) s…")

        try snapshot("before")
        let recorder = SharedRecorder()
        let board = board, reactions = reactions, connected = clients
        let interval = Duration.seconds(Double(writers) / rate)
        let start = ContinuousClock.now
        let end = start + .seconds(seconds)
        await withTaskGroup(of: Void.self) { tasks in
            for (index, client) in connected.enumerated() {
                tasks.addTask {
                    // Writers start spread over one interval so the load is even.
                    var next = start + interval * (Double(index) / Double(connected.count))
                    var counter = 0
                    var reactionOn: [ReactionName: Bool] = [:]
                    await withTaskGroup(of: Void.self) { writes in
                        while next < end {
                            try? await Task.sleep(until: next, clock: .continuous)
                            counter += 1
                            let isReaction = Double((index &* 7919 &+ counter) % 1000) / 1000 < reactions
                            let kind = ReactionName.allCases[counter % ReactionName.allCases.count]
                            let on = !(reactionOn[kind] ?? false)
                            if isReaction { reactionOn[kind] = on }
                            let text = "bench note \(index)-\(counter)"
                            let sent = ContinuousClock.now
                            writes.addTask {
                                let failure: String?
                                do {
                                    if isReaction {
                                        _ = try await client.react(kind, on: board, on: on)
                                    } else {
                                        _ = try await client.postNote(text, on: board)
                                    }
                                    failure = nil
                                } catch {
                                    failure = "\(error)"
                                }
                                let elapsed = sent.duration(to: .now)
                                recorder.state.withLock { $0.record(elapsed, failure: failure, reaction: isReaction) }
                            }
                            next += interval
                        }
                    }
                }
            }
        }
        let wall = start.duration(to: .now)
        try snapshot("after")
        clients.forEach { $0.close() }
        recorder.state.withLock { print($0.summary(wall: wall)) }
    }

    /// The server's metrics at this moment, for the tick times of exactly the writing window.
    func snapshot(_ suffix: String) throws {
        guard let prefix = metricsSnapshot, let wsURL = URL(string: url), let host = wsURL.host, let port = wsURL.port else { return }
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sf", "-o", "\(prefix).\(suffix)", "http://\(host):\(port)/metrics"]
        try curl.run()
        curl.waitUntilExit()
        guard curl.terminationStatus == 0 else { throw ValidationError("could not read http://\(host):\(port)/metrics") }
    }

    /// Opens the exhibit; false while it is still out of reach.
    static func open(_ board: String, with client: AtriumClient, before deadline: ContinuousClock.Instant) async throws -> Bool {
        let result: Result<ServerMessages.Exhibit, AtriumClientError>
        do {
            result = .success(try await client.openExhibit(board))
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success: return true
        case .failure(.rejected(.tooFar, _)) where ContinuousClock.now < deadline: return false
        case .failure(let error): throw error
        }
    }
}

final class SharedRecorder: Sendable {
    let state = Mutex(Recorder())
}

/// Acknowledgement latencies and failures of the store benchmark.
struct Recorder {
    var latencies = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    var notes = 0
    var reactions = 0
    var failures: [String: Int] = [:]

    mutating func record(_ elapsed: Duration, failure: String?, reaction: Bool) {
        if let failure {
            failures[failure, default: 0] += 1
            return
        }
        let micros = UInt64(max(0, elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000))
        latencies.record(min(micros, 60_000_000))
        if reaction { reactions += 1 } else { notes += 1 }
    }

    func summary(wall: Duration) -> String {
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        func ms(_ q: Double) -> Double { Double(latencies.valueAtPercentile(q)) / 1000 }
        var text = String(format: "store: %d acknowledged writes (%d notes, %d reactions) in %.1f s = %.0f/s; ack p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                          notes + reactions, notes, reactions, seconds, Double(notes + reactions) / seconds,
                          ms(50), ms(99), Double(latencies.max) / 1000)
        if !failures.isEmpty {
            text += "\nfailures: " + failures.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        }
        return text
    }
}
