import AtriumPostgresTestSupport
import Dispatch
import Foundation
import Synchronization
import Testing
@testable import AtriumPostgres

/// Collects a connection's events so a test can await the n-th one of a kind.
final class EventLog: Sendable {
    private let events = Mutex<[PostgresConnection.Event]>([])
    private let waiters = Mutex<[(predicate: @Sendable ([PostgresConnection.Event]) -> Bool, continuation: CheckedContinuation<Void, Never>)]>([])

    func record(_ event: PostgresConnection.Event) {
        let all = events.withLock { $0.append(event); return $0 }
        let ready = waiters.withLock { waiters in
            let ready = waiters.filter { $0.predicate(all) }
            waiters.removeAll { $0.predicate(all) }
            return ready
        }
        ready.forEach { $0.continuation.resume() }
    }

    var all: [PostgresConnection.Event] { events.withLock { $0 } }

    /// Waits until `predicate` holds over the events so far, at most `timeout`.
    func wait(timeout: Duration = .seconds(20), until predicate: @escaping @Sendable ([PostgresConnection.Event]) -> Bool) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let already = self.waiters.withLock { waiters -> Bool in
                        if predicate(self.all) { return true }
                        waiters.append((predicate, continuation))
                        return false
                    }
                    if already { continuation.resume() }
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            if !first {
                // Wake the waiter so the group can finish.
                let stuck = self.waiters.withLock { waiters in defer { waiters.removeAll() }; return waiters }
                stuck.forEach { $0.continuation.resume() }
            }
            group.cancelAll()
            return first
        }
    }

    static func connections(_ events: [PostgresConnection.Event]) -> Int {
        events.filter { $0 == .connected }.count
    }
}

@Suite struct PostgresConnectionTests {
    private func connect(_ configure: (inout PostgresConfiguration) -> Void = { _ in }) async throws -> (PostgresConnection, EventLog) {
        var configuration = PostgresConfiguration(url: try await PostgresTestServer.shared().makeDatabase())
        configure(&configuration)
        let log = EventLog()
        let connection = PostgresConnection(configuration: configuration, onEvent: { log.record($0) })
        connection.start()
        return (connection, log)
    }

    @Test func bindsEveryKindOfParameterAndReadsItBack() async throws {
        let (connection, _) = try await connect()
        defer { connection.close() }
        let text = "O'Brien said \"hi\"; DROP TABLE x; -- 안녕 🎉 $1"
        let result = try await connection.query(PostgresStatement(
            "SELECT $1::int8 + 1, $2::text, $3::bool, $4::text IS NULL, length($2)",
            [.int(Int64.max - 1), .text(text), .bool(true), .null]))
        #expect(result.columns.count == 5)
        #expect(result.rows[0].int(0) == Int64.max)
        #expect(result.rows[0].text(1) == text)
        #expect(result.rows[0].bool(2) == true)
        #expect(result.rows[0].bool(3) == true)
        #expect(result.rows[0].int(4) == Int64(text.count))
    }

    /// Everything in one transaction commits together or not at all, and the error keeps
    /// its SQLSTATE and says which statement failed.
    @Test func runsATransactionAllOrNothingAndKeepsTheSQLState() async throws {
        let (connection, _) = try await connect()
        defer { connection.close() }
        _ = try await connection.query(PostgresStatement("CREATE TABLE t (id int8 PRIMARY KEY)"))
        let failed = await connection.transaction([
            PostgresStatement("INSERT INTO t VALUES ($1)", [.int(1)]),
            PostgresStatement("INSERT INTO t VALUES ($1)", [.int(1)]),
            PostgresStatement("INSERT INTO t VALUES ($1)", [.int(2)]),
        ])
        guard case .failure(let error) = failed else { Issue.record("a duplicate key committed"); return }
        #expect(error.kind == .server)
        #expect(error.isUniqueViolation)
        #expect(error.statementIndex == 1)
        #expect(error.certainlyNotCommitted)
        #expect(try await connection.query(PostgresStatement("SELECT count(*) FROM t")).rows[0].int(0) == 0)
        let inserted = try await connection.transaction([
            PostgresStatement("INSERT INTO t VALUES ($1)", [.int(1)]),
            PostgresStatement("INSERT INTO t VALUES ($1), ($2)", [.int(2), .int(3)]),
        ]).get()
        #expect(inserted.map(\.affectedRows) == [1, 2])
    }

