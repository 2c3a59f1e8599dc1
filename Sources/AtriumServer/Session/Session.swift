import AtriumNet
import AtriumProtocol
import AtriumWebSocket
import AtriumWorld
import Dispatch
import Logging
import Synchronization

/// One client's WebSocket session: the adapter between its channel and its
/// ``SessionMachine``. It hands every input to the machine with the time, and runs the
/// actions that come back: submits to the room, sends, closes, timers, and the I/O the
/// machine asks for (admission, question sets, notes), whose results go back in.
///
/// `@unchecked Sendable`: the machine lives behind a mutex; the channel is thread-safe;
/// the rest is immutable. Actions run outside the lock.
public final class Session: WebSocketChannelDelegate, @unchecked Sendable {
    public let client: ClientID
    let channel: WebSocketChannel
    let host: RoomHost
    let context: ServerContext
    private let logger: Logger
    private let machine: Mutex<SessionMachine>

    init(channel: WebSocketChannel, host: RoomHost, context: ServerContext) {
        self.channel = channel
        self.host = host
        self.context = context
        client = ClientID(channel.connection.id)
        var logger = context.logger
        logger[metadataKey: "connection"] = "\(channel.connection.id)"
        logger[metadataKey: "room"] = "\(host.id)"
        self.logger = logger
        machine = Mutex(SessionMachine(client: client, settings: context.sessionSettings, boards: host.boards, now: .now))
        run(machine.withLock { $0.start() })
    }

    var registrationID: String? { machine.withLock { $0.registrationID } }
    /// The peer's IP address, by which a banned guest is known.
    var address: String? { channel.connection.remoteAddress?.ipString }
    /// True while this client's last state frame has not left: the room holds its state
    /// back meanwhile and sends the newest when it has (state is coalesced, not queued).
    var isCongested: Bool { channel.isStateBehind }

    // MARK: From the room's queue

    func send(_ message: some ServerMessage) {
        channel.send(text: String(decoding: message.encoded(), as: UTF8.self))
    }

    func send(sharedFrame: [UInt8]) {
        channel.send(sharedFrame: sharedFrame)
    }

    func sendState(_ bytes: [UInt8]) {
        channel.send(state: bytes)
    }

    /// Sends an error that ends the session, then closes with the error's close code.
    func end(with error: ServerMessages.ErrorMessage) {
        run(machine.withLock { $0.end(error) })
    }

    func didJoin(avatarID: UInt32) {
        machine.withLock { $0.joined(avatarID: avatarID) }
        logger.info("joined", metadata: ["avatar": "\(avatarID)"])
    }

    /// The room changed this client's conversation peers (on the room's queue).
    func conversationChanged(to peers: [UInt32]) {
        machine.withLock { $0.conversationChanged(to: peers) }
    }

    /// The welcome went out: what follows it (the ICE servers) may go too.
    func welcomed() {
        let now = ContinuousClock.now
        run(machine.withLock { $0.welcomed(now: now) })
    }

    /// Answers a stage request with a grant from Janus: a publisher's for `publisher` (the
    /// room decided it may), else a viewer's; `stage_unavailable` when the stage has no
    /// video now.
    func sendStageGrant(publisher avatarID: UInt32?, ref: String?) {
        guard let stage = context.stage else {
            send(ServerMessages.ErrorMessage(code: .stageUnavailable, message: StageError.notConfigured.description, ref: ref))
            return
        }
        let reply: @Sendable (Result<StageGrant, StageError>) -> Void = { [self] result in
            switch result {
            case .success(let grant):
                send(ServerMessages.StageGrant(url: grant.url, room: grant.room, token: grant.token, roomToken: grant.roomToken,
                                               feed: grant.feed, expires: grant.expires, ref: ref))
            case .failure(let error):
                logger.info("stage grant refused", metadata: ["reason": "\(error)"])
                context.metrics.error(ErrorCode.stageUnavailable.rawValue)
                send(ServerMessages.ErrorMessage(code: .stageUnavailable, message: error.description, ref: ref))
            }
        }
        if let avatarID {
            stage.publisherGrant(room: host.roomID, avatar: avatarID, completion: reply)
        } else {
            reply(stage.viewerGrant(room: host.roomID))
        }
    }

    // MARK: From the connection's I/O queue

    public func webSocket(_ channel: WebSocketChannel, didReceive message: WebSocketMessage) {
        context.metrics.messagesIn.increment()
        context.metrics.bytesIn.increment(by: Int64(message.data.count))
        let now = ContinuousClock.now
        let actions = machine.withLock { machine in
            switch message.kind {
            case .binary: return machine.receive(binary: message.data, now: now)
            case .text: return machine.receive(text: message.data, now: now)
            }
        }
        run(actions)
    }

