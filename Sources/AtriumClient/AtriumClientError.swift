import AtriumProtocol

/// Why a client operation failed. `refused` errors are terminal: the server will not
/// take this client back by retrying (full room, bad token, ban, kick, invalid name).
public enum AtriumClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not a `ws://` or `wss://` URL.
    case invalidURL(String)
    /// The socket could not be opened or kept (refused, unreachable, TLS, an HTTP error
    /// that a retry may cure), or reconnection gave up; the detail says which.
    case connectionFailed(String)
    /// The server answered with an Atrium error that ends the session.
    case refused(ErrorCode, String)
    /// The server answered a request with an error; the session goes on.
    case rejected(ErrorCode, String)
    /// Not joined when the request was made, or the connection dropped before its answer:
    /// the server may or may not have acted on it.
    case notConnected
    /// No answer within the configured timeout.
    case timedOut
    /// The connection closed with this WebSocket close code and reason, and no
    /// reconnection followed.
    case closed(code: UInt16, reason: String)
    /// The server or the caller broke the protocol (an answer of the wrong type,
    /// `connect()` twice).
    case protocolViolation(String)

    /// The error in a sentence, for logs.
    public var description: String {
        switch self {
        case .invalidURL(let url): return "invalid URL \(url)"
        case .connectionFailed(let detail): return "connection failed: \(detail)"
        case .refused(let code, let message): return "refused (\(code.rawValue)): \(message)"
        case .rejected(let code, let message): return "rejected (\(code.rawValue)): \(message)"
        case .notConnected: return "not connected"
        case .timedOut: return "timed out"
        case .closed(let code, let reason): return "closed with \(code) \(reason)"
        case .protocolViolation(let detail): return "protocol violation: \(detail)"
        }
    }

    /// Whether retrying cannot help: the server will not take this client back as it is.
    public var isTerminal: Bool {
        switch self {
        case .refused, .invalidURL, .protocolViolation: return true
        default: return false
        }
    }

    /// Error codes that end a session for good.
    static func isTerminal(_ code: ErrorCode) -> Bool {
        [.roomFull, .badToken, .banned, .kicked, .nameInvalid, .roomLocked].contains(code)
    }
}
