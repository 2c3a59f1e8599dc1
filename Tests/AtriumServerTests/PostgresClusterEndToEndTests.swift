import AtriumClient
import AtriumCluster
import AtriumClusterPostgres
import AtriumPostgres
import AtriumPostgresTestSupport
import AtriumProtocol
import AtriumServer
import AtriumStore
import AtriumTestSupport
import Foundation
import Testing

/// Two servers in one process as nodes of a cluster whose directory and bus are in
/// PostgreSQL, opened by the servers themselves from `store.url`, as `atrium-server`
/// does: they agree on one owner per room and carry events across.
@Suite struct PostgresClusterEndToEndTests {
    @Test func twoNodesOnPostgresAgreeOnOneOwnerAndCarryAnnouncementsAcross() async throws {
        let url = try await PostgresTestServer.shared().makeDatabase(prefix: "atrium_nodes")
        let secretFile = NSTemporaryDirectory() + "atrium-pg-cluster-secret-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: secretFile, contents: Data((0..<32).map { _ in UInt8.random(in: 0...255) }))
        defer { try? FileManager.default.removeItem(atPath: secretFile) }
        let storage = InMemoryStorage()
        var started: [String: ServerHarness] = [:]
        for name in ["a", "b"] {
            started[name] = try ServerHarness(storage: storage) {
                $0.cluster.node = name
                $0.cluster.secretFile = secretFile
                $0.storeURL = url
            }
        }
        let nodes = started
        let ports = nodes.mapValues(\.port)
        @Sendable func seat(_ room: String, via node: String) async throws -> SeatAnswer {
            let (status, body) = try await httpGet(port: ports[node]!, path: "/api/seat?room=\(room)")
            try #require(status == 200, "seat via \(node): \(status) \(String(decoding: body, as: UTF8.self))")
            return try JSONDecoder().decode(SeatAnswer.self, from: Data(body))
        }

        // Both nodes asked at once for a room nobody holds: one claims it, both name it.
        async let viaA = seat("plaza", via: "a")
        async let viaB = seat("plaza", via: "b")
        let (first, second) = try await (viaA, viaB)
        let owner = try #require(first.node)
        #expect(second.node == owner && first.instance == 1 && second.instance == 1)
        let other = owner == "a" ? "b" : "a"
        #expect(nodes[owner]!.server.hostedInstances.keys.sorted() == ["plaza"])
        #expect(nodes[other]!.server.hostedInstances.isEmpty)
        let observer = try PostgresCluster(configuration: PostgresConfiguration(url: url))
        defer { observer.close() }
        let entries = try await withCheckedContinuation { continuation in
            observer.directory.lookup(room: "plaza") { continuation.resume(returning: $0) }
        }.get()
        #expect(entries.map(\.owner.node) == [owner])

        // A visitor on the owner hears an announcement published on the other node.
        let configuration = ClientConfiguration(url: "ws://127.0.0.1:\(nodes[owner]!.port)" + first.path, name: "Mina",
                                                queues: nodes[owner]!.clientQueues, logger: quietLogger)
        let visitor = RecordedClient(try AtriumClient(configuration: configuration))
        #expect(try await visitor.client.connect().room.id == "plaza")
        #expect(await nodes[other]!.server.publish(.announcement(text: "Awards at 3", from: "Host", room: nil)))
        _ = try await visitor.events.first(within: .seconds(2), "the announcement across nodes") {
            if case .event(let message) = $0 { return (message as? ServerMessages.Announcement)?.text == "Awards at 3" }
            return false
        }
        for node in nodes.values { await node.stop() }
    }
}
