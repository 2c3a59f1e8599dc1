import AtriumProtocol
import AtriumWebSocket

/// The client's connection rules as a value: the phase of the connection, reconnection
/// with backoff and the resume token, following a room's seat between the nodes of a
/// cluster, and the one table of requests waiting for answers.
///
/// Inputs are the API's calls, the socket's news, decoded messages and the timer; each
/// takes the time and returns ``ClientAction``s for the adapter (``AtriumClient``) to
/// carry out. It reads no clock and does no I/O, so tests drive it with instants they
/// choose. State messages (binary, twenty a second) bypass it: they need no rule here.
struct ClientMachine {
    enum Phase: Sendable, Equatable {
        /// Before ``connect(now:)``.
        case idle
        /// The adapter is asking `/api/seat` where the room runs now.
        case seating
        /// The adapter is opening a socket.
        case opening
        /// `hello` is sent; `welcome` must come by the deadline.
        case greeting(deadline: ContinuousClock.Instant)
        case joined
        /// Between reconnection attempts: the next socket opens at `retryAt`.
        case waiting(retryAt: ContinuousClock.Instant)
        /// The close handshake is under way; `then` happens once the socket reports closed.
        case closing(then: AfterClose)
        /// The session is over; ``ClientEvent/closed(_:)`` was emitted.
        case closed
    }

    enum AfterClose: Sendable, Equatable {
        case finish(AtriumClientError?)
        case retry
    }

    let configuration: ClientConfiguration
    private(set) var phase = Phase.idle
    /// Reconnection attempts since the last welcome.
    private(set) var attempt = 0
    /// From the last welcome; sent in `hello` to get the same avatar back.
    private(set) var resumeToken: String?
    private var pending = PendingRequests()
    /// When the joined connection dropped; nil while joined and before the first welcome.
    private var droppedAt: ContinuousClock.Instant?
    /// Whether the `hello` on the current socket asked to resume.
    private var helloResumed = false
    /// An error that ends the session, kept until the close that follows it.
    private var refusal: AtriumClientError?
    /// The server's `retryAfter` from `server_restarting`: the next attempt waits at least this.
    private var retryAfter: Duration?
    /// The instant the adapter's timer is set for, if any.
    private var timer: ContinuousClock.Instant?
    private var random: any RandomNumberGenerator & Sendable
    /// The WebSocket path and query to open: the configured URL's, then the last seat's.
    private(set) var target: String
    /// `/api/seat?room=…` on the configured URL's origin.
    let seatTarget: String
    /// Whether the next attempt asks for a seat before opening a socket.
    private var seatNeeded: Bool
    /// Whether ``target`` came from a cluster's seat (it names a node): such a path
    /// expires and its node may be gone, so every retry asks for a seat again.
    private var seated = false

    /// - Parameter random: draws the reconnection jitter.
    init(configuration: ClientConfiguration, random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        self.configuration = configuration
        self.random = random
        target = SeatPath.webSocketTarget(of: configuration.url)
        seatTarget = SeatPath.seatTarget(forWebSocketTarget: target, token: configuration.token)
        seatNeeded = configuration.seatLookup == .beforeConnecting
        resumeToken = configuration.resume
    }

    var isJoined: Bool { phase == .joined }

    /// Requests waiting for an answer.
    var pendingCount: Int { pending.count }

    // MARK: Calls from the API

    /// Starts the first connection. The ref completes with the welcome, or with the reason
    /// the session ended before it.
    mutating func connect(now: ContinuousClock.Instant) -> (RequestRef, [ClientAction]) {
        let ref = pending.makeRef()
        guard phase == .idle else {
            return (ref, [.complete(ref, .failure(.protocolViolation("connect() was called twice")))])
        }
        pending.insert(.init(kind: .join, sentAt: now, deadline: nil), for: ref)
        var actions: [ClientAction] = []
        open(into: &actions)
        return (ref, actions)
    }

