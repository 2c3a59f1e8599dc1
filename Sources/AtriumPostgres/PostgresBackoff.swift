/// The waits between reconnection attempts: doubling from a first delay up to a cap, each
/// drawn between half and all of that, so nodes that lost PostgreSQL together do not all
/// come back in the same millisecond. Pure: the random draw is an argument.
public struct PostgresBackoff: Sendable, Equatable {
    public let initial: Duration
    public let maximum: Duration
    public private(set) var failures = 0

    public init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = max(initial, maximum)
    }

    /// The wait before the next attempt, after one more failure.
    /// - Parameter random: a number in 0..<1.
    public mutating func nextDelay(random: Double) -> Duration {
        let ceiling = failures >= 30 ? maximum : min(maximum, initial * (1 << failures))
        failures += 1
        return ceiling * (0.5 + 0.5 * min(max(random, 0), 1))
    }

    /// After a successful connection the next failure waits the first delay again.
    public mutating func reset() {
        failures = 0
    }
}
