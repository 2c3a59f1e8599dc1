import AtriumNet
import AtriumWebSocket
import Dispatch
import Foundation
import Logging
import Synchronization

/// Atrium's side of Janus: one WebSocket and one Janus session for the whole server, one
/// VideoRoom per Atrium room, and the tokens browsers get. All of it runs on one serial
/// queue, driven by a timer; the rules are in ``JanusSessionMachine`` and ``StageRoom``,
/// and this class only performs their actions. Media never comes near it.
///
/// `@unchecked Sendable`: every stored `var` is touched only on `queue`; the status that
/// `/readyz` reads is behind a mutex.
public final class JanusStage: @unchecked Sendable {
    public let configuration: StageConfiguration
    private let url: WebSocketURL
    private let publicURL: String
    private let secret: String
    private let logger: Logger
    private let group: IOQueueGroup
    private let wallClock: @Sendable () -> Double
    let queue = DispatchQueue(label: "atrium.stage")

    private var machine: JanusSessionMachine
    private var rooms: [String: StageRoom] = [:]
    private var channel: WebSocketChannel?
    /// Bumped whenever a connection is dropped, so that late news from it is ignored.
    private var generation: UInt64 = 0
    private var timer: (any DispatchSourceTimer)?
    private var nextTicket: UInt64 = 1
    private var tickets: [UInt64: (room: String, purpose: StageRoom.Purpose)] = [:]
    private var grantWaiters: [String: [UInt64: [@Sendable (StageError?) -> Void]]] = [:]
    private var lastReconcile = ContinuousClock.now
    private var liveHandler: (@Sendable (String, Set<UInt64>) -> Void)?
    private let publishedStatus = Mutex<StageStatus>(.degraded("connecting to Janus"))

    /// How often the timer runs the session machine: keep-alives, timeouts, reconnects.
    static let tickMilliseconds = 200
    /// The WebSocket subprotocol of Janus's API.
    static let subprotocol = "janus-protocol"

    /// - Parameter roomIDs: Atrium's rooms; each gets a VideoRoom.
    /// - Precondition: `configuration.isEnabled` and validated (a URL, a secret, an admin key).
    public init(configuration: StageConfiguration, roomIDs: [String], logger: Logger, group: IOQueueGroup,
                wallClock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        precondition(configuration.isEnabled, "JanusStage needs stage.janus_url")
        self.configuration = configuration
        url = WebSocketURL(configuration.janusURL ?? "") ?? WebSocketURL(isSecure: false, host: "127.0.0.1", port: 8188, target: "/")
        publicURL = configuration.publicURL ?? url.description
        secret = configuration.janusSecret ?? ""
        self.logger = logger
        self.group = group
        self.wallClock = wallClock
        machine = JanusSessionMachine(settings: .init(
            requestTimeout: configuration.requestTimeout, keepAliveInterval: configuration.keepAliveInterval,
            reconnectDelay: configuration.reconnectDelay, maxReconnectDelay: configuration.maxReconnectDelay,
            maxQueued: configuration.maxQueuedRequests), now: .now)
        let watcherID = Self.watcherIDBase + UInt64.random(in: 0..<(1 << 32))
        for roomID in roomIDs {
            let number = StageNaming.roomNumber(for: roomID, secret: secret)
            let settings = VideoRoomRequest.RoomSettings(
                description: "atrium \(roomID.prefix(60))", secret: StageNaming.roomSecret(for: number, secret: secret),
                adminKey: configuration.janusAdminKey ?? "", publishers: configuration.maxPublishers,
                bitrate: configuration.videoBitrate)
            rooms[roomID] = StageRoom(room: number, secret: settings.secret, settings: settings, watcherID: watcherID)
        }
    }

    /// Watcher ids live above every feed id (feeds are avatar ids, below 2^32).
    static let watcherIDBase: UInt64 = 1 << 40

    // MARK: Public face

    /// Whether the stage has video now: Janus's session and every room's VideoRoom ready.
    public var status: StageStatus { publishedStatus.withLock { $0 } }

    /// Called on the stage's queue with a room's live feeds (avatar ids) whenever they change.
    public func onLive(_ handler: @escaping @Sendable (_ room: String, _ feeds: Set<UInt64>) -> Void) {
        queue.async { self.liveHandler = handler }
    }

