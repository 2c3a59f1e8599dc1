import AtriumClient
import AtriumProtocol
import AtriumWorld
import Dispatch
import Logging

/// Settings every bot shares.
struct BotContext: Sendable {
    let url: String
    let token: String?
    let map: BotMap?
    let metrics: BotMetrics
    let moves: MoveRegistry
    let queues: ClientQueues
    let reconnect: Bool
    let chatInterval: ClosedRange<Double>
    let clockOrigin: ContinuousClock.Instant
    /// Which bots decode every state message; the others skim for their own avatar.
    let observers: ObserverSample
    let sources: SourceAddresses?
}

/// One scripted avatar. Its state is confined to its client's queue: events and its own
/// timers both run there, so a bot needs no lock and no thread.
/// `@unchecked Sendable`: every mutable member is touched only on `client.queue`.
final class Bot: @unchecked Sendable {
    let index: Int
    let behavior: Behavior
    let context: BotContext
    let client: AtriumClient
    private var random: SeededRandom
    private var avatarID: UInt32?
    private var connectStarted = ContinuousClock.now
    private var isConnected = false
    private var stopped = false
    private var sentAt: [UInt32: ContinuousClock.Instant] = [:]
    private var lastTimed: [UInt32: ContinuousClock.Instant] = [:]
    private var direction = (dx: 0, dy: 0)
    private var crowdTarget: (x: Int, y: Int)?
    private var peers: [UInt32] = []
    private var stance = QuizStance()

    init(index: Int, behavior: Behavior, context: BotContext, seed: UInt64) throws {
        self.index = index
        self.behavior = behavior
        self.context = context
        random = SeededRandom(seed: seed)
        var configuration = ClientConfiguration(
            url: context.url, name: "bot-\(index)", token: context.token, appearance: UInt8(index % 16),
            connectTimeout: .seconds(15), requestTimeout: .seconds(15),
            reconnect: context.reconnect ? ReconnectPolicy() : .disabled, queues: context.queues, traffic: context.metrics.traffic,
            logger: Logger(label: "bot") { _ in SwiftLogNoOpLogHandler() })
        configuration.compression = .init()
        configuration.stateDecoding = context.observers.observes(index) ? .full : .ownAvatar
        configuration.sourceAddress = context.sources?.address(forBot: index)
        client = try AtriumClient(configuration: configuration)
    }

    func start() {
        context.metrics.attempted()
        client.onEvent = { [weak self] event in self?.handle(event) }
        client.queue.async { [self] in
            connectStarted = .now
            client.connect { _ in }
        }
    }

    /// Leaves the room; the avatar goes at once.
    func stop() {
        client.queue.async { [self] in
            stopped = true
            client.leave()
        }
    }

    private var now: ContinuousClock.Instant { .now }

    private func handle(_ event: ClientEvent) {
        switch event {
        case .welcome(let welcome):
            if avatarID == nil {
                context.metrics.connect.record(connectStarted.duration(to: now))
                if behavior == .quiz { context.metrics.quizPlayerJoined() }
            }
            if !isConnected { context.metrics.joined() }
            isConnected = true
            avatarID = welcome.you.id
            peers = []
            if behavior == .talker { client.setMedia(mic: true) }
            scheduleStep(after: random.uniform(0.1...1.0))
        case .state(let state):
            acknowledge(state.ack)
            timeMoves(state)
            if behavior == .quiz { recordOwnMotion(state) }
        case .chat(let chat):
            if chat.from.id != avatarID, chat.text.hasPrefix("t:"), let sent = sentTime(chat.text) {
                context.metrics.chatDelivery.record(sent.duration(to: now))
            }
        case .error(let error):
            context.metrics.error(error.code.rawValue)
        case .conversationPeers(let now):
            let added = now.filter { !peers.contains($0) }
            peers = now
            if behavior == .talker, let avatarID {
                for peer in added where avatarID > peer { signal(peer, .offer) }
            }
        case .signal(let from, let data):
            context.metrics.signalReceived()
            if let sent = FakeSignal.sentTime(data, origin: context.clockOrigin) {
                context.metrics.signalRelay.record(sent.duration(to: now))
            }
            if behavior == .talker, FakeSignal.kind(of: data) == .offer { signal(from, .answer) }
        case .people, .exhibit:
            break
        case .event(let message):
            guard behavior == .quiz else { break }
            switch message {
            case let question as ServerMessages.QuizQuestion:
                context.metrics.quizAsked()
                stance.asked(deadlineTick: question.deadlineTick)
                answerQuiz()
            case is ServerMessages.QuizResult:
                // Everyone walks back at once, as a crowd does when the answer is shown.
                goWait()
            case let verdict as ServerMessages.QuizVerdict:
                context.metrics.quizVerdict(chose: verdict.chose, stood: context.map.flatMap { stance.stood(on: $0.quiz) })
            default:
                break
            }
        case .reconnecting:
            context.metrics.reconnecting()
        case .closed(let error):
            let reason: String
            if stopped {
                reason = "finished"
            } else if let error {
                reason = FailureReason.label(error)
            } else {
                reason = "closed"
            }
            if avatarID == nil && !stopped {
                context.metrics.connectFailed(reason)
            } else {
                context.metrics.disconnected(reason, wasConnected: isConnected)
            }
            isConnected = false
            stopped = true
        }
    }

    private func acknowledge(_ ack: UInt32) {
        guard !sentAt.isEmpty else { return }
        for (sequence, sent) in sentAt where Int32(bitPattern: sequence &- ack) <= 0 {
            context.metrics.inputAck.record(sent.duration(to: now))
            sentAt[sequence] = nil
        }
    }

