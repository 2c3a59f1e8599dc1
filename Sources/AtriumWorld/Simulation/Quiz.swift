/// An OX question set, validated at the edge (sizes, answers, time limits).
public struct QuizSet: Sendable, Equatable {
    public struct Question: Sendable, Equatable {
        public var id: String
        public var text: String
        public var answer: WorldMap.QuizSide
        public var explanation: String
        /// Seconds the players have to choose.
        public var timeLimit: Int

        public init(id: String, text: String, answer: WorldMap.QuizSide, explanation: String = "", timeLimit: Int) {
            self.id = id
            self.text = text
            self.answer = answer
            self.explanation = explanation
            self.timeLimit = timeLimit
        }
    }

    public var id: String
    public var title: String
    public var questions: [Question]

    public init(id: String, title: String, questions: [Question]) {
        self.id = id
        self.title = title
        self.questions = questions
    }
}

public enum QuizMode: String, Sendable, Equatable, CaseIterable {
    /// A wrong answer is out and watches from then on.
    case survival
    /// Every correct answer scores one point.
    case points
}

public enum QuizCommand: Sendable, Equatable {
    case open(QuizSet, QuizMode)
    case next
    case pause
    case resume
    case skip
    case end
}

/// What the quiz tells the room.
public enum QuizEvent: Sendable, Equatable {
    public enum Phase: String, Sendable, Equatable {
        case open, asking, paused, judged, ended
    }

    public struct Status: Sendable, Equatable {
        public var phase: Phase
        public var title: String
        public var mode: QuizMode
        public var total: Int
        public var index: Int
        public var players: Int
        public var alive: Int
        /// Who plays in this room, so a client can say why someone only watches.
        public var whoPlays: QuizPlayers
        /// Told to one client catching up (a late visitor, a reload): whether it plays
        /// (and, in survival, is still in). Nil in what everyone hears.
        public var youPlay: Bool? = nil
    }

    public struct Ranked: Sendable, Equatable {
        public var rank: Int
        public var name: String
        public var score: Int

        public init(rank: Int, name: String, score: Int) {
            self.rank = rank
            self.name = name
            self.score = score
        }
    }

    case status(Status)
    case question(index: Int, total: Int, text: String, durationTicks: UInt32, deadlineTick: UInt32)
    case result(index: Int, answer: WorldMap.QuizSide, explanation: String, o: Int, x: Int, none: Int, alive: Int, top: [Ranked])
    /// To one player: what it chose and what that means.
    case verdict(index: Int, chose: WorldMap.QuizSide?, correct: Bool, out: Bool, score: Int)
    case skipped(index: Int)
    case final(mode: QuizMode, ranking: [Ranked], players: Int)
    /// While a question runs: where the players stand now (on O, on X, elsewhere), at most
    /// once per ``RoomConfiguration/quizSplitInterval`` and only when it changed.
    case split(index: Int, o: Int, x: Int, none: Int)
}
