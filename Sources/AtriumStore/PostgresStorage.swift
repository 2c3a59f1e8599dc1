import AtriumPostgres
import Dispatch
import Synchronization

/// The store on PostgreSQL, for deployments of several nodes: the same contract as
/// ``SQLiteStorage``, proved by one test suite run against both.
///
/// Writes are batched like the SQLite store's: whatever arrived while the previous
/// transaction committed goes into the next one, up to ``Configuration/maxBatch`` writes,
/// sent pipelined (one round trip) and committed once; completions run after the commit,
/// with `synchronous_commit = on`, so an acknowledged write is on the database server's
/// disk. One batch is in flight at a time, which keeps writes in the order they were
/// submitted (a reaction put and taken back stays taken back). Reads go to
/// ``Configuration/readers`` further connections, round robin, each pipelined.
///
/// Nothing here blocks a caller's queue except the methods the protocol defines as
/// blocking (``loadExhibits(room:recentNotes:)``, ``registrations()``, ``export(room:)``,
/// ``flush()``), which wait on a semaphore while the connection's own queue does the work.
///
/// `@unchecked Sendable`: the connections are thread-safe; the writer's queue state is
/// behind a mutex.
public final class PostgresStorage: Storage, @unchecked Sendable {
    public struct Configuration: Sendable {
        public var connection: PostgresConfiguration
        /// Connections for reads, besides the one that writes.
        public var readers: Int
        /// Writes per transaction at most.
        public var maxBatch: Int
        /// Writes waiting for their transaction at most; beyond it a write fails at once
        /// (the database is away or far too slow, and memory is not the place to wait).
        public var maxPendingWrites: Int

        public init(connection: PostgresConfiguration, readers: Int = 2, maxBatch: Int = 500, maxPendingWrites: Int = 50_000) {
            self.connection = connection
            self.readers = max(1, readers)
            self.maxBatch = max(1, maxBatch)
            self.maxPendingWrites = max(1, maxPendingWrites)
        }

        public init(url: String) {
            self.init(connection: PostgresConfiguration(url: url))
        }
    }

    /// The URL with any password masked, as errors name the database.
    public let place: String
    private let configuration: Configuration
    private let writer: PostgresConnection
    private let readers: [PostgresConnection]
    private let nextReader = Atomic<Int>(0)
    private let pending = Mutex(WriterQueue())
    /// Told the time from submit to commit of every write, and the batch's size, for metrics.
    public let onCommit: (@Sendable (Duration, Int) -> Void)?

    private struct Pending: Sendable {
        var write: StorageWrite
        var submitted: ContinuousClock.Instant
        var completion: @Sendable (Result<StorageWriteResult, StorageError>) -> Void
    }

    private enum Item: Sendable {
        case write(Pending)
        /// ``flush()``: signalled once every write before it has completed.
        case marker(@Sendable () -> Void)
    }

    private struct WriterQueue: Sendable {
        var items: [Item] = []
        var writes = 0
        /// A batch is in flight (or being started); only then may another start.
        var busy = false
    }

