/// Atrium's persistence, behind one small protocol so that the embedded SQLite store and
/// the PostgreSQL store planned for multi-server deployments are interchangeable. Nothing
/// outside AtriumStore knows which one runs.
///
/// Writes are asynchronous and complete after commit; the caller acknowledges to a
/// client only then. No method blocks the caller's queue except ``loadExhibits(room:)``,
/// which a room calls once before it starts.
public protocol Storage: Sendable {
    func write(_ write: StorageWrite, completion: @escaping @Sendable (Result<StorageWriteResult, StorageError>) -> Void)

    /// Visible notes of a board, newest first, older than `before` when given.
    func notes(room: String, exhibit: String, before: Int64?, limit: Int,
               completion: @escaping @Sendable (Result<[NoteRecord], StorageError>) -> Void)

    /// Reactions and recent notes of a room, for its start.
    func loadExhibits(room: String, recentNotes: Int) throws(StorageError) -> StoredExhibits

    /// The registration behind a token and whether the person (or, for guests, the
    /// address) is banned; read off the caller's queue.
    func admission(registrationID: String?, address: String?,
                   completion: @escaping @Sendable (Result<Admission, StorageError>) -> Void)

    /// Every registration, for operators' tools.
    func registrations() throws(StorageError) -> [Registration]

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
