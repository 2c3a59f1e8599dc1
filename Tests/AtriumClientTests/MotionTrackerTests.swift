@testable import AtriumClient
import AtriumProtocol
import Testing

/// What the client has seen move, on instants the test chooses.
@Suite struct MotionTrackerTests {
    let t0 = ContinuousClock.now

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { t0 + .milliseconds(milliseconds) }

    /// Tick rate 20 (50 ms a tick), 13 units a step.
    static func welcome(resumed: Bool) -> ServerMessages.Welcome {
        ServerMessages.Welcome(
            you: .init(id: 7, name: "Tester", role: "guest"),
            room: .init(id: "plaza", name: "Plaza", map: "plaza", width: 40, height: 30, tickRate: 20, viewRadius: 12,
                        chatRadius: 6, step: 13, diagonalStep: 9, unitsPerTile: 64),
            resume: "resume", resumed: resumed, tick: 100, serverTime: 0)
    }

    static let me = StateMessage.Entered(id: 7, motion: .init(x: 640, y: 640), info: .init(role: 0, name: "Tester"))
    static let other = StateMessage.Entered(id: 8, motion: .init(x: 100, y: 100, vx: 13), info: .init(role: 0, name: "Other"))

    @Test func theTickAdvancesWithTimeSinceTheLastStateAtTheRoomsRate() {
        var tracker = MotionTracker()
        tracker.joined(Self.welcome(resumed: false))
        tracker.apply(StateMessage(snapshot: true, tick: 100, ack: 0, entered: [Self.me, Self.other]), now: at(0))
        #expect(tracker.estimatedTick(now: at(0)) == 100)
        #expect(tracker.estimatedTick(now: at(125)) == 102.5)
        let other = tracker.position(of: 8, now: at(100))
        #expect(other?.x == 126 && other?.y == 100)
    }

    @Test func aPredictionWalksAheadUntilTheServerAcknowledges() throws {
        var tracker = MotionTracker()
        tracker.joined(Self.welcome(resumed: false))
        tracker.apply(StateMessage(snapshot: true, tick: 100, ack: 0, entered: [Self.me]), now: at(0))
        let input = tracker.nextInput(.direction(dx: 1, dy: 0))
        tracker.sent(input, now: at(0))
        // Two ticks later the server has said nothing new; the prediction has walked two steps.
        #expect(try #require(tracker.predictedPosition(now: at(100))).x == 666)
        tracker.apply(StateMessage(tick: 101, ack: input.sequence, moved: [.init(id: 7, motion: .init(x: 653, y: 640, vx: 13))]),
                      now: at(50))
        // Acknowledged: the server's motion takes over, and agrees.
        #expect(try #require(tracker.predictedPosition(now: at(100))).x == 666)
        #expect(tracker.nextInput(.stop).sequence == input.sequence + 1)
    }

    @Test func aFreshWelcomeForgetsTheOldRoomAndAResumeKeepsIt() {
        var tracker = MotionTracker()
        tracker.joined(Self.welcome(resumed: false))
        tracker.apply(StateMessage(snapshot: true, tick: 100, ack: 0, entered: [Self.me, Self.other]), now: at(0))
        tracker.joined(Self.welcome(resumed: true))
        #expect(tracker.mirror.avatars.count == 2)
        tracker.joined(Self.welcome(resumed: false))
        #expect(tracker.mirror.avatars.isEmpty && tracker.mirror.selfID == 7)
    }
}
