import AtriumCluster

/// Running as one node of several: the node's name, the shared secret, leases, seats and
/// overflow instances. Without `node` the server runs alone (the embedded default) and
/// nothing here applies.
public struct ClusterConfiguration: Sendable, Equatable {
    /// This node's name (`a`, `hall-2`): lower-case letters, digits and `-`. Setting it
    /// turns the cluster on; the store must then be PostgreSQL.
    public var node: String?
    /// A file of 32 random bytes every node shares: it signs join tokens, seats and
    /// resume tickets, so what one node signs every node accepts. The data folder's
    /// `server.secret` when nil (fine for one node, wrong for several).
    public var secretFile: String?
    /// How rooms are held; see ``LeaseSettings``.
    public var lease = LeaseSettings()
    /// How long a seat from `/api/seat` may be used to connect.
    public var seatLifetime: Duration = .seconds(30)
    /// How long a resume ticket lets a visitor back in under the same identity, on any
    /// node (after a failover the room restarts elsewhere).
    public var resumeTicketLifetime: Duration = .seconds(12 * 3600)
    /// Instances of one room at most; 1 turns overflow off.
    public var maxInstances = 1
    /// The fraction of an instance's capacity past which arrivals open a new instance
    /// (ZEP opens a new channel of 500 past 60 %).
    public var openThreshold = 0.6
    /// Avatars per instance; 0 for the map's `capacity`.
    public var instanceCapacity = 0

    public init() {}

    public var isEnabled: Bool { node != nil }

    /// Whether the server runs the cluster's machinery (leases, seats, the bus): as one
    /// node of a cluster, or alone with overflow instances, which a single server runs
    /// as a cluster of one node over an in-memory directory and bus, so that a room
    /// behaves the same with one server or several.
    public var runsNode: Bool { node != nil || maxInstances > 1 }

    /// The name of this node; `local` for a single server with overflow instances.
    public var nodeName: String { node ?? "local" }

    static let settings: [Setting] = [
        Setting(key: "cluster.node", help: "This node's name (a-z, 0-9, -); set it to run as one node of a cluster.",
                render: { "\"\($0.cluster.node ?? "")\"" }) { (configuration, text) throws(ConfigurationError) in
            let value = text.trimmingCharacters(in: .whitespaces)
            guard value.isEmpty || NodeName.isValid(value) else {
                throw ConfigurationError("cluster.node must be lower-case letters, digits and -, starting with a letter, at most \(NodeName.maxLength); not \"\(text)\"")
            }
            configuration.cluster.node = value.isEmpty ? nil : value
        },
        .optionalString("cluster.secret_file", "File of 32 random bytes all nodes share (signs tokens, seats, resume tickets).",
                        \.cluster.secretFile),
        Setting(key: "cluster.lease", help: "Seconds a room's lease lasts after each renewal; a dead node's rooms move after it.",
                render: { String($0.cluster.lease.duration.components.seconds) }) { (configuration, text) throws(ConfigurationError) in
            guard let seconds = Int(text.trimmingCharacters(in: .whitespaces)), (3...300).contains(seconds) else {
                throw ConfigurationError("cluster.lease must be 3 to 300 seconds, not \"\(text)\"")
            }
            // Renew three times per lease, stop a fifth of it early: the proportions of the defaults.
            configuration.cluster.lease = LeaseSettings(duration: .seconds(seconds), renewInterval: .milliseconds(seconds * 300),
                                                        safetyMargin: .milliseconds(seconds * 200))
        },
        .seconds("cluster.seat_lifetime", "Seconds a seat from /api/seat may be used to connect.", 5...600, \.cluster.seatLifetime),
        .seconds("cluster.resume_ticket_lifetime", "Seconds a resume ticket lets a visitor back in on any node.", 60...(7 * 86_400),
                 \.cluster.resumeTicketLifetime),
        .int("cluster.max_instances", "Instances of one room at most (overflow, a single server too); 1 for none.", 1...RoomInstance.maxNumber,
             \.cluster.maxInstances),
        .double("cluster.open_threshold", "Fraction of an instance's capacity past which a new instance opens.", 0.05...1,
                \.cluster.openThreshold),
        .int("cluster.instance_capacity", "Avatars per instance; 0 for the map's capacity.", 0...100_000, \.cluster.instanceCapacity),
    ]
}
