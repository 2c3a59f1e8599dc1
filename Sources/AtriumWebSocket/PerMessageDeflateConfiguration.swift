/// How this end wants permessage-deflate (RFC 7692) to behave.
///
/// The defaults favour memory over ratio: with both `no_context_takeover` flags a
/// connection keeps no zlib state between messages, so one compressor and one
/// decompressor per I/O queue serve every connection on it. A context kept per
/// connection would cost about 300 KiB each, more than the whole per-connection budget.
public struct PerMessageDeflateConfiguration: Sendable, Equatable {
    /// Offer (client) or accept (server) the extension at all.
    public var isEnabled: Bool
    /// Compress each message we send from an empty window.
    public var noContextTakeoverForOwnMessages: Bool
    /// Ask the peer to compress each of its messages from an empty window.
    public var noContextTakeoverForPeerMessages: Bool
    /// The largest window (8–15) we compress with.
    public var maxWindowBits: Int
    /// Messages shorter than this go uncompressed: deflate's framing costs more than it
    /// saves on small state updates.
    public var minimumMessageSize: Int
    /// zlib compression level, 1–9.
    public var level: Int
    /// zlib memory level, 1–9.
    public var memoryLevel: Int

    public init(
        isEnabled: Bool = true,
        noContextTakeoverForOwnMessages: Bool = true,
        noContextTakeoverForPeerMessages: Bool = true,
        maxWindowBits: Int = 15,
        minimumMessageSize: Int = 256,
        level: Int = 6,
        memoryLevel: Int = 8
    ) {
        self.isEnabled = isEnabled
        self.noContextTakeoverForOwnMessages = noContextTakeoverForOwnMessages
        self.noContextTakeoverForPeerMessages = noContextTakeoverForPeerMessages
        self.maxWindowBits = min(max(maxWindowBits, 8), 15)
        self.minimumMessageSize = max(0, minimumMessageSize)
        self.level = min(max(level, 1), 9)
        self.memoryLevel = min(max(memoryLevel, 1), 9)
    }

    public static let disabled = PerMessageDeflateConfiguration(isEnabled: false)
}
