import Synchronization

/// A directory and a bus shared by servers in one process, for tests: the same atomic
/// rules as PostgreSQL's statements, with an injectable clock for expiry.
public final class InMemoryCluster: ClusterDirectory, ClusterBus, Sendable {
    private struct Row {
        var owner: LeaseOwner
        var expires: ContinuousClock.Instant
        var population: Int
    }

    private struct State {
        var rows: [RoomInstance: Row] = [:]
        var generations: [RoomInstance: Int64] = [:]
        var events: [BusEnvelope] = []
        var cursors: [String: Int64] = [:]
        var subscribers: [(connected: @Sendable () -> Void, notified: @Sendable (Int64, BusEnvelope?) -> Void)] = []
    }

    private let state = Mutex(State())
    private let clock: @Sendable () -> ContinuousClock.Instant
    private let wallClock: @Sendable () -> Int64

    public init(clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
                wallClock: @escaping @Sendable () -> Int64) {
        self.clock = clock
        self.wallClock = wallClock
    }

    // MARK: Directory

    public func claim(_ instance: RoomInstance, node: String, lease: Duration, completion: @escaping @Sendable (ClaimAnswer) -> Void) {
        let now = clock()
        let answer = state.withLock { state -> ClaimAnswer in
            if let row = state.rows[instance], row.expires > now { return .heldBy(row.owner) }
            let generation = (state.generations[instance] ?? 0) + 1
            state.generations[instance] = generation
            state.rows[instance] = Row(owner: LeaseOwner(node: node, generation: generation), expires: now + lease, population: 0)
            return .granted(generation: generation)
        }
        completion(answer)
    }

    public func renew(_ instance: RoomInstance, node: String, generation: Int64, lease: Duration, population: Int,
                      completion: @escaping @Sendable (RenewAnswer) -> Void) {
        let now = clock()
        let answer = state.withLock { state -> RenewAnswer in
            guard var row = state.rows[instance], row.owner == LeaseOwner(node: node, generation: generation), row.expires > now
            else { return .lost }
            row.expires = now + lease
            row.population = population
            state.rows[instance] = row
            return .renewed
        }
        completion(answer)
    }

    public func release(_ instance: RoomInstance, node: String, generation: Int64, completion: @escaping @Sendable () -> Void) {
        state.withLock { state in
            if state.rows[instance]?.owner == LeaseOwner(node: node, generation: generation) { state.rows[instance] = nil }
        }
        completion()
    }

    public func lookup(room: String?, completion: @escaping @Sendable (Result<[DirectoryEntry], DirectoryError>) -> Void) {
        let now = clock()
        let entries = state.withLock { state in
            state.rows.filter { (room == nil || $0.key.room == room) && $0.value.expires > now }
                .map { DirectoryEntry(instance: $0.key, owner: $0.value.owner, population: $0.value.population) }
                .sorted { $0.instance < $1.instance }
        }
        completion(.success(entries))
    }

    // MARK: Bus

    public func publish(_ event: ClusterEvent, origin: String, completion: @escaping @Sendable (Result<Int64, DirectoryError>) -> Void) {
        let time = wallClock()
        let (envelope, subscribers) = state.withLock { state in
            let envelope = BusEnvelope(id: Int64(state.events.count + 1), time: time, origin: origin, event: event)
            state.events.append(envelope)
            return (envelope, state.subscribers)
        }
        completion(.success(envelope.id))
        for subscriber in subscribers { subscriber.notified(envelope.id, envelope) }
    }

    public func read(after id: Int64, limit: Int, completion: @escaping @Sendable (Result<[BusEnvelope], DirectoryError>) -> Void) {
        let rows = state.withLock { state in Array(state.events.filter { $0.id > id }.prefix(limit)) }
        completion(.success(rows))
    }

    public func cursor(node: String, completion: @escaping @Sendable (Result<Int64?, DirectoryError>) -> Void) {
        completion(.success(state.withLock { $0.cursors[node] }))
    }

    public func saveCursor(node: String, cursor: Int64) {
        state.withLock { $0.cursors[node] = cursor }
    }

    public func latestID(completion: @escaping @Sendable (Result<Int64, DirectoryError>) -> Void) {
        completion(.success(state.withLock { Int64($0.events.count) }))
    }

    public func subscribe(connected: @escaping @Sendable () -> Void, notified: @escaping @Sendable (Int64, BusEnvelope?) -> Void) {
        state.withLock { $0.subscribers.append((connected, notified)) }
        connected()
    }
}