    /// Times how long another bot's change of direction took to reach this one.
    ///
    /// Only the first news of an avatar after its change counts, and only when it is the
    /// movement the change asked for: a later `move` can match the same intent by chance
    /// (sliding along a wall, then free again) seconds afterwards, and an avatar that
    /// came into view after its change was never this bot's to time.
    private func timeMoves(_ state: StateMessage) {
        for entry in state.entered where entry.id != avatarID {
            if let change = context.moves.change(of: entry.id) { lastTimed[entry.id] = change.at }
        }
        for entry in state.moved where entry.id != avatarID {
            guard let change = context.moves.change(of: entry.id) else { continue }
            if let last = lastTimed[entry.id], last >= change.at { continue }
            lastTimed[entry.id] = change.at
            guard Int(entry.motion.vx).signum() == change.dx, Int(entry.motion.vy).signum() == change.dy else { continue }
            context.metrics.moveSeen.record(change.at.duration(to: now))
        }
    }

    // MARK: Behaviour

    private func scheduleStep(after seconds: Double) {
        client.queue.asyncAfter(deadline: .now() + seconds) { [weak self] in self?.step() }
    }

    private func step() {
        guard !stopped, isConnected, let avatarID else { return }
        switch behavior {
        case .idle:
            return
        case .wander, .talker:
            // A talker walks as a wanderer does, so the two differ by the media alone.
            turn(avatarID)
            scheduleStep(after: random.uniform(1...3))
        case .chatter:
            if random.uniform(0...1) < 0.5 { turn(avatarID) }
            say()
            scheduleStep(after: random.uniform(context.chatInterval))
        case .crowd:
            gather()
            scheduleStep(after: random.uniform(4...8))
        case .quiz:
            // Until a question is asked, quiz bots wait below the fields like people do.
            if crowdTarget == nil { goWait() }
        }
    }

    /// Sends a description and, as a browser trickles them, its ICE candidates.
    private func signal(_ peer: UInt32, _ kind: FakeSignal.Kind) {
        for signal in [kind] + Array(repeating: FakeSignal.Kind.candidate, count: FakeSignal.candidatesPerDescription) {
            client.sendSignal(to: peer, data: FakeSignal.make(signal, at: context.clockOrigin.duration(to: now)))
            context.metrics.signalSent()
        }
    }

    private func turn(_ avatarID: UInt32) {
        let world = client.world
        guard let me = world.me else { return }
        let tileX = Int(me.motion.x) / 64
        let tileY = Int(me.motion.y) / 64
        var options = context.map?.openDirections(fromTileX: tileX, y: tileY)
            ?? [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1), (1, -1), (-1, 1)]
        options.removeAll { $0.dx == direction.dx && $0.dy == direction.dy }
        let choice = options.isEmpty ? (dx: 0, dy: 0) : options[Int(random.next() % UInt64(options.count))]
        direction = choice
        let sent = now
        let sequence = client.move(dx: choice.dx, dy: choice.dy)
        sentAt[sequence] = sent
        context.moves.record(avatar: avatarID, dx: choice.dx, dy: choice.dy, at: sent)
    }

    private func gather() {
        guard let map = context.map else { return }
        let targets = map.crowdTargets
        guard !targets.isEmpty else { return }
        let base = crowdTarget ?? targets[Int(random.next() % UInt64(targets.count))]
        crowdTarget = base
        let jitterX = Int(random.next() % 5) - 2
        let jitterY = Int(random.next() % 5) - 2
        let sequence = client.walk(toX: (base.x + jitterX) * 64 + 32, y: (base.y + jitterY) * 64 + 32)
        sentAt[sequence] = now
    }

    /// Walks to a random tile well inside the O or the X field, as a person answering would.
    private func answerQuiz() {
        guard let fields = context.map?.quiz, fields.isPlayable else { return }
        let field = random.next() % 2 == 0 ? fields.innerO : fields.innerX
        walk(to: field[Int(random.next() % UInt64(field.count))])
    }

    /// Walks to a random tile of the strip below the fields.
    private func goWait() {
        guard let fields = context.map?.quiz, fields.isPlayable else { return }
        walk(to: fields.waiting[Int(random.next() % UInt64(fields.waiting.count))])
    }

    private func walk(to tile: (x: Int, y: Int)) {
        crowdTarget = tile
        let sequence = client.walk(toX: tile.x * WireUnits.perTile + WireUnits.perTile / 2,
                                   y: tile.y * WireUnits.perTile + WireUnits.perTile / 2)
        sentAt[sequence] = now
    }

    /// Keeps the server's reports of this bot's own motion, for the verdict check.
    private func recordOwnMotion(_ state: StateMessage) {
        guard let avatarID else { return }
        for entry in state.entered where entry.id == avatarID { stance.reported(entry.motion, tick: state.tick) }
        for entry in state.moved where entry.id == avatarID { stance.reported(entry.motion, tick: state.tick) }
    }

    private func say() {
        let sent = now
        let text = "t:\(context.clockOrigin.duration(to: sent).nanoseconds) hello from bot \(index)"
        let metrics = context.metrics
        client.say(text, scope: .nearby) { [weak self] result in
            switch result {
            case .success: metrics.chatAck.record(sent.duration(to: .now))
            // A chat still in flight when the bot leaves at the end is not the server's error.
            case .failure(.notConnected) where self?.stopped ?? true: break
            case .failure(let error): metrics.error(FailureReason.label(error))
            }
        }
    }

    private func sentTime(_ text: String) -> ContinuousClock.Instant? {
        let digits = text.dropFirst(2).prefix { $0.isNumber }
        guard let nanoseconds = Int64(digits) else { return nil }
        return context.clockOrigin + .nanoseconds(nanoseconds)
    }
}

extension SeededRandom {
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + Double(next() % 1_000_000) / 1_000_000 * (range.upperBound - range.lowerBound)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }

    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
