/// The OX quiz as everyone sees it, and each player's verdict.
extension ServerMessages {
    public struct QuizStatus: ServerMessage {
        public static let type = "quiz"

        public var state: String
        public var title: String
        public var mode: String
        public var total: Int
        public var index: Int
        public var players: Int
        public var alive: Int
        /// Who plays in this room: `everyone` (but moderators) or `registered` (participants
        /// and presenters), so a client can tell a guest why it watches.
        public var whoPlays: String?
        /// Only to a client catching up on a running quiz: whether it plays.
        public var youPlay: Bool?
        public init(state: String, title: String, mode: String, total: Int, index: Int, players: Int, alive: Int,
                    whoPlays: String? = nil, youPlay: Bool? = nil) {
            self.state = state
            self.title = title
            self.mode = mode
            self.total = total
            self.index = index
            self.players = players
            self.alive = alive
            self.whoPlays = whoPlays
            self.youPlay = youPlay
        }
    }

    public struct QuizQuestion: ServerMessage {
        public static let type = "quiz_question"

        public var index: Int
        public var total: Int
        public var question: String
        /// Milliseconds to answer.
        public var duration: Int64
        /// Server time of the deadline, milliseconds since the epoch.
        public var deadline: Int64
        public var deadlineTick: UInt32
        public init(index: Int, total: Int, question: String, duration: Int64, deadline: Int64, deadlineTick: UInt32) {
            self.index = index
            self.total = total
            self.question = question
            self.duration = duration
            self.deadline = deadline
            self.deadlineTick = deadlineTick
        }
    }

    public struct QuizResult: ServerMessage {
        public static let type = "quiz_result"

        public struct Counts: Codable, Sendable, Equatable {
            public var o: Int
            public var x: Int
            public var none: Int
            public init(o: Int, x: Int, none: Int) {
                self.o = o
                self.x = x
                self.none = none
            }
        }
        public var index: Int
        public var answer: String
        public var explanation: String
        public var counts: Counts
        public var alive: Int
        public var top: [Ranked]
        public init(index: Int, answer: String, explanation: String, counts: Counts, alive: Int, top: [Ranked]) {
            self.index = index
            self.answer = answer
            self.explanation = explanation
            self.counts = counts
            self.alive = alive
            self.top = top
        }
    }

    public struct QuizVerdict: ServerMessage {
        public static let type = "quiz_verdict"

        public var index: Int
        public var chose: String
        public var correct: Bool
        public var out: Bool
        public var score: Int
        public init(index: Int, chose: String, correct: Bool, out: Bool, score: Int) {
            self.index = index
            self.chose = chose
            self.correct = correct
            self.out = out
            self.score = score
        }
    }

    public struct QuizSkipped: ServerMessage {
        public static let type = "quiz_skipped"

        public var index: Int
        public init(index: Int) { self.index = index }
    }

    public struct QuizFinal: ServerMessage {
        public static let type = "quiz_final"

        public var mode: String
        public var ranking: [Ranked]
        public var players: Int
        public init(mode: String, ranking: [Ranked], players: Int) {
            self.mode = mode
            self.ranking = ranking
            self.players = players
        }
    }

    /// While a question runs: how the players who answer stand now, so everyone sees
    /// where the crowd is going. Sent at a modest rate, and only when it changed.
    public struct QuizSplit: ServerMessage {
        public static let type = "quiz_split"

        public var index: Int
        public var o: Int
        public var x: Int
        /// Players on neither field (or away).
        public var none: Int
        public init(index: Int, o: Int, x: Int, none: Int) {
            self.index = index
            self.o = o
            self.x = x
            self.none = none
        }
    }

    public struct Ranked: Codable, Sendable, Equatable {
        public var rank: Int
        public var name: String
        public var score: Int
        public init(rank: Int, name: String, score: Int) {
            self.rank = rank
            self.name = name
            self.score = score
        }
    }
}