    /// Sends a request and waits for its answer until the request timeout.
    mutating func request(_ request: OutgoingRequest, now: ContinuousClock.Instant) -> (RequestRef, [ClientAction]) {
        let ref = pending.makeRef()
        guard phase == .joined else { return (ref, [.complete(ref, .failure(.notConnected))]) }
        pending.insert(.init(kind: request.kind, sentAt: now, deadline: now + configuration.requestTimeout), for: ref)
        var actions: [ClientAction] = [.send(request.message(ref: ref))]
        scheduleTimer(&actions)
        return (ref, actions)
    }

    /// A message nobody waits on; dropped when no socket is open.
    func send(_ message: any ClientMessage) -> [ClientAction] {
        switch phase {
        case .greeting, .joined: return [.send(message)]
        default: return []
        }
    }

    /// Ends the session. `leaving` takes the avatar out of the room at once; otherwise it
    /// waits for the server's reconnect grace like after a dropped connection.
    mutating func close(leaving: Bool, now: ContinuousClock.Instant) -> [ClientAction] {
        var actions: [ClientAction] = []
        switch phase {
        case .idle, .seating, .opening, .waiting:
            finish(nil, into: &actions)
        case .greeting, .joined:
            if leaving && phase == .joined { actions.append(.send(ClientMessages.Leave())) }
            phase = .closing(then: .finish(nil))
            actions.append(.closeSocket(leaving ? .normalClosure : .goingAway))
        case .closing(then: .retry):
            phase = .closing(then: .finish(nil))
        case .closing(then: .finish), .closed:
            break
        }
        return actions
    }

    // MARK: News from the socket

    mutating func socketOpened(now: ContinuousClock.Instant) -> [ClientAction] {
        guard phase == .opening else { return [.closeSocket(.normalClosure)] }
        helloResumed = resumeToken != nil
        refusal = nil
        phase = .greeting(deadline: now + configuration.requestTimeout)
        var actions: [ClientAction] = [.send(ClientMessages.Hello(name: configuration.name, token: configuration.token,
                                                                  resume: resumeToken, appearance: Int(configuration.appearance),
                                                                  near: resumeToken == nil ? configuration.near : nil))]
        scheduleTimer(&actions)
        return actions
    }

    /// The socket could not be opened. `roomMoved`: the node refused it with `room_moved`
    /// (the seat is not for it, or it has none); a new seat is asked for at once, however
    /// new the session.
    mutating func socketFailed(_ error: AtriumClientError, roomMoved: Bool = false, now: ContinuousClock.Instant) -> [ClientAction] {
        guard phase == .opening else { return [] }
        var actions: [ClientAction] = []
        if roomMoved && configuration.seatLookup != .never {
            seatNeeded = true
            if droppedAt == nil { droppedAt = now }
            retry(now: now, immediately: attempt == 0, into: &actions)
        } else if droppedAt != nil && !error.isTerminal {
            retry(now: now, into: &actions)
        } else {
            finish(error, into: &actions)
        }
        scheduleTimer(&actions)
        return actions
    }

    /// `/api/seat` named the path to open; `node` is nil for a single server.
    mutating func seatAnswered(path: String, node: String?, now: ContinuousClock.Instant) -> [ClientAction] {
        guard phase == .seating else { return [] }
        var actions: [ClientAction] = []
        guard path.hasPrefix("/"), !path.contains("://") else {
            finish(.protocolViolation("the seat names no path on this site: \(path.prefix(64))"), into: &actions)
            return actions
        }
        seatNeeded = false
        seated = node != nil
        target = path
        phase = .opening
        return [.openSocket(target: path)]
    }

