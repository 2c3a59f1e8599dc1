import CSQLite
import Dispatch
import Foundation
import Synchronization

/// The embedded store: one SQLite database in WAL mode in the data folder.
///
/// All writes go through one writer queue that commits them in batches: whatever
/// arrived while the previous transaction committed goes into the next one, each write
/// in its own savepoint so one bad write does not sink its neighbours. A thousand writes a
/// second therefore cost a few commits, never a room's tick. Completions run after the
/// commit, with `synchronous = FULL` by default, so an acknowledged write survives a
/// `kill -9` and a power cut alike. Reads use a second, read-only connection on their
/// own queue; WAL lets them run while the writer commits.
///
/// `@unchecked Sendable`: each connection is used only on its queue; `pending` is behind
/// a mutex.
public final class SQLiteStorage: Storage, @unchecked Sendable {
    public struct Configuration: Sendable {
        /// FULL syncs the WAL on every commit (durable across power loss); NORMAL only
        /// across process crashes, and is faster.
        public var synchronousFull: Bool
        /// Writes per transaction at most.
        public var maxBatch: Int
        /// A cap on the database size in pages (4 KiB); writes beyond it fail like on a
        /// full disk. nil for no cap.
        public var maxPageCount: Int?

        public init(synchronousFull: Bool = true, maxBatch: Int = 500, maxPageCount: Int? = nil) {
            self.synchronousFull = synchronousFull
            self.maxBatch = maxBatch
            self.maxPageCount = maxPageCount
        }
    }

    public static let fileName = "atrium.sqlite"

    public let path: String
    private let writer: SQLiteDatabase
    private let reader: SQLiteDatabase
    private let writerQueue = DispatchQueue(label: "atrium.store.writer")
    private let readerQueue = DispatchQueue(label: "atrium.store.reader")
    private let pending = Mutex<(items: [Pending], scheduled: Bool)>(([], false))
    private let configuration: Configuration
    /// Told the time from submit to commit of every write, for metrics.
    public let onCommit: (@Sendable (Duration, Int) -> Void)?

    private struct Pending {
        var write: StorageWrite
        var submitted: ContinuousClock.Instant
        var completion: @Sendable (Result<StorageWriteResult, StorageError>) -> Void
    }

