/// A player's standing: the name shown, the score, whether still in (survival).
public struct QuizStanding: Codable, Sendable, Equatable {
    public var name: String
    public var score: Int
    public var alive: Bool
    /// Event-wide, filled in by the lead; ties share a rank.
    public var rank: Int

    public init(name: String, score: Int, alive: Bool, rank: Int = 0) {
        self.name = name
        self.score = score
        self.alive = alive
        self.rank = rank
    }
}
