import Testing
@testable import AtriumCluster

/// Two nodes contend for one room through a simulated directory whose statements commit
/// and answer after random delays, get lost, and whose nodes freeze for seconds at a
/// time (a stalled process, a paused VM). Whatever happens, the room never runs on both.
@Suite struct LeaseSimulationTests {
    /// The directory as PostgreSQL keeps it: one row, the commit time as its clock.
    struct Directory {
        var node: String?
        var generation: Int64 = 0
        var expires = 0

        mutating func claim(_ node: String, at time: Int, duration: Int) -> ClaimAnswer {
            if let owner = self.node, expires > time { return .heldBy(LeaseOwner(node: owner, generation: generation)) }
            generation += 1
            self.node = node
            expires = time + duration
            return .granted(generation: generation)
        }

        mutating func renew(_ node: String, generation: Int64, at time: Int, duration: Int) -> RenewAnswer {
            guard self.node == node, self.generation == generation, expires > time else { return .lost }
            expires = time + duration
            return .renewed
        }

        mutating func release(_ node: String, generation: Int64, at time: Int) {
            if self.node == node, self.generation == generation { expires = time }
        }
    }

    enum Message {
        case claim, renew(Int64), release(Int64)
    }

    struct Pending {
        var commitAt: Int
        var answerAt: Int?
        var node: Int
        var message: Message
        var committed = false
        var answer: Any?
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func aRoomNeverRunsOnTwoNodesAtOnce(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let settings = LeaseSettings(duration: .seconds(10), renewInterval: .seconds(3), safetyMargin: .seconds(2))
        let start = ContinuousClock.now
        let hall = RoomInstance(room: "hall")
        let names = ["a", "b"]
        var keepers = [LeaseKeeper(settings: settings), LeaseKeeper(settings: settings)]
        var frozenUntil = [0, 0]
        var directory = Directory()
        var pending: [Pending] = []
        var hostedSteps = 0
        let step = 10

        func send(_ actions: [LeaseAction], node: Int, now: Int) {
            for action in actions {
                let message: Message
                switch action {
                case .claim: message = .claim
                case .renew(_, let generation): message = .renew(generation)
                case .release(_, let generation): message = .release(generation)
                default: continue
                }
                // Mostly quick, sometimes seconds; one in twenty answers is lost.
                let slow = Int.random(in: 0..<10, using: &random) == 0
                let commit = now + (slow ? Int.random(in: 0...6_000, using: &random) : Int.random(in: 0...50, using: &random))
                let lost = Int.random(in: 0..<20, using: &random) == 0
                let answer = lost ? nil : commit + Int.random(in: 0...(slow ? 4_000 : 50), using: &random)
                pending.append(Pending(commitAt: commit, answerAt: answer, node: node, message: message))
            }
        }

        for now in stride(from: 0, through: 300_000, by: step) {
            let instant = start + .milliseconds(now)
            // The directory commits what reached it.
            for index in pending.indices where !pending[index].committed && pending[index].commitAt <= now {
                pending[index].committed = true
                let node = names[pending[index].node]
                switch pending[index].message {
                case .claim: pending[index].answer = directory.claim(node, at: now, duration: 10_000)
                case .renew(let generation): pending[index].answer = directory.renew(node, generation: generation, at: now, duration: 10_000)
                case .release(let generation): directory.release(node, generation: generation, at: now)
                }
            }
            var hosting: [Int64?] = [nil, nil]
            for node in 0..<2 {
                if now < frozenUntil[node] { continue }
                if Int.random(in: 0..<3_000, using: &random) == 0 {
                    frozenUntil[node] = now + Int.random(in: 1_000...15_000, using: &random)
                    continue
                }
                // A thawed node first reads its answers and ticks, as the server does
                // before a room's tick checks the lease.
                var actions: [LeaseAction] = []
                for index in pending.indices where pending[index].node == node && pending[index].committed {
                    guard let answerAt = pending[index].answerAt, answerAt <= now else { continue }
                    pending[index].answerAt = nil
                    switch (pending[index].message, pending[index].answer) {
                    case (.claim, let answer as ClaimAnswer): actions += keepers[node].claimAnswered(hall, answer, now: instant)
                    case (.renew, let answer as RenewAnswer): actions += keepers[node].renewAnswered(hall, answer, now: instant)
                    case (.release, _): keepers[node].releaseAnswered(hall)
                    default: break
                    }
                }
                pending.removeAll { $0.committed && $0.answerAt == nil }
                actions += keepers[node].tick(now: instant)
                // Visitors keep asking for the room on both nodes.
                actions += keepers[node].want(hall, now: instant)
                send(actions, node: node, now: now)
                hosting[node] = keepers[node].hostingGeneration(hall, now: instant)
                if let generation = hosting[node] {
                    // Whoever hosts holds the directory's current lease.
                    #expect(directory.node == names[node] && directory.generation == generation && directory.expires > now,
                            "node \(names[node]) hosts generation \(generation) at \(now) ms, directory \(directory)")
                }
            }
            #expect(hosting[0] == nil || hosting[1] == nil, "both nodes host at \(now) ms (seed \(seed))")
            if hosting[0] != nil || hosting[1] != nil { hostedSteps += 1 }
        }
        // And the room is not simply never hosted.
        #expect(hostedSteps > 300_000 / step / 3)
    }
}
