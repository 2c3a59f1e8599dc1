import AtriumWebSocket

/// How much output one WebSocket may hold back in memory, in bytes.
///
/// Output is of two kinds. *State* (``WebSocketChannel/send(state:)``) supersedes itself:
/// at most one state frame waits per connection, so a client that falls behind is never
/// sent a queue of old positions. Everything else is *reliable* (chat, exhibit news, quiz
/// questions, replies) and is either delivered in order or the connection is closed:
/// when the reliable bytes not yet accepted by the kernel would pass ``reliableBudget``,
/// the backlog is dropped and the peer is closed with ``closeCode`` (4011 `too_slow`,
/// Protocol/README.md), never a message dropped silently. One message larger than the
/// whole budget is still sent when less than a quarter of the budget waits before it (the
/// message size limit bounds it). A connection's memory is then bounded by the budget,
/// one large message and one state frame, whatever its peer does.
///
/// Why 64 KiB: Nakama keeps 64 messages per session; our reliable messages are mostly
/// under 1 KiB (a chat line is at most 500 characters, 1.5 KiB of Korean), so 64 KiB holds
/// about as many, several seconds of the busiest chat a person can follow; and 15,000
/// connections all stalled at once still cost under 1 GiB. The kernel's own socket
/// buffer (`net.ipv4.tcp_wmem`) comes in front of it and is not counted here: a client
/// is only "behind" once that is full too.
public struct OutboundLimits: Sendable, Equatable {
    /// Reliable bytes that may wait per connection before it is closed as too slow.
    public var reliableBudget: Int
    /// The close code a connection that could not keep up gets.
    public var closeCode: WebSocketCloseCode
    /// The close frame's reason, a stable word a client can switch on.
    public var closeReason: String

    /// 4011: the peer could not keep up with its reliable messages (Protocol/README.md).
    public static let tooSlowCloseCode = WebSocketCloseCode(4011)
    public static let tooSlowReason = "too_slow"

    /// A client's own output: its server reads as fast as it can, so only a caller that
    /// sends far more than the network carries reaches this (a burst of large messages
    /// from a test or a bot), and the generous budget keeps such bursts whole.
    public static let client = OutboundLimits(reliableBudget: 4 << 20)

    public init(reliableBudget: Int = 64 * 1024, closeCode: WebSocketCloseCode = Self.tooSlowCloseCode,
                closeReason: String = Self.tooSlowReason) {
        self.reliableBudget = max(1, reliableBudget)
        self.closeCode = closeCode
        self.closeReason = closeReason
    }
}
