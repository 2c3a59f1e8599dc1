import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection on a non-blocking socket, driven by Dispatch read and write sources
/// on its ``IOQueue``. It moves bytes and knows nothing of what they mean: TLS, when on,
/// is a transform between the socket and the ``ConnectionHandler``.
///
/// Output is queued in one buffer and written once per wake-up; when the socket is full a
/// write source waits for room. A close flushes what is queued, half-closes, and keeps
/// reading (and discarding) for a short linger, so the peer sees our last bytes instead of
/// a reset.
///
/// `@unchecked Sendable`: every mutable member is touched only on `ioQueue.queue`, except
/// `queuedBytes` and `writtenTotal`, which are atomic so other queues may read the backlog.
public final class Connection: @unchecked Sendable {
    public let id: UInt64
    public let ioQueue: IOQueue
    public let remoteAddress: SocketAddress?
    public var handler: (any ConnectionHandler)?

    private enum State: Equatable {
        case open
        /// Close requested: flush what is queued, then half-close and linger.
        case draining
        /// Half-closed; waiting for the peer's EOF until the deadline.
        case lingering(deadline: ContinuousClock.Instant)
        case closed
    }

    private let fd: Int32
    private var state: State = .open
    private var readSource: (any DispatchSourceRead)?
    private var writeSource: (any DispatchSourceWrite)?
    private var writeSourceActive = false
    private var outbound = OutboundBuffer()
    private var tls: TLSSession?
    private var batchDepth = 0
    private var closeError: SocketError?
    private var notifyOnDrain = false
    private let queued = Atomic<Int>(0)
    private let written = Atomic<UInt64>(0)

    /// How long a closing connection waits for the peer's EOF after our last byte.
    static let lingerTime: Duration = .seconds(2)
    /// Reads per wake-up before yielding the queue to other connections.
    static let readBudget = 16
    /// Above this much queued output, ``connectionDidDrain`` is called once it empties.
    public static let lowWaterMark = 64 * 1024

    /// Called once, on the I/O queue, after the socket is closed; used by the listener to
    /// keep its connection counts.
    var onClose: (@Sendable (Connection) -> Void)?

    init(fd: Int32, id: UInt64, ioQueue: IOQueue, remoteAddress: SocketAddress?, tls: TLSSession?) {
        self.fd = fd
        self.id = id
        self.ioQueue = ioQueue
        self.remoteAddress = remoteAddress
        self.tls = tls
    }

    /// Bytes queued and not yet accepted by the kernel. Safe to read from any queue.
    public var queuedBytes: Int { queued.load(ordering: .relaxed) }

    /// How many bytes of the stream the kernel has accepted so far. Safe to read from any
    /// queue; compared with ``queuedTotal`` taken after a write, it tells whether that
    /// write has left.
    public var writtenTotal: UInt64 { written.load(ordering: .relaxed) }

    /// The stream offset just past everything queued so far (TLS: the ciphertext). Call
    /// on `ioQueue.queue`.
    public var queuedTotal: UInt64 { outbound.appendedTotal }

    public var isOpen: Bool { state == .open }

    /// True when the connection carries TLS.
    public var isSecure: Bool { tls != nil }

