/// The live OX quiz, decided by the server alone on its own clock (the tick).
///
/// Players are fixed when the quiz opens: whoever is connected then and admitted by the
/// room's ``QuizPlayers`` setting (everyone but moderators in an open room, participants
/// and presenters in a registered one); later arrivals watch. At a question's deadline tick, after that tick's
/// movement, each player's choice is the quiz side of the tile under its avatar: O, X, or
/// none when it stands elsewhere, is away, or has left. One quiz runs per room at a time.
extension Room {
    struct QuizState {
        struct Player {
            var name: String
            var person: String
            var alive = true
            var score = 0
        }

        enum Phase: Equatable {
            case open
            case asking(deadline: UInt32)
            case paused(remaining: UInt32)
            case judged
        }

        struct Split: Equatable {
            var o = 0
            var x = 0
            var none = 0
        }

        var set: QuizSet
        var mode: QuizMode
        var players: [UInt32: Player]
        var index = -1
        var phase = Phase.open
        /// The live split last sent for the running question, and the tick from which
        /// the next may go.
        var lastSplit: Split?
        var splitDue: UInt32 = 0
        /// Set when the quiz spans the room's instances: the lead's run, and the
        /// event-wide counts the lead reported last.
        var event: EventLink?
    }

    struct EventLink: Equatable {
        var run: String
        var total: Int
        var players: Int
        var alive: Int
        /// This instance judged the running question and waits for the event's result.
        var awaitingResult = false
    }

    /// Questions in the quiz: the set's, or the lead's count when the quiz spans instances
    /// (its questions arrive one at a time).
    func quizTotal(_ state: QuizState) -> Int {
        state.event?.total ?? state.set.questions.count
    }

    mutating func quiz<Output: RoomOutput>(_ client: ClientID, _ command: QuizCommand, ref: String?, output: inout Output) {
        guard let slot = slotByClient[client], let moderator = avatars[slot] else {
            output.send(.error(.notJoined, ref: ref), to: client)
            return
        }
        guard moderator.role.isModerator else {
            output.send(.error(.forbidden("only moderators run the quiz"), ref: ref), to: client)
            return
        }
        if configuration.eventQuiz {
            forwardQuiz(client, moderator: moderator, command, ref: ref, output: &output)
            return
        }
        switch command {
        case .open(let set, let mode):
            guard quizState == nil else {
                output.send(.error(.conflict("a quiz is already open in this room"), ref: ref), to: client)
                return
            }
            var players: [UInt32: QuizState.Player] = [:]
            for (playerClient, playerSlot) in slotByClient where playerClient != client {
                guard let avatar = avatars[playerSlot], map.properties.quizPlayers.admits(avatar.role) else { continue }
                players[ids[playerSlot]] = QuizState.Player(name: avatar.name, person: avatar.person)
            }
            quizState = QuizState(set: set, mode: mode, players: players)
            auditQuiz(moderator, "quiz_open", "\(set.title) (\(mode.rawValue), \(players.count) players)", output: &output)
        case .next:
            guard var state = quizState else { return noQuiz(client, ref: ref, output: &output) }
            switch state.phase {
            case .open, .judged: break
            default:
                output.send(.error(.conflict("a question is still running"), ref: ref), to: client)
                return
            }
            guard state.index + 1 < quizTotal(state) else {
                output.send(.error(.conflict("no questions left; end the quiz"), ref: ref), to: client)
                return
            }
            state.index += 1
            let question = state.set.questions[state.index]
            let duration = Room.ticks(.seconds(question.timeLimit), rate: map.properties.tickRate)
            state.phase = .asking(deadline: tick &+ duration)
            state.lastSplit = nil
            state.splitDue = tick
            quizState = state
            output.broadcast(.quiz(.question(index: state.index, total: quizTotal(state), text: question.text,
                                             durationTicks: duration, deadlineTick: tick &+ duration), ref: nil), to: everyone)
        case .pause:
            guard var state = quizState else { return noQuiz(client, ref: ref, output: &output) }
            guard case .asking(let deadline) = state.phase else {
                output.send(.error(.conflict("no question is running"), ref: ref), to: client)
                return
            }
            state.phase = .paused(remaining: deadline &- tick)
            quizState = state
        case .resume:
            guard var state = quizState else { return noQuiz(client, ref: ref, output: &output) }
            guard case .paused(let remaining) = state.phase else {
                output.send(.error(.conflict("the quiz is not paused"), ref: ref), to: client)
                return
            }
            state.phase = .asking(deadline: tick &+ remaining)
            quizState = state
            let question = state.set.questions[state.index]
            output.broadcast(.quiz(.question(index: state.index, total: quizTotal(state), text: question.text,
                                             durationTicks: remaining, deadlineTick: tick &+ remaining), ref: nil), to: everyone)
        case .skip:
            guard var state = quizState else { return noQuiz(client, ref: ref, output: &output) }
            switch state.phase {
            case .asking, .paused: break
            default:
                output.send(.error(.conflict("no question is running"), ref: ref), to: client)
                return
            }
            state.phase = .judged
            quizState = state
            output.broadcast(.quiz(.skipped(index: state.index), ref: nil), to: everyone)
        case .end:
            guard let state = quizState else { return noQuiz(client, ref: ref, output: &output) }
            finishQuiz(state, output: &output)
            quizState = nil
            auditQuiz(moderator, "quiz_end", state.set.title, output: &output)
        }
        if let state = quizState { output.broadcast(.quiz(.status(status(state)), ref: nil), to: everyone) }
        output.send(.moderated(action: "quiz_" + Self.commandName(command), ref: ref), to: client)
    }

