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
    /// Nodes "a" and "b" on one fresh database, sharing a secret file and a store.
    private func startNodes() async throws -> (url: String, nodes: [String: ServerHarness], secretFile: String) {
        let url = try await PostgresTestServer.shared().makeDatabase(prefix: "atrium_nodes")
        let secretFile = NSTemporaryDirectory() + "atrium-pg-cluster-secret-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: secretFile, contents: Data((0..<32).map { _ in UInt8.random(in: 0...255) }))
        let storage = InMemoryStorage()
        var nodes: [String: ServerHarness] = [:]
        for name in ["a", "b"] {
            nodes[name] = try ServerHarness(storage: storage) {
                $0.cluster.node = name
                $0.cluster.secretFile = secretFile
                $0.storeURL = url
            }
        }
        return (url, nodes, secretFile)
    }

    private func seat(_ room: String, via port: UInt16, token: String? = nil) async throws -> SeatAnswer {
        let (status, body) = try await httpGet(port: port, path: "/api/seat?room=\(room)" + (token.map { "&token=\($0)" } ?? ""))
        try #require(status == 200, "seat via \(port): \(status) \(String(decoding: body, as: UTF8.self))")
        return try JSONDecoder().decode(SeatAnswer.self, from: Data(body))
    }

    private func visitor(_ name: String, seat: SeatAnswer, on node: ServerHarness, token: String? = nil) throws -> RecordedClient {
        let configuration = ClientConfiguration(url: "ws://127.0.0.1:\(node.port)" + seat.path, name: name, token: token,
                                                queues: node.clientQueues, logger: quietLogger)
        return RecordedClient(try AtriumClient(configuration: configuration))
    }

    @Test func twoNodesOnPostgresAgreeOnOneOwnerAndCarryAnnouncementsAcross() async throws {
        let (url, nodes, secretFile) = try await startNodes()
        defer { try? FileManager.default.removeItem(atPath: secretFile) }

        // Both nodes asked at once for a room nobody holds: one claims it, both name it.
        async let viaA = seat("plaza", via: nodes["a"]!.port)
        async let viaB = seat("plaza", via: nodes["b"]!.port)
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
        let mina = try visitor("Mina", seat: first, on: nodes[owner]!)
        #expect(try await mina.client.connect().room.id == "plaza")
        #expect(await nodes[other]!.server.publish(.announcement(text: "Awards at 3", from: "Host", room: nil)))
        _ = try await mina.events.first(within: .seconds(2), "the announcement across nodes") {
            if case .event(let message) = $0 { return (message as? ServerMessages.Announcement)?.text == "Awards at 3" }
            return false
        }
        for node in nodes.values { await node.stop() }
    }

    @Test func aRevocationAnnouncedByTheCommandLineEndsTheSessionOnItsNode() async throws {
        let (url, nodes, secretFile) = try await startNodes()
        defer { try? FileManager.default.removeItem(atPath: secretFile) }
        let registered = try await nodes["a"]!.register("Joon", role: "participant")
        let place = try await seat("plaza", via: nodes["b"]!.port, token: registered.token)
        let ownerName = try #require(place.node)
        let owner = try #require(nodes[ownerName])
        let member = try visitor("Joon", seat: place, on: owner, token: registered.token)
        _ = try await member.client.connect()
        try await ClusterServices.announceRevocations([registered.registration.id], url: url)
        _ = try await member.events.first(within: .seconds(1), "the revocation through the bus") {
            if case .closed(.refused(.badToken, _)?) = $0 { return true }
            return false
        }
        for node in nodes.values { await node.stop() }
    }
}
