import AtriumProtocol

/// What the server has shown this client, rebuilt from its state messages: the avatars
/// in view with their dead-reckoned motion, and the client's own avatar.
public struct WorldMirror: Sendable, Equatable {
    /// One avatar as the server last described it.
    public struct Avatar: Sendable, Equatable {
        /// The avatar's id in the room.
        public var id: UInt32
        /// Position and velocity as of `tick`.
        public var motion: StateMessage.Motion
        /// The tick `motion` was given at.
        public var tick: UInt32
        /// Name, role, appearance, flags, emote and status, as last sent.
        public var info: StateMessage.Info

        /// Dead-reckoned position at a (fractional) server tick, in 1/64 tile units.
        public func position(atTick tick: Double) -> (x: Double, y: Double) {
            let elapsed = tick - Double(self.tick)
            return (Double(motion.x) + Double(motion.vx) * elapsed, Double(motion.y) + Double(motion.vy) * elapsed)
        }
    }

    /// The avatars in view, by id.
    public private(set) var avatars: [UInt32: Avatar] = [:]
    /// The tick of the last state message.
    public private(set) var tick: UInt32 = 0
    /// The sequence number of the last move input the server applied.
    public private(set) var acknowledged: UInt32 = 0
    /// The client's own avatar id, from `welcome`.
    public var selfID: UInt32?

    /// An empty mirror, before any state message.
    public init() {}

    /// This client's own avatar, once the server has shown it.
    public var me: Avatar? { selfID.flatMap { avatars[$0] } }

    /// Applies one state message: a snapshot replaces the view, a delta changes it.
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

    /// Forgets every avatar, as when a fresh session starts.
    public mutating func removeAll() {
        avatars.removeAll()
    }
}
