/// How many players stand at one score (and, in survival, are still in or out).
public struct QuizScoreCount: Codable, Sendable, Equatable, Hashable {
    public var score: Int
    public var alive: Bool
    public var count: Int

    public init(score: Int, alive: Bool, count: Int) {
        self.score = score
        self.alive = alive
        self.count = count
    }
}
