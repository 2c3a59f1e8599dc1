import AtriumProtocol

/// Where one quiz bot's avatar stood when a question's time ran out, by the server's own
/// reports, so the bot can check the verdict it is sent: the server judges the tile under
/// the avatar at the deadline tick, and so does this, by dead reckoning (Protocol/README.md)
/// from the last report of its own motion at or before that tick.
struct QuizStance: Sendable {
    private var last: (tick: UInt32, motion: StateMessage.Motion)?
    private var beforeDeadline: (tick: UInt32, motion: StateMessage.Motion)?
    private(set) var deadlineTick: UInt32?

    /// A question was asked: its deadline is `tick`.
    mutating func asked(deadlineTick tick: UInt32) {
        deadlineTick = tick
        beforeDeadline = last.flatMap { Self.isAtOrBefore($0.tick, tick) ? $0 : nil }
    }

    /// The server reported this bot's own avatar in the state of `tick`.
    mutating func reported(_ motion: StateMessage.Motion, tick: UInt32) {
        last = (tick, motion)
        if let deadlineTick, Self.isAtOrBefore(tick, deadlineTick) { beforeDeadline = (tick, motion) }
    }

    /// The field ("O", "X" or "none") under the avatar at the deadline, and whether it was
    /// still walking then (its position was then a prediction, not a place it stopped at);
    /// nil when no report came before the deadline.
    func stood(on fields: QuizFields) -> (field: String, moving: Bool)? {
        guard let deadlineTick, let (tick, motion) = beforeDeadline else { return nil }
        let ticks = Int(deadlineTick &- tick)
        let x = Int(motion.x) + Int(motion.vx) * ticks
        let y = Int(motion.y) + Int(motion.vy) * ticks
        return (fields.field(atX: x, y: y), motion.vx != 0 || motion.vy != 0)
    }

    /// Ticks wrap at 2³²; a report within half of that before the deadline counts as before.
    private static func isAtOrBefore(_ tick: UInt32, _ deadline: UInt32) -> Bool {
        Int32(bitPattern: deadline &- tick) >= 0
    }
}
