import AtriumClient
import AtriumProtocol
import AtriumServer
import AtriumTestSupport
import AtriumWorld
import Testing

/// Rooms over loopback with real clients: the server, transport and client together.
@Suite(.serialized) struct RoomEndToEndTests {
    /// Puts a client's avatar on a tile of the plaza and waits until the client sees it there.
    private func place(_ recorded: RecordedClient, tileX: Int, tileY: Int, on harness: ServerHarness) async throws {
        let id = recorded.id
        let position = Position(tileX: tileX, tileY: tileY)
        harness.server.rooms["plaza"]!.submit(.place(avatarID: id, position))
        try await recorded.waitUntil("placed at (\(tileX), \(tileY))") { world in
            world.position(of: id, at: world.tick).map { $0.x == Int(position.x) && $0.y == Int(position.y) } ?? false
        }
    }

    @Test func welcomesAClientWithTheRoomAndAUniqueName() async throws {
        let harness = try ServerHarness()
        let first = try await harness.joined("Mina", room: "plaza")
        let second = try await harness.joined("mina", room: "plaza")
        let welcome = try #require(second.client.welcome)
        #expect(first.client.welcome?.you.name == "Mina")
        #expect(welcome.you.name == "mina (2)")
        #expect(welcome.you.role == "guest")
        #expect(welcome.room.id == "plaza" && welcome.room.width == 48 && welcome.room.height == 32)
        #expect(welcome.room.tickRate == 20 && welcome.room.step == 13 && welcome.room.unitsPerTile == 64)
        #expect(!welcome.resume.isEmpty && !welcome.resumed)
        // Each sees itself and the other.
        try await first.waitUntil("both avatars") { $0.avatars.count == 2 }
        await harness.stop()
    }

    @Test func aMoveIsSeenByANeighbourAndNotByAFarClient() async throws {
        let harness = try ServerHarness()
        let walker = try await harness.joined("Walker", room: "plaza")
        let near = try await harness.joined("Near", room: "plaza")
        let far = try await harness.joined("Far", room: "plaza")
        try await place(walker, tileX: 3, tileY: 12, on: harness)
        try await place(near, tileX: 5, tileY: 14, on: harness)
        try await place(far, tileX: 44, tileY: 12, on: harness)
        try await near.waitUntil("the walker in view") { $0.avatars[walker.id] != nil }
        try await far.waitUntil("the walker out of view") { $0.avatars[walker.id] == nil }

        let sequence = walker.client.move(dx: 0, dy: 1)
        try await near.waitUntil("the walker moving") { $0.avatars[walker.id]?.motion.vy == 13 }
        try await walker.waitUntil("the move acknowledged") { $0.acknowledged == sequence }
        walker.client.stop()
        try await near.waitUntil("the walker stopped") { $0.avatars[walker.id]?.motion.vy == 0 }
        #expect(far.client.world.avatars[walker.id] == nil)
        // The far client never heard of the walker at all.
        var sawWalker = false
        while let event = try? await far.events.next(within: .milliseconds(1)) {
            if case .state(let state) = event, state.moved.contains(where: { $0.id == walker.id }) { sawWalker = true }
        }
        #expect(!sawWalker)
        await harness.stop()
    }

