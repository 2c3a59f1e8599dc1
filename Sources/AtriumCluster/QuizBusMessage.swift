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
        case result(index: Int, answer: String, explanation: String, o: Int, x: Int, none: Int, alive: Int, top: [QuizStanding])
        /// The quiz ended: the final standings and the histogram every instance ranks its
        /// own players against, so that ranks are event-wide.
        case ended(top: [QuizStanding], scores: [QuizScoreCount], players: Int)
        /// A moderator in another instance asked the lead for the next step.
        case command(String)
    }
}

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

/// Ranking across instances from histograms alone: a player's rank is one more than the
/// number of players event-wide who stand strictly better, so ties share a rank exactly
/// as in a single room.
public enum QuizRanking {
    /// Orders standings best first: survival puts those still in first, then score; ties by name.
    public static func better(_ a: (alive: Bool, score: Int), than b: (alive: Bool, score: Int), survival: Bool) -> Bool {
        if survival && a.alive != b.alive { return a.alive }
        return a.score > b.score
    }

    public static func rank(alive: Bool, score: Int, among histogram: [QuizScoreCount], survival: Bool) -> Int {
        1 + histogram.filter { better(($0.alive, $0.score), than: (alive, score), survival: survival) }.reduce(0) { $0 + $1.count }
    }

    /// Sums histograms from several instances.
    public static func merge(_ histograms: [[QuizScoreCount]]) -> [QuizScoreCount] {
        var counts: [QuizScoreCount: Int] = [:]
        for entry in histograms.joined() {
            counts[QuizScoreCount(score: entry.score, alive: entry.alive, count: 0), default: 0] += entry.count
        }
        return counts.map { QuizScoreCount(score: $0.key.score, alive: $0.key.alive, count: $0.value) }
            .sorted { ($0.alive ? 1 : 0, $0.score) > ($1.alive ? 1 : 0, $1.score) }
    }

    /// The best `limit` of several instances' best lists, ranked event-wide.
    public static func mergeTop(_ lists: [[QuizStanding]], histogram: [QuizScoreCount], survival: Bool, limit: Int) -> [QuizStanding] {
        let ordered = lists.joined().sorted {
            if better(($0.alive, $0.score), than: ($1.alive, $1.score), survival: survival) { return true }
            if better(($1.alive, $1.score), than: ($0.alive, $0.score), survival: survival) { return false }
            return $0.name.lowercased() < $1.name.lowercased()
        }
        return ordered.prefix(limit).map {
            var standing = $0
            standing.rank = rank(alive: $0.alive, score: $0.score, among: histogram, survival: survival)
            return standing
        }
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
