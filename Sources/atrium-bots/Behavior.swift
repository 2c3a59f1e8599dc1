/// What a bot does once it joined.
enum Behavior: String, CaseIterable, Sendable {
    /// Stays where it spawned.
    case idle
    /// Walks in random directions, turning every one to three seconds, away from walls.
    case wander
    /// Walks to an exhibit or the stage and mills about there.
    case crowd
    /// Wanders a little and says something nearby every few seconds.
    case chatter
    /// Walks to the O or X field when a quiz question is asked.
    case quiz
    /// Wanders (as `wander` does) with its microphone on and does what a browser does with
    /// each new conversation peer: the higher id offers, the other answers, both trickle
    /// ICE candidates, all fake but of realistic sizes (``FakeSignal``).
    case talker
}

/// A weighted mix such as `wander:70,chatter:20,idle:10`; a single name means 100%.
struct BehaviorMix: Sendable, Equatable {
    var weights: [(behavior: Behavior, weight: Int)]

    static func == (lhs: BehaviorMix, rhs: BehaviorMix) -> Bool {
        lhs.weights.map(\.behavior) == rhs.weights.map(\.behavior) && lhs.weights.map(\.weight) == rhs.weights.map(\.weight)
    }

    init?(_ text: String) {
        var weights: [(Behavior, Int)] = []
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: ":", maxSplits: 1)
            guard let behavior = Behavior(rawValue: String(pieces[0]).lowercased()) else { return nil }
            let weight = pieces.count == 2 ? Int(pieces[1]) : 1
            guard let weight, weight > 0 else { return nil }
            weights.append((behavior, weight))
        }
        guard !weights.isEmpty else { return nil }
        self.weights = weights
    }

    /// The behaviour of bot `index` out of `count`: assigned in proportion, spread evenly.
    func behavior(forBot index: Int, of count: Int) -> Behavior {
        let total = weights.reduce(0) { $0 + $1.weight }
        let slot = (index * total / max(count, 1)) % total
        var running = 0
        for (behavior, weight) in weights {
            running += weight
            if slot < running { return behavior }
        }
        return weights[0].behavior
    }
}
