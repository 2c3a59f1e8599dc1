import Testing
@testable import AtriumWorld

/// The OX quiz on a virtual clock: 20 ticks a second, so a 5-second question is 100 ticks.
@Suite struct RoomQuizTests {
    /// O field x 2…5, X field x 10…13, both y 2…5; spawn at (7, 10).
    private func room(_ properties: [(String, String)] = []) throws -> Room {
        var builder = TestMap(width: 20, height: 14)
        builder.properties = properties
        builder.zone("spawn", x: 7, y: 10, width: 2, height: 2)
        builder.zone("quiz-o", x: 2, y: 2, width: 4, height: 4)
        builder.zone("quiz-x", x: 10, y: 2, width: 4, height: 4)
        return Room(map: try builder.load(), configuration: RoomConfiguration(id: "quiz"))
    }

    let moderator = ClientID(100)
    let set = QuizSet(id: "test", title: "Test quiz", questions: [
        .init(id: "q1", text: "Is O the answer?", answer: .o, explanation: "Yes.", timeLimit: 5),
        .init(id: "q2", text: "Is X the answer?", answer: .x, explanation: "Yes.", timeLimit: 5),
        .init(id: "q3", text: "Third?", answer: .o, timeLimit: 5),
    ])

    private struct Game {
        var room: Room
        var output = RecordingOutput()
        var players: [ClientID: UInt32] = [:]
    }

    private func game(players count: Int, mode: QuizMode) throws -> Game {
        var game = Game(room: try room())
        _ = game.room.join(moderator, name: "Host", role: .moderator, output: &game.output)
        for index in 1...count {
            let client = ClientID(UInt64(index))
            game.players[client] = game.room.join(client, name: "P\(index)", output: &game.output)
        }
        game.room.step([.quiz(moderator, .open(set, mode), ref: "open")], into: &game.output)
        return game
    }

    private func stand(_ game: inout Game, _ client: ClientID, tileX: Int, tileY: Int) {
        game.room.place(game.players[client]!, at: Position(tileX: tileX, tileY: tileY))
    }

    private func verdict(_ game: Game, _ client: ClientID) -> QuizEvent? {
        for event in game.output.events(for: client) {
            if case .quiz(let quiz, _) = event, case .verdict = quiz { return quiz }
        }
        return nil
    }

    private func result(_ game: Game) -> QuizEvent? {
        for event in game.output.events(for: moderator) {
            if case .quiz(let quiz, _) = event, case .result = quiz { return quiz }
        }
        return nil
    }

    /// Steps until the running question's deadline passed.
    private func runQuestion(_ game: inout Game) {
        game.output.clear()
        game.room.step([.quiz(moderator, .next, ref: nil)], into: &game.output)
        for _ in 0..<100 { game.room.step(into: &game.output) }
    }

