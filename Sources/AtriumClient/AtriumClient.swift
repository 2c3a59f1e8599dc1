import AtriumNet
import AtriumProtocol
import AtriumWebSocket
import Dispatch
import Logging
import Synchronization

/// A headless Atrium client: connects, says hello, keeps a mirror of what the server
/// shows it, sends movement, chat and requests, and reconnects with its resume token when
/// the connection drops.
///
/// Two ways to use it: `async` methods and the ``events`` sequence for Swift
/// concurrency, or ``onEvent`` and the completion-handler methods from plain Dispatch
/// code (the bot harness runs thousands this way). Events arrive in order.
///
/// All mutable state is confined to one I/O queue of the transport, which also runs the
/// client's socket, so a client costs no thread and no lock of its own.
/// `@unchecked Sendable`: every mutable member is touched only on `ioQueue.queue`.
public final class AtriumClient: @unchecked Sendable {
    public let configuration: ClientConfiguration
    let url: WebSocketURL
    private let group: IOQueueGroup
    private let ioQueue: IOQueue
    private let logger: Logger

    private enum Phase {
        case idle
        case connecting
        case joined
        case reconnecting(attempt: Int, since: ContinuousClock.Instant)
        case closed
    }

    private var phase = Phase.idle
    private var channel: WebSocketChannel?
    private var delegate: ChannelDelegate?
    private var mirror = WorldMirror()
    private var prediction: OwnMovePrediction?
    private var lastWelcome: ServerMessages.Welcome?
    private var resumeToken: String?
    private var sequence: UInt32 = 0
    private var requestCounter: UInt64 = 0
    private var tickReceivedAt: ContinuousClock.Instant = .now
    private var joinWaiters: [@Sendable (Result<ServerMessages.Welcome, AtriumClientError>) -> Void] = []
    private var chatWaiters: [String: @Sendable (Result<ServerMessages.Chat, AtriumClientError>) -> Void] = [:]
    private var peopleWaiters: [@Sendable (Result<ServerMessages.People, AtriumClientError>) -> Void] = []
    /// Exhibit requests waiting for their answer, by ref.
    private var requestWaiters: [String: @Sendable (Result<any ServerMessage, AtriumClientError>) -> Void] = [:]
    private var pingWaiters: [Double: (ContinuousClock.Instant, @Sendable (Result<Duration, AtriumClientError>) -> Void)] = [:]
    private var eventContinuation: AsyncStream<ClientEvent>.Continuation?
    private var closedError: AtriumClientError?
    /// The server's `retryAfter` from `server_restarting`: the first reconnect waits at least this.
    private var retryAfterHint: Duration?
    /// Set once the session ended and `.closed` was emitted.
    private var finished = false

    /// The serial queue that events are delivered on. Work scheduled on it runs in order
    /// with the client's own, so event handlers and timers there need no locks.
    public var queue: DispatchQueue { ioQueue.queue }

    /// Called for every event, on the client's queue, before it reaches ``events``.
    public var onEvent: (@Sendable (ClientEvent) -> Void)? {
        get { ioQueue.sync { eventHandler } }
        set { ioQueue.sync { eventHandler = newValue } }
    }
    private var eventHandler: (@Sendable (ClientEvent) -> Void)?

    /// - Parameter group: the I/O queues to run on; share one group among many clients.
    public init(configuration: ClientConfiguration, group: IOQueueGroup) throws(AtriumClientError) {
        guard let url = WebSocketURL(configuration.url) else { throw .invalidURL(configuration.url) }
        self.configuration = configuration
        self.url = url
        self.group = group
        ioQueue = group.next()
        logger = configuration.logger
    }

    /// A client dropped without ``close()`` closes its connection; its avatar then waits
    /// for the reconnect grace like after any dropped connection.
    deinit {
        channel?.close(code: .goingAway)
        eventContinuation?.finish()
    }

