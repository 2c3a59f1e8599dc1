import CLibPQ
import Dispatch

/// Connecting, setting the session up, and starting over when the link breaks.
extension PostgresConnection {
    // MARK: Connecting

    func connect() {
        phase = .connecting
        let parameters = configuration.connectionParameters
        connection = PostgresWire.withCStrings(parameters.map(\.0)) { keywords in
            PostgresWire.withCStrings(parameters.map(\.1)) { values in
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
    func watchSocket() -> Bool {
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

    func socketReady(writable: Bool = false) {
        switch phase {
        case .connecting: pollConnect()
        case .ready: writable ? flush() : readInput()
        case .idle, .waiting, .closed: break
        }
    }

    func pollConnect() {
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

    func connected() {
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
        let request = PostgresRequest(id: nextID, statements: setup, idempotent: false,
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
        waiting.pushFront(request)
        pump()
    }

    /// A connection attempt failed or an open connection broke: what was in flight fails
    /// (or, if idempotent, waits to be sent again), and a new attempt is scheduled.
    func fail(_ error: PostgresError) {
        guard phase == .connecting || phase == .ready else { return }
        teardown()
        lastError = error
        var requeued: [PostgresRequest] = []
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
        waiting.removeAll { $0.isInternal }
        waiting.pushFront(contentsOf: requeued)
        resolveFirstAttempt(error)
        onEvent?(.disconnected(error))
        phase = .waiting
        let delay = backoff.nextDelay(random: random())
        startPhaseTimer(after: delay) { [weak self] in
            guard let self, phase == .waiting else { return }
            connect()
        }
    }

    func teardown() {
        watch?.cancel()
        watch = nil
        if let connection { PQfinish(connection) }
        connection = nil
    }

    func resolveFirstAttempt(_ error: PostgresError?) {
        guard firstAttemptOutcome == nil else { return }
        firstAttemptOutcome = .some(error)
        let waiters = firstAttemptWaiters
        firstAttemptWaiters = []
        waiters.forEach { $0(error) }
    }
}
