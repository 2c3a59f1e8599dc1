/// Why a PostgreSQL request failed. A struct around a kind, so kinds can be added without
/// breaking callers; a server error keeps its SQLSTATE, which is what callers branch on
/// (`23505` a unique violation, class `40` a transaction to retry, class `08` the link).
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// Could not connect (refused, unknown host, bad password, timed out connecting).
        case connectFailed
        /// The connection broke while the request was in flight: whether a transaction
        /// committed is unknown, so it was not acknowledged.
        case connectionLost
        /// The server refused the statement; ``PostgresError/sqlState`` says why.
        case server
        /// The request waited longer than its deadline (queued while the server was away,
        /// or in flight on a stalled connection).
        case timedOut
        /// Too many requests are waiting; refused at once rather than queued without bound.
        case overloaded
        /// A parameter that cannot be sent (text with a NUL character).
        case invalidParameter
        /// The connection was closed by its owner.
        case closed
        /// libpq handed out something the pipeline did not expect; the connection is dropped.
        case protocolViolation
    }

    public var kind: Kind
    /// The five-character SQLSTATE of a server error.
    public var sqlState: String?
    public var message: String
    public var detail: String?
    /// Which statement of the transaction failed (0-based), for server errors.
    public var statementIndex: Int?

    public init(_ kind: Kind, _ message: String, sqlState: String? = nil, detail: String? = nil, statementIndex: Int? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.statementIndex = statementIndex
    }

    /// True when the transaction certainly did not commit, so running it again cannot
    /// apply it twice.
    public var certainlyNotCommitted: Bool {
        switch kind {
        case .server, .overloaded, .invalidParameter, .connectFailed: return true
        case .timedOut, .connectionLost, .closed, .protocolViolation: return false
        }
    }

    /// `23505`: a row with this key exists.
    public var isUniqueViolation: Bool { sqlState == "23505" }

    /// Class `40` (serialization failure, deadlock): the same transaction may succeed if run again.
    public var isTransactionConflict: Bool { sqlState?.hasPrefix("40") ?? false }

    public var description: String {
        var text = "PostgreSQL \(kind.rawValue)"
        if let sqlState { text += " \(sqlState)" }
        text += ": \(message)"
        if let detail { text += " (\(detail))" }
        return text
    }
}