    /// Connects, checks the schema and brings it up to date.
    /// - Throws: ``StorageError/cannotOpen(path:detail:)`` naming the URL (password masked)
    ///   when the server cannot be reached or refuses the login, ``StorageError/tooNew(path:version:known:)``
    ///   when another node already migrated it further.
    public init(configuration: Configuration, onCommit: (@Sendable (Duration, Int) -> Void)? = nil) throws(StorageError) {
        self.configuration = configuration
        self.onCommit = onCommit
        place = configuration.connection.redactedURL
        if let problem = configuration.connection.problem { throw .cannotOpen(path: place, detail: problem) }
        writer = PostgresConnection(configuration: configuration.connection, label: "atrium.store.postgres.writer")
        readers = (0..<configuration.readers).map { index in
            PostgresConnection(configuration: configuration.connection, label: "atrium.store.postgres.reader\(index)")
        }
        writer.start()
        readers.forEach { $0.start() }
        if let error = writer.waitForFirstAttempt(timeout: configuration.connection.connectTimeout + .seconds(1)) {
            close()
            throw .cannotOpen(path: place, detail: error.message)
        }
        do {
            try PostgresMigrations.run(place: place, on: writer)
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// Closes the connections; writes not yet committed fail.
    public func close() {
        writer.close()
        readers.forEach { $0.close() }
    }

    // MARK: Writing

    public func write(_ write: StorageWrite, completion: @escaping @Sendable (Result<StorageWriteResult, StorageError>) -> Void) {
        let item = Pending(write: write, submitted: .now, completion: completion)
        let (accepted, start) = pending.withLock { queue -> (Bool, Bool) in
            guard queue.writes < configuration.maxPendingWrites else { return (false, false) }
            queue.items.append(.write(item))
            queue.writes += 1
            guard !queue.busy else { return (true, false) }
            queue.busy = true
            return (true, true)
        }
        guard accepted else {
            completion(.failure(.writeFailed("more than \(configuration.maxPendingWrites) writes are waiting for PostgreSQL at \(place)")))
            return
        }
        if start { startNextBatch() }
    }

    public func flush() {
        let semaphore = DispatchSemaphore(value: 0)
        let start = pending.withLock { queue -> Bool in
            queue.items.append(.marker { semaphore.signal() })
            guard !queue.busy else { return false }
            queue.busy = true
            return true
        }
        if start { startNextBatch() }
        _ = semaphore.wait(timeout: .now() + (configuration.connection.requestTimeout * 2).dispatchTime)
    }

    /// Takes the next batch, or marks the writer idle; runs with no batch in flight.
    private func startNextBatch() {
        let (markers, batch) = pending.withLock { queue -> ([@Sendable () -> Void], [Pending]) in
            var markers: [@Sendable () -> Void] = []
            var batch: [Pending] = []
            var taken = 0
            for item in queue.items {
                if case .marker(let signal) = item {
                    guard batch.isEmpty else { break }
                    markers.append(signal)
                } else if case .write(let write) = item {
                    guard batch.count < configuration.maxBatch else { break }
                    batch.append(write)
                }
                taken += 1
            }
            queue.items.removeFirst(taken)
            queue.writes -= batch.count
            if batch.isEmpty { queue.busy = false }
            return (markers, batch)
        }
        markers.forEach { $0() }
        guard !batch.isEmpty else { return }
        let transaction = PostgresWriteBatch(batch.map(\.write))
        writer.transaction(transaction.statements) { [self] result in
            switch transaction.outcome(result) {
            case .completed(let results):
                let now = ContinuousClock.now
                for (item, result) in zip(batch, results) {
                    if case .success = result { onCommit?(item.submitted.duration(to: now), batch.count) }
                    item.completion(result)
                }
            case .retry(let failed, let error, let retry):
                batch[failed].completion(.failure(error))
                pending.withLock { queue in
                    queue.items.insert(contentsOf: retry.map { .write(batch[$0]) }, at: 0)
                    queue.writes += retry.count
                }
            }
            startNextBatch()
        }
    }

    // MARK: Reading

    public func notes(room: String, exhibit: String, before: Int64?, limit: Int,
                      completion: @escaping @Sendable (Result<[NoteRecord], StorageError>) -> Void) {
        reader().transaction([PostgresStatement("""
            SELECT id, author_id, author_name, person, text, time FROM notes
            WHERE room = $1 AND exhibit = $2 AND hidden_at IS NULL AND id < $3 ORDER BY id DESC LIMIT $4
            """, [.text(room), .text(exhibit), .int(before ?? Int64.max), .int(Int64(max(0, limit)))])], idempotent: true) { result in
            completion(result.map { $0[0].rows.map { Self.note($0, room: room, exhibit: exhibit) } }
                .mapError { .readFailed($0.description) })
        }
    }

    public func admission(registrationID: String?, address: String?,
                          completion: @escaping @Sendable (Result<Admission, StorageError>) -> Void) {
        var statements: [PostgresStatement] = []
        if let registrationID {
            statements.append(PostgresStatement("SELECT id, name, email, role, created_at, revoked_at FROM registrations WHERE id = $1",
                                                [.text(registrationID)]))
            statements.append(PostgresStatement("SELECT EXISTS (SELECT 1 FROM bans WHERE registration_id = $1)", [.text(registrationID)]))
        } else if let address {
            statements.append(PostgresStatement("SELECT EXISTS (SELECT 1 FROM bans WHERE registration_id IS NULL AND address = $1)",
                                                [.text(address)]))
        }
        guard !statements.isEmpty else {
            completion(.success(Admission(registration: nil, banned: false)))
            return
        }
        reader().transaction(statements, idempotent: true) { result in
            completion(result.map { results in
                Admission(registration: results.count == 2 ? results[0].rows.first.map(Self.registration) : nil,
                          banned: results.last?.rows.first?.bool(0) ?? false)
            }.mapError { .readFailed($0.description) })
        }
    }

    public func registrations() throws(StorageError) -> [Registration] {
        try read([PostgresStatement("""
            SELECT id, name, email, role, created_at, revoked_at FROM registrations
            ORDER BY created_at, name COLLATE "C", id COLLATE "C"
            """)])[0].rows.map(Self.registration)
    }

    public func loadExhibits(room: String, recentNotes: Int) throws(StorageError) -> StoredExhibits {
        let results = try read([
            PostgresStatement("SELECT exhibit, kind, person FROM reactions WHERE room = $1", [.text(room)]),
            PostgresStatement("""
                SELECT exhibit, id, author_id, author_name, person, text, time FROM (
                    SELECT exhibit, id, author_id, author_name, person, text, time,
                           row_number() OVER (PARTITION BY exhibit ORDER BY id DESC) AS position
                    FROM notes WHERE room = $1 AND hidden_at IS NULL) AS recent
                WHERE position <= $2 ORDER BY exhibit, id DESC
                """, [.text(room), .int(Int64(max(0, recentNotes)))]),
        ])
        var stored = StoredExhibits()
        for row in results[0].rows {
            guard let exhibit = row[0], let kind = row[1], let person = row[2] else { continue }
            stored.reactions[exhibit, default: [:]][kind, default: []].insert(person)
        }
        for row in results[1].rows {
            guard let exhibit = row[0] else { continue }
            stored.recentNotes[exhibit, default: []].append(Self.note(PostgresRow(Array(row.values.dropFirst())), room: room, exhibit: exhibit))
        }
        return stored
    }

    public func export(room: String?) throws(StorageError) -> StoreExport {
        let filter: [PostgresValue] = [.text(room)]
        let results = try read([
            PostgresStatement("""
                SELECT id, room, exhibit, author_id, author_name, person, text, time, hidden_at FROM notes
                WHERE $1::text IS NULL OR room = $1 ORDER BY id
                """, filter),
            PostgresStatement("""
                SELECT room, exhibit, person, kind, time FROM reactions WHERE $1::text IS NULL OR room = $1
                ORDER BY room COLLATE "C", exhibit COLLATE "C", kind COLLATE "C", time, person COLLATE "C"
                """, filter),
            PostgresStatement("""
                SELECT room, quiz, title, mode, question_index, question, answer, player_id, player_name, person, chose, correct,
                       score, time FROM quiz_answers WHERE $1::text IS NULL OR room = $1 ORDER BY id
                """, filter),
            PostgresStatement("""
                SELECT room, quiz, title, mode, rank, player_name, person, score, time FROM quiz_rankings
                WHERE $1::text IS NULL OR room = $1 ORDER BY id
                """, filter),
        ])
        let notes = results[0].rows.map { row in
            NoteRecord(id: row.int(0) ?? 0, room: row[1] ?? "", exhibit: row[2] ?? "", authorID: UInt32(truncatingIfNeeded: row.int(3) ?? 0),
                       authorName: row[4] ?? "", person: row[5] ?? "", text: row[6] ?? "", time: row.int(7) ?? 0, hidden: row[8] != nil)
        }
        let reactions = results[1].rows.map { row in
            ReactionRecord(room: row[0] ?? "", exhibit: row[1] ?? "", person: row[2] ?? "", kind: row[3] ?? "", time: row.int(4) ?? 0)
        }
        let answers = results[2].rows.map { row in
            QuizAnswerRecord(room: row[0] ?? "", quiz: row[1] ?? "", title: row[2] ?? "", mode: row[3] ?? "",
                             questionIndex: Int(row.int(4) ?? 0), question: row[5] ?? "", answer: row[6] ?? "",
                             playerID: UInt32(truncatingIfNeeded: row.int(7) ?? 0), playerName: row[8] ?? "", person: row[9] ?? "",
                             chose: row[10] ?? "", correct: row.bool(11) ?? false, score: Int(row.int(12) ?? 0), time: row.int(13) ?? 0)
        }
        let rankings = results[3].rows.map { row in
            QuizRankingRecord(room: row[0] ?? "", quiz: row[1] ?? "", title: row[2] ?? "", mode: row[3] ?? "", rank: Int(row.int(4) ?? 0),
                              playerName: row[5] ?? "", person: row[6] ?? "", score: Int(row.int(7) ?? 0), time: row.int(8) ?? 0)
        }
        return StoreExport(notes: notes, reactions: reactions, quizAnswers: answers, quizRankings: rankings)
    }

    // MARK: Helpers

    private func reader() -> PostgresConnection {
        readers[nextReader.add(1, ordering: .relaxed).newValue % readers.count]
    }

    /// A read-only transaction on a reader, waited for.
    private func read(_ statements: [PostgresStatement]) throws(StorageError) -> [PostgresResult] {
        try reader().waitForTransaction(statements, idempotent: true).mapError { StorageError.readFailed($0.description) }.get()
    }

    static func registration(_ row: PostgresRow) -> Registration {
        Registration(id: row[0] ?? "", name: row[1] ?? "", email: row[2], role: row[3] ?? "participant",
                     createdAt: row.int(4) ?? 0, revokedAt: row.int(5))
    }

    static func note(_ row: PostgresRow, room: String, exhibit: String) -> NoteRecord {
        NoteRecord(id: row.int(0) ?? 0, room: room, exhibit: exhibit, authorID: UInt32(truncatingIfNeeded: row.int(1) ?? 0),
                   authorName: row[2] ?? "", person: row[3] ?? "", text: row[4] ?? "", time: row.int(5) ?? 0)
    }
}

extension Duration {
    var dispatchTime: DispatchTimeInterval {
        .milliseconds(Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000))
    }
}