    /// Many requests at once share the pipeline; each gets its own answer, failed ones
    /// do not disturb their neighbours, and all complete in the order sent.
    @Test func pipelinesManyRequestsAndAnswersEachInOrder() async throws {
        let (connection, _) = try await connect { $0.maxInFlight = 16 }
        defer { connection.close() }
        let order = Mutex<[Int]>([])
        let answers = Mutex<[Int: Result<[PostgresResult], PostgresError>]>([:])
        let done = DispatchGroup()
        for index in 0..<500 {
            done.enter()
            // Every seventh divides by zero (SQLSTATE 22012).
            let divisor: Int64 = index % 7 == 0 ? 0 : 1
            connection.transaction([PostgresStatement("SELECT $1::int8 / $2::int8", [.int(Int64(index)), .int(divisor)])]) { result in
                order.withLock { $0.append(index) }
                answers.withLock { $0[index] = result }
                done.leave()
            }
        }
        await withCheckedContinuation { continuation in done.notify(queue: .global()) { continuation.resume() } }
        #expect(order.withLock { $0 } == Array(0..<500))
        for (index, result) in answers.withLock({ $0 }) {
            switch result {
            case .success(let results): #expect(index % 7 != 0 && results[0].rows[0].int(0) == Int64(index))
            case .failure(let error): #expect(index % 7 == 0 && error.sqlState == "22012")
            }
        }
    }

