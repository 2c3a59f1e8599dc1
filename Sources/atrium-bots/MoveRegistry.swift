import Synchronization

/// When each bot last changed direction, so that the bots that see it can time how long
/// the change took to reach them: same process, same clock. Indexed by avatar id.
final class MoveRegistry: Sendable {
    struct Change: Sendable {
        var at: ContinuousClock.Instant
        var dx: Int
        var dy: Int
    }

    private let changes: Mutex<[UInt32: Change]> = Mutex([:])

    func record(avatar: UInt32, dx: Int, dy: Int, at instant: ContinuousClock.Instant) {
        changes.withLock { $0[avatar] = Change(at: instant, dx: dx, dy: dy) }
    }

    func change(of avatar: UInt32) -> Change? {
        changes.withLock { $0[avatar] }
    }
}
