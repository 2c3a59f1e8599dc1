import AtriumClient
import AtriumProtocol
import AtriumServer
import AtriumTestSupport
import AtriumWorld
import Foundation
import Testing

/// The stage through the whole server without Janus: the room decides who is on air and
/// tells everyone, a publisher request off the rules is refused with its reason, and one
/// that passes (like every viewer's) is answered `stage_unavailable`, since there is no
/// video to give. With Janus, Tests/Stage runs the same against the real thing.
@Suite(.serialized) struct StageEndToEndTests {
    private func place(_ recorded: RecordedClient, tileX: Int, tileY: Int, on harness: ServerHarness) {
        harness.server.rooms["plaza"]!.submit(.place(avatarID: recorded.id, Position(tileX: tileX, tileY: tileY)))
    }

    private func error(_ recorded: RecordedClient, ref: String) async throws -> ServerMessages.ErrorMessage {
        let event = try await recorded.events.first(within: .seconds(5), "the error for \(ref)") {
            if case .error(let error) = $0 { return error.ref == ref }
            return false
        }
        guard case .error(let error) = event else { throw CancellationError() }
        return error
    }

    private func stage(_ recorded: RecordedClient, onAir: [UInt32]) async throws {
        _ = try await recorded.events.first(within: .seconds(5), "stage on air \(onAir)") {
            if case .event(let message) = $0, let stage = message as? ServerMessages.Stage { return stage.onAir.map(\.id) == onAir }
            return false
        }
    }

    @Test func theRoomDecidesWhoIsOnAirAndRefusesOthersWithTheirReason() async throws {
        let harness = try ServerHarness()
        let (token, _) = try await harness.register("Pia", role: "presenter", rooms: ["plaza"])
        let presenter = try await harness.joined("Pia", room: "plaza", token: token)
        let floor = try await harness.joined("Gus", room: "plaza")
        let far = try await harness.joined("Far", room: "plaza")
        place(far, tileX: 2, tileY: 29, on: harness)

        // On the plaza's stage (tiles 18…29 × 2…5) with the microphone on: on air for everyone.
        place(presenter, tileX: 20, tileY: 3, on: harness)
        presenter.client.setMedia(mic: true)
        for client in [presenter, floor, far] { try await stage(client, onAir: [presenter.id]) }
        presenter.client.sendJSON(ClientMessages.StagePublish(ref: "p"))
        #expect(try await error(presenter, ref: "p").code == .stageUnavailable)

        place(floor, tileX: 22, tileY: 3, on: harness)
        floor.client.setMedia(mic: true)
        floor.client.sendJSON(ClientMessages.StagePublish(ref: "f"))
        let refused = try await error(floor, ref: "f")
        #expect(refused.code == .stageRefused)
        #expect(refused.message == StageRefusal.noStageVoice.message)

        floor.client.sendJSON(ClientMessages.StageWatch(ref: "w"))
        #expect(try await error(floor, ref: "w").code == .stageUnavailable)

        // Stepping off ends it for everyone.
        place(presenter, tileX: 20, tileY: 12, on: harness)
        for client in [presenter, floor, far] { try await stage(client, onAir: []) }
        await harness.stop()
    }

    @Test func aLateArrivalSeesTheRunningBroadcast() async throws {
        let harness = try ServerHarness()
        let (token, _) = try await harness.register("Pia", role: "presenter", rooms: ["plaza"])
        let presenter = try await harness.joined("Pia", room: "plaza", token: token)
        place(presenter, tileX: 20, tileY: 3, on: harness)
        presenter.client.setMedia(camera: true)
        try await stage(presenter, onAir: [presenter.id])
        let late = try await harness.joined("Late", room: "plaza")
        try await stage(late, onAir: [presenter.id])
        await harness.stop()
    }
}