    @Test func deliversNotificationsOnListenedChannels() async throws {
        let (listener, log) = try await connect()
        defer { listener.close() }
        #expect(listener.listen("atrium_test"))
        #expect(!listener.listen("Bad Name"))
        #expect(await log.wait { EventLog.connections($0) == 1 })
        let sender = PostgresConnection(configuration: listener.configuration)
        sender.start()
        defer { sender.close() }
        // LISTEN is sent after connecting; a round trip on the listener makes sure it is in place.
        _ = try await listener.query(PostgresStatement("SELECT 1"))
        _ = try await sender.query(PostgresStatement("SELECT pg_notify($1, $2)", [.text("atrium_test"), .text("hello 1")]))
        #expect(await log.wait { $0.contains(.notification(PostgresNotification(channel: "atrium_test", payload: "hello 1",
                                                                                   senderPID: Self.pid(in: $0)))) })
    }

    private static func pid(in events: [PostgresConnection.Event]) -> Int32 {
        for case .notification(let notification) in events { return notification.senderPID }
        return -1
    }

    /// The server ends the session under the connection: it reconnects, listens again,
    /// sends idempotent requests again, fails the others as possibly committed, and works on.
    @Test func reconnectsAfterTheServerDropsItAndListensAgain() async throws {
        let (connection, log) = try await connect { $0.reconnectDelay = .milliseconds(10) }
        defer { connection.close() }
        connection.listen("atrium_again")
        #expect(await log.wait { EventLog.connections($0) == 1 })
        let pid = try await connection.query(PostgresStatement("SELECT pg_backend_pid()")).rows[0].int(0) ?? 0
        let admin = PostgresConnection(configuration: connection.configuration)
        admin.start()
        defer { admin.close() }
        // The victim waits on a lock the admin holds, so both its requests are in flight
        // when it is terminated.
        _ = try await admin.query(PostgresStatement("SELECT pg_advisory_lock(42)"))
        let retried = Answer<Result<[PostgresResult], PostgresError>>(), lost = Answer<Result<[PostgresResult], PostgresError>>()
        connection.transaction([PostgresStatement("SELECT pg_advisory_xact_lock(42)"), PostgresStatement("SELECT 1")],
                               idempotent: true, completion: retried.set)
        connection.transaction([PostgresStatement("SELECT 2")], completion: lost.set)
        var waiting = false
        for _ in 0..<5000 where !waiting {
            waiting = try await admin.query(PostgresStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int4 AND wait_event_type = 'Lock'", [.int(pid)])).rows[0].int(0) == 1
        }
        #expect(waiting)
        _ = try await admin.query(PostgresStatement("SELECT pg_terminate_backend($1::int4)", [.int(pid)]))
        _ = try await admin.query(PostgresStatement("SELECT pg_advisory_unlock(42)"))
        let lostResult = await lost.value
        let retriedResult = await retried.value
        guard case .failure(let error) = lostResult else { Issue.record("a request in flight on a dead connection succeeded"); return }
        #expect(error.kind == .connectionLost)
        #expect(!error.certainlyNotCommitted)
        #expect(try retriedResult.get()[1].rows[0].int(0) == 1)
        #expect(await log.wait { EventLog.connections($0) == 2 })
        #expect(log.all.contains { if case .disconnected = $0 { return true }; return false })
        _ = try await admin.query(PostgresStatement("SELECT pg_notify($1, $2)", [.text("atrium_again"), .text("after")]))
        #expect(await log.wait { $0.contains { if case .notification(let n) = $0 { return n.payload == "after" }; return false } })
    }

    @Test func reportsAnUnreachableServerAtOnceAndTimesRequestsOut() async throws {
        // A port nobody listens on: bind one, note it, close it.
        let port = try PostgresTestServer.unusedPort()
        let configuration = PostgresConfiguration(url: "postgres://postgres@127.0.0.1:\(port)/x", requestTimeout: .milliseconds(300),
                                                  reconnectDelay: .milliseconds(50), sweepInterval: .milliseconds(20))
        let log = EventLog()
        let connection = PostgresConnection(configuration: configuration, onEvent: { log.record($0) })
        connection.start()
        defer { connection.close() }
        let error = await Task.detached { connection.waitForFirstAttempt(timeout: .seconds(10)) }.value
        #expect(error?.kind == .connectFailed)
        #expect(error?.message.contains("\(port)") == true)
        let result = await connection.transaction([PostgresStatement("SELECT 1")])
        guard case .failure(let timeout) = result else { Issue.record("answered without a server"); return }
        #expect(timeout.kind == .timedOut)
        #expect(timeout.message.contains("last error"))
    }

    @Test func refusesBeyondItsQueueAndRefusesNULInText() async throws {
        let port = try PostgresTestServer.unusedPort()
        let connection = PostgresConnection(configuration: PostgresConfiguration(url: "postgres://127.0.0.1:\(port)/x", maxQueued: 2))
        defer { connection.close() }
        connection.transaction([PostgresStatement("SELECT 1")]) { _ in }
        connection.transaction([PostgresStatement("SELECT 1")]) { _ in }
        guard case .failure(let error) = await connection.transaction([PostgresStatement("SELECT 1")]) else {
            Issue.record("queued beyond the limit"); return
        }
        #expect(error.kind == .overloaded)
        guard case .failure(let nul) = await connection.transaction([PostgresStatement("SELECT $1", [.text("a\0b")])]) else {
            Issue.record("sent a NUL"); return
        }
        #expect(nul.kind == .invalidParameter)
    }

    @Test func failsWhatIsWaitingWhenClosed() async throws {
        let port = try PostgresTestServer.unusedPort()
        let connection = PostgresConnection(configuration: PostgresConfiguration(url: "postgres://127.0.0.1:\(port)/x"))
        let result = await withCheckedContinuation { continuation in
            connection.transaction([PostgresStatement("SELECT 1")]) { continuation.resume(returning: $0) }
            connection.close()
        }
        guard case .failure(let error) = result else { Issue.record("answered after close"); return }
        #expect(error.kind == .closed)
    }
}
