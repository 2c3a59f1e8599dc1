/// The OX quiz of a room that runs as several instances (``RoomConfiguration/eventQuiz``):
/// one quiz for the whole event. A moderator's command is checked here as far as this
/// instance can tell and handed to the lead (``EventQuizReport``); the lead's steps
/// (``EventQuizStep``) drive the instance: it fixes its own players when the quiz opens,
/// shows each question, judges its own players at the deadline tick, sends them their
/// verdicts and stores their answers, and shows the event-wide result and ranking the
/// lead publishes. Steps of another run than the one this instance follows are ignored:
/// the bus delivers steps in one order everywhere, so every instance follows the same
/// first quiz opened.
extension Room {
    mutating func forwardQuiz<Output: RoomOutput>(_ client: ClientID, moderator: Avatar, _ command: QuizCommand, ref: String?,
                                                  output: inout Output) {
        if case .open(let set, let mode) = command {
            guard quizState == nil else {
                output.send(.error(.conflict("a quiz is already open in this room"), ref: ref), to: client)
                return
            }
            output.eventQuiz(.open(set, mode))
            auditQuiz(moderator, "quiz_open", "\(set.title) (\(mode.rawValue), every instance)", output: &output)
            output.send(.moderated(action: "quiz_open", ref: ref), to: client)
            return
        }
        guard let state = quizState, let link = state.event else { return noQuiz(client, ref: ref, output: &output) }
        let refusal: String?
        switch (command, state.phase) {
        case (.next, _) where link.awaitingResult: refusal = "the event's result is still coming in"
        case (.next, .open), (.next, .judged): refusal = state.index + 1 < link.total ? nil : "no questions left; end the quiz"
        case (.next, _): refusal = "a question is still running"
        case (.pause, .asking): refusal = nil
        case (.pause, _): refusal = "no question is running"
        case (.resume, .paused): refusal = nil
        case (.resume, _): refusal = "the quiz is not paused"
        case (.skip, .asking), (.skip, .paused): refusal = nil
        case (.skip, _): refusal = "no question is running"
        case (.end, _), (.open, _): refusal = nil
        }
        if let refusal {
            output.send(.error(.conflict(refusal), ref: ref), to: client)
            return
        }
        output.eventQuiz(.command(run: link.run, command))
        if command == .end { auditQuiz(moderator, "quiz_end", state.set.title, output: &output) }
        output.send(.moderated(action: "quiz_" + Self.commandName(command), ref: ref), to: client)
    }

