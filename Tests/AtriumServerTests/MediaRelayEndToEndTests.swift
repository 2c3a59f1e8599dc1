import AtriumClient
import AtriumProtocol
import AtriumServer
import AtriumTestSupport
import AtriumWorld
import Foundation
import Testing

/// Proximity media through the whole server: conversation peers on the wire, the
/// signalling relay and its limits, and the ICE servers after the welcome.
@Suite(.serialized) struct MediaRelayEndToEndTests {
    private func place(_ recorded: RecordedClient, tileX: Int, tileY: Int, on harness: ServerHarness) {
        harness.server.rooms["plaza"]!.submit(.place(avatarID: recorded.id, Position(tileX: tileX, tileY: tileY)))
    }

    private func peers(_ recorded: RecordedClient, _ expected: [UInt32]) async throws {
        _ = try await recorded.events.first(within: .seconds(5), "av_peers \(expected)") {
            if case .conversationPeers(let peers) = $0 { return peers == expected }
            return false
        }
    }

    /// The error codes a client got until its connection closed.
    private func codesUntilClosed(_ recorded: RecordedClient) async throws -> [ErrorCode] {
        var codes: [ErrorCode] = []
        _ = try await recorded.events.first(within: .seconds(5), "the close") {
            if case .error(let error) = $0 { codes.append(error.code) }
            if case .closed(let reason) = $0 {
                if case .refused(let code, _) = reason { codes.append(code) }
                return true
            }
            return false
        }
        return codes
    }

    /// Two peers by the fountain, a third across the plaza.
    private func talkers(_ harness: ServerHarness) async throws -> (RecordedClient, RecordedClient, RecordedClient) {
        let a = try await harness.joined("Ari", room: "plaza")
        let b = try await harness.joined("Bo", room: "plaza")
        let c = try await harness.joined("Cy", room: "plaza")
        place(a, tileX: 10, tileY: 12, on: harness)
        place(b, tileX: 12, tileY: 12, on: harness)
        place(c, tileX: 40, tileY: 20, on: harness)
        a.client.setMedia(mic: true)
        try await peers(a, [b.id])
        try await peers(b, [a.id])
        return (a, b, c)
    }

