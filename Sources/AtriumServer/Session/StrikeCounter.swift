/// Recent protocol violations of one connection: more than `limit` within `window` and
/// the connection is closed, so a broken or hostile client cannot keep the server busy
/// answering it, while an occasional bad message costs nothing but its error.
struct StrikeCounter: Sendable {
    let limit: Int
    let window: Duration
    private var times: [ContinuousClock.Instant] = []

    init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = window
    }

    /// Records a violation at `now`; true when it is one too many.
    mutating func record(now: ContinuousClock.Instant) -> Bool {
        times.removeAll { $0.duration(to: now) > window }
        times.append(now)
        return times.count > limit
    }
}
