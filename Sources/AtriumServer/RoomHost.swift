import AtriumCluster
import AtriumNet
import AtriumProtocol
import AtriumStore
import CoreMetrics
import AtriumWorld
import Dispatch
import Foundation
import Logging
import Synchronization

/// Runs one ``Room`` for real: its own serial queue, a timer at the map's tick rate, a
/// locked inbox that any queue may fill, and the encoding of the room's results.
///
/// Inputs are applied at the next tick in arrival order. A late timer catches up by
/// stepping up to ``maxCatchUpTicks`` times, so avatars keep their speed when the
/// machine hiccups, and beyond that the room skips ahead instead of spiralling.
///
/// `@unchecked Sendable`: `room` and `output` (with the session table) are touched only on `queue`;
/// the inbox is behind a mutex; the published counters are atomic.
public final class RoomHost: @unchecked Sendable {
    /// The instance's key: the room's id, or `room~N` for an overflow instance.
    public let id: String
    /// The room this hosts (an instance of): what tokens name and what the store keeps
    /// exhibits, notes and results under, shared by all its instances.
    public let roomID: String
    public let map: WorldMap
    public let queue: DispatchQueue
    let welcomeRoom: ServerMessages.Welcome.Room
    /// The map's boards, whose notes sessions page from the store directly.
    let boards: Set<String>
    let storage: any Storage
    let metrics: ServerMetrics
    let logger: Logger
    private let tickTimer: CoreMetrics.Timer
    private let avatarsGauge: Gauge
    private let connectedGauge: Gauge
    private let publishedConnected = Atomic<Int>(0)

    private var room: Room
    private var timer: (any DispatchSourceTimer)?
    /// Made on first use, on the room's queue. The store's answers come back through
    /// ``complete(_:_:)`` by a weak callback: the output holds nothing of its host.
    private lazy var output = HostOutput(
        messages: RoomEventMessages(mapID: map.id, tickRate: map.properties.tickRate, welcomeRoom: welcomeRoom),
        bridge: StoreBridge(room: roomID, storage: storage, logger: logger) { [weak self] ticket, outcome in
            self?.complete(ticket, outcome)
        },
        metrics: metrics)
    private let inbox = Mutex<[(RoomInput, Session?)]>([])
    /// Steps of the event-wide quiz, turned into inputs at the next tick, when the time
    /// left until an event-wide deadline is reckoned from that tick's wall time.
    private let quizSteps = Mutex<[QuizBusMessage]>([])
    private let publishedTick = Atomic<UInt32>(0)
    private let publishedPopulation = Atomic<Int>(0)
    private var startedAt = ContinuousClock.now
    private var ticksRun: UInt64 = 0
    /// Called on the room's queue with the duration of every tick.
    var onTick: (@Sendable (Duration) -> Void)?
    /// Asked before every tick; a room whose lease ran out (in a cluster) does not tick,
    /// even if the news of it has not reached the host yet.
    var mayTick: (@Sendable () -> Bool)?

    static let maxCatchUpTicks = 3

    /// Creates the room with what the store kept of its exhibits.
    /// - Parameter roomID: the room of which this is an instance; `id` when nil.
    public init(id: String, roomID: String? = nil, map: WorldMap, configuration: RoomConfiguration, storage: any Storage,
                metrics: ServerMetrics, logger: Logger) throws(StorageError) {
        self.id = id
        self.roomID = roomID ?? id
        self.map = map
        self.storage = storage
        self.metrics = metrics
        self.logger = logger
        tickTimer = metrics.tickTimer(room: id)
        avatarsGauge = metrics.avatars(room: id)
        connectedGauge = metrics.connected(room: id)
        let stored = try storage.loadExhibits(room: roomID ?? id, recentNotes: Room.recentNoteCount)
        room = Room(map: map, configuration: configuration, persisted: Self.persisted(stored))
        queue = DispatchQueue(label: "atrium.room.\(id)")
        boards = Set(map.exhibits.filter { $0.kind == .board }.map(\.id))
        welcomeRoom = ServerMessages.Welcome.Room(
            id: id, name: map.properties.name, map: map.id, width: map.width, height: map.height,
            tickRate: map.properties.tickRate, viewRadius: map.properties.viewRadius,
            chatRadius: map.properties.chatRadius, step: Int(room.step), diagonalStep: Int(room.diagonalStep),
            unitsPerTile: Int(Position.unitsPerTile), avRadius: map.properties.avRadius,
            streamUrl: map.properties.streamURL)
    }

    /// The tick most recently completed; readable from any queue.
    public var tick: UInt32 { publishedTick.load(ordering: .relaxed) }
    /// Avatars in the room after the last tick, away ones included.
    public var population: Int { publishedPopulation.load(ordering: .relaxed) }
    public var capacity: Int { room.capacity }
    /// Clients with an avatar after the last tick.
    public var connectedClients: Int { publishedConnected.load(ordering: .relaxed) }

    /// Copies the room's counts into its gauges, for `/metrics`.
    func publishGauges() {
        avatarsGauge.record(population)
        connectedGauge.record(connectedClients)
    }

    /// Queues an input for the next tick. A join carries its session, which the host
    /// then knows the client by.
    public func submit(_ input: RoomInput, from session: Session? = nil) {
        inbox.withLock { $0.append((input, session)) }
    }

    /// A step of the event-wide quiz from its lead, for the next tick.
    func submitQuizStep(_ message: QuizBusMessage) {
        quizSteps.withLock { $0.append(message) }
    }

    /// A WebRTC signal, relayed on the room's queue right away (the peer sets it checks
    /// are those of the last tick), rather than waiting for the next tick.
    func relay(from client: ClientID, to target: UInt32, data: String) {
        queue.async { [self] in room.relaySignal(from: client, to: target, data: data, output: &output) }
    }

