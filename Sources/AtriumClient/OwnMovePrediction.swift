import AtriumProtocol

/// Client-side prediction of the client's own avatar, reconciled with the server's
/// acknowledgements.
///
/// The server's word on the avatar is its dead-reckoned motion from state messages. An
/// intent not yet acknowledged is predicted from the moment it was sent at the walking
/// speed from `welcome`; once the server acknowledges it, the server's motion takes
/// over. Walls are not predicted (the client does not simulate the map); a prediction
/// into a wall is corrected by the next state message, which renderers should smooth.
public struct OwnMovePrediction: Sendable {
    /// Units walked per tick along one axis, from `welcome`.
    public let step: Int
    /// Units walked per tick along each axis on a diagonal, from `welcome`.
    public let diagonalStep: Int

    private struct Pending: Sendable {
        var sequence: UInt32
        var velocity: (dx: Int, dy: Int)?
        var tick: Double
    }

    private var pending: [Pending] = []

    /// A prediction for a room's walking speeds, with nothing sent yet.
    public init(step: Int, diagonalStep: Int) {
        self.step = step
        self.diagonalStep = diagonalStep
    }

    /// Records an input sent at the given (estimated) server tick. Targets are not
    /// predicted: their path is the server's to find.
    public mutating func sent(_ input: MoveInput, atTick tick: Double) {
        let velocity: (dx: Int, dy: Int)?
        switch input.intent {
        case .stop: velocity = (0, 0)
        case .direction(let dx, let dy):
            let size = dx != 0 && dy != 0 ? diagonalStep : step
            velocity = (Int(dx) * size, Int(dy) * size)
        case .target: velocity = nil
        }
        pending.append(Pending(sequence: input.sequence, velocity: velocity, tick: tick))
        if pending.count > 256 { pending.removeFirst(pending.count - 256) }
    }

    /// Drops inputs the server has applied.
    public mutating func acknowledge(_ sequence: UInt32) {
        pending.removeAll { Int32(bitPattern: $0.sequence &- sequence) <= 0 }
    }

    /// Inputs sent and not yet applied.
    public var unacknowledged: Int { pending.count }

    /// Where the client should draw itself at `tick`: the server's motion, overridden by
    /// the newest unacknowledged direction from when it was sent.
    public func position(server: WorldMirror.Avatar?, atTick tick: Double) -> (x: Double, y: Double)? {
        guard let server else { return nil }
        guard let latest = pending.last(where: { $0.velocity != nil }), let velocity = latest.velocity else {
            return server.position(atTick: tick)
        }
        let start = server.position(atTick: latest.tick)
        let elapsed = max(0, tick - latest.tick)
        return (start.x + Double(velocity.dx) * elapsed, start.y + Double(velocity.dy) * elapsed)
    }
}
