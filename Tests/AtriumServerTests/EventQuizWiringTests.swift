import AtriumCluster
import AtriumTestSupport
import AtriumWorld
import Testing
@testable import AtriumServer

/// The event-wide quiz wired as the server wires it (``EventQuizDesk`` holding the lead,
/// its bus messages turned into each instance's steps at that instance's tick), with two
/// instances of the plaza on a manual wall clock and a bus that delivers in order: one
/// question, one deadline, one ranking, and every player judged by its own instance.
@Suite struct EventQuizWiringTests {
    /// Recorded output of one instance, with what it hands to the lead.
    struct Output: RoomOutput {
        var events: [(ClientID, RoomEvent)] = []
        var reports: [EventQuizReport] = []
        var stored: [StoreRequest] = []

        mutating func send(_ event: RoomEvent, to client: ClientID) { events.append((client, event)) }
        mutating func chat(_ delivery: ChatDelivery) {}
        mutating func state(_ delta: StateDelta, to client: ClientID) {}
        mutating func store(_ request: StoreRequest, ticket: StoreTicket) { stored.append(request) }
        func isCongested(_ client: ClientID) -> Bool { false }
        mutating func stage(_ order: StageOrder) {}
        mutating func eventQuiz(_ report: EventQuizReport) { reports.append(report) }

        func quiz(to client: ClientID) -> [QuizEvent] {
            events.compactMap { $0.0 == client ? $0.1 : nil }.compactMap { if case .quiz(let event, _) = $0 { event } else { nil } }
        }
    }

    struct Instance {
        var number: Int
        var room: Room
        var output = Output()
        /// Bus messages for the next tick, which turns them into steps at its wall time, as the host does.
        var pending: [QuizBusMessage] = []
        /// Wall time at which this instance judged each question.
        var judgedAt: [Int: Int64] = [:]
    }

    /// Two instances of one room, a lead desk on node "a", and the bus between them.
    struct Event {
        var instances: [Instance]
        var desk = EventQuizDesk(node: "a")
        var bus: [QuizBusMessage] = []
        var now: Int64 = 1_800_000_000_000
        let tickRate = 20

        /// Delivers what is on the bus: the lead hears it, and every instance gets its step
        /// at its next tick, reckoned from that tick's wall time.
        mutating func deliver() {
            while !bus.isEmpty {
                let message = bus.removeFirst()
                bus += desk.heard(message, nowMilliseconds: now)
                for index in instances.indices { instances[index].pending.append(message) }
            }
        }

        /// One tick of every instance, 50 ms of wall time; reports go on the bus.
        mutating func tick(_ extra: [Int: [RoomInput]] = [:]) {
            now += 1000 / Int64(tickRate)
            for index in instances.indices {
                let steps = instances[index].pending.compactMap { EventQuizDesk.step($0, nowMilliseconds: now, tickRate: tickRate) }
                let inputs = steps.map(RoomInput.eventQuiz) + (extra[index] ?? [])
                instances[index].pending = []
                var instance = instances[index]
                let before = instance.output.reports.count
                instance.room.step(inputs: inputs, output: &instance.output)
                instances[index] = instance
                for report in instance.output.reports[before...] {
                    if case .open(let set, let mode) = report {
                        bus += desk.open(room: "plaza", set: set, mode: mode, tickRate: tickRate, nowMilliseconds: now)
                    } else if let message = EventQuizDesk.message(for: report, room: "plaza", instance: instances[index].number) {
                        if case .judged(_, let question, _) = report { instances[index].judgedAt[question] = now }
                        bus.append(message)
                    }
                }
            }
            bus += desk.tick(nowMilliseconds: now)
            deliver()
        }
    }

    let moderator = ClientID(100)
    let set = QuizSet(id: "ox", title: "Try again OX", questions: [
        .init(id: "q1", text: "Is failing a step?", answer: .o, explanation: "It is.", timeLimit: 2),
        .init(id: "q2", text: "Give up at once?", answer: .x, explanation: "No.", timeLimit: 2),
    ])

    private func plaza() throws -> WorldMap {
        try MapCatalog.load(file: repositoryRoot + "/Maps/tests/plaza.tmj").get()
    }