    /// A write's outcome, applied on the room's queue right away rather than at the next
    /// tick, which would add half a tick on average to every acknowledgement.
    func complete(_ ticket: StoreTicket, _ outcome: StoreOutcome) {
        queue.async { [self] in room.complete(ticket, outcome, output: &output) }
    }

    public func start() {
        queue.async { [self] in
            startedAt = .now
            let timer = DispatchSource.makeTimerSource(flags: .strict, queue: queue)
            let interval = 1.0 / Double(map.properties.tickRate)
            timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .microseconds(500))
            timer.setEventHandler { [weak self] in self?.fire() }
            timer.activate()
            self.timer = timer
        }
    }

    public func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
        }
    }

    private func fire() {
        if let mayTick, !mayTick() { return }
        let elapsed = startedAt.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let due = UInt64(seconds * Double(map.properties.tickRate))
        var steps = due > ticksRun ? min(due - ticksRun, UInt64(Self.maxCatchUpTicks)) : 1
        if due > ticksRun + UInt64(Self.maxCatchUpTicks) { ticksRun = due - UInt64(Self.maxCatchUpTicks) }
        while steps > 0 {
            runTick()
            steps -= 1
        }
    }

    /// One tick: take the inbox, step the room, publish the counters.
    func runTick() {
        let started = ContinuousClock.now
        let pending = inbox.withLock { inbox -> [(RoomInput, Session?)] in
            defer { inbox.removeAll(keepingCapacity: true) }
            return inbox
        }
        var inputs: [RoomInput] = []
        inputs.reserveCapacity(pending.count)
        for (input, session) in pending {
            if case .join(let request) = input, let session {
                output.sessions[request.client] = session
                if output.stage == nil { output.stage = session.context.stage }
            }
            inputs.append(input)
        }
        output.wallTime = Int64(Date().timeIntervalSince1970 * 1000)
        let steps = quizSteps.withLock { steps -> [QuizBusMessage] in
            defer { steps.removeAll() }
            return steps
        }
        for message in steps {
            if let step = EventQuizDesk.step(message, nowMilliseconds: output.wallTime, tickRate: map.properties.tickRate) {
                inputs.append(.eventQuiz(step))
            }
        }
        output.tick = room.tick
        room.step(inputs: inputs, output: &output)
        for input in inputs {
            switch input {
            case .disconnect(let client), .leave(let client):
                output.sessions[client] = nil
            default:
                break
            }
        }
        ticksRun += 1
        publishedTick.store(room.tick, ordering: .relaxed)
        publishedPopulation.store(room.population, ordering: .relaxed)
        publishedConnected.store(room.connectedClients, ordering: .relaxed)
        let duration = started.duration(to: .now)
        tickTimer.recordNanoseconds(duration.totalNanoseconds)
        onTick?(duration)
    }

    static func persisted(_ stored: StoredExhibits) -> Room.PersistedExhibits {
        var result = Room.PersistedExhibits()
        for (exhibit, kinds) in stored.reactions {
            for (kind, people) in kinds {
                guard let reaction = ReactionKind(rawValue: kind) else { continue }
                result.reactions[exhibit, default: [:]][reaction] = people
            }
        }
        for (exhibit, notes) in stored.recentNotes {
            result.recentNotes[exhibit] = notes.map(Note.init(record:))
        }
        return result
    }

    /// Sends a message to every session of the room, from its queue; returns once every
    /// send is queued on its connection, so a close issued afterwards goes out behind it.
    func broadcastToSessions(_ message: some ServerMessage) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                let frame = WebSocketChannel.encodeSharedFrame(.text(String(decoding: message.encoded(), as: UTF8.self)))
                for session in output.sessions.all { session.send(sharedFrame: frame) }
                continuation.resume()
            }
        }
    }

    /// Ends the sessions `matching` says, each with `error` (a revocation or ban that
    /// came over the bus); their avatars leave at once rather than wait to be resumed.
    func endSessions(with error: ServerMessages.ErrorMessage, matching: @escaping @Sendable (Session) -> Bool) {
        queue.async { [self] in
            for session in output.sessions.all where matching(session) {
                submit(.leave(session.client))
                session.end(with: error)
            }
        }
    }

    /// Stops the room for good on this node (its lease is gone): no further tick, and
    /// every session is ended with `notice`, which sends the client for a new seat.
    /// Writes already handed to the store still complete. Returns once the notices are
    /// queued on their connections, so a shutdown that follows closes behind them.
    func retire(with notice: ServerMessages.ErrorMessage) {
        queue.sync { [self] in
            timer?.cancel()
            timer = nil
            for session in output.sessions.all { session.end(with: notice) }
        }
    }

    /// Sends a message to every session of the room, from its queue, without waiting.
    func broadcast(_ message: some ServerMessage) {
        queue.async { [self] in
            let frame = WebSocketChannel.encodeSharedFrame(.text(String(decoding: message.encoded(), as: UTF8.self)))
            for session in output.sessions.all { session.send(sharedFrame: frame) }
        }
    }

    /// The room's running instances changed: every visitor hears it, and each newcomer
    /// after its welcome.
    func setInstances(_ message: ServerMessages.Instances) {
        queue.async { [self] in
            guard output.instances != message else { return }
            output.instances = message
            let frame = WebSocketChannel.encodeSharedFrame(.text(String(decoding: message.encoded(), as: UTF8.self)))
            for session in output.sessions.all { session.send(sharedFrame: frame) }
        }
    }

    /// Lets the room reach its other instances and nodes (in a cluster); before `start`.
    func setRelay(_ relay: HostRelay) {
        queue.async { [self] in output.relay = relay }
    }
}
