import Synchronization

/// A token bucket per IP address for WebSocket upgrades, so a reconnect storm or a
/// handshake flood from one address slows down instead of taking the accept path.
/// Buckets idle long enough to be full again are dropped, keeping the table small.
final class HandshakeLimiter: Sendable {
    let rate: RateLimit
    private let buckets = Mutex<(table: [String: TokenBucket], lastSweep: ContinuousClock.Instant)>(([:], .now))

    init(rate: RateLimit) {
        self.rate = rate
    }

    func allow(_ address: String, now: ContinuousClock.Instant = .now) -> Bool {
        buckets.withLock { state in
            if state.lastSweep.duration(to: now) > .seconds(60) {
                let refill = Duration.seconds(rate.burst / rate.perSecond)
                state.table = state.table.filter { $0.value.lastUsed.duration(to: now) < refill }
                state.lastSweep = now
            }
            var bucket = state.table[address] ?? TokenBucket(rate: rate, now: now)
            let allowed = bucket.take(now: now)
            state.table[address] = bucket
            return allowed
        }
    }
}
