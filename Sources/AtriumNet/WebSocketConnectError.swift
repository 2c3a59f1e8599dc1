import AtriumWebSocket

/// Why a client could not open a WebSocket.
public enum WebSocketConnectError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    case unresolvableHost(String)
    case connectionFailed(SocketError)
    case tls(String)
    case timedOut
    /// The server answered with an HTTP status instead of upgrading; the body usually
    /// holds an Atrium error object (`room_full`, `not_found`).
    case refused(status: Int, body: String)
    case handshake(WebSocketHandshakeError)
    case closedDuringHandshake

    public var description: String {
        switch self {
        case .invalidURL(let url): return "invalid WebSocket URL: \(url)"
        case .unresolvableHost(let host): return "cannot resolve host \(host)"
        case .connectionFailed(let error): return "connection failed: \(error)"
        case .tls(let message): return "TLS: \(message)"
        case .timedOut: return "timed out while connecting"
        case .refused(let status, let body): return "server refused the upgrade with \(status): \(body)"
        case .handshake(let error): return "handshake failed: \(error.message)"
        case .closedDuringHandshake: return "the server closed the connection during the handshake"
        }
    }
}