    @Test func aSignalReachesOnlyItsPeerAndOneToANonPeerIsRefused() async throws {
        let harness = try ServerHarness()
        let (a, b, c) = try await talkers(harness)
        a.client.sendSignal(to: b.id, data: #"{"description":{"type":"offer","sdp":"v=0"}}"#)
        _ = try await b.events.first(within: .seconds(5), "the offer") {
            $0 == .signal(from: a.id, data: #"{"description":{"type":"offer","sdp":"v=0"}}"#)
        }
        a.client.sendSignal(to: c.id, data: "{}")
        _ = try await a.events.first(within: .seconds(5), "not_a_peer") {
            if case .error(let error) = $0 { return error.code == .notAPeer }
            return false
        }
        // c speaks up and is refused too; a marker from b then shows nothing else reached anyone.
        c.client.sendSignal(to: a.id, data: "{}")
        _ = try await c.events.first(within: .seconds(5), "not_a_peer for c") {
            if case .error(let error) = $0 { return error.code == .notAPeer }
            return false
        }
        b.client.sendSignal(to: a.id, data: "answer")
        _ = try await a.events.first(within: .seconds(5), "the answer") {
            $0 == .signal(from: b.id, data: "answer")
        }
        var sawSignal = false
        while let event = try? await c.events.next(within: .milliseconds(200)) {
            if case .signal = event { sawSignal = true }
        }
        #expect(!sawSignal)
        // Walking apart ends the pair for both, and then even b is refused.
        place(b, tileX: 30, tileY: 12, on: harness)
        try await peers(a, [])
        try await peers(b, [])
        b.client.sendSignal(to: a.id, data: "late")
        _ = try await b.events.first(within: .seconds(5), "not_a_peer after walking away") {
            if case .error(let error) = $0 { return error.code == .notAPeer }
            return false
        }
        await harness.stop()
    }

    /// What a moderator does to a talker reaches its media at once: a mute shows in its
    /// peers' state and takes its voice out of their sets; a kick and a ban take it out of
    /// every set in the tick that removes it, so its peers hang up, and their signals to it
    /// are refused from then on.
    @Test func muteKickAndBanReachTheTalkersPeersAtOnce() async throws {
        let harness = try ServerHarness()
        func member(_ name: String, _ role: String = "participant") async throws -> RecordedClient {
            try await harness.joined(name, room: "plaza", token: try await harness.register(name, role: role).token)
        }
        let moderator = try await member("Host", "moderator")
        let (a, b, c) = (try await member("Ari"), try await member("Bo"), try await member("Cy"))
        place(moderator, tileX: 40, tileY: 24, on: harness)
        place(a, tileX: 10, tileY: 12, on: harness)
        place(b, tileX: 12, tileY: 12, on: harness)
        place(c, tileX: 11, tileY: 13, on: harness)
        a.client.setMedia(mic: true)
        c.client.setMedia(mic: true)
        try await peers(b, [a.id, c.id].sorted())

        _ = try await moderator.client.moderate(ClientMessages.Mute(avatar: a.id, on: true))
        // The set comes first (waiting on the mirror passes over the events before it).
        try await peers(b, [c.id])
        try await b.waitUntil("Ari shown muted") { ($0.avatars[a.id]?.info.flags ?? 0) & StateMessage.Info.mutedFlag != 0 }
        _ = try await moderator.client.moderate(ClientMessages.Mute(avatar: a.id, on: false))
        try await peers(b, [a.id, c.id].sorted())

        let kicked = ContinuousClock.now
        _ = try await moderator.client.moderate(ClientMessages.Kick(avatar: a.id))
        try await peers(b, [c.id])
        #expect(kicked.duration(to: .now) < .seconds(1), "the set shrank with the kick's tick")
        b.client.sendSignal(to: a.id, data: "to the kicked")
        _ = try await b.events.first(within: .seconds(5), "not_a_peer for the kicked") {
            if case .error(let error) = $0 { return error.code == .notAPeer }
            return false
        }

        let banned = ContinuousClock.now
        _ = try await moderator.client.moderate(ClientMessages.Ban(avatar: c.id, reason: "test"))
        try await peers(b, [])
        #expect(banned.duration(to: .now) < .seconds(1), "the set emptied with the ban's tick")
        _ = try await c.events.first(within: .seconds(5), "the banned talker's end") {
            if case .closed(.refused(.kicked, _)) = $0 { return true }
            return false
        }
        await harness.stop()
    }

    @Test func anOversizeSignalEndsTheSessionAndOneAtTheLimitGoesThrough() async throws {
        let harness = try ServerHarness()
        let (a, b, _) = try await talkers(harness)
        let largest = String(repeating: "\"", count: 16 * 1024)
        b.client.sendSignal(to: a.id, data: largest)
        _ = try await a.events.first(within: .seconds(5), "the largest signal") {
            $0 == .signal(from: b.id, data: largest)
        }
        a.client.sendSignal(to: b.id, data: String(repeating: "x", count: 16 * 1024 + 1))
        #expect(try await codesUntilClosed(a) == [.messageTooLarge])
        await harness.stop()
    }

    @Test func aSignallingFloodEndsTheSessionWithRateLimited() async throws {
        let harness = try ServerHarness {
            $0.signalRate = RateLimit(perSecond: 1, burst: 5)
            $0.signalsPerNewPeer = 2
        }
        let (a, b, _) = try await talkers(harness)
        for index in 0..<10 { a.client.sendSignal(to: b.id, data: "candidate \(index)") }
        #expect(try await codesUntilClosed(a) == [.rateLimited])
        // The burst and the new peer's grant went through before the flood was cut.
        _ = try await b.events.first(within: .seconds(5), "the last signal of the burst") {
            $0 == .signal(from: a.id, data: "candidate 6")
        }
        await harness.stop()
    }

    @Test func iceServersFollowTheWelcomeWithAMintedTurnCredential() async throws {
        let secretFile = NSTemporaryDirectory() + "turn-\(UUID().uuidString).secret"
        try Data("plaza-secret\n".utf8).write(to: URL(fileURLWithPath: secretFile))
        defer { try? FileManager.default.removeItem(atPath: secretFile) }
        let harness = try ServerHarness {
            $0.stunURLs = ["stun:127.0.0.1:3478"]
            $0.turnURLs = ["turn:127.0.0.1:3478?transport=udp"]
            $0.turnSecretFile = secretFile
        }
        let a = try harness.client("Ari", room: "plaza")
        let welcome = try await a.client.connect()
        let event = try await a.events.first(within: .seconds(5), "ice_servers") {
            if case .event(let message) = $0 { return message is ServerMessages.IceServers }
            return false
        }
        guard case .event(let message) = event, let ice = message as? ServerMessages.IceServers else { return }
        #expect(welcome.room.avRadius == 4)
        #expect(ice.iceServers.first?.urls == ["stun:127.0.0.1:3478"])
        let turn = try #require(ice.iceServers.last)
        let username = try #require(turn.username)
        let expiry = try #require(Int64(username.split(separator: ":")[0]))
        #expect(username == "\(expiry):\(welcome.you.id)")
        #expect(turn.credential == TurnCredential.mint(secret: Array("plaza-secret".utf8), user: String(welcome.you.id),
                                                       now: expiry - 3600, ttl: 3600).password)
        #expect(ice.expires == expiry * 1000)
        await harness.stop()
    }
}
