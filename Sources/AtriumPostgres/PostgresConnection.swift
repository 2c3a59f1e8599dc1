import CLibPQ
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// One PostgreSQL connection driven without ever waiting on the network: libpq's
/// asynchronous API (`PQconnectStartParams`/`PQconnectPoll`, `PQsendQueryParams`,
/// `PQconsumeInput`/`PQisBusy`/`PQgetResult`, `PQnotifies`) in pipeline and non-blocking
/// mode, its socket watched by Dispatch sources, all on the connection's own serial queue.
/// No caller's queue ever runs a libpq function.
///
/// The unit of work is a transaction: a list of statements that PostgreSQL runs as one
/// implicit transaction (they are followed by one Sync), committed when the completion
/// reports success. Up to ``PostgresConfiguration/maxInFlight`` transactions are sent
/// ahead of their results, so many small requests cost one round trip, not one each.
///
/// When the connection breaks it reconnects with backoff, re-issues its `LISTEN`s and
/// reports ``Event/connected`` again, which is when a listener should catch up on what
/// it missed. Requests wait while it is away, each until its deadline; a transaction that
/// was in flight when the link broke fails with ``PostgresError/Kind/connectionLost``
/// (it may or may not have committed) unless it was submitted as idempotent, in which
/// case it is sent again.
///
/// The work is split by concern: connecting and starting over (`+Connecting`), the
/// pipeline (`+Pipeline`), deadlines (`+Deadlines`), libpq's statement and result
/// formats (``PostgresWire``), and the queue of requests not yet sent
/// (``PostgresRequestQueue``).
///
/// `@unchecked Sendable`: every mutable property below is touched only on `queue` (here
/// and in the extensions); the public methods hop onto it.
public final class PostgresConnection: @unchecked Sendable {
    public enum Event: Sendable, Equatable {
        /// Connected and set up (session settings applied, channels listened to).
        case connected
        /// The connection broke or an attempt failed; a new attempt follows after a wait.
        case disconnected(PostgresError)
        case notification(PostgresNotification)
    }

    public typealias Completion = @Sendable (Result<[PostgresResult], PostgresError>) -> Void

    public let configuration: PostgresConfiguration
    let queue: DispatchQueue
    let onEvent: (@Sendable (Event) -> Void)?
    let random: @Sendable () -> Double

    enum Phase {
        case idle, connecting, ready, waiting, closed
    }

    var phase = Phase.idle
    var connection: OpaquePointer?
    var watch: PostgresSocketWatch?
    var pipeline = PostgresPipeline<UInt64>()
    /// Sent and not yet complete, in the pipeline's order.
    var sent: [UInt64: PostgresRequest] = [:]
    /// Not yet sent, oldest first.
    var waiting = PostgresRequestQueue()
    var nextID: UInt64 = 1
    var backoff: PostgresBackoff
    var channels: [String] = []
    /// The connect timeout while connecting, the reconnect wait while waiting.
    var phaseTimer: (any DispatchSourceTimer)?
    var sweepTimer: (any DispatchSourceTimer)?
    var lastError: PostgresError?
    var firstAttemptWaiters: [@Sendable (PostgresError?) -> Void] = []
    var firstAttemptOutcome: PostgresError??

    /// - Parameters:
    ///   - onEvent: told, on the connection's queue, when it connects, disconnects and
    ///     receives a notification. Keep it short; hop elsewhere for real work.
    ///   - random: numbers in 0..<1 for the reconnection jitter; injectable for tests.
    public init(configuration: PostgresConfiguration, label: String = "atrium.postgres",
                onEvent: (@Sendable (Event) -> Void)? = nil,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.configuration = configuration
        self.queue = DispatchQueue(label: label)
        self.onEvent = onEvent
        self.random = random
        backoff = PostgresBackoff(initial: configuration.reconnectDelay, maximum: configuration.maxReconnectDelay)
        queue.setSpecific(key: Self.queueKey, value: ObjectIdentifier(self))
    }

    deinit {
        watch?.cancel()
        if let connection { PQfinish(connection) }
    }

    // MARK: Public interface

    /// Starts connecting. Requests may be submitted before; they wait for the connection.
    public func start() {
        queue.async { [self] in
            guard phase == .idle else { return }
            connect()
        }
    }

    /// Blocks the calling thread until the first connection attempt succeeded or failed
    /// (nil on success), or `timeout` passed. For start-up and command-line tools, so a
    /// wrong address is reported at once; never call it on a queue that must not wait.
    public func waitForFirstAttempt(timeout: Duration) -> PostgresError? {
        let semaphore = DispatchSemaphore(value: 0)
        let outcome = OutcomeBox()
        queue.async { [self] in
            if let known = firstAttemptOutcome {
                outcome.error = known
                semaphore.signal()
            } else {
                firstAttemptWaiters.append { error in
                    outcome.error = error
                    semaphore.signal()
                }
            }
        }
        guard semaphore.wait(timeout: .now() + timeout.dispatchInterval) == .success else {
            return PostgresError(.connectFailed, "no connection within \(timeout)")
        }
        return outcome.error
    }