    private func join(_ client: UInt64, _ name: String, role: Role = .participant) -> RoomInput {
        .join(JoinRequest(client: ClientID(client), name: name, role: role, newResumeToken: "r\(client)"))
    }

    /// Instance 1: the moderator, Ara and Bo; instance 2, which started 37 ticks later
    /// (its own tick count differs): Chul, Dami and Eun.
    private func event() throws -> Event {
        var configuration = RoomConfiguration(id: "plaza")
        configuration.eventQuiz = true
        let map = try plaza()
        var event = Event(instances: [Instance(number: 1, room: Room(map: map, configuration: configuration)),
                                      Instance(number: 2, room: Room(map: map, configuration: configuration))])
        var late = event.instances[1]
        for _ in 0..<37 { late.room.step(inputs: [], output: &late.output) }
        event.instances[1] = late
        event.tick([0: [join(100, "Host", role: .moderator), join(1, "Ara"), join(2, "Bo")],
                    1: [join(11, "Chul"), join(12, "Dami"), join(13, "Eun")]])
        return event
    }

    private func stand(_ event: inout Event, _ instance: Int, _ client: UInt64, tileX: Int, tileY: Int) {
        let id = event.instances[instance].room.avatarID(of: ClientID(client))!
        event.instances[instance].room.place(id, at: Position(tileX: tileX, tileY: tileY))
    }

    @Test func oneQuestionOneDeadlineAndOneRankingAcrossInstances() throws {
        var event = try event()
        event.tick([0: [.quiz(moderator, .open(set, .points), ref: "o")]])
        // Nothing opens until the lead's step comes back, then both instances fix their players.
        event.tick()
        #expect(event.instances[0].output.reports.contains(.joined(run: event.desk.runs[0], players: 2)))
        #expect(event.instances[1].output.reports.contains(.joined(run: event.desk.runs[0], players: 3)))

        // O is right. Ara and Chul and Dami on O, Bo on X, Eun between the fields.
        stand(&event, 0, 1, tileX: 12, tileY: 24)
        stand(&event, 0, 2, tileX: 32, tileY: 24)
        stand(&event, 1, 11, tileX: 12, tileY: 24)
        stand(&event, 1, 12, tileX: 13, tileY: 25)
        stand(&event, 1, 13, tileX: 24, tileY: 24)
        let asked = event.now
        event.tick([0: [.quiz(moderator, .next, ref: "n")]])
        for _ in 0..<60 { event.tick() }

        // Both instances judged at the same wall-clock tick, two seconds after the question.
        let judged = try #require(event.instances[0].judgedAt[0])
        #expect(event.instances[1].judgedAt[0] == judged)
        #expect(judged - asked >= 2000 && judged - asked <= 2100)
        #expect(event.instances[0].output.quiz(to: ClientID(1)).contains(.verdict(index: 0, chose: .o, correct: true, out: false, score: 1)))
        #expect(event.instances[0].output.quiz(to: ClientID(2)).contains(.verdict(index: 0, chose: .x, correct: false, out: false, score: 0)))
        #expect(event.instances[1].output.quiz(to: ClientID(13)).contains(.verdict(index: 0, chose: nil, correct: false, out: false, score: 0)))

        // One result for the event, the same in both instances.
        let result = QuizEvent.result(index: 0, answer: .o, explanation: "It is.", o: 3, x: 1, none: 1, alive: 5, top: [
            .init(rank: 1, name: "Ara", score: 1), .init(rank: 1, name: "Chul", score: 1), .init(rank: 1, name: "Dami", score: 1),
            .init(rank: 4, name: "Bo", score: 0), .init(rank: 4, name: "Eun", score: 0),
        ])
        #expect(event.instances[0].output.quiz(to: moderator).filter { if case .result = $0 { true } else { false } } == [result])
        #expect(event.instances[1].output.quiz(to: ClientID(12)).filter { if case .result = $0 { true } else { false } } == [result])

        event.tick([0: [.quiz(moderator, .end, ref: "e")]])
        event.tick()
        let final = QuizEvent.final(mode: .points, ranking: [
            .init(rank: 1, name: "Ara", score: 1), .init(rank: 1, name: "Chul", score: 1), .init(rank: 1, name: "Dami", score: 1),
            .init(rank: 4, name: "Bo", score: 0), .init(rank: 4, name: "Eun", score: 0),
        ], players: 5)
        #expect(event.instances[0].output.quiz(to: ClientID(2)).contains(final))
        #expect(event.instances[1].output.quiz(to: ClientID(11)).contains(final))
        // Each instance stores its own players, ranked among everyone.
        let ranks = event.instances.flatMap { instance in
            instance.output.stored.flatMap { request -> [String] in
                guard case .quizRanking(_, _, _, let ranking) = request else { return [] }
                return ranking.map { "\($0.name) \($0.rank)" }
            }
        }
        #expect(ranks.sorted() == ["Ara 1", "Bo 4", "Chul 1", "Dami 1", "Eun 4"])
        #expect(event.desk.runs.isEmpty)
    }

