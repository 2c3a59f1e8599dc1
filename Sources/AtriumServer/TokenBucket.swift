/// A token bucket: refills at `rate.perSecond` up to `rate.burst`; each action takes one
/// token. The time is passed in, so tests drive it without waiting.
public struct TokenBucket: Sendable {
    public let rate: RateLimit
    private var tokens: Double
    private var updated: ContinuousClock.Instant

    public init(rate: RateLimit, now: ContinuousClock.Instant) {
        self.rate = rate
        tokens = rate.burst
        updated = now
    }

    /// When a token was last asked for.
    public var lastUsed: ContinuousClock.Instant { updated }

    /// Takes a token if there is one.
    public mutating func take(now: ContinuousClock.Instant) -> Bool {
        let elapsed = updated.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // Refilling never takes away tokens granted beyond the burst.
        if seconds > 0 && tokens < rate.burst {
            tokens = min(rate.burst, tokens + seconds * rate.perSecond)
        }
        updated = max(updated, now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Adds `extra` tokens for work the server itself asked for, beyond the burst but never
    /// past `ceiling`.
    public mutating func grant(_ extra: Double, upTo ceiling: Double) {
        tokens = max(tokens, min(ceiling, tokens + extra))
    }
}
