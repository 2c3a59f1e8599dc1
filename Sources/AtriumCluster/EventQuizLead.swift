import AtriumWorld

/// The lead of an event-wide quiz: what one question, one deadline and one ranking across
/// a room's instances need beyond what each instance does for itself. It runs on the node
/// where a moderator opened the quiz; its steps go out on the bus to every instance (its
/// own too), and the instances' tallies come back. Wall-clock milliseconds go in, bus
/// messages come out; no I/O, no clock reads.
///
/// An instance that never reports for a question (its node died) does not hold the quiz
/// up: the result goes out ``Settings/collectTimeout`` after the deadline with the
/// tallies that arrived.
public struct EventQuizLead: Sendable {
    public struct Question: Sendable, Equatable {
        public var text: String
        /// "O" or "X".
        public var answer: String
        public var explanation: String
        public var timeLimitSeconds: Int

        public init(text: String, answer: String, explanation: String, timeLimitSeconds: Int) {
            self.text = text
            self.answer = answer
            self.explanation = explanation
            self.timeLimitSeconds = timeLimitSeconds
        }
    }

    public struct Settings: Sendable, Equatable {
        /// How long after a deadline the lead waits for instances' tallies.
        public var collectTimeout: Duration
        public var resultTop: Int
        public var finalTop: Int

        public init(collectTimeout: Duration = .seconds(2), resultTop: Int = 10, finalTop: Int = QuizTally.maxTop) {
            self.collectTimeout = collectTimeout
            self.resultTop = resultTop
            self.finalTop = finalTop
        }
    }

    public enum Command: String, Sendable, Equatable {
        case next, pause, resume, skip, end
    }

    /// A command that does not fit the quiz's phase; the text is the moderator's error.
    public struct Refusal: Error, Sendable, Equatable {
        public var message: String
    }

    private enum Phase: Equatable {
        case open
        case asking(deadline: Int64)
        case paused(remainingTicks: Int)
        case collecting(deadline: Int64)
        case judged
        case ended
    }

    public let room: String
    public let run: String
    public let title: String
    public let survival: Bool
    public let questions: [Question]
    public let tickRate: Int
    public let settings: Settings

    private var phase = Phase.open
    public private(set) var index = -1
    /// Instance → players it fixed when the quiz opened.
    public private(set) var instances: [Int: Int] = [:]
    private var tallies: [Int: QuizTally] = [:]
    private var latest: [Int: QuizTally] = [:]

    public init(room: String, run: String, title: String, survival: Bool, questions: [Question], tickRate: Int,
                settings: Settings = .init()) {
        self.room = room
        self.run = run
        self.title = title
        self.survival = survival
        self.questions = questions
        self.tickRate = tickRate
        self.settings = settings
    }

    public var isEnded: Bool { phase == .ended }

    private func message(_ step: QuizBusMessage.Step) -> QuizBusMessage {
        QuizBusMessage(room: room, run: run, step: step)
    }

    /// The first step: every instance fixes its players.
    public func open() -> [QuizBusMessage] {
        [message(.opened(title: title, mode: survival ? "survival" : "points", total: questions.count))]
    }

    public mutating func joined(instance: Int, players: Int) {
        guard phase != .ended else { return }
        instances[instance] = players
    }

    public mutating func command(_ command: Command, nowMilliseconds now: Int64) throws(Refusal) -> [QuizBusMessage] {
        switch (command, phase) {
        case (_, .ended):
            throw Refusal(message: "the quiz has ended")
        case (.next, .open), (.next, .judged):
            guard index + 1 < questions.count else { throw Refusal(message: "no questions left; end the quiz") }
            index += 1
            let question = questions[index]
            let duration = max(1, question.timeLimitSeconds * tickRate)
            let deadline = EventTick.at(milliseconds: now, tickRate: tickRate) + Int64(duration)
            phase = .asking(deadline: deadline)
            tallies = [:]
            return [message(.asked(index: index, total: questions.count, text: question.text, answer: question.answer,
                                   explanation: question.explanation, deadline: deadline, durationTicks: duration))]
        case (.next, _):
            throw Refusal(message: "a question is still running")
        case (.pause, .asking(let deadline)):
            let remaining = max(1, Int(deadline - EventTick.at(milliseconds: now, tickRate: tickRate)))
            phase = .paused(remainingTicks: remaining)
            return [message(.paused(index: index))]
        case (.pause, _):
            throw Refusal(message: "no question is running")
        case (.resume, .paused(let remaining)):
            let deadline = EventTick.at(milliseconds: now, tickRate: tickRate) + Int64(remaining)
            phase = .asking(deadline: deadline)
            return [message(.resumed(index: index, deadline: deadline, remainingTicks: remaining))]
        case (.resume, _):
            throw Refusal(message: "the quiz is not paused")
        case (.skip, .asking), (.skip, .paused):
            phase = .judged
            return [message(.skipped(index: index))]
        case (.skip, _):
            throw Refusal(message: "no question is running")
        case (.end, _):
            phase = .ended
            let histogram = QuizRanking.merge(latest.values.map(\.scores))
            let top = QuizRanking.mergeTop(latest.values.map(\.top), histogram: histogram, survival: survival, limit: settings.finalTop)
            return [message(.ended(top: top, scores: histogram, players: instances.values.reduce(0, +)))]
        }
    }

    /// An instance's tally for the running question.
    public mutating func judged(instance: Int, index reported: Int, tally: QuizTally, nowMilliseconds now: Int64) -> [QuizBusMessage] {
        guard reported == index else { return [] }
        switch phase {
        case .asking(let deadline), .collecting(let deadline):
            if instances[instance] == nil { instances[instance] = tally.scores.reduce(0) { $0 + $1.count } }
            tallies[instance] = tally
            latest[instance] = tally
            phase = .collecting(deadline: deadline)
            return Set(instances.keys).isSubset(of: Set(tallies.keys)) ? publishResult() : []
        default:
            return []
        }
    }

    /// Publishes a result whose instances did not all report in time.
    public mutating func tick(nowMilliseconds now: Int64) -> [QuizBusMessage] {
        switch phase {
        case .asking(let deadline), .collecting(let deadline):
            let timeout = settings.collectTimeout.components.seconds * 1000 + settings.collectTimeout.components.attoseconds / 1_000_000_000_000_000
            let deadlineMilliseconds = deadline * 1000 / Int64(tickRate)
            return now >= deadlineMilliseconds + timeout ? publishResult() : []
        default:
            return []
        }
    }

    private mutating func publishResult() -> [QuizBusMessage] {
        phase = .judged
        let question = questions[index]
        let reported = Array(tallies.values)
        let histogram = QuizRanking.merge(reported.map(\.scores))
        let top = QuizRanking.mergeTop(reported.map(\.top), histogram: histogram, survival: survival, limit: settings.resultTop)
        return [message(.result(index: index, answer: question.answer, explanation: question.explanation,
                                o: reported.reduce(0) { $0 + $1.o }, x: reported.reduce(0) { $0 + $1.x },
                                none: reported.reduce(0) { $0 + $1.none }, alive: reported.reduce(0) { $0 + $1.alive },
                                players: instances.values.reduce(0, +), top: top))]
    }
}
