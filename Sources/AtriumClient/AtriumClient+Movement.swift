import AtriumProtocol

/// Walking, and reading what the client has seen move.
extension AtriumClient {
    /// Walks in a direction (each of dx, dy in −1…1) until told otherwise. Returns the
    /// input's sequence number, which a later state message acknowledges.
    @discardableResult
    public func move(dx: Int, dy: Int) -> UInt32 {
        send(dx == 0 && dy == 0 ? .stop : .direction(dx: Int8(clamping: max(-1, min(1, dx))), dy: Int8(clamping: max(-1, min(1, dy)))))
    }

    /// Stops walking. Returns the input's sequence number.
    @discardableResult
    public func stop() -> UInt32 {
        send(.stop)
    }

    /// Walks to a point (in 1/64 tile units) along a path the server finds. Returns the
    /// input's sequence number.
    @discardableResult
    public func walk(toX x: Int, y: Int) -> UInt32 {
        send(.target(x: UInt16(clamping: x), y: UInt16(clamping: y)))
    }

    /// Numbers the input and sends it when joined; an input made while not joined is
    /// dropped but keeps its number.
    private func send(_ intent: MoveInput.Intent) -> UInt32 {
        ioQueue.sync {
            let input = motion.nextInput(intent)
            if machine.isJoined, let channel {
                motion.sent(input, now: .now)
                let bytes = input.encoded()
                configuration.traffic?.sent(bytes.count)
                channel.send(binary: bytes)
            }
            return input.sequence
        }
    }

    /// A copy of what the server has shown this client.
    public var world: WorldMirror { ioQueue.sync { motion.mirror } }

    /// The last welcome, once joined.
    public var welcome: ServerMessages.Welcome? { ioQueue.sync { motion.welcome } }

    /// Whether the client is in the room now (not connecting, reconnecting or closed).
    public var isJoined: Bool { ioQueue.sync { machine.isJoined } }

    /// The server tick now, estimated from the last state message and the tick rate;
    /// fractional, for renderers that interpolate.
    public var estimatedTick: Double { ioQueue.sync { motion.estimatedTick(now: .now) } }

    /// Where to draw this client's own avatar now: predicted from unacknowledged inputs,
    /// reconciled with the server's motion.
    public var predictedPosition: (x: Double, y: Double)? {
        ioQueue.sync { motion.predictedPosition(now: .now) }
    }

    /// Where to draw another avatar now, by dead reckoning from what the server said.
    public func position(of avatarID: UInt32) -> (x: Double, y: Double)? {
        ioQueue.sync { motion.position(of: avatarID, now: .now) }
    }
}
