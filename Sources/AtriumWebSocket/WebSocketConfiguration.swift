/// Limits and timers of one WebSocket connection. Every value is a named setting with a
/// default that suits a busy event server; the server's configuration overrides them.
public struct WebSocketConfiguration: Sendable, Equatable {
    /// The largest message accepted, after reassembly and decompression (`--max-message-bytes`).
    public var maxMessageBytes: Int
    /// A ping is sent when nothing arrived for this long, so NATs keep the flow and a
    /// dead peer is found.
    public var pingInterval: Duration
    /// The connection is dropped when nothing arrived for this long, pongs included.
    public var deadPeerTimeout: Duration
    /// How long to wait for the peer's close frame after sending ours.
    public var closeTimeout: Duration
    public var compression: PerMessageDeflateConfiguration

    public init(
        maxMessageBytes: Int = 1 << 20,
        pingInterval: Duration = .seconds(20),
        deadPeerTimeout: Duration = .seconds(60),
        closeTimeout: Duration = .seconds(5),
        compression: PerMessageDeflateConfiguration = .init()
    ) {
        self.maxMessageBytes = maxMessageBytes
        self.pingInterval = pingInterval
        self.deadPeerTimeout = deadPeerTimeout
        self.closeTimeout = closeTimeout
        self.compression = compression
    }
}
