import AtriumWorld

/// One step of an event-wide OX quiz: a room running as several instances, possibly on
/// several nodes, plays one quiz with one question at a time, one deadline and one
/// ranking. The node where a moderator opened it leads (``EventQuizLead``); every
/// instance, the lead's own included, follows the lead's steps, judges its own players
/// at the deadline and reports back what the lead needs to rank everyone: counts, a
/// histogram of scores and its best players. Every message stays far below the bus's
/// payload limit whatever the number of players.
public struct QuizBusMessage: Codable, Sendable, Equatable {
    public var room: String
    /// This run of the quiz: unique across the event, so steps of an old run are ignored.
    public var run: String
    public var step: Step

    public init(room: String, run: String, step: Step) {
        self.room = room
        self.run = run
        self.step = step
    }

    public enum Step: Codable, Sendable, Equatable {
        /// The lead opened the quiz; each instance fixes its players and answers `joined`.
        case opened(title: String, mode: String, total: Int)
        case joined(instance: Int, players: Int)
        /// A question. `deadline` is an event tick (see ``EventTick``), the same moment
        /// on every node.
        case asked(index: Int, total: Int, text: String, answer: String, explanation: String, deadline: Int64, durationTicks: Int)
        case paused(index: Int)
        case resumed(index: Int, deadline: Int64, remainingTicks: Int)
        case skipped(index: Int)
        /// An instance judged its players at the deadline.
        case judged(instance: Int, index: Int, tally: QuizTally)
        /// The lead's result for the whole event.
        case result(index: Int, answer: String, explanation: String, o: Int, x: Int, none: Int, alive: Int, players: Int,
                    top: [QuizStanding])
        /// The quiz ended: the final standings and the histogram every instance ranks its
        /// own players against, so that ranks are event-wide.
        case ended(top: [QuizStanding], scores: [QuizScoreCount], players: Int)
        /// A moderator in another instance asked the lead for the next step.
        case command(String)
    }
}

/// The event's common tick count: milliseconds since the Unix epoch divided by the tick
/// period. Rooms count their own ticks from their start; a quiz deadline given as an
/// event tick is the same moment for every instance on every node (as far as their
/// clocks agree, which NTP keeps within a few milliseconds, well inside one tick).
public enum EventTick {
    public static func at(milliseconds: Int64, tickRate: Int) -> Int64 {
        milliseconds * Int64(tickRate) / 1000
    }

    /// How many of the room's ticks from now until `eventTick`.
    public static func ticks(until eventTick: Int64, nowMilliseconds: Int64, tickRate: Int) -> Int {
        Int(max(0, eventTick - at(milliseconds: nowMilliseconds, tickRate: tickRate)))
    }
}
