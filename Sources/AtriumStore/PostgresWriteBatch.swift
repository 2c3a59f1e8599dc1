import AtriumPostgres

/// Durable writes turned into one PostgreSQL transaction, and its outcome turned back into
/// one result per write. Pure, so the rules are tested without a server:
///
/// - all commit together (one commit, one WAL flush, however many writes), and each write
///   then gets its own result from its statements' results;
/// - a statement the server refuses (a duplicate registration id) rolls the whole
///   transaction back: the write it belongs to fails, and every other write is to be tried
///   again in a new transaction, in the same order, so one bad write never sinks its
///   neighbours, as with the SQLite store's savepoints;
/// - when the outcome is unknown (the connection broke before the commit was reported),
///   every write fails as not acknowledged.
struct PostgresWriteBatch {
    enum Outcome: Equatable {
        /// Results for writes by their index in the batch.
        case completed([Result<StorageWriteResult, StorageError>])
        /// The write at `failed` fails with `error`; the writes at `retry` go again.
        case retry(failed: Int, error: StorageError, retry: [Int])
    }

    let statements: [PostgresStatement]
    /// For each write, the range of its statements.
    private let ranges: [Range<Int>]
    private let writes: [StorageWrite]

    init(_ writes: [StorageWrite]) {
        var statements: [PostgresStatement] = []
        var ranges: [Range<Int>] = []
        for write in writes {
            let start = statements.count
            statements += Self.statements(for: write)
            ranges.append(start..<statements.count)
        }
        self.statements = statements
        self.ranges = ranges
        self.writes = writes
    }

    /// How the transaction ended, per write.
    func outcome(_ result: Result<[PostgresResult], PostgresError>) -> Outcome {
        switch result {
        case .success(let results):
            return .completed(zip(writes, ranges).map { write, range in
                .success(Self.result(of: write, Array(results[range])))
            })
        case .failure(let error):
            if error.kind == .server, let statement = error.statementIndex,
               let failed = ranges.firstIndex(where: { $0.contains(statement) }) {
                return .retry(failed: failed, error: .writeFailed(error.description),
                              retry: ranges.indices.filter { $0 != failed })
            }
            let reason = error.certainlyNotCommitted ? error.description
                : "\(error.description); the outcome is unknown, so the write is not acknowledged"
            return .completed(writes.map { _ in .failure(.writeFailed(reason)) })
        }
    }

