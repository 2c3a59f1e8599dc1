import AtriumClient
import AtriumCluster
import AtriumProtocol
import AtriumServer
import AtriumStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Several servers in one process as the nodes of a cluster: one store, one secret file,
/// and an in-memory directory and bus with the same atomic rules as PostgreSQL's.
public final class ClusterHarness: Sendable {
    public let shared: InMemoryCluster
    public let storage: any Storage
    public let secretFile: String
    public let nodes: [String: ServerHarness]

    public init(nodes names: [String] = ["a", "b"], storage: any Storage = InMemoryStorage(),
                configure: @escaping (inout ServerConfiguration) -> Void = { _ in }) throws {
        let shared = InMemoryCluster(wallClock: { Int64(Date().timeIntervalSince1970 * 1000) })
        self.shared = shared
        self.storage = storage
        let secretFile = NSTemporaryDirectory() + "atrium-cluster-secret-\(UUID().uuidString)"
        self.secretFile = secretFile
        _ = FileManager.default.createFile(atPath: secretFile, contents: Data((0..<32).map { _ in UInt8.random(in: 0...255) }))
        var nodes: [String: ServerHarness] = [:]
        for name in names {
            nodes[name] = try ServerHarness(storage: storage, cluster: ClusterServices(directory: shared, bus: shared)) {
                $0.cluster.node = name
                $0.cluster.secretFile = secretFile
                configure(&$0)
            }
        }
        self.nodes = nodes
    }

    public func node(_ name: String) -> ServerHarness { nodes[name]! }

    /// `GET /api/seat` on one node: the status and, when 200, the answer.
    public func seat(room: String, via node: String, instance: Int? = nil, token: String? = nil) async throws
        -> (status: Int, answer: SeatAnswer?)
    {
        var query = "room=\(room)"
        if let instance { query += "&instance=\(instance)" }
        if let token { query += "&token=\(token)" }
        let (status, body) = try await httpGet(port: self.node(node).port, path: "/api/seat?" + query)
        return (status, status == 200 ? try JSONDecoder().decode(SeatAnswer.self, from: Data(body)) : nil)
    }

    /// A client for the WebSocket a seat names, on the node it names (reached directly:
    /// the node takes its own `/node/NAME/` prefix).
    public func client(_ name: String, seat: SeatAnswer, token: String? = nil, reconnect: ReconnectPolicy = .disabled) throws
        -> RecordedClient
    {
        let harness = self.node(seat.node ?? "")
        let configuration = ClientConfiguration(url: "ws://127.0.0.1:\(harness.port)" + seat.path, name: name, token: token,
                                                reconnect: reconnect, queues: harness.clientQueues, logger: quietLogger)
        return RecordedClient(try AtriumClient(configuration: configuration))
    }

    /// A stand-in for nginx in front of the nodes; what names no node goes to `front`.
    public func front(anyTo front: String) throws -> FrontProxy {
        try FrontProxy(nodes: nodes.mapValues(\.port), front: front)
    }

    /// A client that knows only the site, as a visitor's link names it
    /// (`ws://FRONT/ws?room=…`), and finds and follows its room's node by itself.
    public func client(_ name: String, room: String, through proxy: FrontProxy, token: String? = nil) throws -> RecordedClient {
        let configuration = ClientConfiguration(
            url: "ws://127.0.0.1:\(proxy.port)/ws?room=\(room)", name: name, token: token,
            reconnect: ReconnectPolicy(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(500), giveUpAfter: .seconds(20)),
            queues: nodes.values.first!.clientQueues, logger: quietLogger)
        return RecordedClient(try AtriumClient(configuration: configuration))
    }

    public func stop() async {
        for node in nodes.values { await node.stop() }
        try? FileManager.default.removeItem(atPath: secretFile)
    }
}

/// A plain GET on loopback: status and body.
public func httpGet(port: UInt16, path: String) async throws -> (Int, [UInt8]) {
    let url = URL(string: "http://127.0.0.1:\(port)\(path)")!
    var request = URLRequest(url: url)
    request.timeoutInterval = 10
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, [UInt8](data))
}
