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
/// `@unchecked Sendable`: every mutable property below is touched only on `queue`; the
/// public methods hop onto it.
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
    private let queue: DispatchQueue
    private let onEvent: (@Sendable (Event) -> Void)?
    private let random: @Sendable () -> Double

    private enum Phase {
        case idle, connecting, ready, waiting, closed
    }

    private struct Request {
        var id: UInt64
        var statements: [PostgresStatement]
        var idempotent: Bool
        var deadline: DispatchTime
        /// The connection's own set-up and LISTENs: rebuilt on every connection, so
        /// dropped rather than failed or resent when one breaks.
        var isInternal = false
        var completion: Completion
    }

    private var phase = Phase.idle
    private var connection: OpaquePointer?
    private var watch: PostgresSocketWatch?
    private var pipeline = PostgresPipeline<UInt64>()
    /// Sent and not yet complete, in the pipeline's order.
    private var sent: [UInt64: Request] = [:]
    /// Not yet sent, oldest first from `waitingHead`.
    private var waiting: [Request] = []
    private var waitingHead = 0
    private var nextID: UInt64 = 1
    private var backoff: PostgresBackoff
    private var channels: [String] = []
    /// The connect timeout while connecting, the reconnect wait while waiting.
    private var phaseTimer: (any DispatchSourceTimer)?
    private var sweepTimer: (any DispatchSourceTimer)?
    private var lastError: PostgresError?
    private var firstAttemptWaiters: [@Sendable (PostgresError?) -> Void] = []
    private var firstAttemptOutcome: PostgresError??

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
            if let problem = Self.problem(in: statements) {
                completion(.failure(problem))
                return
            }
            guard phase != .closed else {
                completion(.failure(PostgresError(.closed, "the connection is closed")))
                return
            }
            guard waiting.count - waitingHead + pipeline.count < configuration.maxQueued else {
                completion(.failure(PostgresError(.overloaded, "more than \(configuration.maxQueued) requests are waiting for PostgreSQL")))
                return
            }
            waiting.append(Request(id: nextID, statements: statements, idempotent: idempotent, deadline: deadline, completion: completion))
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
            let request = Request(id: nextID, statements: [PostgresStatement("LISTEN \(channel)")], idempotent: true,
                                  deadline: .now() + configuration.requestTimeout.dispatchInterval, isInternal: true,
                                  completion: { _ in })
            nextID += 1
            waiting.insert(request, at: waitingHead)
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
            for request in waiting[waitingHead...] { request.completion(.failure(error)) }
            waiting = []
            waitingHead = 0
            resolveFirstAttempt(error)
        }
    }

    // MARK: Connecting

    private func connect() {
        phase = .connecting
        let parameters = configuration.connectionParameters
        connection = Self.withCStrings(parameters.map(\.0)) { keywords in
            Self.withCStrings(parameters.map(\.1)) { values in
                PQconnectStartParams(keywords, values, 1)
            }
        }
        guard let connection, PQstatus(connection) != CONNECTION_BAD else {
            fail(PostgresError(.connectFailed, message(or: "cannot start a connection to \(configuration.redactedURL)")))
            return
        }
        startPhaseTimer(after: configuration.connectTimeout) { [weak self] in
            self?.fail(PostgresError(.connectFailed, "no connection to \(self?.configuration.redactedURL ?? "") within \(self?.configuration.connectTimeout ?? .zero)"))
        }
        // libpq's rule: before the first PQconnectPoll, wait as if it had said "writing".
        guard watchSocket() else { return }
        watch?.arm(read: false, write: true)
    }

    /// Watches libpq's current socket, replacing the watch if libpq moved to a new one.
    private func watchSocket() -> Bool {
        guard let connection else { return false }
        let socket = PQsocket(connection)
        if let watch, watch.isWatching(socket) { return true }
        watch?.cancel()
        watch = PostgresSocketWatch(libpqSocket: socket, queue: queue,
                                    onReadable: { [weak self] in self?.socketReady() },
                                    onWritable: { [weak self] in self?.socketReady(writable: true) })
        guard watch != nil else {
            fail(PostgresError(.connectFailed, "cannot watch the connection's socket (out of file descriptors?)"))
            return false
        }
        return true
    }

    private func socketReady(writable: Bool = false) {
        switch phase {
        case .connecting: pollConnect()
        case .ready: writable ? flush() : readInput()
        case .idle, .waiting, .closed: break
        }
    }

    private func pollConnect() {
        guard let connection else { return }
        switch PQconnectPoll(connection) {
        case PGRES_POLLING_READING:
            guard watchSocket() else { return }
            watch?.arm(read: true, write: false)
        case PGRES_POLLING_WRITING:
            guard watchSocket() else { return }
            watch?.arm(read: false, write: true)
        case PGRES_POLLING_OK:
            connected()
        default:
            fail(PostgresError(.connectFailed, message(or: "cannot connect to \(configuration.redactedURL)")))
        }
    }

    private func connected() {
        guard let connection, PQsetnonblocking(connection, 1) == 0, PQenterPipelineMode(connection) == 1, watchSocket() else {
            fail(PostgresError(.connectFailed, message(or: "cannot switch the connection to pipeline mode")))
            return
        }
        phase = .ready
        phaseTimer?.cancel()
        phaseTimer = nil
        watch?.arm(read: true, write: false)
        // The session's settings and channels go first; the caller hears `connected` once
        // they hold, so a listener that catches up then misses nothing.
        let milliseconds = configuration.statementTimeout.components.seconds * 1000
            + configuration.statementTimeout.components.attoseconds / 1_000_000_000_000_000
        var setup = [
            PostgresStatement("SELECT set_config('statement_timeout', $1, false)", [.text(String(milliseconds))]),
            PostgresStatement("SELECT set_config('synchronous_commit', $1, false)", [.text(configuration.synchronousCommit ? "on" : "off")]),
            // Notices (a `CREATE TABLE IF NOT EXISTS` that found the table) would go to stderr.
            PostgresStatement("SELECT set_config('client_min_messages', 'warning', false)"),
        ]
        setup += channels.map { PostgresStatement("LISTEN \($0)") }
        let request = Request(id: nextID, statements: setup, idempotent: false,
                              deadline: .now() + configuration.requestTimeout.dispatchInterval, isInternal: true) { [weak self] result in
            // Runs on the queue, from `complete`.
            guard let self else { return }
            switch result {
            case .success:
                backoff.reset()
                lastError = nil
                resolveFirstAttempt(nil)
                onEvent?(.connected)
            case .failure(let error):
                fail(PostgresError(.connectFailed, "setting up the session failed: \(error.message)", sqlState: error.sqlState))
            }
        }
        nextID += 1
        waiting.insert(request, at: waitingHead)
        pump()
    }

    /// A connection attempt failed or an open connection broke: what was in flight fails
    /// (or, if idempotent, waits to be sent again), and a new attempt is scheduled.
    private func fail(_ error: PostgresError) {
        guard phase == .connecting || phase == .ready else { return }
        teardown()
        lastError = error
        var requeued: [Request] = []
        let outcome = error.kind == .connectFailed ? PostgresError(.connectionLost, error.message) : error
        let now = DispatchTime.now()
        for id in pipeline.removeAll() {
            guard let request = sent.removeValue(forKey: id), !request.isInternal else { continue }
            if request.idempotent && request.deadline > now {
                requeued.append(request)
            } else {
                request.completion(.failure(outcome))
            }
        }
        waiting.removeSubrange(..<waitingHead)
        waiting.removeAll { $0.isInternal }
        waiting.insert(contentsOf: requeued, at: 0)
        waitingHead = 0
        resolveFirstAttempt(error)
        onEvent?(.disconnected(error))
        phase = .waiting
        let delay = backoff.nextDelay(random: random())
        startPhaseTimer(after: delay) { [weak self] in
            guard let self, phase == .waiting else { return }
            connect()
        }
    }

    private func teardown() {
        watch?.cancel()
        watch = nil
        if let connection { PQfinish(connection) }
        connection = nil
    }

    private func resolveFirstAttempt(_ error: PostgresError?) {
        guard firstAttemptOutcome == nil else { return }
        firstAttemptOutcome = .some(error)
        let waiters = firstAttemptWaiters
        firstAttemptWaiters = []
        waiters.forEach { $0(error) }
    }

    // MARK: Sending

    /// Sends waiting transactions while the pipeline has room.
    private func pump() {
        guard phase == .ready, let connection else { return }
        var sentSome = false
        let now = DispatchTime.now()
        while waitingHead < waiting.count, pipeline.count < configuration.maxInFlight {
            let request = waiting[waitingHead]
            waitingHead += 1
            if request.deadline < now {
                request.completion(.failure(timedOut("waiting to be sent")))
                continue
            }
            for statement in request.statements {
                guard send(statement, on: connection) else {
                    fail(PostgresError(.connectionLost, message(or: "cannot send a statement")))
                    return
                }
            }
            guard PQpipelineSync(connection) == 1 else {
                fail(PostgresError(.connectionLost, message(or: "cannot send a sync")))
                return
            }
            pipeline.sent(request.id, statements: request.statements.count)
            sent[request.id] = request
            sentSome = true
        }
        if waitingHead == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            waitingHead = 0
        } else if waitingHead > 1024, waitingHead * 2 > waiting.count {
            waiting.removeFirst(waitingHead)
            waitingHead = 0
        }
        if sentSome { flush() }
    }

    /// Queues one statement in libpq's output buffer, parameters in text format with their types.
    private func send(_ statement: PostgresStatement, on connection: OpaquePointer) -> Bool {
        var bytes: [UInt8] = []
        var offsets: [Int?] = []
        for value in statement.parameters {
            guard let text = value.textFormat else {
                offsets.append(nil)
                continue
            }
            offsets.append(bytes.count)
            bytes.append(contentsOf: text.utf8)
            bytes.append(0)
        }
        let types = statement.parameters.map(\.typeOID)
        return bytes.withUnsafeBufferPointer { buffer in
            let values: [UnsafePointer<CChar>?] = offsets.map { offset in
                offset.map { UnsafeRawPointer(buffer.baseAddress! + $0).assumingMemoryBound(to: CChar.self) }
            }
            return PQsendQueryParams(connection, statement.sql, Int32(types.count), types, values, nil, nil, 0) == 1
        }
    }

    private func flush() {
        guard let connection else { return }
        switch PQflush(connection) {
        case 0: watch?.arm(read: true, write: false)
        case 1: watch?.arm(read: true, write: true)
        default: fail(PostgresError(.connectionLost, message(or: "cannot send to the server")))
        }
    }

    // MARK: Receiving

    private func readInput() {
        guard let connection else { return }
        guard PQconsumeInput(connection) == 1 else {
            fail(PostgresError(.connectionLost, message(or: "the server closed the connection")))
            return
        }
        while phase == .ready, !pipeline.isEmpty, PQisBusy(connection) == 0 {
            let event = Self.event(PQgetResult(connection))
            let completion: PostgresPipeline<UInt64>.Completion?
            do {
                completion = try pipeline.receive(event)
            } catch {
                // libpq makes up results for a connection that just died; that is a lost
                // connection, not a confused pipeline.
                fail(PQstatus(connection) == CONNECTION_BAD ? PostgresError(.connectionLost, message(or: "the connection broke")) : error)
                return
            }
            if let completion, let request = sent.removeValue(forKey: completion.id) {
                request.completion(completion.result)
            }
        }
        guard phase == .ready else { return }
        while let notify = PQnotifies(connection) {
            let notification = PostgresNotification(channel: String(cString: notify.pointee.relname),
                                                    payload: String(cString: notify.pointee.extra),
                                                    senderPID: notify.pointee.be_pid)
            PQfreemem(notify)
            onEvent?(.notification(notification))
        }
        guard PQstatus(connection) != CONNECTION_BAD else {
            fail(PostgresError(.connectionLost, message(or: "the connection broke")))
            return
        }
        if watch?.writeArmed == true { flush() }
        pump()
    }

    /// Turns one `PQgetResult` into a pipeline event, freeing the result.
    private static func event(_ result: OpaquePointer?) -> PostgresPipeline<UInt64>.Event {
        guard let result else { return .endOfStatement }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            let columns = (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
            let rows = (0..<PQntuples(result)).map { row in
                PostgresRow((0..<Int32(columns.count)).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                })
            }
            return .result(PostgresResult(columns: columns, rows: rows, affectedRows: Int(String(cString: PQcmdTuples(result))) ?? 0))
        case PGRES_PIPELINE_SYNC:
            return .sync
        case PGRES_PIPELINE_ABORTED:
            return .aborted
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            func field(_ code: Character) -> String? {
                PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
            }
            let message = field("M") ?? String(cString: PQresultErrorMessage(result))
            return .failure(PostgresError(.server, message, sqlState: field("C"), detail: field("D")))
        default:
            return .failure(PostgresError(.protocolViolation, "unexpected result status \(PQresultStatus(result).rawValue)"))
        }
    }

    // MARK: Deadlines

    private func armSweep() {
        guard sweepTimer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let interval = configuration.sweepInterval.dispatchInterval
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.sweep() }
        timer.activate()
        sweepTimer = timer
    }

    /// Fails requests past their deadline; a transaction in flight past its deadline means
    /// the connection stalled, and it is dropped.
    private func sweep() {
        let now = DispatchTime.now()
        while waitingHead < waiting.count, waiting[waitingHead].deadline < now {
            let request = waiting[waitingHead]
            waitingHead += 1
            request.completion(.failure(timedOut("waiting for a connection")))
        }
        if let oldest = pipeline.oldest, let request = sent[oldest], request.deadline < now {
            fail(timedOut("in flight; the connection seems stalled and is dropped"))
        } else if phase == .ready, !pipeline.isEmpty {
            // A safety net under the read source: whatever arrived (or an end of file
            // libpq has not noticed yet) is seen within one sweep even if a wake-up was missed.
            readInput()
        }
        if waitingHead == waiting.count, pipeline.isEmpty {
            waiting.removeAll(keepingCapacity: true)
            waitingHead = 0
            sweepTimer?.cancel()
            sweepTimer = nil
        }
    }

    private func timedOut(_ state: String) -> PostgresError {
        var text = "no answer from PostgreSQL within \(configuration.requestTimeout) (\(state))"
        if let lastError { text += "; last error: \(lastError.message)" }
        return PostgresError(.timedOut, text)
    }

    private func startPhaseTimer(after delay: Duration, _ action: @escaping () -> Void) {
        phaseTimer?.cancel()
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + delay.dispatchInterval)
        timer.setEventHandler(handler: action)
        timer.activate()
        phaseTimer = timer
    }

    // MARK: Helpers

    private static let queueKey = DispatchSpecificKey<ObjectIdentifier>()

    /// Runs `body` on the queue, inline when already there (a completion closing its connection).
    private func onQueue(_ body: () -> Void) {
        if DispatchQueue.getSpecific(key: Self.queueKey) == ObjectIdentifier(self) {
            body()
        } else {
            queue.sync(execute: body)
        }
    }

    private func message(or fallback: String) -> String {
        guard let connection, let text = PQerrorMessage(connection) else { return fallback }
        let message = String(cString: text).trimmingCharacters(in: "\n ")
        return message.isEmpty ? fallback : message
    }

    private static func problem(in statements: [PostgresStatement]) -> PostgresError? {
        guard !statements.isEmpty else { return PostgresError(.invalidParameter, "a transaction needs at least one statement") }
        for (index, statement) in statements.enumerated() {
            guard statement.parameters.count <= Int(UInt16.max) else {
                return PostgresError(.invalidParameter, "more than 65535 parameters", statementIndex: index)
            }
            for case .text(let text) in statement.parameters where text.utf8.contains(0) {
                return PostgresError(.invalidParameter, "a text parameter contains a NUL character", statementIndex: index)
            }
        }
        return nil
    }

    /// A NULL-terminated array of C strings for libpq's keyword/value interface.
    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        var storage: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { storage.forEach { free($0) } }
        storage.append(nil)
        return storage.map { UnsafePointer($0) }.withUnsafeBufferPointer { body($0.baseAddress!) }
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
