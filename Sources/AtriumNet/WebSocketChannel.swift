import AtriumWebSocket
import Synchronization

/// A WebSocket on a ``Connection``: the protocol state machine driven by socket events,
/// plus a thread-safe send path for the rest of the server.
///
/// Any queue may call ``send(_:)``: messages wait in a locked inbox and are encoded
/// (compressed, masked on the client side) on the connection's I/O queue, where the
/// compressor lives. Memory is bounded by ``OutboundLimits``: room state is coalesced (at
/// most one state frame waits, see ``send(state:)`` and ``isStateBehind``), and when the
/// reliable messages waiting would pass the budget, the backlog is dropped and the peer
/// closed with ``OutboundLimits/closeCode``.
///
/// `@unchecked Sendable`: `machine`, `delegate`, `closeReport` and `outputBuffer` are
/// touched only on the I/O queue; `inbox` is behind a mutex and the counters are atomic.
public final class WebSocketChannel: ConnectionHandler, QueueWork, @unchecked Sendable {
    public let connection: Connection
    public let role: WebSocketRole
    public let subprotocol: String?
    public let limits: OutboundLimits
    public var delegate: (any WebSocketChannelDelegate)?

    private enum Outgoing {
        case message(WebSocketMessage)
        /// A complete server frame encoded once and shared by many channels (broadcast).
        case frame([UInt8])
        /// The newest room state: at most one in the inbox, replaced by a newer one.
        case state(WebSocketMessage)
        case close(WebSocketCloseCode, String)

        /// Bytes counted against the reliable budget (state is bounded apart): a message
        /// as the largest frame it can become, so that encoding it never adds to the count.
        var reliableBytes: Int {
            switch self {
            case .message(let message):
                return message.data.count + WebSocketFrameEncoder.headerLength(payloadLength: message.data.count, masked: true)
            case .frame(let frame): return frame.count
            case .state, .close: return 0
            }
        }
    }

    private struct Inbox {
        var items: [Outgoing] = []
        var scheduled = false
        /// Where the state frame waits in `items`, if one does.
        var stateIndex: Int?
    }

    private var machine: WebSocketStateMachine
    private let inbox = Mutex(Inbox())
    /// Reliable bytes in the inbox.
    private let inboxBytes = Atomic<Int>(0)
    private let overflowed = Atomic<Bool>(false)
    /// A state frame is in the inbox, or being written to the connection.
    private let stateWaiting = Atomic<Bool>(false)
    /// The stream offset just past the last state frame handed to the connection, and
    /// its size: it has left once ``Connection/writtenTotal`` reaches the offset.
    private let stateEnd = Atomic<UInt64>(0)
    private let stateSize = Atomic<Int>(0)
    private var closeReport: WebSocketCloseReport?
    private var actions: [WebSocketAction] = []
    /// Reused for encoding outgoing messages; the connection copies what it is given.
    private var outputBuffer: [UInt8] = []

    init(connection: Connection, role: WebSocketRole, configuration: WebSocketConfiguration,
         deflate: PerMessageDeflateParameters?, limits: OutboundLimits, subprotocol: String?) {
        self.connection = connection
        self.role = role
        self.limits = limits
        self.subprotocol = subprotocol
        var deflater: ZlibDeflater?
        var inflater: ZlibInflater?
        if let deflate {
            (deflater, inflater) = CompressionPool.streams(for: deflate, role: role,
                                                           configuration: configuration.compression, on: connection.ioQueue)
        }
        machine = WebSocketStateMachine(role: role, configuration: configuration, deflate: deflate,
                                        deflater: deflater, inflater: inflater, now: .now)
    }

    /// Whether permessage-deflate was agreed.
    public var isCompressed: Bool { machine.deflate != nil }

    /// Reliable bytes waiting: everything but the unsent part of the last state frame.
    /// This is what ``OutboundLimits/reliableBudget`` bounds.
    public var pendingReliableBytes: Int {
        let queued = connection.queuedBytes
        let end = stateEnd.load(ordering: .relaxed)
        let written = connection.writtenTotal
        let stateUnsent = end > written ? min(Int(end - written), stateSize.load(ordering: .relaxed), queued) : 0
        return inboxBytes.load(ordering: .relaxed) + queued - stateUnsent
    }

