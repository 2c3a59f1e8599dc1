/// What the ``LeaseKeeper`` asks its owner to do. The keeper performs no I/O; the owner
/// runs the directory statements and the room hosts, and reports back.
public enum LeaseAction: Sendable, Equatable {
    /// Ask the directory for the instance (atomic: granted only if unowned, expired, or
    /// already this node's).
    case claim(RoomInstance)
    /// Extend a held lease; the directory refuses if the generation is no longer ours.
    case renew(RoomInstance, generation: Int64)
    /// Give the lease up so another node may claim it at once (drain, hand-over).
    case release(RoomInstance, generation: Int64)
    /// Start running the instance: load its state from the store, start its tick.
    case startHosting(RoomInstance, generation: Int64)
    /// Stop running the instance now: no further tick, no further write, its clients are
    /// told to ask for a seat again.
    case stopHosting(RoomInstance, reason: StopReason)
    /// A claim did not succeed; whoever waited for it (a seat request) learns who holds
    /// the instance, or nil when the directory could not be asked.
    case claimRefused(RoomInstance, owner: LeaseOwner?)

    public enum StopReason: String, Sendable, Equatable {
        /// The directory says another node holds it now.
        case lost
        /// No renewal was confirmed in time; the directory may give it away any moment.
        case expired
        /// The node drains and hands the instance over.
        case draining
        /// The owner asked (the instance was idle, or closed by an operator).
        case released
    }
}
