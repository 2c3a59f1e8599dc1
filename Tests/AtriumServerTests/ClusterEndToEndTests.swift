import AtriumClient
import AtriumCluster
import AtriumProtocol
import AtriumServer
import AtriumTestSupport
import AtriumWorld
import Testing

/// Two or three servers in one process as the nodes of a cluster, sharing one store and an
/// in-memory directory and bus: seats, the refusal of rooms a node does not hold,
/// hand-over on drain, and events that cross nodes.
@Suite(.serialized) struct ClusterEndToEndTests {
    @Test func aSeatFromAnyNodeNamesTheNodeThatHoldsTheRoom() async throws {
        let cluster = try ClusterHarness()
        let first = try #require(try await cluster.seat(room: "plaza", via: "b").answer)
        #expect(first.node == "b" && first.instance == 1 && first.path.hasPrefix("/node/b/ws?room=plaza&seat=seat1."))
        let second = try #require(try await cluster.seat(room: "plaza", via: "a").answer)
        #expect(second.node == "b")
        #expect(cluster.node("b").server.hostedInstances.keys.sorted() == ["plaza"])
        #expect(cluster.node("a").server.hostedInstances.isEmpty)
        let visitor = try cluster.client("Mina", seat: second)
        let welcome = try await visitor.client.connect()
        #expect(welcome.room.id == "plaza")
        #expect(try await cluster.seat(room: "nowhere", via: "a").status == 404)
        await cluster.stop()
    }

    @Test func aNodeRefusesARoomItDoesNotHoldWhateverSentTheVisitorThere() async throws {
        let cluster = try ClusterHarness()
        let seat = try #require(try await cluster.seat(room: "plaza", via: "a").answer)
        #expect(seat.node == "a")
        // The seat taken to the other node, as a misconfigured proxy would.
        let wrongNode = try await httpGet(port: cluster.node("b").port, path: seat.path.replacingOccurrences(of: "/node/a", with: ""))
        #expect(wrongNode.0 == 409)
        // No seat, or another node's prefix, on the node that holds the room.
        #expect(try await httpGet(port: cluster.node("a").port, path: "/ws?room=plaza").0 == 409)
        #expect(try await httpGet(port: cluster.node("a").port, path: "/node/b/healthz").0 == 421)
        #expect(try await httpGet(port: cluster.node("a").port, path: "/node/a/healthz").0 == 200)
        await cluster.stop()
    }

    @Test func drainingHandsTheRoomToAnotherNodeAndItsVisitorsFollow() async throws {
        let cluster = try ClusterHarness()
        let seat = try #require(try await cluster.seat(room: "plaza", via: "a").answer)
        let visitor = try cluster.client("Mina", seat: seat)
        _ = try await visitor.client.connect()
        await cluster.node("a").server.drain()
        _ = try await visitor.events.first(within: .seconds(5), "room_moved") {
            if case .error(let error) = $0 { return error.code == .roomMoved }
            return false
        }
        let next = try #require(try await cluster.seat(room: "plaza", via: "b").answer)
        #expect(next.node == "b")
        let again = try cluster.client("Mina", seat: next)
        #expect(try await again.client.connect().room.id == "plaza")
        await cluster.stop()
    }

    @Test func aClientFindsItsRoomsNodeAndFollowsItWhenTheNodeDrains() async throws {
        let cluster = try ClusterHarness()
        let front = try cluster.front(anyTo: "a")
        let visitor = try cluster.client("Mina", room: "plaza", through: front)
        // The link names no node: the first node refuses it with room_moved, the client
        // asks that node for a seat (it claims the room) and opens the seat's path.
        let first = try await visitor.client.connect()
        #expect(first.room.id == "plaza" && first.you.name == "Mina")
        #expect(Array(cluster.node("a").server.hostedInstances.keys) == ["plaza"])
        try await placeNearThePhoto(visitor, on: cluster.node("a"))
        _ = try await visitor.client.openExhibit("plaza-photo")
        #expect(try await visitor.client.react(.cheer, on: "plaza-photo").state.reactions["cheer"] == 1)

        // nginx sends what names no node to the nodes still up.
        front.route(anyTo: "b")
        await cluster.node("a").server.drain()
        let second = try await visitor.events.first(within: .seconds(10), "a welcome on node b") {
            if case .welcome = $0 { return true }
            return false
        }
        guard case .welcome(let welcome) = second else { return }
        #expect(welcome.room.id == "plaza" && welcome.you.name == "Mina")
        #expect(Array(cluster.node("b").server.hostedInstances.keys) == ["plaza"])
        // The ticket brought the same person back: the cheer is still theirs, and counted once.
        try await placeNearThePhoto(visitor, on: cluster.node("b"))
        let exhibit = try await visitor.client.openExhibit("plaza-photo")
        #expect(exhibit.mine == ["cheer"] && exhibit.state.reactions["cheer"] == 1)
        #expect(try await visitor.client.react(.cheer, on: "plaza-photo").state.reactions["cheer"] == 1)
        // Its resume token works on the new node as on any other.
        visitor.client.simulateConnectionLoss()
        let resumed = try await visitor.events.first(within: .seconds(10), "the resume on node b") {
            if case .welcome(let welcome) = $0 { return welcome.resumed }
            return false
        }
        guard case .welcome(let back) = resumed else { return }
        #expect(back.you.id == welcome.you.id)
        visitor.client.leave()
        front.stop()
        await cluster.stop()
    }

    /// Puts a visitor within reach of the plaza's photo (46, 10), on the node that runs the room.
    private func placeNearThePhoto(_ visitor: RecordedClient, on node: ServerHarness) async throws {
        let id = visitor.id
        node.server.rooms["plaza"]!.submit(.place(avatarID: id, Position(tileX: 44, tileY: 10)))
        try await visitor.waitUntil("placed") { world in
            world.position(of: id, at: world.tick).map { $0.x / 64 == 44 && $0.y / 64 == 10 } ?? false
        }
    }

    @Test func anAnnouncementAndARevocationCrossNodes() async throws {
        let cluster = try ClusterHarness()
        let registered = try await cluster.node("a").register("Joon", role: "participant")
        let onA = try #require(try await cluster.seat(room: "plaza", via: "a").answer)
        let onB = try #require(try await cluster.seat(room: "members", via: "b").answer)
        #expect(onA.node == "a" && onB.node == "b")
        let listener = try cluster.client("Mina", seat: onA)
        _ = try await listener.client.connect()
        let member = try cluster.client("Joon", seat: onB, token: registered.token)
        _ = try await member.client.connect()

        #expect(await cluster.node("b").server.publish(.announcement(text: "Awards at 3", from: "Host", room: nil)))
        _ = try await listener.events.first(within: .seconds(1), "the announcement on node a") {
            if case .event(let message) = $0 { return (message as? ServerMessages.Announcement)?.text == "Awards at 3" }
            return false
        }

        #expect(await cluster.node("a").server.publish(.revoked(registration: registered.registration.id)))
        _ = try await member.events.first(within: .seconds(1), "the revocation on node b") {
            if case .closed(.refused(.badToken, _)?) = $0 { return true }
            return false
        }
        await cluster.stop()
    }
}
