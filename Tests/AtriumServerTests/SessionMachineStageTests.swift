import AtriumProtocol
@testable import AtriumServer
import AtriumWorld
import Testing

/// The session's stage rules with a manual clock: each message becomes its room input or
/// grant request, and the requests share the moderators' rate.
@Suite struct SessionMachineStageTests {
    typealias T = SessionMachineTests

    @Test func stageMessagesBecomeRoomInputsAndAWatchAGrantRequest() {
        var machine = T.joined()
        #expect(machine.receive(ClientMessages.StageHand(up: true, ref: "h"), now: T.at(1))
            == [.submit(.stage(T.client, .hand(up: true), ref: "h"))])
        #expect(machine.receive(ClientMessages.StagePublish(ref: "p"), now: T.at(1)) == [.submit(.stage(T.client, .publish, ref: "p"))])
        #expect(machine.receive(ClientMessages.StageWatch(ref: "w"), now: T.at(1)) == [.sendStageGrant(ref: "w")])
        #expect(machine.receive(ClientMessages.StageAir(avatar: 4, on: false, ref: nil), now: T.at(1))
            == [.submit(.moderate(T.client, .onAir(avatarID: 4, on: false), ref: nil))])
        #expect(machine.receive(ClientMessages.StageDismiss(avatar: 4, ref: "d"), now: T.at(1))
            == [.submit(.moderate(T.client, .lowerHand(avatarID: 4), ref: "d"))])
    }

    @Test func stageRequestsBeforeJoiningOrTooFastAreRefused() {
        var fresh = SessionMachine(client: T.client, settings: SessionSettings(), now: T.start)
        #expect(fresh.receive(ClientMessages.StageWatch(ref: "w"), now: T.at(1)) == [T.error(.notJoined, "say hello first", ref: "w")])
        var settings = SessionSettings()
        settings.actionRate = RateLimit(perSecond: 1, burst: 2)
        var machine = T.joined(settings)
        _ = machine.receive(ClientMessages.StageHand(up: true), now: T.at(1))
        _ = machine.receive(ClientMessages.StageHand(up: false), now: T.at(1))
        #expect(machine.receive(ClientMessages.StagePublish(ref: "p"), now: T.at(1))
            == [T.error(.rateLimited, "too many messages; slow down", ref: "p")])
    }
}