    public func webSocketDidClose(_ channel: WebSocketChannel, report: WebSocketCloseReport) {
        run(machine.withLock { $0.connectionClosed() })
        if report.origin == .local && report.code == channel.limits.closeCode {
            context.metrics.slowClientClosed()
            logger.warning("closed a client too slow for its messages",
                           metadata: ["budget": "\(channel.limits.reliableBudget)"])
        }
        logger.info("closed", metadata: ["code": "\(report.code.rawValue)", "origin": "\(report.origin)"])
    }

    // MARK: Running actions

    private func run(_ actions: [SessionAction]) {
        for action in actions { run(action) }
    }

    private func run(_ action: SessionAction) {
        switch action {
        case .submit(let input):
            submit(input)
        case .send(let message):
            if let error = message as? ServerMessages.ErrorMessage { context.metrics.error(error.code.rawValue) }
            send(message)
        case .pong(let t):
            send(ServerMessages.Pong(t: t, serverTime: Int64(context.wallClock() * 1000), tick: host.tick))
        case .close(let code, let reason):
            if code == .policyViolation {
                logger.warning("closing after repeated protocol violations")
            } else if code != .normalClosure {
                logger.info("session ended", metadata: ["code": "\(reason)"])
            }
            channel.close(code: code, reason: reason)
        case .setTimer(let timer, let deadline):
            let delay = ContinuousClock.now.duration(to: deadline)
            channel.connection.ioQueue.queue.asyncAfter(deadline: .now() + max(delay, .zero).dispatchInterval) { [weak self] in
                guard let self else { return }
                run(machine.withLock { $0.timerFired(timer, now: .now) })
            }
        case .admit(let token, let near, let resume):
            context.admit(token: token, near: near, resume: resume, room: host, address: address) { [self] result in
                let actions = machine.withLock {
                    $0.admission(result, guestKey: SecureToken.make()) { context.newResumeToken(for: $0, room: host.roomID) }
                }
                run(actions)
            }
        case .loadQuizSet(let request, let mode, let ref):
            context.fileQueue.async { [self] in
                let result = QuizSetLoader.load(request, mapsDirectory: context.configuration.mapsDirectory, mapID: host.map.id)
                run(machine.withLock { $0.quizSetLoaded(result, mode: mode, ref: ref) })
            }
        case .findMe(let avatarID, let ref):
            let expires = Int64(context.wallClock() * 1000) + Int64(context.configuration.findMeLifetime.components.seconds) * 1000
            let token = FindMeTicket(room: host.id, avatar: avatarID, expires: expires).signed(with: context.secret)
            send(ServerMessages.FindMe(token: token, room: host.id, expires: expires, ref: ref))
        case .sendIceServers:
            guard case .joined(let avatarID) = machine.withLock({ $0.phase }) else { return }
            let minted = context.ice.servers(for: String(avatarID), now: Int64(context.wallClock()))
            send(ServerMessages.IceServers(
                iceServers: minted.servers.map { .init(urls: $0.urls, username: $0.username, credential: $0.credential) },
                expires: minted.expires.map { $0 * 1000 }))
        case .sendStageGrant(let ref):
            sendStageGrant(publisher: nil, ref: ref)
        case .pageNotes(let page):
            host.storage.notes(room: host.roomID, exhibit: page.exhibitID, before: page.before, limit: page.limit + 1) { [self] result in
                if case .failure(let error) = result { logger.error("notes page failed", metadata: ["error": "\(error)"]) }
                run(machine.withLock { $0.notesRead(result, for: page) })
            }
        }
    }

    private func submit(_ input: RoomInput) {
        switch input {
        case .join:
            // The host learns the session by its join.
            host.submit(input, from: self)
            return
        case .move: context.metrics.input("move")
        case .chat: context.metrics.input("chat")
        case .signal(let client, let to, let data):
            // Relayed on the room's queue at once, not at the next tick: a negotiation
            // takes several round trips, each of which would wait half a tick on average.
            context.metrics.input("rtc_signal")
            host.relay(from: client, to: to, data: data)
            return
        default: break
        }
        host.submit(input)
    }
}

extension Duration {
    var dispatchInterval: DispatchTimeInterval {
        .nanoseconds(Int(components.seconds) * 1_000_000_000 + Int(components.attoseconds / 1_000_000_000))
    }
}
