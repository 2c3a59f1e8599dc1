import AtriumCluster
import AtriumStore
import AtriumWorld
import Logging

/// A configured room: its map and settings, from which a server builds the room's host,
/// or, in a cluster, a host for each of its instances as the node gains their leases.
struct RoomPlan: Sendable {
    let map: WorldMap
    let configuration: RoomConfiguration

    /// Avatars one instance holds.
    var capacity: Int { min(map.properties.capacity, configuration.capacity ?? Int.max) }

    /// A host for `id` (the room, or one of its instances), with what the store kept.
    func host(id: String, roomID: String, storage: any Storage, metrics: ServerMetrics, logger: Logger) throws(StorageError) -> RoomHost {
        var configuration = configuration
        configuration.id = id
        if let number = RoomInstance(key: id)?.number, number > 1 {
            // Chat ids stay unique across instances: each gets its own range.
            configuration.firstMessageID &+= UInt64(number) &* 1_000_000
        }
        var roomLogger = logger
        roomLogger[metadataKey: "room"] = "\(id)"
        return try RoomHost(id: id, roomID: roomID, map: map, configuration: configuration, storage: storage, metrics: metrics,
                            logger: roomLogger)
    }
}
