import Synchronization

/// Messages and payload bytes each way, shared by any number of clients (a bot harness
/// passes one to all its bots). Counting is a relaxed atomic add per message.
public final class TrafficCounters: Sendable {
    private let messagesInCount = Atomic<UInt64>(0)
    private let bytesInCount = Atomic<UInt64>(0)
    private let messagesOutCount = Atomic<UInt64>(0)
    private let bytesOutCount = Atomic<UInt64>(0)

    /// Counters at zero.
    public init() {}

    func received(_ bytes: Int) {
        messagesInCount.add(1, ordering: .relaxed)
        bytesInCount.add(UInt64(bytes), ordering: .relaxed)
    }

    func sent(_ bytes: Int) {
        messagesOutCount.add(1, ordering: .relaxed)
        bytesOutCount.add(UInt64(bytes), ordering: .relaxed)
    }

    /// Messages received, text and binary.
    public var messagesIn: UInt64 { messagesInCount.load(ordering: .relaxed) }
    /// Payload bytes received, after decompression.
    public var bytesIn: UInt64 { bytesInCount.load(ordering: .relaxed) }
    /// Messages sent, text and binary.
    public var messagesOut: UInt64 { messagesOutCount.load(ordering: .relaxed) }
    /// Payload bytes sent, before compression.
    public var bytesOut: UInt64 { bytesOutCount.load(ordering: .relaxed) }
}