    /// Opens (creating if needed) the database in `directory`.
    public init(directory: String, configuration: Configuration = .init(),
                onCommit: (@Sendable (Duration, Int) -> Void)? = nil) throws(StorageError) {
        self.configuration = configuration
        self.onCommit = onCommit
        path = (directory as NSString).appendingPathComponent(Self.fileName)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotOpen(path: path, detail: "cannot create the folder \(directory): \(error.localizedDescription)")
        }
        do {
            writer = try SQLiteDatabase(path: path)
        } catch {
            throw .cannotOpen(path: path, detail: "\(error)")
        }
        do {
            let mode = try writer.query("PRAGMA journal_mode = WAL").first?.first?.text ?? ""
            guard mode.lowercased() == "wal" else { throw StorageError.cannotOpen(path: path, detail: "WAL mode refused (\(mode))") }
            try writer.execute("PRAGMA synchronous = \(configuration.synchronousFull ? "FULL" : "NORMAL")")
            if let pages = configuration.maxPageCount { try writer.query("PRAGMA max_page_count = \(pages)") }
            let check = try writer.query("PRAGMA quick_check").first?.first?.text ?? ""
            guard check == "ok" else { throw StorageError.corrupt(path: path, detail: check) }
        } catch let error as StorageError {
            throw error
        } catch let failure as SQLiteDatabase.Failure {
            throw failure.isCorruption ? .corrupt(path: path, detail: failure.message) : .cannotOpen(path: path, detail: failure.description)
        } catch {
            throw .cannotOpen(path: path, detail: "\(error)")
        }
        try Migrations.run(on: writer)
        do {
            // A read-only file or folder shows here, at start, not on the first write.
            try writer.execute("BEGIN IMMEDIATE; COMMIT")
        } catch {
            throw .cannotOpen(path: path, detail: "the database is not writable: \(error)")
        }
        do {
            reader = try SQLiteDatabase(path: path, readOnly: true)
        } catch {
            throw .cannotOpen(path: path, detail: "\(error)")
        }
    }

    // MARK: Writing

    public func write(_ write: StorageWrite, completion: @escaping @Sendable (Result<StorageWriteResult, StorageError>) -> Void) {
        let item = Pending(write: write, submitted: .now, completion: completion)
        let mustSchedule = pending.withLock { pending -> Bool in
            pending.items.append(item)
            guard !pending.scheduled else { return false }
            pending.scheduled = true
            return true
        }
        if mustSchedule { writerQueue.async { [self] in drain() } }
    }

    public func flush() {
        writerQueue.sync {}
    }

    private func drain() {
        while true {
            let batch = pending.withLock { pending -> [Pending] in
                let count = min(pending.items.count, configuration.maxBatch)
                let taken = Array(pending.items.prefix(count))
                pending.items.removeFirst(count)
                if pending.items.isEmpty { pending.scheduled = false }
                return taken
            }
            guard !batch.isEmpty else { return }
            commit(batch)
        }
    }

    private func commit(_ batch: [Pending]) {
        var results: [Result<StorageWriteResult, StorageError>] = []
        results.reserveCapacity(batch.count)
        do {
            try writer.execute("BEGIN IMMEDIATE")
        } catch {
            batch.forEach { $0.completion(.failure(.writeFailed("\(error)"))) }
            return
        }
        for item in batch {
            do {
                try writer.execute("SAVEPOINT one")
                let result = try apply(item.write)
                try writer.execute("RELEASE one")
                results.append(.success(result))
            } catch {
                guard writer.inTransaction else {
                    // SQLite rolled the whole transaction back itself (a full disk, an I/O
                    // error): nothing of this batch is stored, so none of it is acknowledged.
                    batch.forEach { $0.completion(.failure(.writeFailed("\(error)"))) }
                    return
                }
                try? writer.execute("ROLLBACK TO one")
                try? writer.execute("RELEASE one")
                results.append(.failure(.writeFailed("\(error)")))
            }
        }
        do {
            try writer.execute("COMMIT")
        } catch {
            try? writer.execute("ROLLBACK")
            batch.forEach { $0.completion(.failure(.writeFailed("\(error)"))) }
            return
        }
        let now = ContinuousClock.now
        for (item, result) in zip(batch, results) {
            onCommit?(item.submitted.duration(to: now), batch.count)
            item.completion(result)
        }
    }

    private func apply(_ write: StorageWrite) throws -> StorageWriteResult {
        switch write {
        case .chat(let chat):
            try writer.query("""
                INSERT INTO chat (room, message_id, sender_id, sender_name, registration_id, scope, text, recipients, time)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(chat.room), .int(Int64(bitPattern: chat.messageID)), .int(Int64(chat.senderID)),
                      .text(chat.senderName), chat.registrationID.map { .text($0) } ?? .null, .text(chat.scope),
                      .text(chat.text), .int(Int64(chat.recipients)), .int(chat.time)])
            return .done
        case .reaction(let reaction, let on):
            if on {
                try writer.query("INSERT OR IGNORE INTO reactions (room, exhibit, person, kind, time) VALUES (?, ?, ?, ?, ?)",
                                 [.text(reaction.room), .text(reaction.exhibit), .text(reaction.person), .text(reaction.kind),
                                  .int(reaction.time)])
            } else {
                try writer.query("DELETE FROM reactions WHERE room = ? AND exhibit = ? AND person = ? AND kind = ?",
                                 [.text(reaction.room), .text(reaction.exhibit), .text(reaction.person), .text(reaction.kind)])
            }
            return .reaction(changed: writer.changes > 0)
        case .note(let note):
            try writer.query("""
                INSERT INTO notes (room, exhibit, author_id, author_name, person, text, time) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.text(note.room), .text(note.exhibit), .int(Int64(note.authorID)), .text(note.authorName),
                      .text(note.person), .text(note.text), .int(note.time)])
            return .note(id: writer.lastInsertID)
        case .hideNote(let room, let exhibit, let noteID, let moderator, let time):
            try writer.query("""
                UPDATE notes SET hidden_at = ?, hidden_by = ? WHERE id = ? AND room = ? AND exhibit = ? AND hidden_at IS NULL
                """, [.int(time), .text(moderator), .int(noteID), .text(room), .text(exhibit)])
            return .hidden(found: writer.changes > 0)
        case .pruneChat(let before):
            try writer.query("DELETE FROM chat WHERE time < ?", [.int(before)])
            return .done
        case .register(let registrations):
            for registration in registrations {
                try writer.query("INSERT INTO registrations (id, name, email, role, created_at) VALUES (?, ?, ?, ?, ?)",
                                 [.text(registration.id), .text(registration.name), registration.email.map { .text($0) } ?? .null,
                                  .text(registration.role), .int(registration.createdAt)])
            }
            return .done
        case .revoke(let idOrEmail, let time):
            try writer.query("UPDATE registrations SET revoked_at = ? WHERE (id = ? OR email = ?) AND revoked_at IS NULL",
                             [.int(time), .text(idOrEmail), .text(idOrEmail)])
            return .revoked(count: writer.changes)
        case .ban(let ban):
            try writer.query("""
                INSERT INTO bans (room, registration_id, address, name, reason, moderator, time) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.text(ban.room), ban.registrationID.map { .text($0) } ?? .null, ban.address.map { .text($0) } ?? .null,
                      .text(ban.name), ban.reason.map { .text($0) } ?? .null, .text(ban.moderator), .int(ban.time)])
            return .done
        case .audit(let audit):
            try writer.query("""
                INSERT INTO audit (room, moderator, moderator_name, action, target, detail, time) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.text(audit.room), .text(audit.moderator), .text(audit.moderatorName), .text(audit.action),
                      audit.target.map { .text($0) } ?? .null, audit.detail.map { .text($0) } ?? .null, .int(audit.time)])
            return .done
        case .quizAnswers(let answers):
            for answer in answers {
                try writer.query("""
                    INSERT INTO quiz_answers (room, quiz, title, mode, question_index, question, answer, player_id, player_name,
                                              person, chose, correct, score, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.text(answer.room), .text(answer.quiz), .text(answer.title), .text(answer.mode),
                          .int(Int64(answer.questionIndex)), .text(answer.question), .text(answer.answer),
                          .int(Int64(answer.playerID)), .text(answer.playerName), .text(answer.person), .text(answer.chose),
                          .int(answer.correct ? 1 : 0), .int(Int64(answer.score)), .int(answer.time)])
            }
            return .done
        case .quizRanking(let ranking):
            for entry in ranking {
                try writer.query("""
                    INSERT INTO quiz_rankings (room, quiz, title, mode, rank, player_name, person, score, time)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.text(entry.room), .text(entry.quiz), .text(entry.title), .text(entry.mode), .int(Int64(entry.rank)),
                          .text(entry.playerName), .text(entry.person), .int(Int64(entry.score)), .int(entry.time)])
            }
            return .done
        }
    }

    // MARK: Reading

    public func notes(room: String, exhibit: String, before: Int64?, limit: Int,
                      completion: @escaping @Sendable (Result<[NoteRecord], StorageError>) -> Void) {
        readerQueue.async { [self] in
            do {
                let rows = try reader.query("""
                    SELECT id, author_id, author_name, person, text, time FROM notes
                    WHERE room = ? AND exhibit = ? AND hidden_at IS NULL AND id < ? ORDER BY id DESC LIMIT ?
                    """, [.text(room), .text(exhibit), .int(before ?? Int64.max), .int(Int64(max(0, limit)))])
                completion(.success(rows.map { Self.note($0, room: room, exhibit: exhibit) }))
            } catch {
                completion(.failure(.readFailed("\(error)")))
            }
        }
    }

    public func admission(registrationID: String?, address: String?,
                          completion: @escaping @Sendable (Result<Admission, StorageError>) -> Void) {
        readerQueue.async { [self] in
            do {
                var registration: Registration?
                if let registrationID {
                    registration = try reader.query("SELECT id, name, email, role, created_at, revoked_at FROM registrations WHERE id = ?",
                                                    [.text(registrationID)]).first.map(Self.registration)
                }
                var banned = false
                if let registrationID {
                    banned = try !reader.query("SELECT 1 FROM bans WHERE registration_id = ? LIMIT 1", [.text(registrationID)]).isEmpty
                } else if let address {
                    banned = try !reader.query("SELECT 1 FROM bans WHERE registration_id IS NULL AND address = ? LIMIT 1",
                                               [.text(address)]).isEmpty
                }
                completion(.success(Admission(registration: registration, banned: banned)))
            } catch {
                completion(.failure(.readFailed("\(error)")))
            }
        }
    }

    public func registrations() throws(StorageError) -> [Registration] {
        try read { database in
            try database.query("SELECT id, name, email, role, created_at, revoked_at FROM registrations ORDER BY created_at, name, id")
                .map(Self.registration)
        }
    }

    static func registration(_ row: [SQLiteDatabase.Value]) -> Registration {
        Registration(id: row[0].text ?? "", name: row[1].text ?? "", email: row[2].text, role: row[3].text ?? "participant",
                     createdAt: row[4].int ?? 0, revokedAt: row[5].int)
    }

    public func loadExhibits(room: String, recentNotes: Int) throws(StorageError) -> StoredExhibits {
        try read { reader in
            var stored = StoredExhibits()
            for row in try reader.query("SELECT exhibit, kind, person FROM reactions WHERE room = ?", [.text(room)]) {
                guard let exhibit = row[0].text, let kind = row[1].text, let person = row[2].text else { continue }
                stored.reactions[exhibit, default: [:]][kind, default: []].insert(person)
            }
            let rows = try reader.query("""
                SELECT exhibit, id, author_id, author_name, person, text, time FROM (
                    SELECT exhibit, id, author_id, author_name, person, text, time,
                           row_number() OVER (PARTITION BY exhibit ORDER BY id DESC) AS position
                    FROM notes WHERE room = ? AND hidden_at IS NULL)
                WHERE position <= ? ORDER BY exhibit, id DESC
                """, [.text(room), .int(Int64(max(0, recentNotes)))])
            for row in rows {
                guard let exhibit = row[0].text else { continue }
                stored.recentNotes[exhibit, default: []].append(Self.note(Array(row.dropFirst()), room: room, exhibit: exhibit))
            }
            return stored
        }
    }

    public func export(room: String?) throws(StorageError) -> StoreExport {
        try read { database in
            let filter = room.map { SQLiteDatabase.Value.text($0) }
            let roomClause = filter == nil ? "" : " WHERE room = ?"
            let noteRows = try database.query("""
                SELECT id, room, exhibit, author_id, author_name, person, text, time, hidden_at FROM notes\(roomClause) ORDER BY id
                """, filter.map { [$0] } ?? [])
            let notes = noteRows.map { row in
                NoteRecord(id: row[0].int ?? 0, room: row[1].text ?? "", exhibit: row[2].text ?? "",
                           authorID: UInt32(truncatingIfNeeded: row[3].int ?? 0), authorName: row[4].text ?? "",
                           person: row[5].text ?? "", text: row[6].text ?? "", time: row[7].int ?? 0, hidden: row[8].int != nil)
            }
            let reactionRows = try database.query("""
                SELECT room, exhibit, person, kind, time FROM reactions\(roomClause) ORDER BY room, exhibit, kind, time, person
                """, filter.map { [$0] } ?? [])
            let reactions = reactionRows.map { row in
                ReactionRecord(room: row[0].text ?? "", exhibit: row[1].text ?? "", person: row[2].text ?? "",
                               kind: row[3].text ?? "", time: row[4].int ?? 0)
            }
            let answerRows = try database.query("""
                SELECT room, quiz, title, mode, question_index, question, answer, player_id, player_name, person, chose, correct,
                       score, time FROM quiz_answers\(roomClause) ORDER BY id
                """, filter.map { [$0] } ?? [])
            let answers = answerRows.map { row in
                QuizAnswerRecord(room: row[0].text ?? "", quiz: row[1].text ?? "", title: row[2].text ?? "", mode: row[3].text ?? "",
                                 questionIndex: Int(row[4].int ?? 0), question: row[5].text ?? "", answer: row[6].text ?? "",
                                 playerID: UInt32(truncatingIfNeeded: row[7].int ?? 0), playerName: row[8].text ?? "",
                                 person: row[9].text ?? "", chose: row[10].text ?? "", correct: row[11].int == 1,
                                 score: Int(row[12].int ?? 0), time: row[13].int ?? 0)
            }
            let rankingRows = try database.query("""
                SELECT room, quiz, title, mode, rank, player_name, person, score, time FROM quiz_rankings\(roomClause) ORDER BY id
                """, filter.map { [$0] } ?? [])
            let rankings = rankingRows.map { row in
                QuizRankingRecord(room: row[0].text ?? "", quiz: row[1].text ?? "", title: row[2].text ?? "", mode: row[3].text ?? "",
                                  rank: Int(row[4].int ?? 0), playerName: row[5].text ?? "", person: row[6].text ?? "",
                                  score: Int(row[7].int ?? 0), time: row[8].int ?? 0)
            }
            return StoreExport(notes: notes, reactions: reactions, quizAnswers: answers, quizRankings: rankings)
        }
    }

    static func note(_ row: [SQLiteDatabase.Value], room: String, exhibit: String) -> NoteRecord {
        NoteRecord(id: row[0].int ?? 0, room: room, exhibit: exhibit, authorID: UInt32(truncatingIfNeeded: row[1].int ?? 0),
                   authorName: row[2].text ?? "", person: row[3].text ?? "", text: row[4].text ?? "", time: row[5].int ?? 0)
    }

    /// Runs a read-only query for exports and tools, on the reader connection.
    func read<T>(_ body: (SQLiteDatabase) throws -> T) throws(StorageError) -> T {
        do {
            return try readerQueue.sync { try body(reader) }
        } catch {
            throw .readFailed("\(error)")
        }
    }
}
