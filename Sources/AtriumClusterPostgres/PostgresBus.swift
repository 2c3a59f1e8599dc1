import AtriumCluster
import AtriumPostgres
import FoundationEssentials
import Synchronization

/// The bus between nodes on PostgreSQL: every event is a row of `cluster_events` and a
/// `NOTIFY atrium_bus` sent in the same transaction, so an event is either durable and
/// announced or neither. Listeners apply the notification's payload (the whole envelope)
/// at once and read the rows after their cursor whenever they (re)connect or notice a gap,
/// which is how a node catches up on what happened while it was down.
///
/// **Ids in commit order.** A follower takes "every row after my cursor" as everything it
/// has not seen, so an id must never become visible after a higher one. With a sequence
/// it could: two publishers take ids 6 and 7, 7 commits first, a follower reads 7 and
/// moves its cursor past 6, which commits a moment later and is never applied. Reading
/// only up to a safe horizon (the oldest transaction still running) would avoid that at
/// the price of tracking transaction ids and delaying every reader behind the slowest
/// publisher. Instead each publisher takes `pg_advisory_xact_lock` first and numbers its
/// row `max(id) + 1` after it: the lock is held until commit, so the next publisher
/// numbers only after the previous one committed. Ids are then given in commit order and
/// without gaps (a publisher that rolls back leaves no id behind). The cost is that
/// publishes across the cluster commit one at a time, a few hundred per second with
/// synchronous commits, far above the rate of announcements, revocations, bans and quiz
/// steps.
///
/// Publishing, reading and cursors share one connection (pipelined); notifications arrive
/// on a second, listening one.
public final class PostgresBus: ClusterBus, Sendable {
    /// The channel every node listens on.
    public static let channel = "atrium_bus"

    private let connection: PostgresConnection
    private let listener: PostgresConnection
    private let subscribers: Subscribers
    private let wallClock: @Sendable () -> Int64

    /// - Parameters:
    ///   - connection: a started connection on a database migrated by ``PostgresCluster``.
    ///   - listenerConfiguration: where the listening connection goes (the same database);
    ///     the bus opens, starts and closes it.
    ///   - wallClock: milliseconds since the Unix epoch, stamped on published events.
    public init(connection: PostgresConnection, listenerConfiguration: PostgresConfiguration,
                wallClock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.connection = connection
        self.wallClock = wallClock
        let subscribers = Subscribers()
        self.subscribers = subscribers
        listener = PostgresConnection(configuration: listenerConfiguration, label: "atrium.cluster.bus.listener") { event in
            subscribers.handle(event)
        }
        listener.listen(Self.channel)
        listener.start()
    }

    /// Stops listening; the shared connection is its owner's to close.
    public func close() {
        listener.close()
    }

    public func publish(_ event: ClusterEvent, origin: String, completion: @escaping @Sendable (Result<Int64, DirectoryError>) -> Void) {
        let json = String(decoding: BusEnvelope.encode(event), as: UTF8.self)
        guard !json.isEmpty, json.utf8.count <= BusEnvelope.maxEventBytes else {
            return completion(.failure(DirectoryError("an event must encode to 1…\(BusEnvelope.maxEventBytes) bytes of JSON")))
        }
        guard NodeName.isValid(origin) else { return completion(.failure(DirectoryError("not a node name: \(origin)"))) }
        connection.transaction([
            PostgresStatement("SELECT pg_advisory_xact_lock($1)", [.int(PostgresClusterSchema.publishLockKey)]),
            PostgresStatement("""
                WITH inserted AS (
                    INSERT INTO cluster_events (id, time, origin, event)
                    SELECT coalesce(max(id), 0) + 1, $1, $2, $3 FROM cluster_events
                    RETURNING id)
                SELECT id, pg_notify('\(Self.channel)', id::text || ' ' || $1::text || ' ' || $2 || ' ' || $3) FROM inserted
                """, [.int(wallClock()), .text(origin), .text(json)]),
        ]) { result in
            completion(result.flatMap { results in
                results[1].rows.first?.int(0).map { .success($0) } ?? .failure(PostgresError(.protocolViolation, "no id returned"))
            }.mapError { DirectoryError($0.description) })
        }
    }

