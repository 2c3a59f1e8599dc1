internal import AtriumNet
import AtriumProtocol
import AtriumWebSocket
import Dispatch
import Logging

/// A headless Atrium client: connects, says hello, keeps a mirror of what the server
/// shows it, sends movement, chat and requests, and reconnects with its resume token when
/// the connection drops.
///
/// Two ways to use it: `async` methods and the ``events`` sequence for Swift
/// concurrency, or ``onEvent`` and the completion-handler methods from plain Dispatch
/// code (the bot harness runs thousands this way). Events arrive in order.
///
/// The rules live in ``ClientMachine``; this class feeds it the socket's news, the
/// decoded messages and the time, and carries out the actions it returns. All mutable
/// state is confined to one I/O queue of the transport, which also runs the client's
/// socket, so a client costs no thread and no lock of its own.
/// `@unchecked Sendable`: every mutable member is touched only on `ioQueue.queue`.
public final class AtriumClient: @unchecked Sendable {
    /// The settings this client was made with.
    public let configuration: ClientConfiguration
    let url: WebSocketURL
    private let group: IOQueueGroup
    /// Loaded once per ``ClientQueues`` for `wss://`; nil for `ws://`.
    private let tls: TLSContext?
    private let sourceAddress: SocketAddress?
    let ioQueue: IOQueue
    private let logger: Logger

    var machine: ClientMachine
    var motion = MotionTracker()
    var channel: WebSocketChannel?
    private var delegate: ClientChannelDelegate?
    /// The callers waiting on the machine's pending requests, under the same refs.
    private var completions: [RequestRef: @Sendable (Result<ClientReply, AtriumClientError>) -> Void] = [:]
    /// The instant the timer is set for; a firing meant for another instant was superseded.
    private var timerDeadline: ContinuousClock.Instant?
    private var eventContinuation: AsyncStream<ClientEvent>.Continuation?
    private var eventHandler: (@Sendable (ClientEvent) -> Void)?

    /// The serial queue that events are delivered on. Work scheduled on it runs in order
    /// with the client's own, so event handlers and timers there need no locks.
    public var queue: DispatchQueue { ioQueue.queue }

    /// Called for every event, on the client's queue, before it reaches ``events``.
    public var onEvent: (@Sendable (ClientEvent) -> Void)? {
        get { ioQueue.sync { eventHandler } }
        set { ioQueue.sync { eventHandler = newValue } }
    }