    @Test func aModeratorInAnotherInstanceMovesTheSameQuizOn() throws {
        var event = try event()
        event.tick([1: [join(101, "Cohost", role: .moderator)]])
        event.tick([0: [.quiz(moderator, .open(set, .survival), ref: "o")]])
        event.tick()
        // The moderator of instance 2 asks the next question; the lead on node a asks it everywhere.
        event.tick([1: [.quiz(ClientID(101), .next, ref: "n")]])
        event.tick()
        for instance in event.instances {
            #expect(instance.output.events.contains {
                if case .quiz(.question(index: 0, total: 2, text: "Is failing a step?", _, _), _) = $0.1 { true } else { false }
            })
        }
        // A second open, while the quiz runs, is refused where it is asked.
        event.tick([1: [.quiz(ClientID(101), .open(set, .points), ref: "o2")]])
        #expect(event.instances[1].output.events.contains {
            if $0.0 == ClientID(101), case .error(_, let ref) = $0.1 { ref == "o2" } else { false }
        })
    }

    @Test func anInstanceThatNeverReportsDoesNotHoldTheResultUp() throws {
        var event = try event()
        event.tick([0: [.quiz(moderator, .open(set, .points), ref: "o")]])
        event.tick()
        // Instance 2's node goes quiet: its reports are lost from here on.
        event.instances[1].room = Room(map: try plaza(), configuration: RoomConfiguration(id: "plaza~2"))
        event.tick([0: [.quiz(moderator, .next, ref: "n")]])
        for _ in 0..<41 { event.tick() }
        #expect(!event.instances[0].output.quiz(to: moderator).contains { if case .result = $0 { true } else { false } })
        // The collect timeout (2 s after the deadline) publishes what arrived.
        for _ in 0..<41 { event.tick() }
        #expect(event.instances[0].output.quiz(to: moderator).contains { if case .result(0, .o, _, _, _, _, _, _) = $0 { true } else { false } })
    }

    @Test func aDeadlineIsReckonedFromTheWallTimeOfTheTickThatAppliesIt() {
        let now: Int64 = 1_800_000_000_000
        let deadline = EventTick.at(milliseconds: now, tickRate: 20) + 40
        let asked = QuizBusMessage(room: "plaza", run: "a-1", step: .asked(index: 0, total: 1, text: "?", answer: "O", explanation: "",
                                                                           deadline: deadline, durationTicks: 40))
        #expect(EventQuizDesk.step(asked, nowMilliseconds: now, tickRate: 20)
            == .asked(run: "a-1", index: 0, text: "?", answer: .o, explanation: "", remainingTicks: 40))
        #expect(EventQuizDesk.step(asked, nowMilliseconds: now + 500, tickRate: 20)
            == .asked(run: "a-1", index: 0, text: "?", answer: .o, explanation: "", remainingTicks: 30))
        // A step that arrives after its deadline still gives the players one tick.
        #expect(EventQuizDesk.step(asked, nowMilliseconds: now + 9000, tickRate: 20)
            == .asked(run: "a-1", index: 0, text: "?", answer: .o, explanation: "", remainingTicks: 1))
        let bad = QuizBusMessage(room: "plaza", run: "a-1", step: .asked(index: 0, total: 1, text: "?", answer: "maybe", explanation: "",
                                                                         deadline: deadline, durationTicks: 40))
        #expect(EventQuizDesk.step(bad, nowMilliseconds: now, tickRate: 20) == nil)
    }
}
