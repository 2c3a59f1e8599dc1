import AtriumCluster
import AtriumClusterPostgres
import AtriumPostgres
import AtriumPostgresTestSupport
import Dispatch
import Foundation
import Synchronization
import Testing

/// The directories and buses the contract runs against.
enum ClusterKind: String, CaseIterable, CustomTestStringConvertible {
    case memory, postgres

    var testDescription: String { rawValue }
}

/// A shared directory and bus under test, seen from as many nodes as a test asks for: in
/// memory one object for all; on PostgreSQL a fresh database per test and, per node, its
/// own connections (so two nodes really race inside PostgreSQL).
final class ClusterFixture: Sendable {
    let kind: ClusterKind
    private let memory: InMemoryCluster
    private let clock = ManualClock()
    private let url: String?
    private let opened = Mutex<[PostgresCluster]>([])

    init(_ kind: ClusterKind) async throws {
        self.kind = kind
        let clock = clock
        memory = InMemoryCluster(clock: { clock.now }, wallClock: { Int64(Date().timeIntervalSince1970 * 1000) })
        url = kind == .postgres ? try await PostgresTestServer.shared().makeDatabase(prefix: "atrium_cluster") : nil
    }

    deinit {
        close()
    }

    func close() {
        opened.withLock { $0 }.forEach { $0.close() }
    }

    /// One node's directory and bus.
    func node() throws -> (directory: any ClusterDirectory, bus: any ClusterBus) {
        guard let url else { return (memory, memory) }
        let cluster = try PostgresCluster(configuration: PostgresConfiguration(url: url))
        opened.withLock { $0.append(cluster) }
        return (cluster.directory, cluster.bus)
    }

    /// Lets a lease of `lease` taken on `instance` run out: the clock moves in memory;
    /// PostgreSQL's clock is waited for until the directory no longer lists the instance.
    func expire(_ instance: RoomInstance, lease: Duration, in directory: any ClusterDirectory) async throws {
        switch kind {
        case .memory:
            clock.advance(by: lease + .milliseconds(1))
        case .postgres:
            try await waitUntil(within: lease + .seconds(5), "the lease on \(instance) to expire") {
                try await directory.lookup(room: instance.room).contains { $0.instance == instance } == false
            }
        }
    }

    /// A lease long enough not to run out during a test, or one that runs out soon after
    /// it is taken (in memory only when the clock is moved).
    static let long = Duration.seconds(60)
    static let short = Duration.milliseconds(300)
}

/// The in-memory directory's clock, moved by the tests.
final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    var now: ContinuousClock.Instant { instant.withLock { $0 } }

    func advance(by duration: Duration) {
        instant.withLock { $0 += duration }
    }
}

struct Timeout: Error, CustomStringConvertible {
    var description: String
}

/// Polls `condition` every 20 ms until it holds or `limit` passes.
func waitUntil(within limit: Duration, _ what: String, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw Timeout(description: "waited \(limit) for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

extension ClusterDirectory {
    func claim(_ instance: RoomInstance, node: String, lease: Duration = ClusterFixture.long) async -> ClaimAnswer {
        await withCheckedContinuation { continuation in claim(instance, node: node, lease: lease) { continuation.resume(returning: $0) } }
    }

    func renew(_ instance: RoomInstance, node: String, generation: Int64, population: Int = 0,
               lease: Duration = ClusterFixture.long) async -> RenewAnswer {
        await withCheckedContinuation { continuation in
            renew(instance, node: node, generation: generation, lease: lease, population: population) { continuation.resume(returning: $0) }
        }
    }

    func release(_ instance: RoomInstance, node: String, generation: Int64) async {
        await withCheckedContinuation { continuation in release(instance, node: node, generation: generation) { continuation.resume() } }
    }

    func lookup(room: String?) async throws -> [DirectoryEntry] {
        try await withCheckedContinuation { continuation in lookup(room: room) { continuation.resume(returning: $0) } }.get()
    }
}

extension ClusterBus {
    func publish(_ event: ClusterEvent, origin: String) async throws -> Int64 {
        try await withCheckedContinuation { continuation in publish(event, origin: origin) { continuation.resume(returning: $0) } }.get()
    }

    func read(after id: Int64, limit: Int = 100) async throws -> [BusEnvelope] {
        try await withCheckedContinuation { continuation in read(after: id, limit: limit) { continuation.resume(returning: $0) } }.get()
    }

    func cursor(node: String) async throws -> Int64? {
        try await withCheckedContinuation { continuation in cursor(node: node) { continuation.resume(returning: $0) } }.get()
    }

    func latestID() async throws -> Int64 {
        try await withCheckedContinuation { continuation in latestID { continuation.resume(returning: $0) } }.get()
    }
}

/// A node's reading of the bus as the server does it: a ``BusFollower`` fed by the bus's
/// callbacks on one serial queue, recording what it applied.
final class FollowerDriver: @unchecked Sendable {
    private let bus: any ClusterBus
    private let queue = DispatchQueue(label: "test.follower")
    /// Touched only on `queue`.
    private var follower: BusFollower
    private let applied = Mutex<[BusEnvelope]>([])
    private let connections = Atomic<Int>(0)

    init(bus: any ClusterBus, cursor: Int64) {
        self.bus = bus
        follower = BusFollower(cursor: cursor, now: .now)
    }

    var events: [BusEnvelope] { applied.withLock { $0 } }
    var connectedCount: Int { connections.load(ordering: .relaxed) }

    func start() {
        bus.subscribe(connected: { [self] in
            connections.add(1, ordering: .relaxed)
            queue.async { [self] in run(follower.connected()) }
        }, notified: { [self] id, envelope in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            queue.async { [self] in run(follower.notified(id: id, envelope: envelope, nowMilliseconds: now)) }
        })
    }

    private func run(_ actions: [BusAction]) {
        for action in actions {
            switch action {
            case .read(let after, let limit):
                bus.read(after: after, limit: limit) { [self] result in
                    let now = Int64(Date().timeIntervalSince1970 * 1000)
                    queue.async { [self] in
                        switch result {
                        case .success(let rows): run(follower.read(rows, nowMilliseconds: now))
                        case .failure: follower.readFailed(now: .now)
                        }
                    }
                }
            case .apply(let envelope):
                applied.withLock { $0.append(envelope) }
            case .saveCursor:
                break
            }
        }
    }
}
