/// One WebSocket connection's protocol logic after the handshake: framing, reassembly,
/// decompression, UTF-8 validation, ping/pong, and the close handshake (RFC 6455 §5–7,
/// RFC 7692 §6). Bytes and the time go in; actions come out. No I/O, no clock reads.
public struct WebSocketStateMachine {
    public let role: WebSocketRole
    public let configuration: WebSocketConfiguration
    public let deflate: PerMessageDeflateParameters?

    private enum State: Equatable {
        case open
        /// We sent a close frame and wait for the peer's until the deadline.
        case closeSent(code: WebSocketCloseCode, reason: String, deadline: ContinuousClock.Instant)
        case closed
    }

    private var state: State = .open
    private var parser: WebSocketFrameParser
    private let deflater: ZlibDeflater?
    private let inflater: ZlibInflater?
    private var maskKeys = MaskKeyGenerator()

    /// The data message being reassembled, if a first fragment arrived without FIN.
    private var partialKind: WebSocketMessage.Kind?
    private var partialCompressed = false
    private var partialData: [UInt8] = []
    private var partialValidator = UTF8Validator()

    private var lastReceived: ContinuousClock.Instant
    private var pingOutstanding = false

    /// - Parameters:
    ///   - deflater: the compressor for outgoing messages, possibly shared by every
    ///     connection on one queue when the agreed parameters reset it per message. nil
    ///     sends everything uncompressed, which RFC 7692 always allows.
    ///   - inflater: required when `deflate` is agreed. Compressed messages are inflated
    ///     whole, after their last fragment, so a shared inflater is never left mid-stream.
    public init(
        role: WebSocketRole, configuration: WebSocketConfiguration = .init(),
        deflate: PerMessageDeflateParameters? = nil, deflater: ZlibDeflater? = nil, inflater: ZlibInflater? = nil,
        now: ContinuousClock.Instant
    ) {
        precondition(deflate == nil || inflater != nil, "an agreed permessage-deflate needs an inflater")
        self.role = role
        self.configuration = configuration
        self.deflate = deflate
        self.deflater = deflate == nil ? nil : deflater
        self.inflater = deflate == nil ? nil : inflater
        parser = WebSocketFrameParser(role: role, compressionNegotiated: deflate != nil)
        lastReceived = now
    }

    /// False once a close frame was sent or the connection failed: no more data goes out.
    public var isOpen: Bool { state == .open }

    // MARK: Receiving

    /// Consumes received bytes and appends the resulting actions.
    public mutating func receive(
        _ bytes: UnsafeRawBufferPointer, now: ContinuousClock.Instant, into actions: inout [WebSocketAction]
    ) {
        guard state != .closed, !bytes.isEmpty else { return }
        lastReceived = now
        pingOutstanding = false
        parser.append(bytes)
        do {
            while state != .closed {
                let allowance = configuration.maxMessageBytes - partialData.count
                guard let frame = try parser.nextFrame(maxPayload: allowance) else { break }
                try handle(frame, now: now, into: &actions)
            }
        } catch {
            fail(error, into: &actions)
        }
    }

    public mutating func receive(_ bytes: [UInt8], now: ContinuousClock.Instant, into actions: inout [WebSocketAction]) {
        bytes.withUnsafeBytes { receive($0, now: now, into: &actions) }
    }

    private mutating func handle(
        _ frame: WebSocketFrame, now: ContinuousClock.Instant, into actions: inout [WebSocketAction]
    ) throws(WebSocketProtocolError) {
        switch frame.opcode {
        case .ping:
            if state == .open { actions.append(.write(encodeFrame(.pong, payload: frame.payload))) }
        case .pong:
            break
        case .close:
            try handleClose(frame.payload, into: &actions)
        case .text, .binary:
            guard partialKind == nil else { throw .dataFrameDuringFragmentedMessage }
            let kind: WebSocketMessage.Kind = frame.opcode == .text ? .text : .binary
            partialCompressed = frame.rsv1
            partialKind = kind
            partialValidator = UTF8Validator()
            try appendFragment(frame.payload, isFinal: frame.fin, into: &actions)
        case .continuation:
            guard partialKind != nil else { throw .continuationWithoutStart }
            try appendFragment(frame.payload, isFinal: frame.fin, into: &actions)
        }
    }

    private mutating func appendFragment(
        _ payload: [UInt8], isFinal: Bool, into actions: inout [WebSocketAction]
    ) throws(WebSocketProtocolError) {
        guard let kind = partialKind else { return }
        if partialData.isEmpty && isFinal {
            partialData = payload
        } else {
            partialData.append(contentsOf: payload)
        }
        if !partialCompressed && kind == .text {
            let valid = payload.withUnsafeBytes { partialValidator.consume($0) }
            guard valid else { throw .invalidUTF8 }
        }
        guard isFinal else { return }

        var data = partialData
        partialData = []
        partialKind = nil
        if partialCompressed, let inflater {
            var inflated: [UInt8] = []
            let limit = configuration.maxMessageBytes
            let result = data.withUnsafeBytes { raw in
                Result { () throws(ZlibInflater.Failure) in
                    try inflater.decompress(raw, isFinal: true, limit: limit, into: &inflated)
                }
            }
            switch result {
            case .success: break
            case .failure(.tooBig): throw .messageTooBig(limit: limit)
            case .failure(.corrupt): throw .corruptCompressedData
            }
            data = inflated
            if kind == .text {
                let valid = data.withUnsafeBytes { partialValidator.consume($0) }
                guard valid else { throw .invalidUTF8 }
            }
        }
        if kind == .text && !partialValidator.isAtBoundary { throw .invalidUTF8 }
        if state == .open {
            actions.append(.deliver(WebSocketMessage(kind: kind, data: data)))
        }
    }

