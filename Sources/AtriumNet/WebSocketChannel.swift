import AtriumWebSocket
import Synchronization

/// A WebSocket on a ``Connection``: the protocol state machine driven by socket events,
/// plus a thread-safe send path for the rest of the server.
///
/// Any queue may call ``send(_:)``: messages wait in a locked inbox and are encoded
/// (compressed, masked on the client side) on the connection's I/O queue, where the
/// compressor lives. Backpressure: above ``OutboundLimits/highWaterMark`` the channel
/// reports itself congested, and above ``OutboundLimits/hardLimit`` the peer is closed
/// with 1008 and its backlog dropped.
///
/// `@unchecked Sendable`: `machine`, `delegate` and `closeReport` are touched only on the
/// I/O queue; `inbox` is behind a mutex and `inboxBytes` is atomic.
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
        case close(WebSocketCloseCode, String)

        var byteCount: Int {
            switch self {
            case .message(let message): return message.data.count
            case .frame(let frame): return frame.count
            case .close: return 0
            }
        }
    }

    private struct Inbox {
        var items: [Outgoing] = []
        var scheduled = false
    }

    private var machine: WebSocketStateMachine
    private let inbox = Mutex(Inbox())
    private let inboxBytes = Atomic<Int>(0)
    private let overflowed = Atomic<Bool>(false)
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

    /// Bytes waiting: in the inbox and in the socket's queue. Readable from any queue.
    public var pendingBytes: Int { inboxBytes.load(ordering: .relaxed) + connection.queuedBytes }

    /// True above the high-water mark: producers of droppable state should wait.
    public var isCongested: Bool { pendingBytes > limits.highWaterMark }

    // MARK: Sending, from any queue

    public func send(_ message: WebSocketMessage) {
        enqueue(.message(message), bytes: message.data.count)
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
        enqueue(.frame(sharedFrame), bytes: sharedFrame.count)
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
        if bytes > 0 && pendingBytes + bytes > limits.hardLimit {
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
        let mustSchedule = inbox.withLock { inbox -> Bool in
            inbox.items.append(item)
            guard !inbox.scheduled else { return false }
            inbox.scheduled = true
            return true
        }
        if mustSchedule {
            connection.ioQueue.submit(self)
        }
    }

    /// The slow-consumer rule: drop what is queued and close with 1008, once.
    private func overflow() {
        guard !overflowed.exchange(true, ordering: .relaxed) else { return }
        connection.ioQueue.queue.async { [self] in
            inbox.withLock { $0.items.removeAll() }
            inboxBytes.store(0, ordering: .relaxed)
            connection.discardQueuedOutput()
            closeNow(code: .policyViolation, reason: "client too slow: outbound queue over limit")
        }
    }

    /// Drains the inbox; runs on the I/O queue after other queues sent.
    func run() {
        let items = inbox.withLock { inbox -> [Outgoing] in
            inbox.scheduled = false
            defer { inbox.items.removeAll(keepingCapacity: true) }
            return inbox.items
        }
        connection.batch {
            for item in items {
                inboxBytes.subtract(item.byteCount, ordering: .relaxed)
                write(item)
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
        inbox.withLock { $0.items.removeAll() }
        inboxBytes.store(0, ordering: .relaxed)
        let delegate = self.delegate
        self.delegate = nil
        delegate?.webSocketDidClose(self, report: report)
    }
}