    /// Runs `statements` as one transaction; `completion` runs on the connection's queue
    /// after the commit (success) or with the first error.
    /// - Parameter idempotent: whether the transaction may run twice harmlessly (reads,
    ///   for instance); if so it is sent again when the connection breaks under it.
    public func transaction(_ statements: [PostgresStatement], idempotent: Bool = false, completion: @escaping Completion) {
        let deadline = DispatchTime.now() + configuration.requestTimeout.dispatchInterval
        queue.async { [self] in
            if let problem = PostgresWire.problem(in: statements) {
                completion(.failure(problem))
                return
            }
            guard phase != .closed else {
                completion(.failure(PostgresError(.closed, "the connection is closed")))
                return
            }
            guard waiting.count + pipeline.count < configuration.maxQueued else {
                completion(.failure(PostgresError(.overloaded, "more than \(configuration.maxQueued) requests are waiting for PostgreSQL")))
                return
            }
            waiting.append(PostgresRequest(id: nextID, statements: statements, idempotent: idempotent, deadline: deadline, completion: completion))
            nextID += 1
            armSweep()
            if phase == .ready { pump() }
        }
    }

    /// The async form of ``transaction(_:idempotent:completion:)``.
    public func transaction(_ statements: [PostgresStatement], idempotent: Bool = false) async -> Result<[PostgresResult], PostgresError> {
        await withCheckedContinuation { continuation in
            transaction(statements, idempotent: idempotent) { continuation.resume(returning: $0) }
        }
    }

    /// One statement on its own, as its own transaction.
    public func query(_ statement: PostgresStatement, idempotent: Bool = false) async throws(PostgresError) -> PostgresResult {
        let results = try await transaction([statement], idempotent: idempotent).get()
        return results[0]
    }

    /// Listens on `channel` from now on, across reconnections. Notifications arrive as
    /// ``Event/notification(_:)``.
    /// - Returns: false when the name is not a plain lower-case identifier.
    @discardableResult
    public func listen(_ channel: String) -> Bool {
        guard PostgresNotification.isValidChannel(channel) else { return false }
        queue.async { [self] in
            guard !channels.contains(channel) else { return }
            channels.append(channel)
            guard phase == .ready else { return }
            // Sent like any request; if the link breaks first, the next set-up listens anyway.
            let request = PostgresRequest(id: nextID, statements: [PostgresStatement("LISTEN \(channel)")], idempotent: true,
                                  deadline: .now() + configuration.requestTimeout.dispatchInterval, isInternal: true,
                                  completion: { _ in })
            nextID += 1
            waiting.pushFront(request)
            pump()
        }
        return true
    }

    /// Closes the connection; everything waiting fails with ``PostgresError/Kind/closed``.
    public func close() {
        onQueue {
            guard phase != .closed else { return }
            phase = .closed
            teardown()
            phaseTimer?.cancel()
            phaseTimer = nil
            sweepTimer?.cancel()
            sweepTimer = nil
            let error = PostgresError(.closed, "the connection was closed")
            for id in pipeline.removeAll() { sent.removeValue(forKey: id)?.completion(.failure(error)) }
            for request in waiting.takeAll() { request.completion(.failure(error)) }
            resolveFirstAttempt(error)
        }
    }

    // MARK: Helpers

    static let queueKey = DispatchSpecificKey<ObjectIdentifier>()

    /// Runs `body` on the queue, inline when already there (a completion closing its connection).
    func onQueue(_ body: () -> Void) {
        if DispatchQueue.getSpecific(key: Self.queueKey) == ObjectIdentifier(self) {
            body()
        } else {
            queue.sync(execute: body)
        }
    }

    func message(or fallback: String) -> String {
        guard let connection, let text = PQerrorMessage(connection) else { return fallback }
        let message = String(cString: text).trimmingCharacters(in: "\n ")
        return message.isEmpty ? fallback : message
    }
}

/// Carries the first attempt's outcome from the connection's queue to a waiting thread.
private final class OutcomeBox: @unchecked Sendable {
    /// Written on the connection's queue before the semaphore is signalled, read after.
    var error: PostgresError?
}

extension Duration {
    var dispatchInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        return .nanoseconds(Int(min(seconds, Int64(Int.max / 1_000_000_000 - 1))) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