    /// A client that has not connected yet; it runs on one of `configuration.queues`.
    /// Throws ``AtriumClientError/invalidURL(_:)`` for a URL that is not `ws://` or
    /// `wss://`, and ``AtriumClientError/connectionFailed(_:)`` when the TLS settings
    /// cannot be loaded.
    public init(configuration: ClientConfiguration) throws(AtriumClientError) {
        guard let url = WebSocketURL(configuration.url) else { throw .invalidURL(configuration.url) }
        if url.isSecure {
            switch configuration.queues.tlsContext(for: configuration.tls) {
            case .success(let context): tls = context
            case .failure(let error): throw .connectionFailed("TLS: \(error.message)")
            }
        } else {
            tls = nil
        }
        if let source = configuration.sourceAddress {
            guard let address = SocketAddress(ip: source, port: 0) else { throw .connectionFailed("invalid source address \(source)") }
            sourceAddress = address
        } else {
            sourceAddress = nil
        }
        self.configuration = configuration
        self.url = url
        group = configuration.queues.group
        ioQueue = group.next()
        logger = configuration.logger
        machine = ClientMachine(configuration: configuration)
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
            if machine.phase == .closed { continuation.finish() }
        }
        return stream
    }

    // MARK: Session

    /// Connects and joins; returns the welcome.
    public func connect() async throws(AtriumClientError) -> ServerMessages.Welcome {
        let result = await withCheckedContinuation { continuation in
            connect { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// Connects and joins, calling `completion` on the client's queue with the welcome or
    /// the reason it failed.
    public func connect(completion: @escaping @Sendable (Result<ServerMessages.Welcome, AtriumClientError>) -> Void) {
        ioQueue.queue.async { [self] in
            let (ref, actions) = machine.connect(now: .now)
            completions[ref] = { completion($0.answer(ServerMessages.Welcome.self)) }
            perform(actions)
        }
    }

    /// Leaves the room (the avatar goes at once) and closes.
    public func leave() {
        ioQueue.queue.async { [self] in perform(machine.close(leaving: true, now: .now)) }
    }

    /// Closes without leaving: the avatar stays for the server's reconnect grace.
    public func close() {
        ioQueue.queue.async { [self] in perform(machine.close(leaving: false, now: .now)) }
    }

    /// Drops the transport without a close handshake, as a network failure would; the
    /// client then reconnects if its policy allows. For tests and chaos bots.
    public func simulateConnectionLoss() {
        ioQueue.queue.async { [self] in channel?.connection.abort() }
    }

    /// Sends a request through the machine; `completion` runs on the client's queue.
    func submit(_ request: OutgoingRequest, completion: @escaping @Sendable (Result<ClientReply, AtriumClientError>) -> Void) {
        ioQueue.queue.async { [self] in
            let (ref, actions) = machine.request(request, now: .now)
            completions[ref] = completion
            perform(actions)
        }
    }

    // MARK: Carrying out the machine's actions, on the client's queue

    func perform(_ actions: [ClientAction]) {
        for action in actions {
            switch action {
            case .openSocket(let target):
                openSocket(target: target)
            case .requestSeat(let target):
                requestSeat(target: target)
            case .send(let message):
                guard let channel else { continue }
                let bytes = message.encoded()
                configuration.traffic?.sent(bytes.count)
                channel.send(text: String(decoding: bytes, as: UTF8.self))
            case .closeSocket(let code):
                channel?.close(code: code)
            case .scheduleTimer(let deadline):
                schedule(at: deadline)
            case .complete(let ref, let result):
                completions.removeValue(forKey: ref)?(result)
            case .emit(let event):
                deliver(event)
            }
        }
    }

    private func deliver(_ event: ClientEvent) {
        switch event {
        case .welcome(let welcome):
            motion.joined(welcome)
        case .reconnecting(let attempt):
            logger.debug("reconnecting", metadata: ["attempt": "\(attempt)"])
        case .closed(let error):
            logger.debug("session ended", metadata: ["error": "\(error.map(String.init(describing:)) ?? "none")"])
        default:
            break
        }
        eventHandler?(event)
        eventContinuation?.yield(event)
        if case .closed = event {
            eventContinuation?.finish()
            eventContinuation = nil
        }
    }

    /// The configured URL's origin with another path and query.
    private func url(target: String) -> WebSocketURL {
        WebSocketURL(isSecure: url.isSecure, host: url.host, port: url.port, target: target)
    }

    private func requestSeat(target: String) {
        let options = HTTPClient.Options(tls: tls, timeout: configuration.connectTimeout, localAddress: sourceAddress)
        HTTPClient.get(url(target: target), group: group, on: ioQueue, options: options) { [self] result in
            ioQueue.queue.async { self.seatAnswered(result) }
        }
    }

    private func seatAnswered(_ result: Result<HTTPClient.Response, HTTPClientError>) {
        let reply = switch result {
        case .success(let response):
            SeatReply(status: response.status, body: response.body, retryAfter: response.headers["Retry-After"])
        case .failure(let error):
            SeatReply.failed(.connectionFailed("seat: \(error)"), transient: false, retryAfter: nil)
        }
        switch reply {
        case .seat(let path, let node):
            logger.debug("seat", metadata: ["path": "\(path.prefix { $0 != "&" })", "node": "\(node ?? "-")"])
            perform(machine.seatAnswered(path: path, node: node, now: .now))
        case .failed(let error, let transient, let retryAfter):
            logger.debug("no seat", metadata: ["error": "\(error)"])
            perform(machine.seatFailed(error, transient: transient, retryAfter: retryAfter, now: .now))
        }
    }

    private func openSocket(target: String) {
        var options = WebSocketClient.Options(
            configuration: WebSocketConfiguration(compression: configuration.compression),
            subprotocols: [WireUnits.subprotocol], tls: tls, timeout: configuration.connectTimeout)
        options.configuration.maxMessageBytes = configuration.maxMessageBytes
        options.localAddress = sourceAddress
        WebSocketClient.connect(to: url(target: target), group: group, on: ioQueue, options: options) { [self] result in
            ioQueue.queue.async { self.opened(result) }
        }
    }

    private func opened(_ result: Result<WebSocketChannel, WebSocketConnectError>) {
        switch result {
        case .success(let channel):
            let delegate = ClientChannelDelegate(client: self)
            channel.delegate = delegate
            self.channel = channel
            self.delegate = delegate
            perform(machine.socketOpened(now: .now))
        case .failure(let error):
            logger.debug("could not connect", metadata: ["error": "\(error)"])
            perform(machine.socketFailed(AtriumClientError(error), roomMoved: AtriumClientError.isRoomMoved(error), now: .now))
        }
    }

    /// One timer per client, set for the machine's next deadline.
    private func schedule(at deadline: ContinuousClock.Instant) {
        timerDeadline = deadline
        let delay = max(.zero, ContinuousClock.now.duration(to: deadline))
        let nanoseconds = Int(delay.components.seconds) * 1_000_000_000 + Int(delay.components.attoseconds / 1_000_000_000)
        ioQueue.queue.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [weak self] in
            guard let self, timerDeadline == deadline else { return }
            timerDeadline = nil
            perform(machine.timerFired(now: .now))
        }
    }

    // MARK: News from the channel, on the client's queue

    func received(_ message: WebSocketMessage) {
        configuration.traffic?.received(message.data.count)
        switch message.kind {
        case .binary:
            let decoded = configuration.stateDecoding == .full
                ? try? StateMessage.decode(message.data)
                : try? StateMessage.skim(message.data, for: motion.mirror.selfID)
            guard let state = decoded else {
                logger.warning("unreadable state message")
                return
            }
            motion.apply(state, now: .now)
            deliver(.state(state))
        case .text:
            guard let decoded = try? ServerMessages.decode(message.data) else {
                logger.warning("unreadable JSON message")
                return
            }
            perform(machine.received(decoded, now: .now))
        }
    }

    func channelClosed(_ report: WebSocketCloseReport) {
        channel = nil
        delegate = nil
        perform(machine.socketClosed(code: report.code.rawValue, reason: report.reason, now: .now))
    }
}