    /// The statements of one write; a write with nothing to store (an empty list) has a
    /// no-op, so every write has at least one statement and one result.
    static func statements(for write: StorageWrite) -> [PostgresStatement] {
        switch write {
        case .chat(let chat):
            return [PostgresStatement("""
                INSERT INTO chat (room, message_id, sender_id, sender_name, registration_id, scope, text, recipients, time)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """, [.text(chat.room), .int(Int64(bitPattern: chat.messageID)), .int(Int64(chat.senderID)), .text(chat.senderName),
                      .text(chat.registrationID), .text(chat.scope), .text(chat.text), .int(Int64(chat.recipients)), .int(chat.time)])]
        case .reaction(let reaction, let on):
            if on {
                return [PostgresStatement("""
                    INSERT INTO reactions (room, exhibit, person, kind, time) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
                    """, [.text(reaction.room), .text(reaction.exhibit), .text(reaction.person), .text(reaction.kind), .int(reaction.time)])]
            }
            return [PostgresStatement("DELETE FROM reactions WHERE room = $1 AND exhibit = $2 AND person = $3 AND kind = $4",
                                      [.text(reaction.room), .text(reaction.exhibit), .text(reaction.person), .text(reaction.kind)])]
        case .note(let note):
            return [PostgresStatement("""
                INSERT INTO notes (room, exhibit, author_id, author_name, person, text, time) VALUES ($1, $2, $3, $4, $5, $6, $7)
                RETURNING id
                """, [.text(note.room), .text(note.exhibit), .int(Int64(note.authorID)), .text(note.authorName), .text(note.person),
                      .text(note.text), .int(note.time)])]
        case .hideNote(let room, let exhibit, let noteID, let moderator, let time):
            return [PostgresStatement("""
                UPDATE notes SET hidden_at = $1, hidden_by = $2 WHERE id = $3 AND room = $4 AND exhibit = $5 AND hidden_at IS NULL
                """, [.int(time), .text(moderator), .int(noteID), .text(room), .text(exhibit)])]
        case .pruneChat(let before):
            return [PostgresStatement("DELETE FROM chat WHERE time < $1", [.int(before)])]
        case .register(let registrations):
            return nonEmpty(registrations.map { registration in
                PostgresStatement("INSERT INTO registrations (id, name, email, role, created_at) VALUES ($1, $2, $3, $4, $5)",
                                  [.text(registration.id), .text(registration.name), .text(registration.email),
                                   .text(registration.role), .int(registration.createdAt)])
            })
        case .revoke(let idOrEmail, let time):
            return [PostgresStatement("UPDATE registrations SET revoked_at = $1 WHERE (id = $2 OR email = $2) AND revoked_at IS NULL",
                                      [.int(time), .text(idOrEmail)])]
        case .ban(let ban):
            return [PostgresStatement("""
                INSERT INTO bans (room, registration_id, address, name, reason, moderator, time) VALUES ($1, $2, $3, $4, $5, $6, $7)
                """, [.text(ban.room), .text(ban.registrationID), .text(ban.address), .text(ban.name), .text(ban.reason),
                      .text(ban.moderator), .int(ban.time)])]
        case .audit(let audit):
            return [PostgresStatement("""
                INSERT INTO audit (room, moderator, moderator_name, action, target, detail, time) VALUES ($1, $2, $3, $4, $5, $6, $7)
                """, [.text(audit.room), .text(audit.moderator), .text(audit.moderatorName), .text(audit.action), .text(audit.target),
                      .text(audit.detail), .int(audit.time)])]
        case .quizAnswers(let answers):
            return nonEmpty(answers.map { answer in
                PostgresStatement("""
                    INSERT INTO quiz_answers (room, quiz, title, mode, question_index, question, answer, player_id, player_name, person,
                                              chose, correct, score, time)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                    """, [.text(answer.room), .text(answer.quiz), .text(answer.title), .text(answer.mode), .int(Int64(answer.questionIndex)),
                          .text(answer.question), .text(answer.answer), .int(Int64(answer.playerID)), .text(answer.playerName),
                          .text(answer.person), .text(answer.chose), .bool(answer.correct), .int(Int64(answer.score)), .int(answer.time)])
            })
        case .quizRanking(let ranking):
            return nonEmpty(ranking.map { entry in
                PostgresStatement("""
                    INSERT INTO quiz_rankings (room, quiz, title, mode, rank, player_name, person, score, time)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    """, [.text(entry.room), .text(entry.quiz), .text(entry.title), .text(entry.mode), .int(Int64(entry.rank)),
                          .text(entry.playerName), .text(entry.person), .int(Int64(entry.score)), .int(entry.time)])
            })
        }
    }

    private static func nonEmpty(_ statements: [PostgresStatement]) -> [PostgresStatement] {
        statements.isEmpty ? [PostgresStatement("SELECT 1")] : statements
    }

    /// A write's result from its statements' results.
    static func result(of write: StorageWrite, _ results: [PostgresResult]) -> StorageWriteResult {
        let affected = results.first?.affectedRows ?? 0
        switch write {
        case .reaction: return .reaction(changed: affected > 0)
        case .note: return .note(id: results.first?.rows.first?.int(0) ?? 0)
        case .hideNote: return .hidden(found: affected > 0)
        case .revoke: return .revoked(count: affected)
        case .chat, .pruneChat, .register, .ban, .audit, .quizAnswers, .quizRanking: return .done
        }
    }
}
