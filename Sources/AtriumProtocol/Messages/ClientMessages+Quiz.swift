/// Running the OX quiz (moderators), and the question sets it reads.
extension ClientMessages {
    public struct QuizOpen: ClientRequest {
        public static let type = "quiz_open"

        /// A file name under the map's `quiz/` folder, without `.json`.
        public var set: String?
        public var title: String?
        public var questions: [QuizQuestion]?
        public var mode: String
        public var ref: String?
        public init(set: String? = nil, title: String? = nil, questions: [QuizQuestion]? = nil, mode: String, ref: String? = nil) {
            self.set = set
            self.title = title
            self.questions = questions
            self.mode = mode
            self.ref = ref
        }
    }

    /// Asks the next question.
    public struct QuizNext: ClientRequest {
        public static let type = "quiz_next"

        public var ref: String?
        public init(ref: String? = nil) { self.ref = ref }
    }

    /// Stops the countdown.
    public struct QuizPause: ClientRequest {
        public static let type = "quiz_pause"

        public var ref: String?
        public init(ref: String? = nil) { self.ref = ref }
    }

    /// Restarts the countdown.
    public struct QuizResume: ClientRequest {
        public static let type = "quiz_resume"

        public var ref: String?
        public init(ref: String? = nil) { self.ref = ref }
    }

    /// Drops the current question unjudged.
    public struct QuizSkip: ClientRequest {
        public static let type = "quiz_skip"

        public var ref: String?
        public init(ref: String? = nil) { self.ref = ref }
    }

    /// Ends the quiz and stores its results.
    public struct QuizEnd: ClientRequest {
        public static let type = "quiz_end"

        public var ref: String?
        public init(ref: String? = nil) { self.ref = ref }
    }

    public struct QuizQuestion: Codable, Sendable, Equatable {
        public var id: String?
        public var question: String
        public var answer: String
        public var explanation: String?
        public var timeLimit: Int
        public init(id: String? = nil, question: String, answer: String, explanation: String? = nil, timeLimit: Int) {
            self.id = id
            self.question = question
            self.answer = answer
            self.explanation = explanation
            self.timeLimit = timeLimit
        }
    }

    /// A question set: the file's shape, and the inline form of `quiz_open`.
    public struct QuizSetFile: Codable, Sendable, Equatable {
        public var title: String?
        public var questions: [QuizQuestion]
        public init(title: String? = nil, questions: [QuizQuestion]) {
            self.title = title
            self.questions = questions
        }
    }
}
