/// A step of an event-wide quiz, as the lead published it, for one instance of the room.
/// A room that runs as several instances (``RoomConfiguration/eventQuiz``) does not run
/// its quiz alone: one lead asks every instance the same question with the same deadline
/// and ranks everyone together, and each instance follows these steps, judges its own
/// players at the deadline and reports back (``EventQuizReport``).
///
/// Deadlines arrive as the ticks left from the tick that applies the step; the host turns
/// the event-wide deadline into them at that tick, so every instance judges at the same
/// moment whatever its own tick count.
public enum EventQuizStep: Sendable, Equatable {
    /// The quiz opened: the instance fixes its players and reports how many.
    case opened(run: String, title: String, mode: QuizMode, total: Int)
    case asked(run: String, index: Int, text: String, answer: WorldMap.QuizSide, explanation: String, remainingTicks: UInt32)
    case paused(run: String, index: Int)
    case resumed(run: String, index: Int, remainingTicks: UInt32)
    case skipped(run: String, index: Int)
    /// The event-wide result: counts over every instance and the best players, ranked.
    case result(run: String, index: Int, answer: WorldMap.QuizSide, explanation: String, o: Int, x: Int, none: Int, alive: Int,
                players: Int, top: [QuizStanding])
    /// The end: the final standings, and the histogram against which each instance ranks
    /// its own players for what it stores.
    case ended(run: String, top: [QuizStanding], scores: [QuizScoreCount], players: Int)

    public var run: String {
        switch self {
        case .opened(let run, _, _, _), .asked(let run, _, _, _, _, _), .paused(let run, _), .resumed(let run, _, _),
             .skipped(let run, _), .result(let run, _, _, _, _, _, _, _, _, _), .ended(let run, _, _, _):
            return run
        }
    }
}