    static func commandName(_ command: QuizCommand) -> String {
        switch command {
        case .open: return "open"
        case .next: return "next"
        case .pause: return "pause"
        case .resume: return "resume"
        case .skip: return "skip"
        case .end: return "end"
        }
    }

    func noQuiz<Output: RoomOutput>(_ client: ClientID, ref: String?, output: inout Output) {
        output.send(.error(.conflict("no quiz is open"), ref: ref), to: client)
    }

    mutating func auditQuiz<Output: RoomOutput>(_ moderator: Avatar, _ action: String, _ detail: String, output: inout Output) {
        output.store(.audit(moderator: moderator.person, moderatorName: moderator.name, action: action, target: nil, detail: detail),
                     ticket: StoreTicket(client: moderator.client ?? ClientID(0), ref: nil))
    }

    /// Tells a client that joins or comes back while a quiz is open where it stands, so a
    /// late visitor sees the banner and the running question's countdown at once.
    func catchUpOnQuiz<Output: RoomOutput>(_ client: ClientID, output: inout Output) {
        guard let state = quizState else { return }
        // Only this client hears it, so it can say whether this client plays: a newcomer
        // watches, a player who came back (a reload) plays on.
        var told = status(state)
        if let slot = slotByClient[client] {
            told.youPlay = state.players[ids[slot]].map { $0.alive } ?? false
        }
        output.send(.quiz(.status(told), ref: nil), to: client)
        guard case .asking(let deadline) = state.phase else { return }
        let question = state.set.questions[state.index]
        output.send(.quiz(.question(index: state.index, total: quizTotal(state), text: question.text,
                                    durationTicks: deadline &- tick, deadlineTick: deadline), ref: nil), to: client)
        if let split = state.lastSplit {
            output.send(.quiz(.split(index: state.index, o: split.o, x: split.x, none: split.none), ref: nil), to: client)
        }
    }

    /// The side a player's avatar stands on now: O, X, or nil when it stands elsewhere,
    /// is away or has left. What the judging reads at the deadline, and the live split
    /// before it.
    func quizChoice(of playerID: UInt32) -> WorldMap.QuizSide? {
        guard let slot = slotByID[playerID], avatars[slot]?.client != nil else { return nil }
        return map.quizSide(tileX: positions[slot].tileX, tileY: positions[slot].tileY)
    }

    /// While a question runs, tells everyone how the players who still answer stand, so
    /// a player sees where the crowd is going: at most once per ``quizSplitTicks``, and
    /// only when the split changed since the last one sent.
    mutating func reportQuizSplit<Output: RoomOutput>(output: inout Output) {
        guard var state = quizState, case .asking = state.phase, Int32(bitPattern: tick &- state.splitDue) >= 0 else { return }
        var split = QuizState.Split()
        for (id, player) in state.players where player.alive || state.mode == .points {
            switch quizChoice(of: id) {
            case .o: split.o += 1
            case .x: split.x += 1
            case nil: split.none += 1
            }
        }
        state.splitDue = tick &+ quizSplitTicks
        let changed = split != state.lastSplit
        state.lastSplit = split
        quizState = state
        guard changed else { return }
        output.broadcast(.quiz(.split(index: state.index, o: split.o, x: split.x, none: split.none), ref: nil), to: everyone)
    }

    func status(_ state: QuizState) -> QuizEvent.Status {
        let phase: QuizEvent.Phase
        switch state.phase {
        case .open: phase = .open
        case .asking: phase = .asking
        case .paused: phase = .paused
        case .judged: phase = .judged
        }
        return QuizEvent.Status(phase: phase, title: state.set.title, mode: state.mode, total: quizTotal(state),
                                index: state.index, players: state.event?.players ?? state.players.count,
                                alive: state.event?.alive ?? state.players.values.filter(\.alive).count,
                                whoPlays: map.properties.quizPlayers)
    }

