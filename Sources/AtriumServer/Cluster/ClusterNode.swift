import AtriumCluster
import AtriumWorld
import Dispatch
import Foundation
import Logging
import Synchronization

/// What a ``ClusterNode`` needs from its server.
protocol ClusterHosting: AnyObject, Sendable {
    /// Builds and starts the instance's host (its state read from the store), then says
    /// whether that worked.
    func startHosting(_ instance: RoomInstance, generation: Int64, completion: @escaping @Sendable (Bool) -> Void)
    /// Stops the instance at once: no further tick, its visitors told to ask for a seat.
    func stopHosting(_ instance: RoomInstance, reason: LeaseAction.StopReason)
    /// Avatars in the instance now, reported to the directory with each renewal.
    func population(of instance: RoomInstance) -> Int
    /// Acts on an event from the bus.
    func apply(_ envelope: BusEnvelope)
    /// The running instances of `room` and their counts, for the visitors of the
    /// instances hosted here (a room with overflow instances).
    func instancesChanged(room: String, loads: [InstancePlacement.Load])
}

/// This server's part in a cluster: the shell around the ``LeaseKeeper`` and the
/// ``BusFollower``. It runs their actions against the directory and the bus and feeds the
/// answers back, all on its own serial queue, and answers seat requests.
///
/// Which instances the node hosts is published in a lock-protected snapshot, read by the
/// router before it lets a WebSocket in and by each room before every tick, so a room
/// stops at the end of its lease even when this queue is late.
///
/// `@unchecked Sendable`: `keeper`, `follower`, `waiting` and `timer` are touched only on
/// `queue`; the snapshot is behind a mutex.
final class ClusterNode: @unchecked Sendable {
    let name: String
    let settings: ClusterConfiguration
    let directory: any ClusterDirectory
    let bus: any ClusterBus
    let signer: ServerSecret
    let logger: Logger
    let metrics: ClusterMetrics
    weak var hosting: (any ClusterHosting)?
    let queue = DispatchQueue(label: "atrium.cluster")

    private var keeper: LeaseKeeper
    private var follower: BusFollower?
    private var timer: (any DispatchSourceTimer)?
    private var waiting: [RoomInstance: [@Sendable (SeatOutcome) -> Void]] = [:]
    private var drained: [@Sendable () -> Void] = []
    private let snapshot = Mutex<[RoomInstance: HostedLease]>([:])
    /// Capacity of one instance of each configured room.
    private let capacities: [String: Int]
    private let wallClock: @Sendable () -> Int64
    /// The event-wide quizzes led here.
    private var quizDesk: EventQuizDesk
    /// Per room, the steps of the event quiz its instances follow (``quizSoFar(room:)``).
    private let quizMemory = Mutex<[String: [QuizBusMessage]]>([:])
    /// When the instances' counts were last read for the visitors.
    private var rosterDue = ContinuousClock.now
    /// How often the visitors' list of instances is refreshed from the directory.
    static let rosterInterval: Duration = .seconds(2)

    init(settings: ClusterConfiguration, name: String, directory: any ClusterDirectory, bus: any ClusterBus, signer: ServerSecret,
         capacities: [String: Int], metrics: ServerMetrics, logger: Logger,
         wallClock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.name = name
        self.settings = settings
        self.directory = directory
        self.bus = bus
        self.signer = signer
        self.capacities = capacities
        self.metrics = ClusterMetrics(metrics: metrics, node: name)
        self.logger = logger
        self.wallClock = wallClock
        keeper = LeaseKeeper(settings: settings.lease)
        quizDesk = EventQuizDesk(node: name)
    }

    // MARK: Read from any queue

    /// The generation under which this node hosts `instance` now, if it does.
    func hostingGeneration(_ instance: RoomInstance, now: ContinuousClock.Instant = .now) -> Int64? {
        snapshot.withLock { $0[instance] }.flatMap { now < $0.validUntil ? $0.generation : nil }
    }

    /// Every instance hosted now, for `/metrics` and `status`.
    var hostedInstances: [RoomInstance: Int64] {
        let now = ContinuousClock.now
        return snapshot.withLock { $0 }.filter { now < $0.value.validUntil }.mapValues(\.generation)
    }

    // MARK: Life