    public func read(after id: Int64, limit: Int, completion: @escaping @Sendable (Result<[BusEnvelope], DirectoryError>) -> Void) {
        connection.transaction([PostgresStatement("SELECT id, time, origin, event FROM cluster_events WHERE id > $1 ORDER BY id LIMIT $2",
                                                  [.int(id), .int(Int64(max(1, limit)))])], idempotent: true) { result in
            completion(result.map { results in
                // A row this version cannot read (an event type added later) is passed over.
                results[0].rows.compactMap { row -> BusEnvelope? in
                    guard let id = row.int(0), let time = row.int(1), let origin = row.text(2), let json = row.text(3),
                          let event = BusEnvelope.decodeEvent(Array(json.utf8)) else { return nil }
                    return BusEnvelope(id: id, time: time, origin: origin, event: event)
                }
            }.mapError { DirectoryError($0.description) })
        }
    }

    public func cursor(node: String, completion: @escaping @Sendable (Result<Int64?, DirectoryError>) -> Void) {
        connection.transaction([PostgresStatement("SELECT cursor FROM cluster_cursors WHERE node = $1", [.text(node)])],
                               idempotent: true) { result in
            completion(result.map { $0[0].rows.first?.int(0) }.mapError { DirectoryError($0.description) })
        }
    }

    public func saveCursor(node: String, cursor: Int64) {
        connection.transaction([PostgresStatement("""
            INSERT INTO cluster_cursors (node, cursor) VALUES ($1, $2) ON CONFLICT (node) DO UPDATE SET cursor = EXCLUDED.cursor
            """, [.text(node), .int(cursor)])], idempotent: true) { _ in }
    }

    public func latestID(completion: @escaping @Sendable (Result<Int64, DirectoryError>) -> Void) {
        connection.transaction([PostgresStatement("SELECT coalesce(max(id), 0) FROM cluster_events")], idempotent: true) { result in
            completion(result.map { $0[0].rows.first?.int(0) ?? 0 }.mapError { DirectoryError($0.description) })
        }
    }

    public func subscribe(connected: @escaping @Sendable () -> Void, notified: @escaping @Sendable (Int64, BusEnvelope?) -> Void) {
        subscribers.add(connected: connected, notified: notified)
    }
}

/// Who listens, and whether the listening connection is up. `connected` runs whenever
/// it (re)connects, after its `LISTEN` took effect, and at once for a subscriber that
/// comes while it is up.
private final class Subscribers: Sendable {
    private struct Subscriber {
        var connected: @Sendable () -> Void
        var notified: @Sendable (Int64, BusEnvelope?) -> Void
    }

    private struct State {
        var isListening = false
        var subscribers: [Subscriber] = []
    }

    private let state = Mutex(State())

    func add(connected: @escaping @Sendable () -> Void, notified: @escaping @Sendable (Int64, BusEnvelope?) -> Void) {
        let isListening = state.withLock { state in
            state.subscribers.append(Subscriber(connected: connected, notified: notified))
            return state.isListening
        }
        if isListening { connected() }
    }

    func handle(_ event: PostgresConnection.Event) {
        switch event {
        case .connected:
            let subscribers = state.withLock { state in
                state.isListening = true
                return state.subscribers
            }
            subscribers.forEach { $0.connected() }
        case .disconnected:
            state.withLock { $0.isListening = false }
        case .notification(let notification):
            guard notification.channel == PostgresBus.channel,
                  let id = notification.payload.split(separator: " ", maxSplits: 1).first.flatMap({ Int64($0) }) else { return }
            let envelope = BusEnvelope(notificationPayload: notification.payload)
            let subscribers = state.withLock { $0.subscribers }
            subscribers.forEach { $0.notified(id, envelope) }
        }
    }
}
