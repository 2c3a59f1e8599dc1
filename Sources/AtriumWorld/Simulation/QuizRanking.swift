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
