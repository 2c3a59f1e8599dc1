import ArgumentParser
import AtriumCluster
import AtriumClusterPostgres
import AtriumPostgres
import Dispatch
import Foundation
import Histogram
import Synchronization

/// The bus between nodes on PostgreSQL: node "a" publishes announcements at a fixed rate
/// (open loop), node "b" listens on its own connections, and each event's time from
/// `publish` to b's notification is recorded, as is the time to a's commit. Both nodes
/// live in this process (so one clock times both ends) but share nothing except the
/// database. Run by `tools/bench-bus`.
struct BusBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bus", abstract: "Node-to-node latency of the PostgreSQL bus.")

    @Option(help: "The postgres:// URL of the cluster's database.") var store: String
    @Option(help: "Events to publish.") var events = 2000
    @Option(help: "Events per second offered.") var rate = 200.0

    func run() async throws {
        let configuration = PostgresConfiguration(url: store)
        let a = try PostgresCluster(configuration: configuration)
        let b = try PostgresCluster(configuration: configuration)
        defer {
            a.close()
            b.close()
        }
        let state = Mutex((delivery: Self.histogram(), commit: Self.histogram(), delivered: 0, failed: 0))
        let sent = Mutex([String: UInt64]())
        let listening = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let total = events
        b.bus.subscribe(connected: { listening.signal() }, notified: { _, envelope in
            let now = DispatchTime.now().uptimeNanoseconds
            guard case .announcement(let text, _, _)? = envelope?.event, let start = sent.withLock({ $0[text] }) else { return }
            let done = state.withLock { state -> Bool in
                state.delivery.record((now - start) / 1000)
                state.delivered += 1
                return state.delivered + state.failed == total
            }
            if done { finished.signal() }
        })
        listening.wait()
        let interval = Duration.seconds(1 / rate)
        var next = ContinuousClock.now
        let begin = next
        for index in 0..<total {
            try await Task.sleep(until: next, clock: .continuous)
            let text = "bench \(index)"
            let start = DispatchTime.now().uptimeNanoseconds
            sent.withLock { $0[text] = start }
            a.bus.publish(.announcement(text: text, from: "bench", room: nil), origin: "a") { result in
                let now = DispatchTime.now().uptimeNanoseconds
                let done = state.withLock { state -> Bool in
                    if case .success = result { state.commit.record((now - start) / 1000) } else { state.failed += 1 }
                    return state.failed > 0 && state.delivered + state.failed == total
                }
                if done { finished.signal() }
            }
            next += interval
        }
        _ = finished.wait(timeout: .now() + 30)
        let wall = begin.duration(to: .now)
        state.withLock { state in
            func ms(_ histogram: Histogram<UInt64>, _ q: Double) -> Double { Double(histogram.valueAtPercentile(q)) / 1000 }
            print(String(format: "bus: %d of %d events delivered node to node in %.1f s (offered %.0f/s), %d failed; "
                             + "publish → other node's notification p50 %.2f ms, p99 %.2f ms, max %.2f ms; publish → commit p50 %.2f ms, p99 %.2f ms",
                         state.delivered, total, Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18, rate,
                         state.failed, ms(state.delivery, 50), ms(state.delivery, 99), Double(state.delivery.max) / 1000,
                         ms(state.commit, 50), ms(state.commit, 99)))
        }
    }

    static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    }
}
