import AtriumPostgres
import AtriumPostgresTestSupport
import Foundation
import Testing
@testable import AtriumStore

/// What only the PostgreSQL store has: its migrations on a shared server, connection
/// trouble, and nodes opening one database together.
@Suite struct PostgresStorageTests {
    private func database() async throws -> String {
        try await PostgresTestServer.shared().makeDatabase()
    }

    private func connect(_ url: String) -> PostgresConnection {
        let connection = PostgresConnection(configuration: PostgresConfiguration(url: url))
        connection.start()
        return connection
    }

    /// A database left at any earlier schema version, with data in it, is brought up to
    /// the latest version and keeps its data.
    @Test func migratesFromEveryEarlierVersion() async throws {
        for version in 1..<PostgresMigrations.latest {
            let url = try await database()
            let admin = connect(url)
            defer { admin.close() }
            _ = try await admin.transaction(PostgresMigrations.createVersionTable).get()
            for step in PostgresMigrations.steps.prefix(version) {
                _ = try await admin.transaction(step.map { PostgresStatement($0) }).get()
            }
            _ = try await admin.transaction([
                PostgresStatement("UPDATE atrium_schema SET version = $1", [.int(Int64(version))]),
                PostgresStatement("""
                    INSERT INTO notes (room, exhibit, author_id, author_name, person, text, time) VALUES ('hall', 'wall', 1, 'Old', 'p', 'kept', 5)
                    """),
            ]).get()
            let storage = try PostgresStorage(configuration: .init(url: url))
            defer { storage.close() }
            #expect(try await admin.query(PostgresStatement("SELECT version FROM atrium_schema")).rows[0].int(0)
                == Int64(PostgresMigrations.latest))
            #expect(try storage.export(room: nil).notes.map(\.text) == ["kept"])
        }
    }

    @Test func refusesADatabaseFromANewerServer() async throws {
        let url = try await database()
        let admin = connect(url)
        defer { admin.close() }
        _ = try await admin.transaction(PostgresMigrations.createVersionTable + [PostgresStatement("UPDATE atrium_schema SET version = 999")]).get()
        let place = PostgresConfiguration.redact(url)
        #expect(throws: StorageError.tooNew(path: place, version: 999, known: PostgresMigrations.latest)) {
            _ = try PostgresStorage(configuration: .init(url: url))
        }
    }

    /// Nodes of a cluster start together on an empty database: the migration runs once,
    /// under the advisory lock, and every node opens.
    @Test func nodesOpeningAnEmptyDatabaseTogetherMigrateItOnce() async throws {
        let url = try await database()
        let opened = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    guard let storage = try? PostgresStorage(configuration: .init(url: url)) else { return false }
                    storage.close()
                    return true
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(opened == 4)
        let admin = connect(url)
        defer { admin.close() }
        #expect(try await admin.query(PostgresStatement("SELECT version FROM atrium_schema")).rows[0].int(0) == Int64(PostgresMigrations.latest))
    }

    @Test func namesAnUnreachableServerWithItsPasswordMasked() throws {
        let port = try PostgresTestServer.unusedPort()
        do {
            _ = try PostgresStorage(configuration: .init(url: "postgres://atrium:hunter2@127.0.0.1:\(port)/atrium"))
            Issue.record("opened a store on a closed port")
        } catch {
            guard case .cannotOpen(let place, let detail) = error else { Issue.record("expected cannotOpen, got \(error)"); return }
            #expect(place == "postgres://atrium:***@127.0.0.1:\(port)/atrium")
            #expect(!error.description.contains("hunter2"))
            #expect(detail.contains("\(port)"))
        }
        #expect(throws: StorageError.self) { _ = try PostgresStorage(configuration: .init(url: "mysql://somewhere/atrium")) }
    }

    /// The connection breaks while a note waits for its commit: the note is reported as not
    /// stored (and is not), and the next write goes through on a new connection.
    @Test func aWriteCutOffBeforeItsCommitIsNotAcknowledgedAndTheStoreRecovers() async throws {
        let url = try await database()
        let storage = try PostgresStorage(configuration: .init(url: url))
        defer { storage.close() }
        let admin = connect(url), holder = connect(url), locker = connect(url)
        defer { [admin, holder, locker].forEach { $0.close() } }
        // The locker holds the notes table until the holder lets go of advisory lock 7.
        _ = try await holder.query(PostgresStatement("SELECT pg_advisory_lock(7)"))
        let locked = Answer<Result<[PostgresResult], PostgresError>>()
        // Building an index takes a lock that makes inserts wait; the transaction then waits
        // for the holder, keeping that lock.
        locker.transaction([PostgresStatement("CREATE INDEX notes_blocker ON notes (time)"),
                            PostgresStatement("SELECT pg_advisory_xact_lock(7)")], completion: locked.set)
        guard try await waitUntil(admin, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_advisory_xact_lock(7)%' AND wait_event_type = 'Lock'") else {
            Issue.record("the locker did not wait: \(await locked.value)")
            return
        }
        let cutOff = Answer<Result<StorageWriteResult, StorageError>>()
        storage.write(StorageContractTests.note("cut off"), completion: cutOff.set)
        #expect(try await waitUntil(admin, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'INSERT INTO notes%' AND wait_event_type = 'Lock'"))
        _ = try await admin.query(PostgresStatement(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'INSERT INTO notes%' AND wait_event_type = 'Lock'"))
        guard case .failure(let error) = await cutOff.value else { Issue.record("acknowledged a write whose commit never came"); return }
        #expect(error.description.contains("not acknowledged"))
        _ = try await holder.query(PostgresStatement("SELECT pg_advisory_unlock(7)"))
        _ = await locked.value
        guard case .note = try await storage.write(StorageContractTests.note("after")).get() else { Issue.record("no note id"); return }
        #expect(try storage.export(room: nil).notes.map(\.text) == ["after"])
    }

    /// Polls a count query until it says 1, a bounded number of round trips.
    private func waitUntil(_ connection: PostgresConnection, _ sql: String) async throws -> Bool {
        for _ in 0..<5000 {
            if try await connection.query(PostgresStatement(sql)).rows[0].int(0) ?? 0 >= 1 { return true }
        }
        return false
    }
}
