import CLibPQ
import Dispatch

/// Sending waiting transactions down the pipeline and handing results back.
extension PostgresConnection {
    // MARK: Sending

    /// Sends waiting transactions while the pipeline has room.
    func pump() {
        guard phase == .ready, let connection else { return }
        var sentSome = false
        let now = DispatchTime.now()
        while pipeline.count < configuration.maxInFlight, let request = waiting.popFirst() {
            if request.deadline < now {
                request.completion(.failure(timedOut("waiting to be sent")))
                continue
            }
            for statement in request.statements {
                guard PostgresWire.send(statement, on: connection) else {
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
        if sentSome { flush() }
    }

    func flush() {
        guard let connection else { return }
        switch PQflush(connection) {
        case 0: watch?.arm(read: true, write: false)
        case 1: watch?.arm(read: true, write: true)
        default: fail(PostgresError(.connectionLost, message(or: "cannot send to the server")))
        }
    }

    // MARK: Receiving

    func readInput() {
        guard let connection else { return }
        guard PQconsumeInput(connection) == 1 else {
            fail(PostgresError(.connectionLost, message(or: "the server closed the connection")))
            return
        }
        while phase == .ready, !pipeline.isEmpty, PQisBusy(connection) == 0 {
            let event = PostgresWire.event(PQgetResult(connection))
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
}