    /// Every event from now on, in order. Ask for it before ``connect()`` to see the welcome.
    public var events: AsyncStream<ClientEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: ClientEvent.self)
        ioQueue.sync {
            eventContinuation?.finish()
            eventContinuation = continuation
            if case .closed = phase { continuation.finish() }
        }
        return stream
    }

    // MARK: Connecting

    /// Connects and joins; returns the welcome.
    public func connect() async throws(AtriumClientError) -> ServerMessages.Welcome {
        let result = await withCheckedContinuation { continuation in
            connect { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// Connects and joins, calling `completion` with the welcome or the reason it failed.
    public func connect(completion: @escaping @Sendable (Result<ServerMessages.Welcome, AtriumClientError>) -> Void) {
        ioQueue.queue.async { [self] in
            guard case .idle = phase else {
                completion(.failure(.protocolViolation("connect() was called twice")))
                return
            }
            phase = .connecting
            joinWaiters.append(completion)
            openChannel()
        }
    }

    private func openChannel() {
        var options = WebSocketClient.Options(
            configuration: WebSocketConfiguration(compression: configuration.compression),
            subprotocols: [WireUnits.subprotocol], tls: configuration.tls, timeout: configuration.connectTimeout)
        options.configuration.maxMessageBytes = 16 << 20
        WebSocketClient.connect(to: url, group: group, on: ioQueue, options: options) { [self] result in
            ioQueue.queue.async { self.opened(result) }
        }
    }

    private func opened(_ result: Result<WebSocketChannel, WebSocketConnectError>) {
        switch result {
        case .success(let channel):
            if case .closed = phase {
                channel.close(code: .normalClosure)
                return
            }
            let delegate = ChannelDelegate(client: self)
            channel.delegate = delegate
            self.channel = channel
            self.delegate = delegate
            let hello = ClientMessages.Hello(name: configuration.name, token: configuration.token, resume: resumeToken,
                                             appearance: Int(configuration.appearance))
            transmit(hello, on: channel)
        case .failure(let error):
            let mapped = Self.map(error)
            if case .reconnecting = phase, !mapped.isTerminal {
                scheduleReconnect()
            } else {
                finish(mapped)
            }
        }
    }

    private static func map(_ error: WebSocketConnectError) -> AtriumClientError {
        switch error {
        case .invalidURL(let url): return .invalidURL(url)
        case .refused(let status, let body):
            if let error = (try? ServerMessages.decode(Array(body.utf8))) as? ServerMessages.ErrorMessage {
                return AtriumClientError.isTerminal(error.code) || error.code == .notFound
                    ? .refused(error.code, error.message) : .connectionFailed("\(status) \(error.code.rawValue): \(error.message)")
            }
            return .connectionFailed("HTTP \(status)")
        case .timedOut: return .timedOut
        default: return .connectionFailed(error.description)
        }
    }

    // MARK: Receiving, on the client's queue

    fileprivate func received(_ message: WebSocketMessage) {
        configuration.traffic?.received(message.data.count)
        switch message.kind {
        case .binary:
            guard let state = try? StateMessage.decode(message.data) else {
                logger.warning("unreadable state message")
                return
            }
            mirror.apply(state)
            tickReceivedAt = .now
            prediction?.acknowledge(state.ack)
            emit(.state(state))
        case .text:
            guard let decoded = try? ServerMessages.decode(message.data) else {
                logger.warning("unreadable JSON message")
                return
            }
            handle(decoded)
        }
    }

    private func handle(_ message: any ServerMessage) {
        switch message {
        case let welcome as ServerMessages.Welcome:
            if !welcome.resumed { mirror.removeAll() }
            mirror.selfID = welcome.you.id
            lastWelcome = welcome
            resumeToken = welcome.resume
            prediction = OwnMovePrediction(step: welcome.room.step, diagonalStep: welcome.room.diagonalStep)
            phase = .joined
            let waiters = joinWaiters
            joinWaiters = []
            emit(.welcome(welcome))
            waiters.forEach { $0(.success(welcome)) }
        case let chat as ServerMessages.Chat:
            if let ref = chat.ref, let waiter = chatWaiters.removeValue(forKey: ref) { waiter(.success(chat)) }
            emit(.chat(chat))
        case let people as ServerMessages.People:
            if !peopleWaiters.isEmpty { peopleWaiters.removeFirst()(.success(people)) }
            emit(.people(people))
        case let pong as ServerMessages.Pong:
            if let t = pong.t, let (sent, waiter) = pingWaiters.removeValue(forKey: t) {
                waiter(.success(sent.duration(to: .now)))
            }
        case is ServerMessages.Exhibit, is ServerMessages.ExhibitState, is ServerMessages.ExhibitClosed, is ServerMessages.Reacted,
             is ServerMessages.NoteMessage, is ServerMessages.NoteHidden, is ServerMessages.Notes:
            resolveExhibitWaiter(message)
            emit(.exhibit(message))
        case let error as ServerMessages.ErrorMessage:
            if error.code == .badToken, case .reconnecting = phase, resumeToken != nil {
                // The avatar is gone (the grace ran out, or the server restarted and forgot
                // it); the join token still admits us, so join afresh on the next attempt.
                resumeToken = nil
                return
            }
            if error.code == .serverRestarting, let seconds = error.retryAfter {
                retryAfterHint = .seconds(min(max(seconds, 0), 300))
            }
            if AtriumClientError.isTerminal(error.code) {
                // The close frame follows; remember why.
                closedError = .refused(error.code, error.message)
                return
            }
            if let ref = error.ref, let waiter = chatWaiters.removeValue(forKey: ref) {
                waiter(.failure(.rejected(error.code, error.message)))
            }
            if let ref = error.ref, let waiter = requestWaiters.removeValue(forKey: ref) {
                waiter(.failure(.rejected(error.code, error.message)))
            }
            emit(.error(error))
        default:
            // Room events: announcements, the quiz, moderators' acknowledgements and roster.
            resolveExhibitWaiter(message)
            emit(.event(message))
        }
    }

    fileprivate func channelClosed(_ report: WebSocketCloseReport) {
        channel = nil
        delegate = nil
        if let refusal = closedError, refusal.isTerminal {
            finish(refusal)
            return
        }
        switch phase {
        case .closed:
            finish(nil)
        case .joined where configuration.reconnect.isEnabled && resumeToken != nil:
            failPending(.notConnected)
            phase = .reconnecting(attempt: 0, since: .now)
            scheduleReconnect()
        case .reconnecting:
            scheduleReconnect()
        default:
            finish(.closed(code: report.code.rawValue, reason: report.reason))
        }
    }

    private func scheduleReconnect() {
        guard case .reconnecting(let attempt, let since) = phase else { return }
        guard since.duration(to: .now) < configuration.reconnect.giveUpAfter else {
            finish(.connectionFailed("could not reconnect within \(configuration.reconnect.giveUpAfter)"))
            return
        }
        let next = attempt + 1
        phase = .reconnecting(attempt: next, since: since)
        emit(.reconnecting(attempt: next))
        var delay = configuration.reconnect.delay(attempt: next)
        if let hint = retryAfterHint {
            delay = max(delay, hint)
            retryAfterHint = nil
        }
        ioQueue.queue.asyncAfter(deadline: .now() + .nanoseconds(Int(delay.components.seconds) * 1_000_000_000
                                                                   + Int(delay.components.attoseconds / 1_000_000_000))) { [self] in
            guard case .reconnecting = phase else { return }
            openChannel()
        }
    }

    private func finish(_ error: AtriumClientError?) {
        guard !finished else { return }
        finished = true
        phase = .closed
        let reason = error ?? .notConnected
        joinWaiters.forEach { $0(.failure(reason)) }
        joinWaiters = []
        failPending(reason)
        emit(.closed(error))
        eventContinuation?.finish()
        eventContinuation = nil
    }

    private func failPending(_ error: AtriumClientError) {
        chatWaiters.values.forEach { $0(.failure(error)) }
        chatWaiters = [:]
        requestWaiters.values.forEach { $0(.failure(error)) }
        requestWaiters = [:]
        peopleWaiters.forEach { $0(.failure(error)) }
        peopleWaiters = []
        pingWaiters.values.forEach { $0.1(.failure(error)) }
        pingWaiters = [:]
    }

    private func emit(_ event: ClientEvent) {
        eventHandler?(event)
        eventContinuation?.yield(event)
    }

    // MARK: Sending

    /// Walks in a direction (each of dx, dy in −1…1) until told otherwise. Returns the
    /// input's sequence number, which a later state message acknowledges.
    @discardableResult
    public func move(dx: Int, dy: Int) -> UInt32 {
        send(dx == 0 && dy == 0 ? .stop : .direction(dx: Int8(clamping: max(-1, min(1, dx))), dy: Int8(clamping: max(-1, min(1, dy)))))
    }

    @discardableResult
    public func stop() -> UInt32 {
        send(.stop)
    }

    /// Walks to a point (in 1/64 tile units) along a path the server finds.
    @discardableResult
    public func walk(toX x: Int, y: Int) -> UInt32 {
        send(.target(x: UInt16(clamping: x), y: UInt16(clamping: y)))
    }

    private func send(_ intent: MoveInput.Intent) -> UInt32 {
        ioQueue.sync {
            sequence &+= 1
            let input = MoveInput(sequence: sequence, intent: intent)
            if case .joined = phase, let channel {
                prediction?.sent(input, atTick: estimatedTickOnQueue())
                let bytes = input.encoded()
                configuration.traffic?.sent(bytes.count)
                channel.send(binary: bytes)
            }
            return sequence
        }
    }

    /// Sends a chat message; returns the server's copy once it was stored and delivered.
    public func say(_ text: String, scope: AtriumProtocol.ChatScope = .nearby, to avatarID: UInt32? = nil)
        async throws(AtriumClientError) -> ServerMessages.Chat
    {
        let result = await withCheckedContinuation { continuation in
            say(text, scope: scope, to: avatarID) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    public func say(_ text: String, scope: AtriumProtocol.ChatScope = .nearby, to avatarID: UInt32? = nil,
                    completion: @escaping @Sendable (Result<ServerMessages.Chat, AtriumClientError>) -> Void) {
        ioQueue.queue.async { [self] in
            guard case .joined = phase, let channel else {
                completion(.failure(.notConnected))
                return
            }
            requestCounter += 1
            let ref = "c\(requestCounter)"
            chatWaiters[ref] = completion
            transmit(ClientMessages.Chat(scope: scope, text: text, to: avatarID, ref: ref), on: channel)
            expire(after: configuration.requestTimeout) { [self] in
                chatWaiters.removeValue(forKey: ref)?(.failure(.timedOut))
            }
        }
    }

    /// Lists who is in the room.
    public func who(limit: Int = 200) async throws(AtriumClientError) -> ServerMessages.People {
        let result: Result<ServerMessages.People, AtriumClientError> = await withCheckedContinuation { continuation in
            ioQueue.queue.async { [self] in
                guard case .joined = phase, let channel else {
                    continuation.resume(returning: .failure(.notConnected))
                    return
                }
                peopleWaiters.append { continuation.resume(returning: $0) }
                transmit(ClientMessages.Who(limit: limit), on: channel)
            }
        }
        return try result.get()
    }

    /// Measures a round trip through the server's message handling.
    public func ping() async throws(AtriumClientError) -> Duration {
        let result: Result<Duration, AtriumClientError> = await withCheckedContinuation { continuation in
            ioQueue.queue.async { [self] in
                guard case .joined = phase, let channel else {
                    continuation.resume(returning: .failure(.notConnected))
                    return
                }
                requestCounter += 1
                let t = Double(requestCounter)
                pingWaiters[t] = (.now, { continuation.resume(returning: $0) })
                transmit(ClientMessages.Ping(t: t), on: channel)
                expire(after: configuration.requestTimeout) { [self] in
                    pingWaiters.removeValue(forKey: t)?.1(.failure(.timedOut))
                }
            }
        }
        return try result.get()
    }

    // MARK: Exhibits

    /// Opens an exhibit within reach; returns its description and live state.
    public func openExhibit(_ id: String) async throws(AtriumClientError) -> ServerMessages.Exhibit {
        let message = try await request { ClientMessages.ExhibitOpen(id: id, ref: $0) }
        guard let exhibit = message as? ServerMessages.Exhibit else { throw .protocolViolation("expected exhibit") }
        return exhibit
    }

    /// Leaves (`on: true`) or takes back a reaction; returns the exhibit's counts once stored.
    public func react(_ reaction: ReactionName, on id: String, on enabled: Bool = true) async throws(AtriumClientError)
        -> ServerMessages.Reacted
    {
        let message = try await request { ClientMessages.React(id: id, reaction: reaction, on: enabled, ref: $0) }
        guard let reacted = message as? ServerMessages.Reacted else { throw .protocolViolation("expected reacted") }
        return reacted
    }

    /// Posts a note on a board; returns it as stored.
    public func postNote(_ text: String, on id: String) async throws(AtriumClientError) -> ServerMessages.Note {
        let message = try await request { ClientMessages.NotePost(id: id, text: text, ref: $0) }
        guard let note = message as? ServerMessages.NoteMessage else { throw .protocolViolation("expected note") }
        return note.note
    }

    /// Sends a moderator request and waits for `mod_ok` or the error (moderators).
    @discardableResult
    public func moderate(_ make: @escaping @Sendable (String) -> any ClientMessage) async throws(AtriumClientError)
        -> any ServerMessage
    {
        try await request(make)
    }

    /// Hides a note (moderators).
    public func hideNote(_ noteID: Int64, on id: String) async throws(AtriumClientError) {
        let message = try await request { ClientMessages.NoteHide(id: id, note: noteID, ref: $0) }
        guard message is ServerMessages.NoteHidden else { throw .protocolViolation("expected note_hidden") }
    }

    /// A page of a board's notes, newest first, older than `before` when given.
    public func notes(on id: String, before: Int64? = nil, limit: Int = 20) async throws(AtriumClientError) -> ServerMessages.Notes {
        let message = try await request { ClientMessages.NotesPage(id: id, before: before, limit: limit, ref: $0) }
        guard let notes = message as? ServerMessages.Notes else { throw .protocolViolation("expected notes") }
        return notes
    }

    /// Sends a request carrying a fresh ref and waits for the answer that echoes it.
    private func request(_ make: @escaping @Sendable (String) -> any ClientMessage) async throws(AtriumClientError)
        -> any ServerMessage
    {
        let result: Result<any ServerMessage, AtriumClientError> = await withCheckedContinuation { continuation in
            ioQueue.queue.async { [self] in
                requestCounter += 1
                send(make("r\(requestCounter)"), key: "r\(requestCounter)") { continuation.resume(returning: $0) }
            }
        }
        return try result.get()
    }

    private func send(_ message: any ClientMessage, key: String,
                      completion: @escaping @Sendable (Result<any ServerMessage, AtriumClientError>) -> Void) {
        guard case .joined = phase, let channel else {
            completion(.failure(.notConnected))
            return
        }
        requestWaiters[key]?(.failure(.protocolViolation("superseded by a newer request")))
        requestWaiters[key] = completion
        transmit(message, on: channel)
        expire(after: configuration.requestTimeout) { [self] in
            requestWaiters.removeValue(forKey: key)?(.failure(.timedOut))
        }
    }

    private func resolveExhibitWaiter(_ message: any ServerMessage) {
        if let key = (message as? any ServerReply)?.ref, let waiter = requestWaiters.removeValue(forKey: key) { waiter(.success(message)) }
    }

    public func emote(_ emote: EmoteKind) {
        sendJSON(ClientMessages.Emote(emote: emote))
    }

    public func setStatus(_ text: String) {
        sendJSON(ClientMessages.Status(text: text))
    }

    /// Sends any control message as is; for tools and tests.
    public func sendJSON(_ message: some ClientMessage) {
        ioQueue.queue.async { [self] in
            if let channel { transmit(message, on: channel) }
        }
    }

    /// Leaves the room (the avatar goes at once) and closes.
    public func leave() {
        ioQueue.queue.async { [self] in
            phase = .closed
            if let channel { transmit(ClientMessages.Leave(), on: channel) }
            channel?.close(code: .normalClosure)
            if channel == nil { finish(nil) }
        }
    }

    /// Closes without leaving: the avatar stays for the server's reconnect grace.
    public func close() {
        ioQueue.queue.async { [self] in
            phase = .closed
            channel?.close(code: .goingAway)
            if channel == nil { finish(nil) }
        }
    }

    /// Drops the transport without a close handshake, as a network failure would; the
    /// client then reconnects if its policy allows. For tests and chaos bots.
    public func simulateConnectionLoss() {
        ioQueue.queue.async { [self] in
            channel?.connection.abort()
        }
    }

    private func transmit(_ message: some ClientMessage, on channel: WebSocketChannel) {
        let bytes = message.encoded()
        configuration.traffic?.sent(bytes.count)
        channel.send(text: String(decoding: bytes, as: UTF8.self))
    }

    private func expire(after timeout: Duration, _ body: @escaping @Sendable () -> Void) {
        ioQueue.queue.asyncAfter(deadline: .now() + .nanoseconds(Int(timeout.components.seconds) * 1_000_000_000
                                                                 + Int(timeout.components.attoseconds / 1_000_000_000)), execute: body)
    }

    // MARK: Reading the mirror

    /// A copy of what the server has shown this client.
    public var world: WorldMirror { ioQueue.sync { mirror } }

    public var welcome: ServerMessages.Welcome? { ioQueue.sync { lastWelcome } }

    public var isJoined: Bool {
        ioQueue.sync {
            if case .joined = phase { return true }
            return false
        }
    }

    /// The server tick now, estimated from the last state message and the tick rate;
    /// fractional, for renderers that interpolate.
    public var estimatedTick: Double { ioQueue.sync { estimatedTickOnQueue() } }

    private func estimatedTickOnQueue() -> Double {
        guard let rate = lastWelcome?.room.tickRate else { return Double(mirror.tick) }
        let elapsed = tickReceivedAt.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(mirror.tick) + seconds * Double(rate)
    }

    /// Where to draw this client's own avatar now: predicted from unacknowledged inputs,
    /// reconciled with the server's motion.
    public var predictedPosition: (x: Double, y: Double)? {
        ioQueue.sync { prediction?.position(server: mirror.me, atTick: estimatedTickOnQueue()) }
    }

    /// Where to draw another avatar now, by dead reckoning from what the server said.
    public func position(of avatarID: UInt32) -> (x: Double, y: Double)? {
        ioQueue.sync { mirror.avatars[avatarID]?.position(atTick: estimatedTickOnQueue()) }
    }
}

/// Forwards channel events to the client; kept separate so the client's public API does
/// not show the delegate methods.
private final class ChannelDelegate: WebSocketChannelDelegate {
    weak var client: AtriumClient?

    init(client: AtriumClient) {
        self.client = client
    }

    func webSocket(_ channel: WebSocketChannel, didReceive message: WebSocketMessage) {
        client?.received(message)
    }

    func webSocketDidClose(_ channel: WebSocketChannel, report: WebSocketCloseReport) {
        client?.channelClosed(report)
    }
}
