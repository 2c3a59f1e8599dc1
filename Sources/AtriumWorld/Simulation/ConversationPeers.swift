/// Who may open a media connection with whom: every avatar's conversation peers, always
/// symmetric (B is in A's set exactly when A is in B's), capped at `maxPeers` each.
///
/// Each tick the room offers the pairs that qualify by place (``Room/updateConversations(output:)``
/// finds them from the talkers, on the spatial grid) and this type decides which of them
/// become peers. A browser mesh of more than a handful of connections breaks down, so
/// when someone has more candidates than `maxPeers` the pairs are taken nearest first and
/// a pair is kept only while neither side is full yet (a greedy matching). Everyone thus
/// keeps their nearest candidates, except those whose own set is already full of people
/// nearer to them; the set may then hold fewer than `maxPeers`, never an asymmetric pair.
/// A pair that is already connected counts as one tile nearer than it is, so two people at
/// nearly the same distance do not swap places in a full set on every step.
///
/// The work per tick follows the candidate pairs, which the room finds from the talkers
/// only; with nobody talking it is nothing.
struct ConversationPeers {
    let maxPeers: Int
    /// Each avatar's peers in ascending id order; avatars without peers are absent.
    private(set) var sets: [UInt32: [UInt32]] = [:]
    /// Slots whose avatar sends media, in ascending order (see ``Avatar/isTalker``).
    private(set) var talkers: [Int] = []
    /// Avatars taken over by a new connection this tick: they leave every set for one
    /// tick, so their peers drop the connection to the dead page and open a new one.
    private(set) var restarted: [UInt32] = []
    /// Candidate pairs examined by the last round, for the tests of its cost.
    private(set) var pairsExamined = 0

    private struct Candidate {
        var low: UInt32
        var high: UInt32
        /// Distance in position units, less one tile for a pair already connected.
        var rank: Double
    }

    private var candidates: [Candidate] = []
    private var contested: [Int] = []
    private var degree = AvatarMap<Int>()
    private var used = AvatarMap<Int>()
    private var next: [UInt32: [UInt32]] = [:]

    init(maxPeers: Int) {
        self.maxPeers = max(1, maxPeers)
    }

    var isIdle: Bool { talkers.isEmpty && sets.isEmpty && restarted.isEmpty }

    func peers(of id: UInt32) -> [UInt32] {
        sets[id] ?? []
    }

    func arePeers(_ a: UInt32, _ b: UInt32) -> Bool {
        sets[a]?.contains(b) ?? false
    }

    mutating func setTalker(_ slot: Int, _ talking: Bool) {
        let index = talkers.firstIndex { $0 >= slot } ?? talkers.count
        let present = index < talkers.count && talkers[index] == slot
        if talking && !present { talkers.insert(slot, at: index) }
        if !talking && present { talkers.remove(at: index) }
    }

    mutating func restart(_ id: UInt32) {
        restarted.append(id)
    }

    func isRestarted(_ id: UInt32) -> Bool {
        restarted.contains(id)
    }

    mutating func beginRound() {
        candidates.removeAll(keepingCapacity: true)
        pairsExamined = 0
    }

    /// Counts one pair looked at, whether or not it qualifies.
    mutating func examined() {
        pairsExamined += 1
    }

    /// Offers a pair that qualifies by place; each pair at most once a round.
    mutating func consider(_ a: UInt32, _ b: UInt32, distanceSquared: Int64) {
        var rank = Double(distanceSquared).squareRoot()
        if arePeers(a, b) { rank -= Double(Position.unitsPerTile) }
        candidates.append(Candidate(low: min(a, b), high: max(a, b), rank: rank))
    }

    /// Decides the new sets and appends, in ascending id order, every avatar whose set
    /// changed with its new set (empty when it lost every peer).
    mutating func finishRound(changes: inout [(id: UInt32, peers: [UInt32])]) {
        degree.removeAll()
        for candidate in candidates {
            degree[candidate.low] = (degree[candidate.low] ?? 0) + 1
            degree[candidate.high] = (degree[candidate.high] ?? 0) + 1
        }
        next.removeAll(keepingCapacity: true)
        contested.removeAll(keepingCapacity: true)
        for (index, candidate) in candidates.enumerated() {
            if degree[candidate.low]! <= maxPeers && degree[candidate.high]! <= maxPeers {
                link(candidate)
            } else {
                contested.append(index)
            }
        }
        if !contested.isEmpty {
            // Only pairs touching someone over the cap compete; a side with no more
            // candidates than the cap accepts all of them, so only full sides refuse.
            contested.sort { left, right in
                let a = candidates[left], b = candidates[right]
                return (a.rank, a.low, a.high) < (b.rank, b.low, b.high)
            }
            used.removeAll()
            for index in contested {
                let candidate = candidates[index]
                let lowRoom = degree[candidate.low]! <= maxPeers || (used[candidate.low] ?? 0) < maxPeers
                let highRoom = degree[candidate.high]! <= maxPeers || (used[candidate.high] ?? 0) < maxPeers
                guard lowRoom && highRoom else { continue }
                used[candidate.low] = (used[candidate.low] ?? 0) + 1
                used[candidate.high] = (used[candidate.high] ?? 0) + 1
                link(candidate)
            }
        }
        for index in next.values.indices { next.values[index].sort() }
        let start = changes.count
        for (id, peers) in next where sets[id] != peers { changes.append((id, peers)) }
        for id in sets.keys where next[id] == nil { changes.append((id, [])) }
        changes[start...].sort { $0.id < $1.id }
        swap(&sets, &next)
        restarted.removeAll(keepingCapacity: true)
    }

    private mutating func link(_ candidate: Candidate) {
        next[candidate.low, default: []].append(candidate.high)
        next[candidate.high, default: []].append(candidate.low)
    }
}
