@testable import atrium_bots
import AtriumProtocol
import AtriumWorld
import Testing

/// The quiz case's check: where a bot stood at the deadline, from the server's reports of
/// its own motion, and the pass/fail line built from every bot's check.
struct QuizCheckTests {
    /// O on tiles 10–15 × 2–6, X on 20–25 × 2–6, everything walkable.
    static let fields = QuizFields(o: [TileRect(x: 10, y: 2, width: 6, height: 5)],
                                   x: [TileRect(x: 20, y: 2, width: 6, height: 5)]) { _ in true }

    static func motion(tileX: Double, tileY: Double, vx: Int8 = 0, vy: Int8 = 0) -> StateMessage.Motion {
        StateMessage.Motion(x: UInt16(tileX * 64), y: UInt16(tileY * 64), vx: vx, vy: vy)
    }

    @Test func fieldsAreJudgedByTheTileUnderThePosition() {
        #expect(Self.fields.field(atX: 10 * 64, y: 2 * 64) == "O")
        #expect(Self.fields.field(atX: 16 * 64 - 1, y: 3 * 64) == "O")
        #expect(Self.fields.field(atX: 16 * 64, y: 3 * 64) == "none")
        #expect(Self.fields.field(atX: 25 * 64 + 63, y: 6 * 64 + 63) == "X")
        #expect(Self.fields.waiting.allSatisfy { $0.y >= 9 && $0.y < 13 }, "the strip two rows below the fields")
        #expect(Self.fields.innerO.allSatisfy { (11...14).contains($0.x) && (3...5).contains($0.y) })
    }

    @Test func aBotThatStoppedOnAFieldBeforeTheDeadlineStoodThere() {
        var stance = QuizStance()
        stance.reported(Self.motion(tileX: 12, tileY: 12), tick: 90)
        stance.asked(deadlineTick: 300)
        stance.reported(Self.motion(tileX: 12, tileY: 12, vx: 0, vy: -13), tick: 101)
        stance.reported(Self.motion(tileX: 12.5, tileY: 4.5), tick: 150)
        let stood = stance.stood(on: Self.fields)
        #expect(stood?.field == "O" && stood?.moving == false)
    }

    /// Still walking at the deadline: the field is where dead reckoning puts it then, and
    /// reports after the deadline (it arrived later) do not change the answer.
    @Test func aBotStillWalkingIsJudgedWhereItsMotionPutsItAtTheDeadline() {
        var stance = QuizStance()
        stance.asked(deadlineTick: 200)
        stance.reported(Self.motion(tileX: 17, tileY: 4, vx: 13), tick: 190)
        stance.reported(Self.motion(tileX: 22, tileY: 4), tick: 230)
        let stood = stance.stood(on: Self.fields)
        // 17 tiles + 10 ticks × 13/64 tile = 19.03: between the fields.
        #expect(stood?.field == "none" && stood?.moving == true)
    }

    @Test func aBotWithNoReportBeforeTheDeadlineCannotTell() {
        var stance = QuizStance()
        stance.asked(deadlineTick: 200)
        stance.reported(Self.motion(tileX: 12, tileY: 4), tick: 201)
        #expect(stance.stood(on: Self.fields) == nil)
    }

    @Test func theCheckPassesOnlyWhenEveryBotGotAMatchingVerdict() {
        let master = QuizMaster.Outcome(players: 2, asked: 3, judged: 3, counts: [], finished: true, failure: nil)
        var tally = BotMetrics.QuizTally(players: 2, asked: 6, verdicts: 6, matched: 6)
        #expect(QuizReport(master: master, tally: tally).check == "pass")

        tally.matched = 5
        tally.mismatched = 1
        #expect(QuizReport(master: master, tally: tally).check == "fail: 1 verdicts name another field than the bot stood on")

        tally = BotMetrics.QuizTally(players: 2, asked: 6, verdicts: 5, matched: 5)
        #expect(QuizReport(master: master, tally: tally).check == "fail: 1 verdicts missing of 6")

        let stopped = QuizMaster.Outcome(players: 2, asked: 1, judged: 0, counts: [], finished: false, failure: "question 1 was not judged in time")
        #expect(!QuizReport(master: stopped, tally: BotMetrics.QuizTally(players: 2)).passed)
    }
}
