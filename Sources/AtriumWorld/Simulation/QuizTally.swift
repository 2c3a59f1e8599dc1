/// What one instance reports after judging a question.
public struct QuizTally: Codable, Sendable, Equatable {
    public var o: Int
    public var x: Int
    public var none: Int
    /// Players still in (survival) or all players (points).
    public var alive: Int
    /// How many of the instance's players stand at each score, after this question.
    public var scores: [QuizScoreCount]
    /// The instance's best players, at most ``QuizTally/maxTop``.
    public var top: [QuizStanding]

    public static let maxTop = 20

    public init(o: Int, x: Int, none: Int, alive: Int, scores: [QuizScoreCount], top: [QuizStanding]) {
        self.o = o
        self.x = x
        self.none = none
        self.alive = alive
        self.scores = scores
        self.top = Array(top.prefix(Self.maxTop))
    }
}
