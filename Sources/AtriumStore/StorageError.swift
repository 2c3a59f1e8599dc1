/// Why the store could not do something. Messages name the database file; clients only
/// ever see `store_unavailable`.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database cannot be opened or created (permissions, missing folder).
    case cannotOpen(path: String, detail: String)
    /// The file is not a database, or fails its integrity check.
    case corrupt(path: String, detail: String)
    /// The database is newer than this server understands.
    case tooNew(path: String, version: Int, known: Int)
    /// A write failed: the disk is full, the file became read-only, an I/O error.
    case writeFailed(String)
    case readFailed(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let detail): return "cannot open the database \(path): \(detail)"
        case .corrupt(let path, let detail):
            return "the database \(path) is damaged (\(detail)); restore it from a backup or move it away to start empty"
        case .tooNew(let path, let version, let known):
            return "the database \(path) has schema version \(version), newer than this server's \(known); upgrade the server"
        case .writeFailed(let detail): return "write failed: \(detail)"
        case .readFailed(let detail): return "read failed: \(detail)"
        }
    }
}