    private mutating func handleClose(_ payload: [UInt8], into actions: inout [WebSocketAction]) throws(WebSocketProtocolError) {
        let code: WebSocketCloseCode
        let reason: String
        switch payload.count {
        case 0:
            code = .noStatusReceived
            reason = ""
        case 1:
            throw .closePayloadTooShort
        default:
            code = WebSocketCloseCode(UInt16(payload[0]) << 8 | UInt16(payload[1]))
            guard code.isValidOnWire else { throw .invalidCloseCode(code.rawValue) }
            let reasonBytes = payload[2...]
            guard UTF8Validator.isValid(reasonBytes) else { throw .invalidUTF8 }
            reason = String(decoding: reasonBytes, as: UTF8.self)
        }
        switch state {
        case .open:
            // Echo the peer's code (§5.5.1); an empty close is answered with an empty one.
            let echo = payload.isEmpty ? [] : WebSocketFrameEncoder.closePayload(code: code, reason: "")
            actions.append(.write(encodeFrame(.close, payload: echo)))
            state = .closed
            actions.append(.closeTransport(WebSocketCloseReport(code: code, reason: reason, origin: .peer)))
        case .closeSent(let ourCode, let ourReason, _):
            state = .closed
            actions.append(.closeTransport(WebSocketCloseReport(code: ourCode, reason: ourReason, origin: .local)))
        case .closed:
            break
        }
    }

    /// Fails the connection (§7.1.7): a close frame with the violation's code, then the
    /// transport is closed without waiting for an answer.
    private mutating func fail(_ error: WebSocketProtocolError, into actions: inout [WebSocketAction]) {
        if state == .open {
            let payload = WebSocketFrameEncoder.closePayload(code: error.closeCode, reason: error.reason)
            actions.append(.write(encodeFrame(.close, payload: payload)))
        }
        state = .closed
        partialData = []
        partialKind = nil
        actions.append(.closeTransport(WebSocketCloseReport(code: error.closeCode, reason: error.reason, origin: .local)))
    }

    // MARK: Sending

    /// Appends one data message as a frame to `output`, compressed when that was agreed
    /// and pays off. Returns false, writing nothing, once the connection is closing.
    @discardableResult
    public mutating func encode(_ message: WebSocketMessage, into output: inout [UInt8]) -> Bool {
        message.data.withUnsafeBytes { encode(kind: message.kind, payload: $0, into: &output) }
    }

    @discardableResult
    public mutating func encode(
        kind: WebSocketMessage.Kind, payload: UnsafeRawBufferPointer, into output: inout [UInt8]
    ) -> Bool {
        guard state == .open else { return false }
        let opcode: WebSocketOpcode = kind == .text ? .text : .binary
        if let deflater, payload.count >= configuration.compression.minimumMessageSize {
            let compressed = deflater.compress(payload)
            if compressed.count < payload.count {
                WebSocketFrameEncoder.encode(opcode: opcode, rsv1: true, payload: compressed,
                                             maskKey: nextMaskKey(), into: &output)
                return true
            }
        }
        WebSocketFrameEncoder.encode(opcode: opcode, payload: payload, maskKey: nextMaskKey(), into: &output)
        return true
    }

    /// Starts the close handshake. Later data is discarded until the peer answers or
    /// ``tick(now:into:)`` sees the close timeout pass.
    public mutating func close(
        code: WebSocketCloseCode, reason: String = "", now: ContinuousClock.Instant, into actions: inout [WebSocketAction]
    ) {
        guard state == .open else { return }
        actions.append(.write(encodeFrame(.close, payload: WebSocketFrameEncoder.closePayload(code: code, reason: reason))))
        state = .closeSent(code: code, reason: reason, deadline: now + configuration.closeTimeout)
    }

    /// Drives the timers: the idle ping, the dead-peer timeout and the close timeout.
    public mutating func tick(now: ContinuousClock.Instant, into actions: inout [WebSocketAction]) {
        switch state {
        case .closed:
            return
        case .closeSent(let code, let reason, let deadline):
            if now >= deadline {
                state = .closed
                actions.append(.closeTransport(WebSocketCloseReport(code: code, reason: reason, origin: .local)))
            }
        case .open:
            let silence = lastReceived.duration(to: now)
            if silence >= configuration.deadPeerTimeout {
                state = .closed
                actions.append(.closeTransport(WebSocketCloseReport(
                    code: .abnormalClosure, reason: "no data from peer", origin: .transport)))
            } else if silence >= configuration.pingInterval && !pingOutstanding {
                pingOutstanding = true
                actions.append(.write(encodeFrame(.ping, payload: [])))
            }
        }
    }

    /// Records that the transport ended (EOF or error) and reports how the session ended.
    public mutating func transportClosed() -> WebSocketCloseReport {
        defer { state = .closed }
        switch state {
        case .closeSent(let code, let reason, _):
            return WebSocketCloseReport(code: code, reason: reason, origin: .local)
        default:
            return WebSocketCloseReport(code: .abnormalClosure, reason: "connection lost", origin: .transport)
        }
    }

    /// Encodes a control frame.
    public mutating func encodeFrame(_ opcode: WebSocketOpcode, payload: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        WebSocketFrameEncoder.encode(opcode: opcode, payload: payload, maskKey: nextMaskKey(), into: &output)
        return output
    }

    private mutating func nextMaskKey() -> UInt32? {
        role == .client ? maskKeys.next() : nil
    }
}
