import AtriumWebSocket
import FuzzSupport

/// The server's `WebSocketStateMachine`: whatever arrives, it delivers only complete,
/// size-bounded, valid messages, writes only well-formed control frames, ends with at
/// most one `closeTransport`, and does not depend on how the bytes were split.
enum StateMachineCheck {
    static let configuration = WebSocketConfiguration(maxMessageBytes: 1 << 14)
    static let deflate = PerMessageDeflateParameters(serverNoContextTakeover: true, clientNoContextTakeover: true)
    /// One decompressor for every run, as one I/O queue shares one among all its
    /// connections: a message that left it mid-stream would change the next outcome.
    /// libFuzzer calls the entry point from one thread only.
    nonisolated(unsafe) static let inflater = ZlibInflater(resetsAfterEachMessage: true)

    static func run(_ bytes: [UInt8], chunks: [[UInt8]], deflate: Bool) {
        let whole = receive([bytes], deflate: deflate)
        let pieces = receive(chunks, deflate: deflate)
        require(whole == pieces, "state machine (deflate: \(deflate)) acted differently on the input whole and in pieces")

        var closed = false
        for action in whole {
            require(!closed, "an action followed closeTransport")
            switch action {
            case .deliver(let message):
                require(message.data.count <= configuration.maxMessageBytes,
                        "delivered \(message.data.count) bytes over the limit of \(configuration.maxMessageBytes)")
                if message.kind == .text {
                    require(String(validating: message.data, as: UTF8.self) != nil, "delivered text that is not UTF-8")
                }
            case .write(let frameBytes):
                var parser = WebSocketFrameParser(role: .client)
                parser.append(frameBytes)
                let frame = try? parser.nextFrame(maxPayload: 125)
                require(frame != nil && parser.bufferedByteCount == 0, "wrote something other than one whole frame")
                if let frame {
                    require(frame.opcode == .pong || frame.opcode == .close, "wrote a \(frame.opcode) frame")
                    if frame.opcode == .close, frame.payload.count >= 2 {
                        let code = WebSocketCloseCode(UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]))
                        require(code.isValidOnWire, "sent close code \(code), which is not valid on the wire")
                    }
                }
            case .closeTransport:
                closed = true
            }
        }
    }

    static func receive(_ chunks: [[UInt8]], deflate: Bool) -> [WebSocketAction] {
        let now = ContinuousClock.now
        var machine = WebSocketStateMachine(role: .server, configuration: configuration,
                                            deflate: deflate ? Self.deflate : nil, inflater: deflate ? inflater : nil, now: now)
        var actions: [WebSocketAction] = []
        for chunk in chunks {
            machine.receive(chunk, now: now, into: &actions)
        }
        _ = machine.transportClosed()
        return actions
    }
}
