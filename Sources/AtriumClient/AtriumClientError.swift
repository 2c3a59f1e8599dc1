import AtriumNet
import AtriumProtocol

/// Why a client operation failed. `refused` errors are terminal: the server will not
/// take this client back by retrying (full room, bad token, ban, kick, invalid name).
public enum AtriumClientError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    case connectionFailed(String)
    /// The server answered with an Atrium error that ends the session.
    case refused(ErrorCode, String)
    /// The server answered a request with an error; the session goes on.
    case rejected(ErrorCode, String)
    case notConnected
    case timedOut
    case closed(code: UInt16, reason: String)
    case protocolViolation(String)

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

    /// Whether reconnecting could help.
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