    /// True while the last state frame has not yet been accepted by the kernel. A producer
    /// of state deltas holds back meanwhile and sends one delta with the newest state
    /// once this is false again: the room does (via `isCongested`), so old state is never
    /// queued behind old state. Readable from any queue.
    public var isStateBehind: Bool {
        stateWaiting.load(ordering: .acquiring) || connection.writtenTotal < stateEnd.load(ordering: .relaxed)
    }

    // MARK: Sending, from any queue

    public func send(_ message: WebSocketMessage) {
        let item = Outgoing.message(message)
        enqueue(item, bytes: item.reliableBytes)
    }

    /// Sends room state as a binary message, coalesced: if a state message still waits in
    /// the inbox (not yet encoded), this one replaces it, so at most one state frame waits
    /// per connection and a client that falls behind gets the newest state, not a queue of
    /// older ones. State never counts against the reliable budget and never closes the
    /// connection. A producer whose messages are deltas must not rely on the replacement
    /// (it would lose the delta replaced): it checks ``isStateBehind`` first, as the room does.
    public func send(state bytes: [UInt8]) {
        let item = Outgoing.state(.binary(bytes))
        changeInbox { inbox in
            stateWaiting.store(true, ordering: .releasing)
            if let index = inbox.stateIndex {
                inbox.items[index] = item
            } else {
                inbox.stateIndex = inbox.items.count
                inbox.items.append(item)
            }
        }
    }

    public func send(text: String) {
        send(.text(text))
    }

    public func send(binary: [UInt8]) {
        send(.binary(binary))
    }

    /// Sends a frame produced by ``encodeSharedFrame(_:)``: the same bytes go to every
    /// recipient of a broadcast without re-encoding. Server side only.
    public func send(sharedFrame: [UInt8]) {
        precondition(role == .server, "shared frames are unmasked server frames")
        let item = Outgoing.frame(sharedFrame)
        enqueue(item, bytes: item.reliableBytes)
    }

    /// Encodes a message once, uncompressed, for ``send(sharedFrame:)``.
    public static func encodeSharedFrame(_ message: WebSocketMessage) -> [UInt8] {
        var frame: [UInt8] = []
        WebSocketFrameEncoder.encode(opcode: message.kind == .text ? .text : .binary, payload: message.data, into: &frame)
        return frame
    }