    /// `/api/seat` gave no seat. `transient`: the room is between nodes or the directory
    /// is busy, so even a new session waits (at least `retryAfter`) and asks again.
    mutating func seatFailed(_ error: AtriumClientError, transient: Bool, retryAfter: Duration?,
                             now: ContinuousClock.Instant) -> [ClientAction] {
        guard phase == .seating else { return [] }
        var actions: [ClientAction] = []
        if !error.isTerminal && (transient || droppedAt != nil) {
            if droppedAt == nil { droppedAt = now }
            if let retryAfter { self.retryAfter = min(retryAfter, configuration.reconnect.maximumRetryAfter) }
            retry(now: now, into: &actions)
        } else {
            finish(error, into: &actions)
        }
        scheduleTimer(&actions)
        return actions
    }

    mutating func socketClosed(code: UInt16, reason: String, now: ContinuousClock.Instant) -> [ClientAction] {
        var actions: [ClientAction] = []
        switch phase {
        case .idle, .seating, .waiting, .closed:
            break
        case .closing(then: .finish(let error)):
            finish(error, into: &actions)
        case .closing(then: .retry):
            retry(now: now, into: &actions)
        case .opening, .greeting, .joined:
            dropped(code: code, reason: reason, now: now, into: &actions)
        }
        scheduleTimer(&actions)
        return actions
    }

    mutating func received(_ message: any ServerMessage, now: ContinuousClock.Instant) -> [ClientAction] {
        var actions: [ClientAction] = []
        switch message {
        case let welcome as ServerMessages.Welcome:
            welcomed(welcome, into: &actions)
        case let error as ServerMessages.ErrorMessage:
            failed(error, into: &actions)
        case let pong as ServerMessages.Pong:
            if let ref = pong.t.flatMap(RequestRef.init(pingTime:)), let entry = pending.remove(ref, ifOneOf: [.ping]) {
                actions.append(.complete(ref, .success(.roundTrip(entry.sentAt.duration(to: now)))))
            }
        default:
            if let ref = pending.removeAnswered(by: message) { actions.append(.complete(ref, .success(.message(message)))) }
            if let event = ClientEvent(message) { actions.append(.emit(event)) }
        }
        return actions
    }

    mutating func timerFired(now: ContinuousClock.Instant) -> [ClientAction] {
        timer = nil
        var actions = pending.removeExpired(now: now).map { ClientAction.complete($0, .failure(.timedOut)) }
        switch phase {
        case .waiting(let retryAt) where retryAt <= now:
            open(into: &actions)
        case .greeting(let deadline) where deadline <= now:
            // A server that accepted the socket but never answers: try again if this is a
            // reconnection, else the join has failed.
            if droppedAt == nil {
                finish(.timedOut, into: &actions)
            } else {
                phase = .closing(then: .retry)
            }
            actions.append(.closeSocket(.goingAway))
        default:
            break
        }
        scheduleTimer(&actions)
        return actions
    }

    // MARK: Rules

    private mutating func welcomed(_ welcome: ServerMessages.Welcome, into actions: inout [ClientAction]) {
        guard case .greeting = phase else { return }
        phase = .joined
        attempt = 0
        droppedAt = nil
        retryAfter = nil
        resumeToken = welcome.resume
        actions.append(.emit(.welcome(welcome)))
        if let ref = pending.removeOldest(.join) { actions.append(.complete(ref, .success(.message(welcome)))) }
    }

    private mutating func failed(_ error: ServerMessages.ErrorMessage, into actions: inout [ClientAction]) {
        if error.code == .serverRestarting, let seconds = error.retryAfter {
            retryAfter = min(.seconds(max(seconds, 0)), configuration.reconnect.maximumRetryAfter)
        }
        if AtriumClientError.isTerminal(error.code) {
            // The close frame follows; it acts on this.
            refusal = .refused(error.code, error.message)
            return
        }
        if let ref = error.ref.flatMap(RequestRef.init(wire:)), pending.remove(ref, ifOneOf: [.referenced]) != nil {
            actions.append(.complete(ref, .failure(.rejected(error.code, error.message))))
        }
        actions.append(.emit(.error(error)))
    }