    mutating func followEventQuiz<Output: RoomOutput>(_ step: EventQuizStep, output: inout Output) {
        guard configuration.eventQuiz else { return }
        if case .opened(let run, let title, let mode, let total) = step {
            guard quizState == nil else { return }
            var players: [UInt32: QuizState.Player] = [:]
            for (_, slot) in slotByClient {
                guard let avatar = avatars[slot], map.properties.quizPlayers.admits(avatar.role) else { continue }
                players[ids[slot]] = QuizState.Player(name: avatar.name, person: avatar.person)
            }
            var state = QuizState(set: QuizSet(id: run, title: title, questions: []), mode: mode, players: players)
            state.event = EventLink(run: run, total: total, players: players.count, alive: players.count)
            quizState = state
            output.eventQuiz(.joined(run: run, players: players.count))
            output.broadcast(.quiz(.status(status(state)), ref: nil), to: everyone)
            return
        }
        guard var state = quizState, var link = state.event, link.run == step.run else { return }
        switch step {
        case .opened:
            return
        case .asked(_, let index, let text, let answer, let explanation, let remaining):
            guard index >= 0, index < link.total else { return }
            let question = QuizSet.Question(id: "\(index + 1)", text: text, answer: answer, explanation: explanation,
                                            timeLimit: Int(remaining) / max(1, map.properties.tickRate))
            while state.set.questions.count <= index { state.set.questions.append(question) }
            state.set.questions[index] = question
            state.index = index
            state.phase = .asking(deadline: tick &+ remaining)
            state.lastSplit = nil
            state.splitDue = tick
            link.awaitingResult = false
            state.event = link
            quizState = state
            output.broadcast(.quiz(.question(index: index, total: link.total, text: text, durationTicks: remaining,
                                             deadlineTick: tick &+ remaining), ref: nil), to: everyone)
        case .paused(_, let index):
            guard index == state.index, case .asking(let deadline) = state.phase else { return }
            state.phase = .paused(remaining: deadline &- tick)
            quizState = state
        case .resumed(_, let index, let remaining):
            guard index == state.index, case .paused = state.phase else { return }
            state.phase = .asking(deadline: tick &+ remaining)
            quizState = state
            output.broadcast(.quiz(.question(index: index, total: link.total, text: state.set.questions[index].text,
                                             durationTicks: remaining, deadlineTick: tick &+ remaining), ref: nil), to: everyone)
        case .skipped(_, let index):
            guard index == state.index else { return }
            state.phase = .judged
            quizState = state
            output.broadcast(.quiz(.skipped(index: index), ref: nil), to: everyone)
        case .result(_, let index, let answer, let explanation, let o, let x, let none, let alive, let players, let top):
            guard index == state.index else { return }
            // An instance whose deadline had not come yet (a clock behind) stops asking:
            // the event has moved on.
            state.phase = .judged
            link.awaitingResult = false
            link.alive = alive
            link.players = players
            state.event = link
            quizState = state
            output.broadcast(.quiz(.result(index: index, answer: answer, explanation: explanation, o: o, x: x, none: none,
                                           alive: alive, top: top.map(Self.ranked)), ref: nil), to: everyone)
        case .ended(_, let top, let scores, let players):
            let survival = state.mode == .survival
            output.broadcast(.quiz(.final(mode: state.mode, ranking: top.map(Self.ranked), players: players), ref: nil), to: everyone)
            link.players = players
            state.event = link
            var ended = status(state)
            ended.phase = .ended
            output.broadcast(.quiz(.status(ended), ref: nil), to: everyone)
            // Each instance stores its own players, ranked among everyone's.
            let rows = state.players.sorted { $0.key < $1.key }.map { id, player in
                QuizAnswer(playerID: id, name: player.name, person: player.person, chose: nil, correct: false, score: player.score,
                           rank: QuizRanking.rank(alive: player.alive, score: player.score, among: scores, survival: survival))
            }.sorted { ($0.rank, $0.name.lowercased()) < ($1.rank, $1.name.lowercased()) }
            output.store(.quizRanking(quiz: state.set.id, title: state.set.title, mode: state.mode, ranking: rows),
                         ticket: StoreTicket(client: ClientID(0), ref: nil))
            quizState = nil
            return
        }
        output.broadcast(.quiz(.status(status(state)), ref: nil), to: everyone)
    }

    /// What this instance tells the lead after judging: counts, where its players stand,
    /// and its best players.
    func tally(_ state: QuizState, counts: (o: Int, x: Int, none: Int)) -> QuizTally {
        var histogram: [QuizScoreCount: Int] = [:]
        for player in state.players.values {
            histogram[QuizScoreCount(score: player.score, alive: player.alive, count: 0), default: 0] += 1
        }
        let scores = histogram.map { QuizScoreCount(score: $0.key.score, alive: $0.key.alive, count: $0.value) }
        let top = ranking(state).prefix(QuizTally.maxTop).compactMap { entry in
            state.players.values.first { $0.name == entry.name }.map { QuizStanding(name: $0.name, score: $0.score, alive: $0.alive) }
        }
        let alive = state.mode == .survival ? state.players.values.filter(\.alive).count : state.players.count
        return QuizTally(o: counts.o, x: counts.x, none: counts.none, alive: alive, scores: QuizRanking.merge([scores]), top: top)
    }

    static func ranked(_ standing: QuizStanding) -> QuizEvent.Ranked {
        QuizEvent.Ranked(rank: standing.rank, name: standing.name, score: standing.score)
    }
}