    /// Registers with the queue and starts reading. Call on `ioQueue.queue`.
    func start() {
        dispatchPrecondition(condition: .onQueue(ioQueue.queue))
        ioQueue.register(self)
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: ioQueue.queue)
        source.setEventHandler { [weak self] in self?.handleReadable() }
        readSource = source
        source.activate()
        if let tls, tls.isClient {
            batch { tls.startHandshake(); drainTLSOutput() }
        }
    }

    // MARK: Writing

    /// Queues bytes for the peer. Call on `ioQueue.queue`. Outside ``batch(_:)`` the bytes
    /// are sent at once; inside, when the batch ends.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        dispatchPrecondition(condition: .onQueue(ioQueue.queue))
        guard state == .open || state == .draining, !bytes.isEmpty else { return }
        if let tls {
            tls.encrypt(bytes)
            drainTLSOutput()
        } else {
            outbound.append(bytes)
        }
        updateQueued()
        if batchDepth == 0 { flush() }
    }

    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

    /// True while this connection is inside ``batch(_:)``, e.g. handling what it read;
    /// only ever true on its own queue.
    var isBatching: Bool { ioQueue.isCurrent && batchDepth > 0 }

    /// Groups writes so that they leave in one system call.
    public func batch(_ body: () -> Void) {
        batchDepth += 1
        body()
        batchDepth -= 1
        if batchDepth == 0 { flush() }
    }

    /// Discards queued output that has not started to leave, e.g. before a slow client
    /// gets its close frame; a partly sent write is finished so the stream stays whole.
    /// TLS output cannot be cut between records this way and is kept.
    public func discardQueuedOutput() {
        guard tls == nil else { return }
        outbound.discardUnstarted()
        updateQueued()
    }

    private func flush() {
        guard state != .closed else { return }
        while !outbound.isEmpty {
            let written = outbound.write { bytes in
                send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            }
            if written > 0 { continue }
            if written < 0 && errno == EINTR { continue }
            if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                updateQueued()
                enableWriteSource()
                return
            }
            finalize(error: .last("send"))
            return
        }
        updateQueued()
        disableWriteSource()
        if state == .draining { beginLinger() }
        if notifyOnDrain {
            notifyOnDrain = false
            handler?.connectionDidDrain(self)
        }
    }

    private func updateQueued() {
        let count = outbound.count
        if count > Self.lowWaterMark { notifyOnDrain = true }
        queued.store(count, ordering: .relaxed)
        written.store(outbound.writtenTotal, ordering: .relaxed)
    }

    private func enableWriteSource() {
        if writeSource == nil {
            let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: ioQueue.queue)
            source.setEventHandler { [weak self] in self?.flush() }
            writeSource = source
            writeSource?.activate()
            writeSourceActive = true
        } else if !writeSourceActive {
            writeSource?.resume()
            writeSourceActive = true
        }
    }

    private func disableWriteSource() {
        if writeSourceActive {
            writeSource?.suspend()
            writeSourceActive = false
        }
    }

    // MARK: Reading

    private func handleReadable() {
        var reads = 0
        while state != .closed {
            let count = read(fd, ioQueue.readBuffer.baseAddress, ioQueue.readBuffer.count)
            if count > 0 {
                received(UnsafeRawBufferPointer(rebasing: ioQueue.readBuffer[0..<count]))
                // A short read emptied the socket. Dispatch read sources fire again while
                // data is pending (level-triggered), so no extra read is needed to see EAGAIN.
                if count < ioQueue.readBuffer.count { return }
                reads += 1
                if reads >= Self.readBudget {
                    // Yield to other connections; continue on a later turn of the queue.
                    ioQueue.queue.async { [weak self] in self?.handleReadable() }
                    return
                }
                continue
            }
            if count == 0 {
                receivedEOF()
                return
            }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return }
            finalize(error: .last("read"))
            return
        }
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        switch state {
        case .open:
            batch {
                if let tls {
                    tls.receive(bytes) { plaintext in
                        guard state == .open else { return }
                        handler?.connection(self, didRead: plaintext)
                    }
                    drainTLSOutput()
                    if tls.failed {
                        finalize(error: SocketError("TLS", errno: EPROTO))
                    } else if tls.peerClosed {
                        receivedEOF()
                    }
                } else {
                    handler?.connection(self, didRead: bytes)
                }
            }
        case .draining, .lingering, .closed:
            break
        }
    }

    private func receivedEOF() {
        switch state {
        case .open:
            handler?.connectionDidReadEOF(self)
        case .lingering:
            finalize(error: nil)
        case .draining:
            // The peer is gone while our output waits; nothing more can be delivered.
            finalize(error: nil)
        case .closed:
            break
        }
    }

    private func drainTLSOutput() {
        guard let tls else { return }
        tls.drainCiphertext { outbound.append($0) }
        updateQueued()
    }

    // MARK: Closing

    /// Flushes queued output, then closes. Further reads are discarded.
    public func close() {
        dispatchPrecondition(condition: .onQueue(ioQueue.queue))
        guard state == .open else { return }
        state = .draining
        if let tls {
            tls.shutdown()
            drainTLSOutput()
        }
        if batchDepth == 0 { flush() }
    }

    /// Closes at once, dropping queued output.
    public func abort() {
        dispatchPrecondition(condition: .onQueue(ioQueue.queue))
        finalize(error: nil)
    }

    private func beginLinger() {
        shutdown(fd, Int32(SHUT_WR))
        state = .lingering(deadline: .now + Self.lingerTime)
    }

    func tick(now: ContinuousClock.Instant) {
        switch state {
        case .lingering(let deadline) where now >= deadline:
            finalize(error: nil)
        case .open:
            handler?.connectionTick(self, now: now)
        default:
            break
        }
    }

    private func finalize(error: SocketError?) {
        guard state != .closed else { return }
        state = .closed
        closeError = error
        outbound.removeAll()
        queued.store(0, ordering: .relaxed)
        // Nothing more will leave; nothing counts as waiting either.
        written.store(outbound.appendedTotal, ordering: .relaxed)
        if let writeSource {
            if !writeSourceActive { writeSource.resume() }
            writeSource.cancel()
        }
        writeSource = nil
        // The descriptor is closed only after Dispatch has let go of it.
        let fd = self.fd
        if let readSource {
            readSource.setCancelHandler { Glibc.close(fd) }
            readSource.cancel()
        } else {
            Glibc.close(fd)
        }
        readSource = nil
        tls = nil
        ioQueue.unregister(self)
        let handler = self.handler
        self.handler = nil
        handler?.connectionDidClose(self, error: error)
        onClose?(self)
        onClose = nil
    }
}
