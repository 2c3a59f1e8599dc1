import AtriumProtocol

/// What the client has seen move: the mirror of the avatars in view, the prediction of
/// its own avatar, and the server's tick estimated from when the last state arrived.
///
/// A value that takes the time as input, so renderers' questions ("where is everyone
/// now?") are answered the same way in tests as on a live connection.
struct MotionTracker: Sendable {
    private(set) var mirror = WorldMirror()
    private(set) var welcome: ServerMessages.Welcome?
    private var prediction: OwnMovePrediction?
    /// The last movement input's sequence number; the server acknowledges up to it.
    private var sequence: UInt32 = 0
    private var stateReceivedAt: ContinuousClock.Instant?

    /// A welcome starts a session: a fresh one forgets what the last session showed, a
    /// resumed one keeps it until the snapshot that follows replaces it.
    mutating func joined(_ welcome: ServerMessages.Welcome) {
        if !welcome.resumed { mirror.removeAll() }
        mirror.selfID = welcome.you.id
        self.welcome = welcome
        prediction = OwnMovePrediction(step: welcome.room.step, diagonalStep: welcome.room.diagonalStep)
    }

    mutating func apply(_ state: StateMessage, now: ContinuousClock.Instant) {
        mirror.apply(state)
        stateReceivedAt = now
        prediction?.acknowledge(state.ack)
    }

    /// The next input, numbered after the last one whether or not that was sent.
    mutating func nextInput(_ intent: MoveInput.Intent) -> MoveInput {
        sequence &+= 1
        return MoveInput(sequence: sequence, intent: intent)
    }

    /// Records an input that went out, so the prediction walks ahead of the server.
    mutating func sent(_ input: MoveInput, now: ContinuousClock.Instant) {
        let tick = estimatedTick(now: now)
        prediction?.sent(input, atTick: tick)
    }

    /// The server's tick at `now`, fractional, from the last state message and the tick rate.
    func estimatedTick(now: ContinuousClock.Instant) -> Double {
        guard let rate = welcome?.room.tickRate, let stateReceivedAt else { return Double(mirror.tick) }
        let elapsed = stateReceivedAt.duration(to: now)
        return Double(mirror.tick) + (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * Double(rate)
    }

    /// Where to draw the client's own avatar at `now`: predicted from unacknowledged
    /// inputs, reconciled with the server's motion.
    func predictedPosition(now: ContinuousClock.Instant) -> (x: Double, y: Double)? {
        prediction?.position(server: mirror.me, atTick: estimatedTick(now: now))
    }

    /// Where to draw another avatar at `now`, by dead reckoning from what the server said.
    func position(of avatarID: UInt32, now: ContinuousClock.Instant) -> (x: Double, y: Double)? {
        mirror.avatars[avatarID]?.position(atTick: estimatedTick(now: now))
    }
}