    public func start() {
        queue.async {
            let timer = DispatchSource.makeTimerSource(queue: self.queue)
            timer.schedule(deadline: .now(), repeating: .milliseconds(Self.tickMilliseconds))
            timer.setEventHandler { [weak self] in self?.tick() }
            self.timer = timer
            timer.resume()
        }
    }

    /// Closes the connection; Janus ends the session and the rooms' watchers with it, and keeps
    /// the rooms for the next start.
    public func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
            perform(machine.stop())
        }
    }

    /// A viewer's grant: signed, not on any list, so it subscribes and nothing more. Refused
    /// while the stage has no video (Janus away, the VideoRoom not ready).
    public func viewerGrant(room roomID: String) -> Result<StageGrant, StageError> {
        if case .degraded(let reason) = status { return .failure(.unavailable(reason)) }
        guard let number = queue.sync(execute: { rooms[roomID]?.room }) else {
            return .failure(.unavailable("no VideoRoom for room \(roomID)"))
        }
        let expires = self.expires()
        return .success(StageGrant(url: publicURL, room: number, token: JanusToken.core(expires: expires, secret: secret),
                                   roomToken: JanusToken.room(number, expires: expires, secret: secret), feed: nil,
                                   expires: expires))
    }

    /// A publisher's grant for an avatar Atrium put on stage: its token goes on the room's
    /// allowed list first, and the grant is handed over once Janus has it.
    public func publisherGrant(room roomID: String, avatar: UInt32,
                               completion: @escaping @Sendable (Result<StageGrant, StageError>) -> Void) {
        queue.async {
            guard let number = self.rooms[roomID]?.room else {
                completion(.failure(.unavailable("no VideoRoom for room \(roomID)")))
                return
            }
            let feed = UInt64(avatar)
            let expires = self.expires()
            // The nonce makes every grant's token its own, so that taking an old one off the
            // list never takes the new one with it.
            let roomToken = JanusToken.room(number, expires: expires, secret: self.secret,
                                            extra: ["publisher=\(feed)", "n=\(UInt32.random(in: 0...UInt32.max))"])
            let grant = StageGrant(url: self.publicURL, room: number, token: JanusToken.core(expires: expires, secret: self.secret),
                                   roomToken: roomToken, feed: feed, expires: expires)
            self.grantWaiters[roomID, default: [:]][feed, default: []].append { error in
                completion(error.map { .failure($0) } ?? .success(grant))
            }
            self.roomActions(roomID) { $0.grant(feed: feed, token: roomToken) }
        }
    }

    /// Ends an avatar's publication: its token comes off the list and its feed is kicked. A
    /// grant still waiting for Janus is refused.
    public func endPublication(room roomID: String, avatar: UInt32) {
        queue.async {
            let feed = UInt64(avatar)
            self.roomActions(roomID) { $0.revoke(feed: feed) }
            let waiters = self.grantWaiters[roomID]?.removeValue(forKey: feed) ?? []
            for waiter in waiters { waiter(.unavailable("the publication ended before Janus had the grant")) }
        }
    }

    private func expires() -> Int64 {
        Int64(wallClock()) + Int64(configuration.tokenLifetime.components.seconds)
    }

    // MARK: Driving the machines

    private func tick() {
        let now = ContinuousClock.now
        perform(machine.tick(now: now))
        if now - lastReconcile >= configuration.reconcileInterval {
            lastReconcile = now
            for roomID in rooms.keys.sorted() { roomActions(roomID) { $0.reconcile() } }
        }
    }

    private func roomActions(_ roomID: String, _ body: (inout StageRoom) -> [StageRoom.Action]) {
        guard var room = rooms[roomID] else { return }
        let actions = body(&room)
        rooms[roomID] = room
        perform(actions, room: roomID)
    }

    private func perform(_ actions: [JanusSessionMachine.Action]) {
        for action in actions {
            switch action {
            case .connect:
                connect()
            case .disconnect:
                generation += 1
                channel?.close(code: .goingAway, reason: "")
                channel = nil
            case .send(let transaction, let request):
                let token = JanusToken.core(expires: expires(), secret: secret)
                channel?.send(text: request.encoded(transaction: transaction, token: token))
            case .complete(let ticket, let result):
                guard let (roomID, purpose) = tickets.removeValue(forKey: ticket) else { continue }
                roomActions(roomID) { $0.outcome(purpose, result) }
            case .event(let handle, let reply):
                for roomID in rooms.keys.sorted() { roomActions(roomID) { $0.event(reply, handle: handle) } }
            case .availability(let availability):
                switch availability {
                case .ready:
                    logger.info("stage: Janus session open", metadata: ["janus": "\(url)"])
                    for roomID in rooms.keys.sorted() {
                        let token = JanusToken.room(rooms[roomID]!.room, expires: expires(), secret: secret, extra: ["atrium"])
                        roomActions(roomID) { $0.sessionReady(watcherToken: token) }
                    }
                case .unavailable(let reason):
                    logger.warning("stage: Janus unavailable; the stage falls back to text", metadata: ["reason": "\(reason)"])
                    for roomID in rooms.keys.sorted() { roomActions(roomID) { $0.sessionLost(reason) } }
                case .connecting:
                    break
                }
                publishStatus()
            }
        }
    }

    private func perform(_ actions: [StageRoom.Action], room roomID: String) {
        for action in actions {
            switch action {
            case .call(let purpose, let call):
                let ticket = nextTicket
                nextTicket += 1
                tickets[ticket] = (roomID, purpose)
                perform(machine.submit(call, ticket: ticket, now: .now))
            case .live(let feeds):
                liveHandler?(roomID, feeds)
            case .status(let status):
                if case .failed(let reason) = status, machine.availability == .ready {
                    logger.warning("stage: VideoRoom not ready", metadata: ["room": "\(roomID)", "reason": "\(reason)"])
                }
                publishStatus()
            case .granted(let feed, let error):
                let waiters = grantWaiters[roomID]?.removeValue(forKey: feed) ?? []
                for waiter in waiters { waiter(error) }
            }
        }
    }

    private func publishStatus() {
        var status = StageStatus.ready
        if case .unavailable(let reason) = machine.availability {
            status = .degraded(reason)
        } else if machine.availability == .connecting {
            status = .degraded("connecting to Janus")
        } else if let (roomID, room) = rooms.sorted(by: { $0.key < $1.key }).first(where: { $0.value.status != .ready }) {
            switch room.status {
            case .failed(let reason): status = .degraded(reason)
            default: status = .degraded("preparing the VideoRoom of room \(roomID)")
            }
        }
        publishedStatus.withLock { $0 = status }
    }

    // MARK: The connection

    private func connect() {
        generation += 1
        let generation = self.generation
        var configuration = WebSocketConfiguration(maxMessageBytes: self.configuration.maxJanusMessageBytes)
        configuration.compression.isEnabled = false
        let options = WebSocketClient.Options(configuration: configuration, subprotocols: [Self.subprotocol],
                                              timeout: self.configuration.requestTimeout)
        WebSocketClient.connect(to: url, group: group, options: options) { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let channel):
                channel.delegate = JanusChannelDelegate(stage: self, generation: generation)
                self.queue.async {
                    guard generation == self.generation else {
                        channel.close(code: .goingAway, reason: "")
                        return
                    }
                    self.channel = channel
                    self.perform(self.machine.connected(now: .now))
                }
            case .failure(let error):
                self.queue.async {
                    guard generation == self.generation else { return }
                    self.perform(self.machine.connectionFailed("cannot reach Janus at \(self.url): \(error)", now: .now))
                }
            }
        }
    }

    fileprivate func received(_ message: JanusIncoming, generation: UInt64) {
        guard generation == self.generation else { return }
        perform(machine.received(message, now: .now))
    }

    fileprivate func closed(generation: UInt64) {
        guard generation == self.generation else { return }
        channel = nil
        perform(machine.closed(now: .now))
    }
}

/// Hands what arrives on the Janus WebSocket to the stage's queue, decoded.
private final class JanusChannelDelegate: WebSocketChannelDelegate {
    private weak var stage: JanusStage?
    private let generation: UInt64

    init(stage: JanusStage, generation: UInt64) {
        self.stage = stage
        self.generation = generation
    }

    func webSocket(_ channel: WebSocketChannel, didReceive message: WebSocketMessage) {
        guard let stage, message.kind == .text, let incoming = JanusIncoming.decode(message.data) else { return }
        let generation = self.generation
        stage.queue.async { stage.received(incoming, generation: generation) }
    }

    func webSocketDidClose(_ channel: WebSocketChannel, report: WebSocketCloseReport) {
        guard let stage else { return }
        let generation = self.generation
        stage.queue.async { stage.closed(generation: generation) }
    }
}
