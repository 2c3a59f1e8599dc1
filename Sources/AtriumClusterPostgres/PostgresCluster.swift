import AtriumCluster
import AtriumPostgres

/// A node's way into the cluster's shared PostgreSQL: the room directory and the bus,
/// on three connections of their own (directory; bus; bus listener), the cluster's
/// tables migrated on start.
public final class PostgresCluster: Sendable {
    public let directory: PostgresRoomDirectory
    public let bus: PostgresBus
    /// The URL with any password masked.
    public let place: String
    private let directoryConnection: PostgresConnection
    private let busConnection: PostgresConnection

    /// Connects and brings the cluster's tables up to date, blocking the calling thread
    /// (start-up only).
    /// - Throws: a ``DirectoryError`` naming the database (password masked) when it cannot
    ///   be reached, refuses the login, or was migrated further by a newer Atrium.
    public init(configuration: PostgresConfiguration) throws(DirectoryError) {
        place = configuration.redactedURL
        if let problem = configuration.problem { throw DirectoryError(problem) }
        directoryConnection = PostgresConnection(configuration: configuration, label: "atrium.cluster.directory")
        busConnection = PostgresConnection(configuration: configuration, label: "atrium.cluster.bus")
        directoryConnection.start()
        busConnection.start()
        if let error = directoryConnection.waitForFirstAttempt(timeout: configuration.connectTimeout + .seconds(1)) {
            directoryConnection.close()
            busConnection.close()
            throw DirectoryError("cannot reach the cluster's PostgreSQL at \(place): \(error.message)")
        }
        do {
            _ = try PostgresClusterSchema.schema.migrate(on: directoryConnection)
        } catch {
            directoryConnection.close()
            busConnection.close()
            switch error {
            case .tooNew(let version, let known):
                throw DirectoryError("the cluster's tables at \(place) are at version \(version); this Atrium knows \(known)")
            case .failed(let step, let error):
                throw DirectoryError("migrating the cluster's tables at \(place)\(step.map { " to version \($0)" } ?? "") failed: \(error)")
            }
        }
        directory = PostgresRoomDirectory(connection: directoryConnection)
        bus = PostgresBus(connection: busConnection, listenerConfiguration: configuration)
    }

    deinit {
        close()
    }

    /// Closes the three connections; requests still waiting fail.
    public func close() {
        bus.close()
        directoryConnection.close()
        busConnection.close()
    }
}