    private mutating func dropped(code: UInt16, reason: String, now: ContinuousClock.Instant,
                                  into actions: inout [ClientAction]) {
        let wasJoined = phase == .joined
        let ending = refusal ?? Self.refusal(closeCode: code, reason: reason)
        refusal = nil
        if case .refused(.badToken, _) = ending, !wasJoined, helloResumed {
            // The avatar is gone (the grace ran out, or the server restarted and forgot
            // it); the join token still admits us, so join afresh at once.
            resumeToken = nil
            retry(now: now, immediately: true, into: &actions)
        } else if let ending {
            finish(ending, into: &actions)
        } else if wasJoined {
            guard configuration.reconnect.isEnabled, resumeToken != nil else {
                finish(.closed(code: code, reason: reason), into: &actions)
                return
            }
            droppedAt = now
            // Their answers, if any were sent, went down with the socket: the callers must
            // know that nothing confirmed them.
            for ref in pending.removeAll() { actions.append(.complete(ref, .failure(.notConnected))) }
            // The room stopped here and runs elsewhere: ask where at once.
            let moved = code == ErrorCode.roomMoved.closeCode && configuration.seatLookup != .never
            if moved { seatNeeded = true }
            retry(now: now, immediately: moved, into: &actions)
        } else if droppedAt != nil {
            retry(now: now, into: &actions)
        } else {
            finish(.closed(code: code, reason: reason), into: &actions)
        }
    }

    /// The session-ending error a close code states by itself: the codes of terminal
    /// errors (4001–4006), and 1008, which the server sends to a client that kept
    /// breaking the rules and would only break them again.
    static func refusal(closeCode: UInt16, reason: String) -> AtriumClientError? {
        if closeCode == WebSocketCloseCode.policyViolation.rawValue { return .closed(code: closeCode, reason: reason) }
        guard let code = ErrorCode.allCases.first(where: { $0.closeCode == closeCode }),
              AtriumClientError.isTerminal(code) else { return nil }
        return .refused(code, reason)
    }

    /// Waits for the next attempt, or gives up once the server's grace must be over.
    private mutating func retry(now: ContinuousClock.Instant, immediately: Bool = false,
                                into actions: inout [ClientAction]) {
        let policy = configuration.reconnect
        guard (droppedAt ?? now).duration(to: now) < policy.giveUpAfter else {
            finish(.connectionFailed("could not reconnect within \(policy.giveUpAfter)"), into: &actions)
            return
        }
        attempt += 1
        if seated { seatNeeded = true }
        var delay = immediately ? .zero : policy.delay(attempt: attempt, jitter: Double.random(in: 0.5...1, using: &random))
        if let hint = retryAfter {
            delay = max(delay, hint)
            retryAfter = nil
        }
        actions.append(.emit(.reconnecting(attempt: attempt)))
        if delay <= .zero {
            open(into: &actions)
        } else {
            phase = .waiting(retryAt: now + delay)
        }
    }

    /// The next step of an attempt: a seat first when one is needed, else the socket.
    private mutating func open(into actions: inout [ClientAction]) {
        if seatNeeded && configuration.seatLookup != .never {
            phase = .seating
            actions.append(.requestSeat(target: seatTarget))
        } else {
            phase = .opening
            actions.append(.openSocket(target: target))
        }
    }

    private mutating func finish(_ error: AtriumClientError?, into actions: inout [ClientAction]) {
        guard phase != .closed else { return }
        phase = .closed
        let reason = error ?? .notConnected
        for ref in pending.removeAll() { actions.append(.complete(ref, .failure(reason))) }
        actions.append(.emit(.closed(error)))
    }

    /// Asks for the timer when the next deadline is earlier than the one already set.
    private mutating func scheduleTimer(_ actions: inout [ClientAction]) {
        var next = pending.earliestDeadline
        switch phase {
        case .greeting(let deadline), .waiting(let deadline): next = min(next ?? deadline, deadline)
        default: break
        }
        guard let next, timer.map({ next < $0 }) ?? true else { return }
        timer = next
        actions.append(.scheduleTimer(at: next))
    }
}
