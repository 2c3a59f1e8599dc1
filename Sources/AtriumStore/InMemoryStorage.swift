import Synchronization

/// A store that keeps everything in memory: for tests, and for running without a data
/// folder. Same contract as the SQLite store, minus surviving a restart.
public final class InMemoryStorage: Storage {
    private struct State {
        var chat: [ChatRecord] = []
        /// Each reaction and when it was made.
        var reactions: [ReactionKey: Int64] = [:]
        var notes: [NoteRecord] = []
        var nextNoteID: Int64 = 1
        /// When set, every write fails with this message (simulates a full disk).
        var failure: String?
        var registrations: [String: Registration] = [:]
        var bans: [BanRecord] = []
        var audit: [AuditRecord] = []
        var quizAnswers: [QuizAnswerRecord] = []
        var quizRanking: [QuizRankingRecord] = []
    }

    private struct ReactionKey: Hashable {
        var room, exhibit, person, kind: String
    }

    private let state = Mutex(State())

    public init() {}

    /// Makes every following write fail, or succeed again with nil.
    public func failWrites(_ message: String?) {
        state.withLock { $0.failure = message }
    }

    public var chat: [ChatRecord] { state.withLock { $0.chat } }

    public func write(_ write: StorageWrite, completion: @escaping @Sendable (Result<StorageWriteResult, StorageError>) -> Void) {
        let result = state.withLock { state -> Result<StorageWriteResult, StorageError> in
            if let failure = state.failure { return .failure(.writeFailed(failure)) }
            switch write {
            case .chat(let record):
                state.chat.append(record)
                return .success(.done)
            case .reaction(let record, let on):
                let key = ReactionKey(room: record.room, exhibit: record.exhibit, person: record.person, kind: record.kind)
                let changed: Bool
                if on {
                    changed = state.reactions[key] == nil
                    if changed { state.reactions[key] = record.time }
                } else {
                    changed = state.reactions.removeValue(forKey: key) != nil
                }
                return .success(.reaction(changed: changed))
            case .note(var record):
                record.id = state.nextNoteID
                state.nextNoteID += 1
                state.notes.append(record)
                return .success(.note(id: record.id))
            case .hideNote(let room, let exhibit, let noteID, _, _):
                guard let index = state.notes.firstIndex(where: {
                    $0.id == noteID && $0.room == room && $0.exhibit == exhibit && !$0.hidden
                }) else { return .success(.hidden(found: false)) }
                state.notes[index].hidden = true
                return .success(.hidden(found: true))
            case .pruneChat(let before):
                state.chat.removeAll { $0.time < before }
                return .success(.done)
            case .register(let registrations):
                guard registrations.allSatisfy({ state.registrations[$0.id] == nil }) else {
                    return .failure(.writeFailed("duplicate registration id"))
                }
                for registration in registrations { state.registrations[registration.id] = registration }
                return .success(.done)
            case .revoke(let key, let time):
                var count = 0
                for (id, registration) in state.registrations where (id == key || registration.email == key) && registration.revokedAt == nil {
                    state.registrations[id]?.revokedAt = time
                    count += 1
                }
                return .success(.revoked(count: count))
            case .ban(let ban):
                state.bans.append(ban)
                return .success(.done)
            case .audit(let record):
                state.audit.append(record)
                return .success(.done)
            case .quizAnswers(let answers):
                state.quizAnswers += answers
                return .success(.done)
            case .quizRanking(let ranking):
                state.quizRanking += ranking
                return .success(.done)
            }
        }
        completion(result)
    }

    public func notes(room: String, exhibit: String, before: Int64?, limit: Int,
                      completion: @escaping @Sendable (Result<[NoteRecord], StorageError>) -> Void) {
        let notes = state.withLock { state in
            state.notes.filter { $0.room == room && $0.exhibit == exhibit && !$0.hidden && $0.id < (before ?? Int64.max) }
                .sorted { $0.id > $1.id }.prefix(max(0, limit))
        }
        completion(.success(Array(notes)))
    }

    public func loadExhibits(room: String, recentNotes: Int) throws(StorageError) -> StoredExhibits {
        state.withLock { state in
            var stored = StoredExhibits()
            for key in state.reactions.keys where key.room == room {
                stored.reactions[key.exhibit, default: [:]][key.kind, default: []].insert(key.person)
            }
            for note in state.notes.sorted(by: { $0.id > $1.id }) where note.room == room && !note.hidden && recentNotes > 0 {
                if stored.recentNotes[note.exhibit, default: []].count < recentNotes {
                    stored.recentNotes[note.exhibit, default: []].append(note)
                }
            }
            return stored
        }
    }

    public func admission(registrationID: String?, address: String?,
                          completion: @escaping @Sendable (Result<Admission, StorageError>) -> Void) {
        let admission = state.withLock { state in
            let registration = registrationID.flatMap { state.registrations[$0] }
            let banned = state.bans.contains { ban in
                if let registrationID { return ban.registrationID == registrationID }
                return ban.registrationID == nil && ban.address != nil && ban.address == address
            }
            return Admission(registration: registration, banned: banned)
        }
        completion(.success(admission))
    }

    public func registrations() throws(StorageError) -> [Registration] {
        state.withLock { state in
            state.registrations.values.sorted { a, b in
                if a.createdAt != b.createdAt { return a.createdAt < b.createdAt }
                if a.name != b.name { return a.name.utf8.lexicographicallyPrecedes(b.name.utf8) }
                return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
            }
        }
    }

    public func export(room: String?) throws(StorageError) -> StoreExport {
        state.withLock { state in
            func included(_ other: String) -> Bool { room == nil || room == other }
            let reactions = state.reactions.filter { included($0.key.room) }
                .map { ReactionRecord(room: $0.key.room, exhibit: $0.key.exhibit, person: $0.key.person, kind: $0.key.kind, time: $0.value) }
                .sorted { a, b in
                    let left = [a.room, a.exhibit, a.kind].map { Array($0.utf8) }, right = [b.room, b.exhibit, b.kind].map { Array($0.utf8) }
                    if left != right { return left.lexicographicallyPrecedes(right) { $0.lexicographicallyPrecedes($1) } }
                    if a.time != b.time { return a.time < b.time }
                    return a.person.utf8.lexicographicallyPrecedes(b.person.utf8)
                }
            return StoreExport(notes: state.notes.filter { included($0.room) }, reactions: reactions,
                               quizAnswers: state.quizAnswers.filter { included($0.room) },
                               quizRankings: state.quizRanking.filter { included($0.room) })
        }
    }

    public var audit: [AuditRecord] { state.withLock { $0.audit } }
    public var bans: [BanRecord] { state.withLock { $0.bans } }
    public var quizAnswers: [QuizAnswerRecord] { state.withLock { $0.quizAnswers } }
    public var quizRanking: [QuizRankingRecord] { state.withLock { $0.quizRanking } }

    public func flush() {}
}
