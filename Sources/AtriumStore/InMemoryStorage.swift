import Synchronization

/// A store that keeps everything in memory: for tests, and for running without a data
/// folder. Same contract as the SQLite store, minus surviving a restart.
public final class InMemoryStorage: Storage {
    private struct State {
        var chat: [ChatRecord] = []
        var reactions: Set<ReactionKey> = []
        var notes: [NoteRecord] = []
        var nextNoteID: Int64 = 1
        /// When set, every write fails with this message (simulates a full disk).
        var failure: String?
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
                let changed = on ? state.reactions.insert(key).inserted : state.reactions.remove(key) != nil
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
            }
        }
        completion(result)
    }

    public func notes(room: String, exhibit: String, before: Int64?, limit: Int,
                      completion: @escaping @Sendable (Result<[NoteRecord], StorageError>) -> Void) {
        let notes = state.withLock { state in
            state.notes.filter { $0.room == room && $0.exhibit == exhibit && !$0.hidden && $0.id < (before ?? Int64.max) }
                .sorted { $0.id > $1.id }.prefix(limit)
        }
        completion(.success(Array(notes)))
    }

    public func loadExhibits(room: String, recentNotes: Int) throws(StorageError) -> StoredExhibits {
        state.withLock { state in
            var stored = StoredExhibits()
            for key in state.reactions where key.room == room {
                stored.reactions[key.exhibit, default: [:]][key.kind, default: []].insert(key.person)
            }
            for note in state.notes.sorted(by: { $0.id > $1.id }) where note.room == room && !note.hidden {
                if stored.recentNotes[note.exhibit, default: []].count < recentNotes {
                    stored.recentNotes[note.exhibit, default: []].append(note)
                }
            }
            return stored
        }
    }

    public func flush() {}
}
