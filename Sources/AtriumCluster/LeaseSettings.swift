/// How a node holds its rooms in the directory. The defaults give a failover of about
/// ten seconds after a node dies while tolerating a store that answers slowly for a few.
public struct LeaseSettings: Sendable, Equatable {
    /// How long a claim or renewal holds a room in the directory, counted by PostgreSQL
    /// from its commit. Another node may claim the room only after that.
    public var duration: Duration
    /// How often a held lease is renewed; a few renewals fit in one `duration`, so one
    /// or two slow answers do not cost the room.
    public var renewInterval: Duration
    /// This node stops hosting this long before the end it computes from the time it
    /// *sent* the claim or renewal. The directory counts from its commit, which is later,
    /// so even without the margin the node stops first; the margin also covers the two
    /// clocks running at slightly different rates and the time a stopped room takes to
    /// go quiet.
    public var safetyMargin: Duration

    public init(duration: Duration = .seconds(10), renewInterval: Duration = .seconds(3), safetyMargin: Duration = .seconds(2)) {
        precondition(duration > safetyMargin + renewInterval, "a lease must outlast a renewal interval plus the margin")
        self.duration = duration
        self.renewInterval = renewInterval
        self.safetyMargin = safetyMargin
    }

    /// Until when a lease sent at `sentAt` lets this node host.
    func validUntil(sentAt: ContinuousClock.Instant) -> ContinuousClock.Instant {
        sentAt + duration - safetyMargin
    }
}
