import AtriumProtocol

/// What the server has shown this client, rebuilt from its state messages: the avatars
/// in view with their dead-reckoned motion, and the client's own avatar.
public struct WorldMirror: Sendable, Equatable {
    public struct Avatar: Sendable, Equatable {
        public var id: UInt32
        /// Position and velocity as of `tick`.
        public var motion: StateMessage.Motion
        public var tick: UInt32
        public var info: StateMessage.Info

        /// Dead-reckoned position at a (fractional) server tick, in 1/64 tile units.
        public func position(atTick tick: Double) -> (x: Double, y: Double) {
            let elapsed = tick - Double(self.tick)
            return (Double(motion.x) + Double(motion.vx) * elapsed, Double(motion.y) + Double(motion.vy) * elapsed)
        }
    }

    public private(set) var avatars: [UInt32: Avatar] = [:]
    /// The tick of the last state message.
    public private(set) var tick: UInt32 = 0
    /// The sequence number of the last move input the server applied.
    public private(set) var acknowledged: UInt32 = 0
    public var selfID: UInt32?

    public init() {}

    /// This client's own avatar, once the server has shown it.
    public var me: Avatar? { selfID.flatMap { avatars[$0] } }

    public mutating func apply(_ message: StateMessage) {
        if message.snapshot { avatars.removeAll(keepingCapacity: true) }
        tick = message.tick
        acknowledged = message.ack
        for entry in message.entered {
            avatars[entry.id] = Avatar(id: entry.id, motion: entry.motion, tick: message.tick, info: entry.info)
        }
        for entry in message.moved {
            avatars[entry.id]?.motion = entry.motion
            avatars[entry.id]?.tick = message.tick
        }
        for entry in message.updated { avatars[entry.id]?.info = entry.info }
        for id in message.left { avatars[id] = nil }
    }

    /// Exact server position at a whole tick, as the server computes it.
    public func position(of id: UInt32, at tick: UInt32) -> (x: Int, y: Int)? {
        guard let avatar = avatars[id] else { return nil }
        return avatar.motion.position(after: Int(Int64(tick) - Int64(avatar.tick)))
    }

    public mutating func removeAll() {
        avatars.removeAll()
    }
}