    /// Starts renewing and listening: reads the saved bus cursor first, so what happened
    /// while the node was down is applied before anything new.
    func start() {
        bus.cursor(node: name) { [self] saved in
            switch saved {
            case .success(let cursor?):
                begin(cursor: cursor)
            case .success(nil), .failure:
                // A node never seen starts at the present: it has nobody to tell about the past.
                bus.latestID { [self] latest in begin(cursor: (try? latest.get()) ?? 0) }
            }
        }
        queue.async { [self] in
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + 0.25, repeating: 0.25, leeway: .milliseconds(20))
            timer.setEventHandler { [weak self] in self?.tick() }
            timer.activate()
            self.timer = timer
        }
    }

    private func begin(cursor: Int64) {
        queue.async { [self] in
            follower = BusFollower(cursor: cursor, now: .now)
            logger.info("bus cursor", metadata: ["cursor": "\(cursor)"])
            bus.subscribe(connected: { [weak self] in
                guard let self else { return }
                queue.async { self.runBus(self.follower?.connected() ?? []) }
            }, notified: { [weak self] id, envelope in
                guard let self else { return }
                let now = wallClock()
                queue.async { self.runBus(self.follower?.notified(id: id, envelope: envelope, nowMilliseconds: now) ?? []) }
            })
        }
    }

    private func tick() {
        let now = ContinuousClock.now
        run(keeper.tick(now: now))
        publishQuiz(quizDesk.tick(nowMilliseconds: wallClock()))
        if settings.maxInstances > 1, now >= rosterDue {
            rosterDue = now + Self.rosterInterval
            refreshRoster()
        }
        if var follower {
            let actions = follower.tick(now: now)
            self.follower = follower
            runBus(actions)
        }
    }

    /// Stops every hosted instance and releases its lease, then calls `completion` (at
    /// the latest after `timeout`, when the directory does not answer: the leases then
    /// simply expire).
    func drain(timeout: Duration = .seconds(5), completion: @escaping @Sendable () -> Void) {
        let once = Once(completion)
        queue.async { [self] in
            run(keeper.drain(now: .now))
            if keeper.isDrained { once.run() } else { drained.append { once.run() } }
        }
        queue.asyncAfter(deadline: .now() + timeout.dispatchInterval) { once.run() }
    }

    // MARK: Seats

    /// Where a visitor of `room` should go: the instance placement decides which
    /// instance, the directory who hosts it; an instance nobody hosts is claimed here.
    func seat(room: String, instance: Int?, moderator: Bool, completion: @escaping @Sendable (SeatOutcome) -> Void) {
        guard let capacity = capacities[room] else {
            completion(.unknownRoom)
            return
        }
        directory.lookup(room: room) { [self] result in
            queue.async { [self] in
                let entries: [DirectoryEntry]
                switch result {
                case .success(let found): entries = found
                case .failure(let error):
                    logger.warning("directory lookup failed", metadata: ["error": "\(error)"])
                    return completion(.unavailable("the room directory cannot be read now"))
                }
                let placement = InstancePlacement.Settings(capacity: capacity, openThreshold: settings.openThreshold,
                                                           maxInstances: settings.maxInstances)
                // The directory's counts are as old as the last renewal; this node's own are live.
                let loads = entries.map { entry in
                    InstancePlacement.Load(number: entry.instance.number,
                                           population: entry.owner.node == name
                                               ? hosting?.population(of: entry.instance) ?? entry.population : entry.population)
                }
                let number: Int
                switch InstancePlacement.place(.init(instance: instance, isModerator: moderator), among: loads, settings: placement) {
                case .full: return completion(.full)
                case .join(let chosen), .open(let chosen): number = chosen
                }
                let target = RoomInstance(room: room, number: number)
                let reply: @Sendable (SeatOutcome) -> Void = { completion($0.with(loads)) }
                if let entry = entries.first(where: { $0.instance == target }) {
                    return reply(answer(for: target, owner: entry.owner))
                }
                if let generation = keeper.hostingGeneration(target, now: .now) {
                    return reply(answer(for: target, owner: LeaseOwner(node: name, generation: generation)))
                }
                waiting[target, default: []].append(reply)
                run(keeper.want(target, now: .now))
            }
        }
    }

    /// A seat for `owner`; a lease the directory gives this node's name but that this
    /// process does not hold (a predecessor that crashed) is waited out.
    private func answer(for instance: RoomInstance, owner: LeaseOwner) -> SeatOutcome {
        if owner.node == name && keeper.hostingGeneration(instance, now: .now) != owner.generation {
            return .retry(after: .seconds(2))
        }
        let seat = Seat(instance: instance, node: owner.node, generation: owner.generation,
                        expires: wallClock() + settings.seatLifetime.milliseconds)
        return .seat(seat, token: seat.signed(with: signer), loads: [])
    }

    private func answerWaiters(_ instance: RoomInstance, _ outcome: @autoclosure () -> SeatOutcome) {
        guard let waiters = waiting.removeValue(forKey: instance), !waiters.isEmpty else { return }
        let outcome = outcome()
        for waiter in waiters { waiter(outcome) }
    }

    // MARK: Bus

    /// Publishes an event to every node (this one included) through the bus.
    func publish(_ event: ClusterEvent, completion: @escaping @Sendable (Result<Int64, DirectoryError>) -> Void) {
        bus.publish(event, origin: name, completion: completion)
    }

    private func runBus(_ actions: [BusAction]) {
        for action in actions {
            switch action {
            case .read(let after, let limit):
                bus.read(after: after, limit: limit) { [weak self] result in
                    guard let self else { return }
                    let now = wallClock()
                    queue.async {
                        guard var follower = self.follower else { return }
                        let next: [BusAction]
                        switch result {
                        case .success(let rows): next = follower.read(rows, nowMilliseconds: now)
                        case .failure(let error):
                            self.logger.warning("bus read failed", metadata: ["error": "\(error)"])
                            follower.readFailed(now: .now)
                            next = []
                        }
                        self.follower = follower
                        self.runBus(next)
                    }
                }
            case .apply(let envelope):
                metrics.applied(envelope, nowMilliseconds: wallClock())
                hosting?.apply(envelope)
            case .saveCursor(let cursor):
                bus.saveCursor(node: name, cursor: cursor)
            }
        }
    }

    // MARK: Overflow instances

    /// Tells the instances hosted here which instances their room runs, with counts
    /// (the directory's, this node's own live).
    private func refreshRoster() {
        let hostedRooms = Set(keeper.hosted(now: .now).keys.map(\.room))
        guard !hostedRooms.isEmpty else { return }
        directory.lookup(room: nil) { [weak self] result in
            guard let self, case .success(let entries) = result else { return }
            queue.async { [self] in
                for room in hostedRooms {
                    let loads = entries.filter { $0.instance.room == room }.map { entry in
                        InstancePlacement.Load(number: entry.instance.number,
                                               population: entry.owner.node == name
                                                   ? hosting?.population(of: entry.instance) ?? entry.population : entry.population)
                    }
                    hosting?.instancesChanged(room: room, loads: loads)
                }
            }
        }
    }

    // MARK: Event-wide quiz

    /// A report of an instance of `room` for the event's quiz lead: an open makes this
    /// node the lead; anything else goes to the lead through the bus.
    func quizReport(_ report: EventQuizReport, room: String, instance: Int, tickRate: Int) {
        queue.async { [self] in
            if case .open(let set, let mode) = report {
                publishQuiz(quizDesk.open(room: room, set: set, mode: mode, tickRate: tickRate, nowMilliseconds: wallClock()))
            } else if let message = EventQuizDesk.message(for: report, room: room, instance: instance) {
                publishQuiz([message])
            }
        }
    }

    /// A quiz message from the bus, for the leads held here.
    func quizHeard(_ message: QuizBusMessage) {
        remember(message)
        queue.async { [self] in publishQuiz(quizDesk.heard(message, nowMilliseconds: wallClock())) }
    }

    /// The running event quiz's steps for `room` (its opening, then everything since the
    /// last question), which an instance that starts while the quiz runs applies first:
    /// it shows the question with the time left and reports to the lead like the others.
    func quizSoFar(room: String) -> [QuizBusMessage] {
        quizMemory.withLock { $0[room] ?? [] }
    }

    private func remember(_ message: QuizBusMessage) {
        quizMemory.withLock { memory in
            let followed = memory[message.room]?.first?.run
            switch message.step {
            case .opened:
                if followed == nil { memory[message.room] = [message] }
            case .asked where followed == message.run:
                memory[message.room] = Array(memory[message.room]!.prefix(1)) + [message]
            case .paused, .resumed, .skipped, .result:
                if followed == message.run { memory[message.room]!.append(message) }
            case .ended where followed == message.run:
                memory[message.room] = nil
            default:
                break
            }
        }
    }

    private func publishQuiz(_ messages: [QuizBusMessage]) {
        for message in messages {
            publish(.quiz(message)) { [logger] result in
                if case .failure(let error) = result {
                    logger.warning("quiz step not published", metadata: ["run": "\(message.run)", "error": "\(error)"])
                }
            }
        }
    }

    // MARK: Leases

    private func run(_ actions: [LeaseAction]) {
        for action in actions {
            switch action {
            case .claim(let instance):
                directory.claim(instance, node: name, lease: settings.lease.duration) { [weak self] answer in
                    guard let self else { return }
                    queue.async { self.run(self.keeper.claimAnswered(instance, answer, now: .now)) }
                }
            case .renew(let instance, let generation):
                let population = hosting?.population(of: instance) ?? 0
                directory.renew(instance, node: name, generation: generation, lease: settings.lease.duration,
                                population: population) { [weak self] answer in
                    guard let self else { return }
                    queue.async { self.run(self.keeper.renewAnswered(instance, answer, now: .now)) }
                }
            case .release(let instance, let generation):
                directory.release(instance, node: name, generation: generation) { [weak self] in
                    guard let self else { return }
                    queue.async {
                        self.keeper.releaseAnswered(instance)
                        if self.keeper.isDrained {
                            let waiting = self.drained
                            self.drained = []
                            waiting.forEach { $0() }
                        }
                    }
                }
            case .startHosting(let instance, let generation):
                logger.notice("hosting", metadata: ["instance": "\(instance)", "generation": "\(generation)"])
                metrics.lease("claimed")
                metrics.hosted(instance, true)
                publishSnapshot()
                guard let hosting else { continue }
                hosting.startHosting(instance, generation: generation) { [weak self] started in
                    guard let self else { return }
                    queue.async {
                        if started {
                            self.answerWaiters(instance, self.answer(for: instance, owner: LeaseOwner(node: self.name, generation: generation)))
                        } else {
                            self.run(self.keeper.give(instance))
                            self.answerWaiters(instance, .unavailable("the room could not be started"))
                        }
                    }
                }
            case .stopHosting(let instance, let reason):
                logger.notice("stopped hosting", metadata: ["instance": "\(instance)", "reason": "\(reason.rawValue)"])
                metrics.lease(reason.rawValue)
                metrics.hosted(instance, false)
                publishSnapshot()
                hosting?.stopHosting(instance, reason: reason)
            case .claimRefused(let instance, let owner):
                if let owner {
                    answerWaiters(instance, answer(for: instance, owner: owner))
                } else {
                    answerWaiters(instance, .unavailable("the room directory did not answer"))
                }
            }
        }
        publishSnapshot()
    }

    private func publishSnapshot() {
        let hosted = keeper.hosted(now: .now)
        snapshot.withLock { $0 = hosted }
    }
}

/// The answer to a seat request.
enum SeatOutcome: Sendable, Equatable {
    /// A seat, and the room's instances as the directory knew them.
    case seat(Seat, token: String, loads: [InstancePlacement.Load])
    case unknownRoom
    /// Every instance is full and no more may open.
    case full
    /// Ask again after this long (the room is between nodes).
    case retry(after: Duration)
    case unavailable(String)

    func with(_ loads: [InstancePlacement.Load]) -> SeatOutcome {
        guard case .seat(let seat, let token, _) = self else { return self }
        return .seat(seat, token: token, loads: loads)
    }
}

/// Runs a closure once, whichever of several paths gets there first.
final class Once: Sendable {
    private let body: Mutex<(@Sendable () -> Void)?>

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = Mutex(body)
    }

    func run() {
        body.withLock { body -> (@Sendable () -> Void)? in
            defer { body = nil }
            return body
        }?()
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
