/// Why a server could not start. Each message says what to fix.
public enum ServerError: Error, Sendable, CustomStringConvertible {
    case noMaps(directory: String)
    case invalidMaps([MapCatalog.Failure])
    case unknownMap(room: String, map: String)
    case unknownDefaultRoom(String)
    case invalidHost(String)
    case listen(String)
    case tls(String)
    case storage(String)
    case configuration(String)
    case clusterRoomName(String)
    case clusterWithoutDirectory
    /// The cluster's directory and bus could not be opened in PostgreSQL.
    case clusterDirectory(String)

    public var description: String {
        switch self {
        case .noMaps(let directory): return "no .tmj maps in \(directory)"
        case .invalidMaps(let failures): return "maps with problems:\n" + failures.map(\.description).joined(separator: "\n")
        case .unknownMap(let room, let map): return "room \(room) names map \(map), which is not in the maps folder"
        case .unknownDefaultRoom(let room): return "the default room \(room) does not exist"
        case .invalidHost(let host): return "\(host) is not an IP address (use 127.0.0.1, ::1, 0.0.0.0, :: or localhost)"
        case .listen(let detail): return "cannot listen: \(detail)"
        case .tls(let detail): return "TLS: \(detail)"
        case .storage(let detail): return detail
        case .configuration(let detail): return detail
        case .clusterRoomName(let room): return "room \(room): in a cluster, room ids may not contain ~ (it names overflow instances)"
        case .clusterWithoutDirectory: return "cluster.node is set but the store is not PostgreSQL (store.url = postgres://…)"
        case .clusterDirectory(let detail): return "the cluster's directory: \(detail)"
        }
    }
}
