/// Automatic reconnection after a dropped connection, with the resume token so the same
/// avatar comes back. Delays grow exponentially with jitter; it gives up when the
/// server's reconnect grace must have passed.
public struct ReconnectPolicy: Sendable {
    /// Whether a dropped connection is retried at all; when not, it ends the session.
    public var isEnabled: Bool
    /// The wait before the first attempt, before jitter (250 ms).
    public var initialDelay: Duration
    /// The longest wait between attempts, before jitter (5 s).
    public var maximumDelay: Duration
    /// Stop trying after this long; the server forgets the avatar after its grace (30 s).
    public var giveUpAfter: Duration
    /// The longest wait a restarting server's `retryAfter` can impose; a larger value is
    /// cut to this, so a wrong server cannot park its clients for hours.
    public var maximumRetryAfter: Duration

    /// A policy with the defaults documented on each property.
    public init(isEnabled: Bool = true, initialDelay: Duration = .milliseconds(250), maximumDelay: Duration = .seconds(5),
                giveUpAfter: Duration = .seconds(30), maximumRetryAfter: Duration = .seconds(300)) {
        self.isEnabled = isEnabled
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.giveUpAfter = giveUpAfter
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// No reconnection: a dropped connection ends the session.
    public static let disabled = ReconnectPolicy(isEnabled: false)

    /// The delay before attempt `attempt` (1-based): doubling from `initialDelay` up to
    /// `maximumDelay`, times `jitter` (0.5…1, drawn by the caller), so that a restart does
    /// not bring every client back in the same instant.
    public func delay(attempt: Int, jitter: Double) -> Duration {
        let base = initialDelay * Int(1 << min(attempt - 1, 16))
        return min(base, maximumDelay) * jitter
    }
}
