/// Which result belongs to which transaction, as libpq hands results out in pipeline mode.
///
/// Each transaction is sent as its statements followed by one Sync, and PostgreSQL runs
/// everything between two Syncs as one implicit transaction: committed at the Sync if
/// every statement succeeded, rolled back otherwise. libpq then reports, per statement,
/// its result (or `PGRES_PIPELINE_ABORTED` once an earlier statement of the same
/// transaction failed) followed by a null, and after the last statement one
/// `PGRES_PIPELINE_SYNC`. This value follows that sequence and says when a transaction is
/// complete and how it ended. Pure, so the bookkeeping is tested without a server.
struct PostgresPipeline<ID: Equatable & Sendable>: Sendable {
    /// One thing `PQgetResult` returned.
    enum Event: Equatable, Sendable {
        case result(PostgresResult)
        case failure(PostgresError)
        case aborted
        /// The null that ends a statement's results.
        case endOfStatement
        case sync
    }

    struct Completion: Equatable, Sendable {
        var id: ID
        var result: Result<[PostgresResult], PostgresError>
    }

    private struct InFlight: Sendable {
        var id: ID
        var statements: Int
        var results: [PostgresResult] = []
        var error: PostgresError?
        /// The statement whose results come next.
        var statement = 0
        /// Whether the current statement has reported (a result, an error or aborted).
        var reported = false
    }

    private var inFlight: [InFlight] = []
    private var head = 0

    var count: Int { inFlight.count - head }
    var isEmpty: Bool { count == 0 }
    /// The ids in flight, oldest first.
    var ids: [ID] { inFlight[head...].map(\.id) }
    var oldest: ID? { isEmpty ? nil : inFlight[head].id }

    /// A transaction of `statements` statements and its Sync were sent.
    mutating func sent(_ id: ID, statements: Int) {
        precondition(statements > 0, "a transaction has at least one statement")
        inFlight.append(InFlight(id: id, statements: statements))
    }

    /// Takes the next event; returns the transaction it completed, if any, or throws
    /// ``PostgresError/Kind/protocolViolation`` when the sequence cannot happen.
    mutating func receive(_ event: Event) throws(PostgresError) -> Completion? {
        guard head < inFlight.count else { throw violation("\(event) with nothing in flight") }
        var current = inFlight[head]
        if case .sync = event {
            guard current.statement == current.statements, !current.reported else {
                throw violation("a sync after \(current.statement) of \(current.statements) statements")
            }
            head += 1
            if head > 64, head * 2 > inFlight.count {
                inFlight.removeFirst(head)
                head = 0
            }
            if let error = current.error { return Completion(id: current.id, result: .failure(error)) }
            return Completion(id: current.id, result: .success(current.results))
        }
        if case .endOfStatement = event {
            guard current.reported else { throw violation("the end of statement \(current.statement) before its result") }
            current.statement += 1
            current.reported = false
            inFlight[head] = current
            return nil
        }
        guard current.statement < current.statements, !current.reported else {
            throw violation("\(event) for statement \(current.statement) of \(current.statements), already reported")
        }
        switch event {
        case .result(let result):
            current.results.append(result)
        case .failure(var error):
            error.statementIndex = current.statement
            if current.error == nil { current.error = error }
        default:
            if current.error == nil {
                current.error = PostgresError(.server, "the transaction was aborted", statementIndex: current.statement)
            }
        }
        current.reported = true
        inFlight[head] = current
        return nil
    }

    /// Empties the pipeline (the connection is gone); returns what was in flight, oldest first.
    mutating func removeAll() -> [ID] {
        let ids = self.ids
        inFlight = []
        head = 0
        return ids
    }

    private func violation(_ what: String) -> PostgresError {
        PostgresError(.protocolViolation, "pipeline out of step: \(what)")
    }
}
