/// How a connection ended, for logs and for the owner of the connection.
public struct WebSocketCloseReport: Sendable, Equatable {
    public enum Origin: Sendable, Equatable {
        /// We sent a close frame first (shutdown, policy, a protocol error by the peer).
        case local
        /// The peer sent a close frame first.
        case peer
        /// The transport ended without a completed close handshake.
        case transport
    }

    /// The code that describes the end: ours when we closed, the peer's when it did,
    /// 1006 when the connection dropped.
    public var code: WebSocketCloseCode
    public var reason: String
    public var origin: Origin

    public init(code: WebSocketCloseCode, reason: String, origin: Origin) {
        self.code = code
        self.reason = reason
        self.origin = origin
    }
}
