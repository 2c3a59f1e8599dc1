import AtriumWorld
import Testing
@testable import AtriumCluster

@Suite struct EventQuizLeadTests {
    let now: Int64 = 1_800_000_000_000
    let questions = [
        EventQuizLead.Question(text: "Failure is the end?", answer: "X", explanation: "It is a step.", timeLimitSeconds: 10),
        EventQuizLead.Question(text: "Try again?", answer: "O", explanation: "", timeLimitSeconds: 5),
    ]

    private func lead(survival: Bool = false) -> EventQuizLead {
        var lead = EventQuizLead(room: "hall", run: "a-1", title: "OX", survival: survival, questions: questions, tickRate: 20)
        lead.joined(instance: 1, players: 2)
        lead.joined(instance: 2, players: 3)
        return lead
    }

    private func steps(_ messages: [QuizBusMessage]) -> [QuizBusMessage.Step] { messages.map(\.step) }

    private func tally(o: Int, x: Int, scores: [QuizScoreCount], top: [QuizStanding]) -> QuizTally {
        QuizTally(o: o, x: x, none: 0, alive: scores.filter(\.alive).reduce(0) { $0 + $1.count }, scores: scores, top: top)
    }

    @Test func asksOneQuestionWithOneEventWideDeadline() throws {
        var lead = lead()
        #expect(steps(lead.open()) == [.opened(title: "OX", mode: "points", total: 2)])
        let deadline = EventTick.at(milliseconds: now, tickRate: 20) + 200
        #expect(steps(try lead.command(.next, nowMilliseconds: now))
            == [.asked(index: 0, total: 2, text: "Failure is the end?", answer: "X", explanation: "It is a step.", deadline: deadline,
                       durationTicks: 200)])
        #expect(throws: EventQuizLead.Refusal(message: "a question is still running")) { try lead.command(.next, nowMilliseconds: now) }
    }

    @Test func publishesOneResultOnceEveryInstanceReported() throws {
        var lead = lead()
        _ = try lead.command(.next, nowMilliseconds: now)
        let first = tally(o: 0, x: 2, scores: [.init(score: 1, alive: true, count: 2)],
                          top: [.init(name: "Mina", score: 1, alive: true), .init(name: "Joon", score: 1, alive: true)])
        #expect(lead.judged(instance: 1, index: 0, tally: first, nowMilliseconds: now + 10_000) == [])
        let second = tally(o: 2, x: 1, scores: [.init(score: 1, alive: true, count: 1), .init(score: 0, alive: true, count: 2)],
                           top: [.init(name: "Ara", score: 1, alive: true), .init(name: "Bo", score: 0, alive: true)])
        let result = steps(lead.judged(instance: 2, index: 0, tally: second, nowMilliseconds: now + 10_050))
        #expect(result == [.result(index: 0, answer: "X", explanation: "It is a step.", o: 2, x: 3, none: 0, alive: 5, players: 5, top: [
            .init(name: "Ara", score: 1, alive: true, rank: 1), .init(name: "Joon", score: 1, alive: true, rank: 1),
            .init(name: "Mina", score: 1, alive: true, rank: 1), .init(name: "Bo", score: 0, alive: true, rank: 4),
        ])])
        // A late duplicate changes nothing.
        #expect(lead.judged(instance: 2, index: 0, tally: second, nowMilliseconds: now + 10_100) == [])
    }

    @Test func anInstanceThatNeverReportsDoesNotHoldTheQuizUp() throws {
        var lead = lead()
        _ = try lead.command(.next, nowMilliseconds: now)
        _ = lead.judged(instance: 1, index: 0, tally: tally(o: 0, x: 2, scores: [.init(score: 1, alive: true, count: 2)], top: []),
                        nowMilliseconds: now + 10_000)
        #expect(lead.tick(nowMilliseconds: now + 11_999) == [])
        let result = steps(lead.tick(nowMilliseconds: now + 12_000))
        #expect(result == [.result(index: 0, answer: "X", explanation: "It is a step.", o: 0, x: 2, none: 0, alive: 2, players: 5, top: [])])
        #expect(lead.tick(nowMilliseconds: now + 13_000) == [])
    }

    @Test func pauseKeepsTheRemainingTimeAndResumeSetsANewDeadline() throws {
        var lead = lead()
        _ = try lead.command(.next, nowMilliseconds: now)
        #expect(steps(try lead.command(.pause, nowMilliseconds: now + 4_000)) == [.paused(index: 0)])
        #expect(lead.tick(nowMilliseconds: now + 60_000) == [])
        let resumedAt = now + 60_000
        #expect(steps(try lead.command(.resume, nowMilliseconds: resumedAt))
            == [.resumed(index: 0, deadline: EventTick.at(milliseconds: resumedAt, tickRate: 20) + 120, remainingTicks: 120)])
    }

    @Test func theFinalRankingIsEventWide() throws {
        var lead = lead(survival: true)
        _ = try lead.command(.next, nowMilliseconds: now)
        _ = lead.judged(instance: 1, index: 0, tally: tally(o: 1, x: 1, scores: [.init(score: 1, alive: true, count: 1),
                                                                                 .init(score: 0, alive: false, count: 1)],
                                                        top: [.init(name: "Mina", score: 1, alive: true),
                                                              .init(name: "Joon", score: 0, alive: false)]),
                        nowMilliseconds: now + 10_000)
        _ = lead.judged(instance: 2, index: 0, tally: tally(o: 0, x: 3, scores: [.init(score: 1, alive: true, count: 3)],
                                                        top: [.init(name: "Ara", score: 1, alive: true)]),
                        nowMilliseconds: now + 10_000)
        guard case .ended(let top, let scores, let players) = try lead.command(.end, nowMilliseconds: now + 20_000).first?.step else {
            Issue.record("no ended step")
            return
        }
        #expect(players == 5)
        #expect(top == [.init(name: "Ara", score: 1, alive: true, rank: 1), .init(name: "Mina", score: 1, alive: true, rank: 1),
                        .init(name: "Joon", score: 0, alive: false, rank: 5)])
        // Each instance ranks its own players against the merged histogram: the same answer.
        #expect(QuizRanking.rank(alive: false, score: 0, among: scores, survival: true) == 5)
        #expect(QuizRanking.rank(alive: true, score: 1, among: scores, survival: true) == 1)
        #expect(throws: EventQuizLead.Refusal.self) { try lead.command(.next, nowMilliseconds: now + 21_000) }
    }

    @Test func eventTicksAreTheSameMomentEverywhere() {
        #expect(EventTick.at(milliseconds: 1_000, tickRate: 20) == 20)
        #expect(EventTick.ticks(until: 220, nowMilliseconds: 1_000, tickRate: 20) == 200)
        #expect(EventTick.ticks(until: 10, nowMilliseconds: 1_000, tickRate: 20) == 0)
    }
}