    @Test func judgesEachPlayerByTheTileUnderItsAvatarAtTheDeadline() throws {
        var game = try game(players: 3, mode: .points)
        stand(&game, ClientID(1), tileX: 3, tileY: 3)      // O
        stand(&game, ClientID(2), tileX: 11, tileY: 3)     // X
        stand(&game, ClientID(3), tileX: 8, tileY: 3)      // between the fields
        runQuestion(&game)
        #expect(result(game) == .result(index: 0, answer: .o, explanation: "Yes.", o: 1, x: 1, none: 1, alive: 3,
                                        top: [.init(rank: 1, name: "P1", score: 1), .init(rank: 2, name: "P2", score: 0),
                                              .init(rank: 2, name: "P3", score: 0)]))
        #expect(verdict(game, ClientID(1)) == .verdict(index: 0, chose: .o, correct: true, out: false, score: 1))
        #expect(verdict(game, ClientID(2)) == .verdict(index: 0, chose: .x, correct: false, out: false, score: 0))
        #expect(verdict(game, ClientID(3)) == .verdict(index: 0, chose: nil, correct: false, out: false, score: 0))
    }

    /// An avatar exactly on the border: the last unit of an O tile is O, the first unit of
    /// the tile beyond it is not.
    @Test func theTileDecidesOnTheBorder() throws {
        var game = try game(players: 2, mode: .points)
        game.room.place(game.players[ClientID(1)]!, at: Position(x: 6 * 64 - 1, y: 3 * 64))   // last unit of tile 5
        game.room.place(game.players[ClientID(2)]!, at: Position(x: 6 * 64, y: 3 * 64))       // first unit of tile 6
        runQuestion(&game)
        #expect(verdict(game, ClientID(1)).map { if case .verdict(_, .o, _, _, _) = $0 { true } else { false } } == true)
        #expect(verdict(game, ClientID(2)).map { if case .verdict(_, nil, _, _, _) = $0 { true } else { false } } == true)
    }

    /// The position at the deadline tick counts, including that tick's movement.
    @Test func movementUpToTheDeadlineTickCounts() throws {
        var game = try game(players: 1, mode: .points)
        // One step (13 units) from the O field's right edge, walking into it.
        game.room.place(game.players[ClientID(1)]!, at: Position(x: 6 * 64 + 5, y: 3 * 64 + 32))
        game.output.clear()
        game.room.step([.quiz(moderator, .next, ref: nil)], into: &game.output)
        for _ in 0..<98 { game.room.step(into: &game.output) }
        // The intent arrives in the deadline tick itself; the step it causes is in time.
        game.room.step([.move(ClientID(1), sequence: 1, intent: .direction(dx: -1, dy: 0))], into: &game.output)
        #expect(result(game) == nil)
        game.room.step(into: &game.output)
        #expect(verdict(game, ClientID(1)).map { if case .verdict(_, .o, true, _, _) = $0 { true } else { false } } == true)
    }

    @Test func survivalKnocksOutWrongAnswersAndTheyOnlyWatchAfterwards() throws {
        var game = try game(players: 2, mode: .survival)
        stand(&game, ClientID(1), tileX: 3, tileY: 3)
        stand(&game, ClientID(2), tileX: 12, tileY: 3)
        runQuestion(&game)
        #expect(verdict(game, ClientID(2)) == .verdict(index: 0, chose: .x, correct: false, out: true, score: 0))
        // Question 2: the eliminated player is not judged again.
        stand(&game, ClientID(1), tileX: 12, tileY: 3)
        runQuestion(&game)
        #expect(verdict(game, ClientID(2)) == nil)
        #expect(result(game).map { if case .result(_, _, _, _, _, _, let alive, _) = $0 { alive == 1 } else { false } } == true)
        game.output.clear()
        game.room.step([.quiz(moderator, .end, ref: "end")], into: &game.output)
        let final = game.output.events(for: ClientID(2)).compactMap { event -> QuizEvent? in
            if case .quiz(let quiz, _) = event, case .final = quiz { return quiz }
            return nil
        }.first
        #expect(final == .final(mode: .survival, ranking: [.init(rank: 1, name: "P1", score: 2), .init(rank: 2, name: "P2", score: 0)],
                                players: 2))
        #expect(game.output.storeRequests.contains { if case .quizRanking = $0.0 { true } else { false } })
    }

    @Test func aPlayerWhoResumesBeforeTheDeadlineKeepsPlayingAndOneWhoDoesNotCountsAsNone() throws {
        var game = try game(players: 2, mode: .points)
        stand(&game, ClientID(1), tileX: 3, tileY: 3)
        stand(&game, ClientID(2), tileX: 3, tileY: 4)
        game.output.clear()
        game.room.step([.quiz(moderator, .next, ref: nil), .disconnect(ClientID(1)), .disconnect(ClientID(2))], into: &game.output)
        game.room.step([.join(JoinRequest(client: ClientID(11), name: "x", resumeToken: "resume-1", newResumeToken: "t"))],
                       into: &game.output)
        for _ in 0..<100 { game.room.step(into: &game.output) }
        #expect(verdict(game, ClientID(11)) == .verdict(index: 0, chose: .o, correct: true, out: false, score: 1))
        #expect(result(game).map { if case .result(_, _, _, 1, 0, 1, _, _) = $0 { true } else { false } } == true)
    }

    @Test func lateArrivalsWatchAndModeratorsDoNotPlay() throws {
        var game = try game(players: 1, mode: .points)
        _ = game.room.join(ClientID(50), name: "Late", output: &game.output)
        game.room.place(game.room.avatarID(of: ClientID(50))!, at: Position(tileX: 3, tileY: 3))
        runQuestion(&game)
        #expect(verdict(game, ClientID(50)) == nil)
        #expect(verdict(game, moderator) == nil)
        // But they see the question and the result.
        #expect(game.output.events(for: ClientID(50)).contains { if case .quiz(.result, _) = $0 { true } else { false } })
    }

    @Test func oneQuizPerRoomAndTheCommandsNeedTheRightState() throws {
        var game = try game(players: 1, mode: .points)
        let second = ClientID(101)
        _ = game.room.join(second, name: "Co-host", role: .moderator, output: &game.output)
        game.output.clear()
        game.room.step([.quiz(second, .open(set, .survival), ref: "again")], into: &game.output)
        #expect(game.output.events(for: second) == [.error(.conflict("a quiz is already open in this room"), ref: "again")])
        game.output.clear()
        game.room.step([.quiz(moderator, .resume, ref: "r"), .quiz(second, .skip, ref: "s")], into: &game.output)
        #expect(game.output.events(for: moderator).first == .error(.conflict("the quiz is not paused"), ref: "r"))
        #expect(game.output.events(for: second).first == .error(.conflict("no question is running"), ref: "s"))
        // Both moderators pressing "next" at once: one question starts, the other is refused.
        game.output.clear()
        game.room.step([.quiz(moderator, .next, ref: "a"), .quiz(second, .next, ref: "b")], into: &game.output)
        #expect(game.output.events(for: second).contains(.error(.conflict("a question is still running"), ref: "b")))
    }

    @Test func pauseStopsTheClockAndSkipDropsTheQuestionUnjudged() throws {
        var game = try game(players: 1, mode: .points)
        stand(&game, ClientID(1), tileX: 3, tileY: 3)
        game.output.clear()
        game.room.step([.quiz(moderator, .next, ref: nil)], into: &game.output)
        for _ in 0..<50 { game.room.step(into: &game.output) }
        game.room.step([.quiz(moderator, .pause, ref: nil)], into: &game.output)
        for _ in 0..<500 { game.room.step(into: &game.output) }
        #expect(result(game) == nil)
        game.room.step([.quiz(moderator, .resume, ref: nil)], into: &game.output)
        for _ in 0..<48 { game.room.step(into: &game.output) }
        #expect(result(game) == nil)
        for _ in 0..<2 { game.room.step(into: &game.output) }
        #expect(result(game) != nil)

        game.output.clear()
        game.room.step([.quiz(moderator, .next, ref: nil)], into: &game.output)
        game.room.step([.quiz(moderator, .skip, ref: nil)], into: &game.output)
        for _ in 0..<200 { game.room.step(into: &game.output) }
        #expect(result(game) == nil)
        #expect(game.output.events(for: ClientID(1)).contains(.quiz(.skipped(index: 1), ref: nil)))
    }

    @Test func onlyModeratorsRunTheQuiz() throws {
        var room = try room()
        var output = RecordingOutput()
        _ = room.join(ClientID(1), name: "Player", output: &output)
        output.clear()
        room.step([.quiz(ClientID(1), .open(set, .points), ref: "x")], into: &output)
        #expect(output.events(for: ClientID(1)) == [.error(.forbidden("only moderators run the quiz"), ref: "x")])
    }

    /// Someone who arrives while a question runs sees the quiz and the countdown at once,
    /// with the time that is left, not the question's full time.
    @Test func aLateVisitorIsToldTheQuizAndTheRunningQuestion() throws {
        var game = try game(players: 2, mode: .points)
        game.room.step([.quiz(moderator, .next, ref: nil)], into: &game.output)
        for _ in 0..<40 { game.room.step(into: &game.output) }     // two of five seconds gone
        let late = ClientID(77)
        _ = game.room.join(late, name: "Late", output: &game.output)
        let quizEvents = game.output.events(for: late).compactMap { event -> QuizEvent? in
            if case .quiz(let quiz, _) = event { return quiz }
            return nil
        }
        guard quizEvents.count == 3, case .status(let status) = quizEvents[0],
              case .question(let index, _, let text, let duration, _) = quizEvents[1] else {
            Issue.record("expected status, question and split, got \(quizEvents)")
            return
        }
        // Both players stand at the spawn, on neither field.
        #expect(quizEvents[2] == .split(index: 0, o: 0, x: 0, none: 2))
        #expect(status.phase == .asking && status.title == "Test quiz")
        #expect(status.youPlay == false, "a newcomer is told it watches")
        #expect(index == 0 && text == "Is O the answer?")
        // 100 ticks, less the 40 stepped and the tick the join itself took.
        #expect(duration == 59)
    }

    /// Who plays is the room's setting: everyone but moderators in an open room (an event
    /// without registration still runs its quiz), participants and presenters in a
    /// registered room or where the map says `quizPlayers: registered`.
    @Test(arguments: [
        ([(String, String)](), [Role.guest, .participant, .presenter], "everyone"),
        ([("access", "registered")], [Role.participant, .presenter], "registered"),
        ([("quizPlayers", "registered")], [Role.participant, .presenter], "registered"),
        ([("access", "registered"), ("quizPlayers", "everyone")], [Role.guest, .participant, .presenter], "everyone"),
    ])
    func whoPlaysIsTheRoomsSetting(properties: [(String, String)], playing: [Role], whoPlays: String) throws {
        var room = try room(properties)
        var output = RecordingOutput()
        _ = room.join(moderator, name: "Host", role: .moderator, output: &output)
        for (index, role) in Role.allCases.enumerated() where role != .moderator {
            _ = room.join(ClientID(UInt64(index + 1)), name: role.rawValue, role: role, output: &output)
        }
        output.clear()
        room.step([.quiz(moderator, .open(set, .points), ref: "open")], into: &output)
        guard case .quiz(.status(let status), _)? = output.events(for: moderator).first(where: {
            if case .quiz(.status, _) = $0 { true } else { false }
        }) else {
            Issue.record("no quiz status after opening")
            return
        }
        #expect(status.players == playing.count)
        #expect(status.whoPlays.rawValue == whoPlays)
        for (index, role) in Role.allCases.enumerated() where role != .moderator {
            room.place(room.avatarID(of: ClientID(UInt64(index + 1)))!, at: Position(tileX: 3, tileY: 3))
        }
        room.step([.quiz(moderator, .next, ref: nil)], into: &output)
        for _ in 0..<101 { room.step(into: &output) }
        for (index, role) in Role.allCases.enumerated() where role != .moderator {
            let judged = output.events(for: ClientID(UInt64(index + 1))).contains { if case .quiz(.verdict, _) = $0 { true } else { false } }
            #expect(judged == playing.contains(role), "\(role) \(judged ? "played" : "watched")")
        }
    }

    private func splits(_ output: RecordingOutput, for client: ClientID) -> [QuizEvent] {
        output.events(for: client).compactMap { event in
            if case .quiz(let quiz, _) = event, case .split = quiz { return quiz }
            return nil
        }
    }

    @Test func theLiveSplitCountsPlayersOnEachFieldAtMostOnceASecondAndOnlyWhenItChanged() throws {
        var game = try game(players: 3, mode: .points)
        stand(&game, ClientID(1), tileX: 3, tileY: 3)      // O
        stand(&game, ClientID(2), tileX: 11, tileY: 3)     // X
        stand(&game, ClientID(3), tileX: 8, tileY: 3)      // between the fields
        game.output.clear()
        game.room.step([.quiz(moderator, .next, ref: nil)], into: &game.output)
        // At once as the question is asked, to everyone (the moderator and the players).
        #expect(splits(game.output, for: moderator) == [.split(index: 0, o: 1, x: 1, none: 1)])
        #expect(splits(game.output, for: ClientID(3)) == [.split(index: 0, o: 1, x: 1, none: 1)])
        // Nothing changes for a second: nothing is sent.
        game.output.clear()
        for _ in 0..<30 { game.room.step(into: &game.output) }
        #expect(splits(game.output, for: moderator).isEmpty)
        // Someone steps onto O: told at the next second's mark, not at every tick.
        stand(&game, ClientID(3), tileX: 4, tileY: 4)
        game.output.clear()
        for _ in 0..<5 { game.room.step(into: &game.output) }
        #expect(splits(game.output, for: moderator).isEmpty)
        for _ in 0..<10 { game.room.step(into: &game.output) }
        #expect(splits(game.output, for: moderator) == [.split(index: 0, o: 2, x: 1, none: 0)])
        // A late visitor hears the last split with the running question.
        let late = ClientID(50)
        _ = game.room.join(late, name: "Late", output: &game.output)
        #expect(splits(game.output, for: late) == [.split(index: 0, o: 2, x: 1, none: 0)])
        // After the deadline the result counts, and no more splits.
        game.output.clear()
        for _ in 0..<80 { game.room.step(into: &game.output) }
        #expect(result(game) != nil)
        game.output.clear()
        for _ in 0..<40 { game.room.step(into: &game.output) }
        #expect(splits(game.output, for: moderator).isEmpty)
    }

    @Test func theSplitLeavesOutPlayersAlreadyOutInSurvival() throws {
        var game = try game(players: 2, mode: .survival)
        stand(&game, ClientID(1), tileX: 3, tileY: 3)      // O: right
        stand(&game, ClientID(2), tileX: 11, tileY: 3)     // X: out after the first question
        runQuestion(&game)
        game.output.clear()
        game.room.step([.quiz(moderator, .next, ref: nil)], into: &game.output)
        #expect(splits(game.output, for: moderator) == [.split(index: 1, o: 1, x: 0, none: 0)])
    }
}
