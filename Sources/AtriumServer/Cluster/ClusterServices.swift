import AtriumCluster
import AtriumClusterPostgres
import AtriumPostgres
import AtriumStore
import Foundation

/// What a node of a cluster shares with the others: the room directory and the bus.
/// In PostgreSQL (the store's database) when the server opens them itself; tests pass
/// an ``InMemoryCluster`` or their own.
public struct ClusterServices: Sendable {
    public var directory: any ClusterDirectory
    public var bus: any ClusterBus
    /// Closes what the server opened (its PostgreSQL connections) when it shuts down.
    var close: @Sendable () -> Void = {}

    public init(directory: any ClusterDirectory, bus: any ClusterBus) {
        self.directory = directory
        self.bus = bus
    }

    /// A directory and bus in this process, for a single server with overflow instances.
    static func inMemory() -> ClusterServices {
        let cluster = InMemoryCluster(wallClock: { Int64(Date().timeIntervalSince1970 * 1000) })
        return ClusterServices(directory: cluster, bus: cluster)
    }

    /// The directory and bus in the PostgreSQL database the store URL names, their tables
    /// migrated. Requests give up after half a lease, so a stalled connection is dropped
    /// and replaced while the node's own reckoning of its leases still runs.
    static func postgres(url: String, lease: LeaseSettings) throws(ServerError) -> ClusterServices {
        guard PostgresConfiguration.isPostgresURL(url) else { throw .clusterWithoutDirectory }
        let timeout = max(.seconds(2), lease.duration / 2)
        let configuration = PostgresConfiguration(url: url, applicationName: "atrium-cluster", requestTimeout: timeout,
                                                  statementTimeout: timeout * 2 / 3)
        let cluster: PostgresCluster
        do {
            cluster = try PostgresCluster(configuration: configuration)
        } catch {
            throw .clusterDirectory(error.message)
        }
        var services = ClusterServices(directory: cluster.directory, bus: cluster.bus)
        services.close = { cluster.close() }
        return services
    }
}

extension ClusterServices {
    /// Tells every node of the cluster whose database `url` names that these
    /// registrations were revoked, so each ends their sessions now (a node that is down
    /// applies it from the bus's rows when it starts). For `atrium-server invite revoke`
    /// against a PostgreSQL store; creates the cluster's tables if they are missing.
    public static func announceRevocations(_ registrationIDs: [String], url: String, origin: String = "operator") async throws(ServerError) {
        guard !registrationIDs.isEmpty else { return }
        let cluster: PostgresCluster
        do {
            cluster = try PostgresCluster(configuration: PostgresConfiguration(url: url, applicationName: "atrium-cli"))
        } catch {
            throw .clusterDirectory(error.message)
        }
        defer { cluster.close() }
        for registration in registrationIDs {
            let published = await withCheckedContinuation { continuation in
                cluster.bus.publish(.revoked(registration: registration), origin: origin) { continuation.resume(returning: $0) }
            }
            if case .failure(let error) = published { throw .clusterDirectory(error.message) }
        }
    }
}
