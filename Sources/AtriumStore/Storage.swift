/// Atrium's persistence, behind one small protocol so that the embedded SQLite store and
/// the PostgreSQL store for multi-server deployments are interchangeable (one contract
/// test suite runs against both). Nothing outside AtriumStore knows which one runs.
///
/// Writes are asynchronous and complete after commit; the caller acknowledges to a
/// client only then. No method blocks the caller's queue except ``loadExhibits(room:)``,
/// which a room calls once before it starts.
public protocol Storage: Sendable {
    func write(_ write: StorageWrite, completion: @escaping @Sendable (Result<StorageWriteResult, StorageError>) -> Void)

    /// Visible notes of a board, newest first, older than `before` when given, at most
    /// `limit` (none when it is 0 or less).
    func notes(room: String, exhibit: String, before: Int64?, limit: Int,
               completion: @escaping @Sendable (Result<[NoteRecord], StorageError>) -> Void)

    /// Reactions and recent notes of a room, for its start: for each board with visible
    /// notes, its newest `recentNotes`, newest first.
    func loadExhibits(room: String, recentNotes: Int) throws(StorageError) -> StoredExhibits

    /// The registration behind a token and whether the person (or, for guests, the
    /// address) is banned; read off the caller's queue.
    func admission(registrationID: String?, address: String?,
                   completion: @escaping @Sendable (Result<Admission, StorageError>) -> Void)

    /// Every registration, for operators' tools: by creation time, then name (byte order), then id.
    func registrations() throws(StorageError) -> [Registration]

    /// What organizers take home, for all rooms or one, for operators' tools: notes by id
    /// (hidden ones marked), reactions by room, exhibit, kind, time and person (byte
    /// order), quiz answers and rankings in the order they were stored.
    func export(room: String?) throws(StorageError) -> StoreExport

    /// Waits until every write submitted so far has completed.
    func flush()
}

extension Storage {
    /// The async form of ``write(_:completion:)``.
    public func write(_ write: StorageWrite) async -> Result<StorageWriteResult, StorageError> {
        await withCheckedContinuation { continuation in
            self.write(write) { continuation.resume(returning: $0) }
        }
    }
}
