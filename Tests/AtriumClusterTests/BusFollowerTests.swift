import AtriumWorld
import Testing
@testable import AtriumCluster

@Suite struct BusFollowerTests {
    let start = ContinuousClock.now
    let wall: Int64 = 1_800_000_000_000

    private func envelope(_ id: Int64, _ event: ClusterEvent = .revoked(registration: "r"), age: Int64 = 0) -> BusEnvelope {
        BusEnvelope(id: id, time: wall - age, origin: "a", event: event)
    }

    @Test func catchesUpFromItsCursorWhenItConnects() {
        var follower = BusFollower(cursor: 40, now: start)
        #expect(follower.connected() == [.read(after: 40, limit: 500)])
        let rows = [envelope(41), envelope(43)]
        #expect(follower.read(rows, nowMilliseconds: wall) == rows.map { .apply($0) })
        #expect(follower.cursor == 43)
    }

    @Test func appliesTheNextEventStraightFromItsNotification() {
        var follower = BusFollower(cursor: 7, now: start)
        #expect(follower.notified(id: 8, envelope: envelope(8), nowMilliseconds: wall) == [.apply(envelope(8))])
        // A duplicate (the row read and the notification both arrive) is applied once.
        #expect(follower.notified(id: 8, envelope: envelope(8), nowMilliseconds: wall) == [])
    }

    @Test func aGapMeansAMissedNotificationAndReadsTheRows() {
        var follower = BusFollower(cursor: 7, now: start)
        #expect(follower.notified(id: 10, envelope: envelope(10), nowMilliseconds: wall) == [.read(after: 7, limit: 500)])
        // More notifications during the read ask for another read afterwards.
        #expect(follower.notified(id: 11, envelope: envelope(11), nowMilliseconds: wall) == [])
        #expect(follower.read([envelope(9), envelope(10)], nowMilliseconds: wall)
            == [.apply(envelope(9)), .apply(envelope(10)), .read(after: 10, limit: 500)])
        #expect(follower.read([envelope(11)], nowMilliseconds: wall) == [.apply(envelope(11))])
    }

    @Test func anUnreadablePayloadIsReadFromItsRow() {
        var follower = BusFollower(cursor: 7, now: start)
        #expect(follower.notified(id: 8, envelope: nil, nowMilliseconds: wall) == [.read(after: 7, limit: 500)])
    }

    @Test func aFullBatchReadsOnUntilCaughtUp() {
        var follower = BusFollower(cursor: 0, settings: .init(batch: 2), now: start)
        _ = follower.connected()
        #expect(follower.read([envelope(1), envelope(2)], nowMilliseconds: wall)
            == [.apply(envelope(1)), .apply(envelope(2)), .read(after: 2, limit: 2)])
        #expect(follower.read([envelope(3)], nowMilliseconds: wall) == [.apply(envelope(3))])
    }

    @Test func oldAnnouncementsAreSkippedButOldRevocationsApply() {
        var follower = BusFollower(cursor: 0, now: start)
        _ = follower.connected()
        let stale = envelope(1, .announcement(text: "doors open", from: "Mod", room: nil), age: 3_600_000)
        let fresh = envelope(2, .announcement(text: "quiz in 5", from: "Mod", room: nil), age: 1_000)
        let revocation = envelope(3, .revoked(registration: "r1"), age: 3_600_000)
        #expect(follower.read([stale, fresh, revocation], nowMilliseconds: wall) == [.apply(fresh), .apply(revocation)])
        #expect(follower.cursor == 3)
    }

    @Test func aFailedReadIsRetriedAfterAWait() {
        var follower = BusFollower(cursor: 5, now: start)
        _ = follower.connected()
        follower.readFailed(now: start + .milliseconds(100))
        #expect(follower.tick(now: start + .milliseconds(1_099)) == [])
        #expect(follower.tick(now: start + .milliseconds(1_100)) == [.read(after: 5, limit: 500)])
    }

    @Test func savesTheCursorWhenItMovedAtMostEveryInterval() {
        var follower = BusFollower(cursor: 5, now: start)
        #expect(follower.tick(now: start + .seconds(3)) == [])
        _ = follower.notified(id: 6, envelope: envelope(6), nowMilliseconds: wall)
        #expect(follower.tick(now: start + .seconds(3)) == [.saveCursor(6)])
        _ = follower.notified(id: 7, envelope: envelope(7), nowMilliseconds: wall)
        #expect(follower.tick(now: start + .seconds(4)) == [])
        #expect(follower.tick(now: start + .seconds(5)) == [.saveCursor(7)])
    }

    @Test(arguments: [
        ClusterEvent.announcement(text: "Hall B opens", from: "Mod \"A\"", room: nil),
        .announcement(text: "곧 시상식", from: "사회자", room: "stage"),
        .revoked(registration: "abc"),
        .banned(registration: nil, address: "10.0.0.7", reason: "spam"),
        .quiz(QuizBusMessage(room: "hall", run: "a-1", step: .judged(instance: 2, index: 0, tally: QuizTally(
            o: 3, x: 1, none: 0, alive: 3, scores: [.init(score: 1, alive: true, count: 3)],
            top: [.init(name: "Mina", score: 1, alive: true)])))),
    ])
    func eventsTravelWholeInANotification(event: ClusterEvent) {
        let sent = BusEnvelope(id: 12, time: wall, origin: "node-b", event: event)
        #expect(BusEnvelope(notificationPayload: sent.notificationPayload) == sent)
        #expect(BusEnvelope.decodeEvent(BusEnvelope.encode(event)) == event)
    }

    @Test func anEventsJSONNamesItsType() {
        let text = String(decoding: BusEnvelope.encode(.revoked(registration: "abc")), as: UTF8.self)
        #expect(text == #"{"registration":"abc","type":"revoked"}"#)
        #expect(BusEnvelope.decodeEvent(Array(#"{"type":"nonsense"}"#.utf8)) == nil)
        #expect(BusEnvelope(notificationPayload: "12 x a {}") == nil)
    }
}