    /// Starts the close handshake with `code`; safe from any queue.
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        enqueue(.close(code, reason), bytes: 0)
    }

    private func enqueue(_ item: Outgoing, bytes: Int) {
        // Once one message did not fit, none after it may be delivered: the connection is
        // closing, and a later message arriving without the earlier one would be a gap the
        // peer cannot see.
        if overflowed.load(ordering: .acquiring) { return }
        if bytes > 0 && isOverBudget(adding: bytes) {
            overflow()
            return
        }
        // A reply while this connection's read is being handled (an echo, a pong, an
        // error), with nothing queued ahead: write now; it leaves in the same system call
        // as everything else written during that read. Anything else goes through the
        // inbox, which batches all of a connection's pending sends into one write.
        if connection.isBatching, inbox.withLock({ $0.items.isEmpty && !$0.scheduled }) {
            write(item)
            return
        }
        inboxBytes.add(bytes, ordering: .relaxed)
        changeInbox { $0.items.append(item) }
    }

    /// Whether a reliable message of `bytes` would pass the budget. One larger than the
    /// whole budget may still join a backlog under a quarter of it: the budget bounds the
    /// backlog, the message size limit bounds one message.
    private func isOverBudget(adding bytes: Int) -> Bool {
        let pending = pendingReliableBytes
        if bytes > limits.reliableBudget { return pending > limits.reliableBudget / 4 }
        return pending + bytes > limits.reliableBudget
    }

    /// Changes the inbox under its lock, and has the I/O queue drain it unless it will already.
    private func changeInbox(_ change: (inout Inbox) -> Void) {
        let mustSchedule = inbox.withLock { inbox -> Bool in
            change(&inbox)
            guard !inbox.scheduled else { return false }
            inbox.scheduled = true
            return true
        }
        if mustSchedule {
            connection.ioQueue.submit(self)
        }
    }

    /// The slow-consumer rule: the peer cannot take its reliable messages as fast as they
    /// come, so rather than drop one silently or grow without bound, drop the backlog and
    /// close with the budget's code, once. A partly sent frame is finished first.
    private func overflow() {
        guard !overflowed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        connection.ioQueue.queue.async { [self] in
            inbox.withLock {
                $0.items.removeAll()
                $0.stateIndex = nil
            }
            inboxBytes.store(0, ordering: .relaxed)
            stateWaiting.store(false, ordering: .releasing)
            connection.discardQueuedOutput()
            closeNow(code: limits.closeCode, reason: limits.closeReason)
        }
    }

    /// Drains the inbox; runs on the I/O queue after other queues sent.
    func run() {
        let items = inbox.withLock { inbox -> [Outgoing] in
            inbox.scheduled = false
            inbox.stateIndex = nil
            defer { inbox.items.removeAll(keepingCapacity: true) }
            return inbox.items
        }
        connection.batch {
            for item in items {
                // Written first, then uncounted: a budget check meanwhile sees it twice
                // rather than not at all.
                write(item)
                inboxBytes.subtract(item.reliableBytes, ordering: .relaxed)
            }
        }
    }

    private func write(_ item: Outgoing) {
        switch item {
        case .message(let message):
            outputBuffer.removeAll(keepingCapacity: true)
            if machine.encode(message, into: &outputBuffer) { connection.write(outputBuffer) }
        case .frame(let frame):
            if machine.isOpen { connection.write(frame) }
        case .state(let message):
            outputBuffer.removeAll(keepingCapacity: true)
            if machine.encode(message, into: &outputBuffer) {
                connection.write(outputBuffer)
                stateSize.store(outputBuffer.count, ordering: .relaxed)
                stateEnd.store(connection.queuedTotal, ordering: .relaxed)
            }
            // A newer state may have arrived since the inbox was taken; it keeps the flag.
            inbox.withLock { if $0.stateIndex == nil { stateWaiting.store(false, ordering: .releasing) } }
        case .close(let code, let reason):
            closeNow(code: code, reason: reason)
        }
    }

    private func closeNow(code: WebSocketCloseCode, reason: String) {
        actions.removeAll(keepingCapacity: true)
        machine.close(code: code, reason: reason, now: .now, into: &actions)
        perform(actions)
    }

    // MARK: Connection events, on the I/O queue

    public func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer) {
        actions.removeAll(keepingCapacity: true)
        machine.receive(bytes, now: .now, into: &actions)
        perform(actions)
    }

    private func perform(_ actions: [WebSocketAction]) {
        for action in actions {
            switch action {
            case .deliver(let message):
                delegate?.webSocket(self, didReceive: message)
            case .write(let bytes):
                connection.write(bytes)
            case .closeTransport(let report):
                closeReport = report
                connection.close()
            }
        }
    }

    public func connectionDidReadEOF(_ connection: Connection) {
        if closeReport == nil { closeReport = machine.transportClosed() }
        connection.close()
    }

    public func connectionTick(_ connection: Connection, now: ContinuousClock.Instant) {
        actions.removeAll(keepingCapacity: true)
        machine.tick(now: now, into: &actions)
        perform(actions)
    }

    public func connectionDidClose(_ connection: Connection, error: SocketError?) {
        let report = closeReport ?? machine.transportClosed()
        inbox.withLock {
            $0.items.removeAll()
            $0.stateIndex = nil
        }
        inboxBytes.store(0, ordering: .relaxed)
        stateWaiting.store(false, ordering: .releasing)
        let delegate = self.delegate
        self.delegate = nil
        delegate?.webSocketDidClose(self, report: report)
    }
}
