/// What an instance of a room whose quiz spans its instances hands to the event's quiz
/// lead: a moderator's wish to open the quiz or to move it on, the players it fixed, and
/// its own players' judgement at a deadline. The room decides nothing event-wide itself;
/// the lead's answers come back as ``EventQuizStep``s.
public enum EventQuizReport: Sendable, Equatable {
    /// A moderator here opens a quiz for the whole event.
    case open(QuizSet, QuizMode)
    /// A moderator here moves the running quiz on (next, pause, resume, skip, end).
    case command(run: String, QuizCommand)
    case joined(run: String, players: Int)
    case judged(run: String, index: Int, tally: QuizTally)
}
