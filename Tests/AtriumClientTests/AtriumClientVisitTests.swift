@testable import AtriumClient
import AtriumNet
import AtriumProtocol
import AtriumServer
import AtriumTestSupport
import AtriumWorld
import Foundation
import Testing

/// The visitor's requests through the client library (issue 15): "come find me" links both
/// ways, and the sender's count of who heard a room or stage message.
@Suite(.serialized) struct AtriumClientVisitTests {
    /// Puts an avatar on a tile of the plaza and waits until its client sees it there.
    private func place(_ recorded: RecordedClient, tileX: Int, tileY: Int, on harness: ServerHarness) async throws {
        let id = recorded.id
        let position = Position(tileX: tileX, tileY: tileY)
        harness.server.rooms["plaza"]!.submit(.place(avatarID: id, position))
        try await recorded.waitUntil("placed at (\(tileX), \(tileY))") { world in
            world.position(of: id, at: world.tick).map { $0.x == Int(position.x) && $0.y == Int(position.y) } ?? false
        }
    }

    /// A client of the harness that says hello with `near`.
    private func friend(_ name: String, near: String?, room: String, on harness: ServerHarness) throws -> RecordedClient {
        var configuration = ClientConfiguration(url: harness.url(room: room), name: name, reconnect: .disabled,
                                                queues: harness.clientQueues, logger: quietLogger)
        configuration.near = near
        return RecordedClient(try AtriumClient(configuration: configuration))
    }

    @Test func aFindMeTokenGoesInAFreshHelloButNotInAResume() {
        var configuration = ClientConfiguration(url: "ws://127.0.0.1:1/ws", name: "Friend", appearance: 3)
        configuration.near = "near1.abc.def"
        var machine = ClientMachine(configuration: configuration, random: TopJitter())
        let start = ContinuousClock.now
        _ = machine.connect(now: start)
        #expect(machine.socketOpened(now: start).first
            == .send(ClientMessages.Hello(name: "Friend", resume: nil, appearance: 3, near: "near1.abc.def")))
        _ = machine.received(ClientMachineTests.welcome(), now: start)
        let dropped = machine.socketClosed(code: 1006, reason: "", now: start + .seconds(1))
        guard case .scheduleTimer(let retry) = dropped.last else {
            Issue.record("no reconnection scheduled: \(dropped)")
            return
        }
        #expect(machine.timerFired(now: retry) == [.openSocket(target: "/ws")])
        // Coming back is the same avatar where it stood, not a second trip to the friend.
        #expect(machine.socketOpened(now: retry).first
            == .send(ClientMessages.Hello(name: "Friend", resume: "resume-1", appearance: 3, near: nil)))
    }

    @Test func aFriendWithTheFindMeTokenArrivesNextToTheAsker() async throws {
        let harness = try ServerHarness()
        let host = try await harness.joined("Host", room: "plaza")
        // Far from the spawn (22–25 × 14–17), so arriving at a spawn point cannot pass for it.
        try await place(host, tileX: 40, tileY: 24, on: harness)
        let link = try await host.client.findMe()
        #expect(link.room == "plaza" && !link.token.isEmpty)
        #expect(link.expires > Int64(Date().timeIntervalSince1970 * 1000) + 60_000, "the link lasts minutes, not moments")

        let friend = try friend("Friend", near: link.token, room: link.room, on: harness)
        let welcome = try await friend.client.connect()
        #expect(welcome.near == host.id)
        try await friend.waitUntil("its own avatar") { $0.me != nil }
        let arrived = try #require(friend.client.world.position(of: friend.id, at: friend.client.world.tick))
        let hostAt = Position(tileX: 40, tileY: 24)
        let tiles = hypot(Double(arrived.x - Int(hostAt.x)), Double(arrived.y - Int(hostAt.y))) / Double(Position.unitsPerTile)
        #expect(tiles > 0.5 && tiles <= 2.5, "the friend arrived \(tiles) tiles from the host")
        await harness.stop()
    }

    @Test func aFindMeTokenForAnotherRoomOrAMangledOneStartsTheFriendAtASpawnPoint() async throws {
        let harness = try ServerHarness()
        let host = try await harness.joined("Host", room: "plaza")
        let link = try await host.client.findMe()
        let elsewhere = try friend("Elsewhere", near: link.token, room: "tiny", on: harness)
        let welcome = try await elsewhere.client.connect()
        #expect(welcome.near == nil && welcome.room.id == "tiny")
        let mangled = try friend("Mangled", near: String(link.token.dropLast(2)) + "xx", room: "plaza", on: harness)
        #expect(try await mangled.client.connect().near == nil)
        await harness.stop()
    }

    @Test func findMeBeforeTheWelcomeFailsAsNotConnected() async throws {
        let harness = try ServerHarness()
        let early = try harness.client("Early", room: "plaza")
        await #expect(throws: AtriumClientError.notConnected) { try await early.client.findMe() }
        await harness.stop()
    }

    @Test func theSenderOfRoomAndStageChatIsToldHowManyHeardIt() async throws {
        let harness = try ServerHarness()
        let moderator = try await harness.joined("Host", room: "plaza", token: try await harness.register("Host", role: "moderator").token)
        let near = try await harness.joined("Near", room: "plaza")
        let far = try await harness.joined("Far", room: "plaza")
        try await place(moderator, tileX: 22, tileY: 3, on: harness)   // on the stage (18–29 × 2–5)
        try await place(near, tileX: 40, tileY: 20, on: harness)
        try await place(far, tileX: 10, tileY: 28, on: harness)

        // Nobody is within the chat radius of the stage: nearby chat reaches no one.
        #expect(try await moderator.client.say("anyone?", scope: .nearby).heard == 0)
        // The stage reaches the whole room, however far.
        let stage = try await moderator.client.say("welcome, everyone", scope: .stage)
        #expect(stage.heard == 2)
        for listener in [near, far] { #expect(try await listener.nextChat().text == "welcome, everyone") }
        // So does a moderator's room message, from anywhere.
        try await place(moderator, tileX: 4, tileY: 28, on: harness)
        try await moderator.waitUntil("the far one in view") { $0.avatars[far.id] != nil }
        #expect(try await moderator.client.say("the quiz starts soon", scope: .room).heard == 2)
        far.client.leave()
        try await moderator.waitUntil("the far one gone") { $0.avatars[far.id] == nil }
        #expect(try await moderator.client.say("still here?", scope: .room).heard == 1)
        // A guest has no stage voice.
        await #expect(throws: AtriumClientError.rejected(.notOnStage, "stage chat needs you on the stage with stage voice")) {
            try await near.client.say("me too", scope: .stage)
        }
        await harness.stop()
    }
}
