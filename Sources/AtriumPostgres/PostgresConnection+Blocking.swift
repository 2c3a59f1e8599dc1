import Dispatch
import Synchronization

extension PostgresConnection {
    /// Submits a transaction and blocks the calling thread until it completes: for
    /// start-up, migrations and the store's blocking reads, never on a queue that must not
    /// wait. Every request has a deadline, so this returns; the semaphore's own timeout
    /// (twice the request timeout) is only a backstop.
    public func waitForTransaction(_ statements: [PostgresStatement], idempotent: Bool = false)
        -> Result<[PostgresResult], PostgresError>
    {
        let semaphore = DispatchSemaphore(value: 0)
        let box = Mutex<Result<[PostgresResult], PostgresError>?>(nil)
        transaction(statements, idempotent: idempotent) { result in
            box.withLock { $0 = result }
            semaphore.signal()
        }
        let noAnswer = PostgresError(.timedOut, "no answer from \(configuration.redactedURL)")
        guard semaphore.wait(timeout: .now() + (configuration.requestTimeout * 2).dispatchInterval) == .success else {
            return .failure(noAnswer)
        }
        return box.withLock { $0 } ?? .failure(noAnswer)
    }
}
