/// The room-ownership directory: which node holds which room instance, under which
/// generation, until when, and how many avatars each instance had at its last renewal.
/// PostgreSQL in a cluster (its clock decides expiry); in memory for tests. Every
/// statement is atomic: of two nodes claiming one unowned instance, exactly one wins.
public protocol ClusterDirectory: Sendable {
    /// Claims `instance` for `node` if nobody holds an unexpired lease on it (this node's
    /// own included: a restarted node waits out its predecessor's lease). A granted
    /// claim raises the generation.
    func claim(_ instance: RoomInstance, node: String, lease: Duration, completion: @escaping @Sendable (ClaimAnswer) -> Void)

    /// Extends the lease if the row still names `node` and `generation` and has not
    /// expired, recording the instance's population.
    func renew(_ instance: RoomInstance, node: String, generation: Int64, lease: Duration, population: Int,
               completion: @escaping @Sendable (RenewAnswer) -> Void)

    /// Ends the lease now if the row still names `node` and `generation`.
    func release(_ instance: RoomInstance, node: String, generation: Int64, completion: @escaping @Sendable () -> Void)

    /// The unexpired leases of a room's instances (of every room when `room` is nil).
    func lookup(room: String?, completion: @escaping @Sendable (Result<[DirectoryEntry], DirectoryError>) -> Void)
}

/// One unexpired lease as the directory reports it.
public struct DirectoryEntry: Sendable, Equatable {
    public var instance: RoomInstance
    public var owner: LeaseOwner
    public var population: Int

    public init(instance: RoomInstance, owner: LeaseOwner, population: Int) {
        self.instance = instance
        self.owner = owner
        self.population = population
    }
}

/// Who holds a lease: the node and the generation it hosts under.
public struct LeaseOwner: Sendable, Equatable, Hashable {
    public var node: String
    public var generation: Int64

    public init(node: String, generation: Int64) {
        self.node = node
        self.generation = generation
    }
}

public struct DirectoryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