    @Test func chatScopesDeliverToExactlyTheRightClients() async throws {
        let harness = try ServerHarness()
        let speaker = try await harness.joined("Speaker", room: "plaza")
        let neighbour = try await harness.joined("Neighbour", room: "plaza")
        let distant = try await harness.joined("Distant", room: "plaza")
        let tablemate = try await harness.joined("Tablemate", room: "plaza")
        try await place(speaker, tileX: 4, tileY: 4, on: harness)       // inside "Table 1" (2…7, 2…7)
        try await place(tablemate, tileX: 6, tileY: 6, on: harness)     // inside too
        try await place(neighbour, tileX: 4, tileY: 10, on: harness)    // 6 tiles away, outside the area
        try await place(distant, tileX: 40, tileY: 20, on: harness)

        let areaMessage = try await speaker.client.say("at the table", scope: .area)
        #expect(areaMessage.ref != nil && areaMessage.scope == .area)
        #expect(areaMessage.heard == 1, "the acknowledgement says how many heard it: the tablemate")
        #expect(try await tablemate.nextChat().text == "at the table")

        // Nearby from inside the area does not cross its edge, even within the radius.
        try await place(speaker, tileX: 11, tileY: 10, on: harness)      // now outside the area, 7 tiles from the neighbour
        try await place(neighbour, tileX: 11, tileY: 16, on: harness)    // exactly 6 tiles below
        _ = try await speaker.client.say("anyone nearby?", scope: .nearby)
        #expect(try await neighbour.nextChat().text == "anyone nearby?")

        let direct = try await speaker.client.say("psst", scope: .dm, to: distant.id)
        #expect(direct.to == distant.id)
        let received = try await distant.nextChat()
        #expect(received.text == "psst" && received.from.id == speaker.id && received.ref == nil && received.heard == nil)

        // Nobody else heard anything: the next chat anyone gets is this marker.
        _ = try await distant.client.say("marker", scope: .dm, to: tablemate.id)
        #expect(try await tablemate.nextChat().text == "marker")
        for other in [neighbour, distant] {
            while let event = try? await other.events.next(within: .milliseconds(1)) {
                if case .chat(let chat) = event { #expect(chat.text != "at the table" && chat.text != "psst" || other.id == distant.id) }
            }
        }
        await harness.stop()
    }

    @Test func refusesChatOutsideTheRulesWithAnErrorAndKeepsTheSession() async throws {
        let harness = try ServerHarness()
        let guest = try await harness.joined("Guest", room: "plaza")
        await #expect(throws: AtriumClientError.rejected(.notInArea, "area chat needs you to stand in a private area")) {
            _ = try await guest.client.say("hello?", scope: .area)
        }
        await #expect(throws: AtriumClientError.rejected(.forbidden, "only moderators speak to the whole room")) {
            _ = try await guest.client.say("everyone!", scope: .room)
        }
        #expect(try await guest.client.ping() < .seconds(5))
        await harness.stop()
    }

    @Test func aReconnectingClientGetsItsAvatarBack() async throws {
        let harness = try ServerHarness()
        let observer = try await harness.joined("Observer", room: "plaza")
        let traveller = try await harness.joined("Traveller", room: "plaza", reconnect: .init(initialDelay: .milliseconds(400)))
        try await place(traveller, tileX: 30, tileY: 10, on: harness)
        let id = traveller.id
        traveller.client.simulateConnectionLoss()
        try await observer.waitUntil("the traveller away") { ($0.avatars[id]?.info.flags ?? 0) & 2 != 0 }
        let welcome = try await traveller.events.first(within: .seconds(10), "the resumed welcome") {
            if case .welcome(let welcome) = $0 { return welcome.resumed }
            return false
        }
        guard case .welcome(let resumed) = welcome else { return }
        #expect(resumed.you.id == id)
        try await traveller.waitUntil("the same spot") { world in
            world.position(of: id, at: world.tick).map { $0.x == 30 * 64 + 32 && $0.y == 10 * 64 + 32 } ?? false
        }
        try await observer.waitUntil("the traveller back") { ($0.avatars[id]?.info.flags ?? 2) & 2 == 0 }
        await harness.stop()
    }

    @Test func refusalsAreTypedAndTerminal() async throws {
        let harness = try ServerHarness()
        _ = try await harness.joined("One", room: "tiny")
        _ = try await harness.joined("Two", room: "tiny")
        let third = try harness.client("Three", room: "tiny")
        await #expect(throws: AtriumClientError.refused(.roomFull, "the room is full")) { _ = try await third.client.connect() }

        let stranger = try harness.client("Stranger", room: "members")
        await #expect {
            _ = try await stranger.client.connect()
        } throws: { ($0 as? AtriumClientError).map { if case .refused(.badToken, _) = $0 { true } else { false } } ?? false }

        let lost = try harness.client("Lost", room: "nowhere")
        await #expect {
            _ = try await lost.client.connect()
        } throws: { ($0 as? AtriumClientError).map { if case .refused(.notFound, _) = $0 { true } else { false } } ?? false }

        let nameless = try harness.client("  \u{7} ", room: "plaza")
        await #expect {
            _ = try await nameless.client.connect()
        } throws: { ($0 as? AtriumClientError).map { if case .refused(.nameInvalid, _) = $0 { true } else { false } } ?? false }
        await harness.stop()
    }

    @Test func answersBadMessagesAndRateLimitsWithoutDroppingTheConnection() async throws {
        let harness = try ServerHarness { $0.chatRate = RateLimit(perSecond: 0.1, burst: 2) }
        let client = try await harness.joined("Chatty", room: "plaza")
        client.client.sendJSON(ClientMessages.Who(limit: 1))
        _ = try await client.client.say("one")
        _ = try await client.client.say("two")
        await #expect(throws: AtriumClientError.rejected(.rateLimited, "too many messages; slow down")) {
            _ = try await client.client.say("three")
        }
        #expect(client.client.isJoined)
        await harness.stop()
    }
}