    /// Judges the running question when its deadline tick has come.
    mutating func advanceQuiz<Output: RoomOutput>(output: inout Output) {
        guard var state = quizState, case .asking(let deadline) = state.phase, tick >= deadline else { return }
        let question = state.set.questions[state.index]
        var counts = (o: 0, x: 0, none: 0)
        var answers: [QuizAnswer] = []
        for (id, player) in state.players.sorted(by: { $0.key < $1.key }) where player.alive || state.mode == .points {
            let chose = quizChoice(of: id)
            let slot = slotByID[id]
            switch chose {
            case .o: counts.o += 1
            case .x: counts.x += 1
            case nil: counts.none += 1
            }
            let correct = chose == question.answer
            var updated = player
            if correct { updated.score += 1 } else if state.mode == .survival { updated.alive = false }
            state.players[id] = updated
            answers.append(QuizAnswer(playerID: id, name: player.name, person: player.person, chose: chose, correct: correct,
                                      score: updated.score, rank: 0))
            if let slot, let client = avatars[slot]?.client {
                output.send(.quiz(.verdict(index: state.index, chose: chose, correct: correct,
                                           out: state.mode == .survival && !correct, score: updated.score), ref: nil), to: client)
            }
        }
        state.phase = .judged
        if var link = state.event {
            // The event's result comes from the lead, once every instance has judged.
            link.awaitingResult = true
            state.event = link
            quizState = state
            output.eventQuiz(.judged(run: link.run, index: state.index, tally: tally(state, counts: counts)))
            output.broadcast(.quiz(.status(status(state)), ref: nil), to: everyone)
            storeAnswers(state, question: question, answers: answers, output: &output)
            return
        }
        quizState = state
        let alive = state.players.values.filter(\.alive).count
        output.broadcast(.quiz(.result(index: state.index, answer: question.answer, explanation: question.explanation,
                                       o: counts.o, x: counts.x, none: counts.none, alive: alive,
                                       top: Array(ranking(state).prefix(10))), ref: nil), to: everyone)
        output.broadcast(.quiz(.status(status(state)), ref: nil), to: everyone)
        storeAnswers(state, question: question, answers: answers, output: &output)
    }

    private mutating func storeAnswers<Output: RoomOutput>(_ state: QuizState, question: QuizSet.Question, answers: [QuizAnswer],
                                                           output: inout Output) {
        output.store(.quizAnswers(quiz: state.set.id, title: state.set.title, mode: state.mode, index: state.index,
                                  question: question.text, answer: question.answer, answers: answers),
                     ticket: StoreTicket(client: ClientID(0), ref: nil))
    }

    /// Players by score (points) or survival, then name; ties share a rank.
    func ranking(_ state: QuizState) -> [QuizEvent.Ranked] {
        let ordered = state.players.values.sorted {
            let left = state.mode == .survival ? ($0.alive ? 1 : 0, $0.score) : ($0.score, 0)
            let right = state.mode == .survival ? ($1.alive ? 1 : 0, $1.score) : ($1.score, 0)
            return left != right ? left > right : $0.name.lowercased() < $1.name.lowercased()
        }
        var result: [QuizEvent.Ranked] = []
        for (index, player) in ordered.enumerated() {
            let rank: Int
            if let previous = result.last, let before = ordered[safe: index - 1],
               before.score == player.score, before.alive == player.alive {
                rank = previous.rank
            } else {
                rank = index + 1
            }
            result.append(QuizEvent.Ranked(rank: rank, name: player.name, score: player.score))
        }
        return result
    }

    private mutating func finishQuiz<Output: RoomOutput>(_ state: QuizState, output: inout Output) {
        let ranked = ranking(state)
        output.broadcast(.quiz(.final(mode: state.mode, ranking: Array(ranked.prefix(50)), players: state.players.count), ref: nil),
                         to: everyone)
        output.broadcast(.quiz(.status(QuizEvent.Status(phase: .ended, title: state.set.title, mode: state.mode,
                                                        total: quizTotal(state), index: state.index,
                                                        players: state.players.count,
                                                        alive: state.players.values.filter(\.alive).count,
                                                        whoPlays: map.properties.quizPlayers)), ref: nil),
                         to: everyone)
        let people = Dictionary(uniqueKeysWithValues: state.players.map { ($0.value.name, $0) })
        let rows = ranked.map { entry in
            QuizAnswer(playerID: people[entry.name]?.key ?? 0, name: entry.name, person: people[entry.name]?.value.person ?? "",
                       chose: nil, correct: false, score: entry.score, rank: entry.rank)
        }
        output.store(.quizRanking(quiz: state.set.id, title: state.set.title, mode: state.mode, ranking: rows),
                     ticket: StoreTicket(client: ClientID(0), ref: nil))
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
