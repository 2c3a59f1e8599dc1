import AtriumProtocol
import AtriumWebSocket
import AtriumWorld

/// The rules of one client's session as a value: its phase, its rate limits and strikes,
/// the hello deadline. Every input (bytes from the client, the admission's answer, a
/// timer, the room's welcome, the connection closing) takes the time as an argument and
/// returns the ``SessionAction``s to run, so every rule is tested without a socket, a
/// clock or a sleep. ``Session`` is the adapter that runs the actions.
///
/// Client messages are routed by ``rules``, one ``SessionRule`` per message type, kept
/// by feature in `SessionMachine+Feature.swift`.
struct SessionMachine: Sendable {
    enum Phase: Sendable, Equatable {
        case awaitingHello
        /// `hello` was accepted: the admission is checked, then the room joins.
        case joining
        case joined(avatarID: UInt32)
        /// Left, ended or disconnected: nothing more is done.
        case closed
    }

    /// A `hello` that passed its checks, kept while the admission is decided.
    struct PendingJoin: Sendable, Equatable {
        var name: String
        var appearance: UInt8
        var resumeToken: String?
        /// A friend's "come find me" token, checked with the admission.
        var near: String?
    }

    let client: ClientID
    let settings: SessionSettings
    /// The room's boards (exhibit ids), whose notes are paged without asking the room.
    let boards: Set<String>
    let helloDeadline: ContinuousClock.Instant
    // Changed only by the machine's own rules (SessionMachine+Feature.swift).
    var phase = Phase.awaitingHello
    /// The registration the admission found, for records the room's output keeps.
    var registrationID: String?
    var pendingJoin: PendingJoin?
    /// A question set is being read off the I/O queue: room inputs wait in `heldInputs`,
    /// so the room sees them after the quiz they may refer to, in the order they came.
    var loadingQuizSet = false
    var heldInputs: [RoomInput] = []
    private var buckets: SessionBuckets
    private var strikes: StrikeCounter
    /// The conversation peers the room last gave this client, ascending.
    private(set) var conversationPeers: [UInt32] = []

    init(client: ClientID, settings: SessionSettings, boards: Set<String> = [], now: ContinuousClock.Instant) {
        self.client = client
        self.settings = settings
        self.boards = boards
        helloDeadline = now + settings.helloTimeout
        buckets = SessionBuckets(settings, now: now)
        strikes = StrikeCounter(limit: settings.maxStrikes, window: settings.strikeWindow)
    }

    /// What the adapter does as the connection opens: keep the hello deadline.
    func start() -> [SessionAction] {
        [.setTimer(.hello, at: helloDeadline)]
    }

    // MARK: From the client

    /// A JSON text frame: bounded, decoded once here, then routed by its rule.
    mutating func receive(text bytes: [UInt8], now: ContinuousClock.Instant) -> [SessionAction] {
        guard phase != .closed else { return [] }
        // `rtc_signal` may be larger than other messages (an SDP offer); it is told
        // apart after decoding, and bounded by its own rule.
        let tooLarge = "JSON messages are limited to \(settings.maxJSONMessageBytes) bytes"
        guard bytes.count <= max(settings.maxJSONMessageBytes, settings.maxSignalMessageBytes) else {
            return reject(.messageTooLarge, tooLarge, now: now)
        }
        let message: any ClientMessage
        do {
            message = try ClientMessages.decode(bytes)
        } catch {
            return reject(error.code, error.message, now: now)
        }
        guard bytes.count <= settings.maxJSONMessageBytes || message is ClientMessages.RTCSignal else {
            return reject(.messageTooLarge, tooLarge, now: now)
        }
        return receive(message, now: now)
    }

    /// A decoded client message.
    mutating func receive(_ message: any ClientMessage, now: ContinuousClock.Instant) -> [SessionAction] {
        guard phase != .closed else { return [] }
        guard let rule = Self.rules[ObjectIdentifier(type(of: message))] else {
            return reject(.unknownType, "no rule for \"\(message.type)\"", now: now)
        }
        return holdingInputs(rule.apply(message, &self, now))
    }

    /// A binary frame: a movement intent. Excess intents are dropped with a strike but
    /// not answered: an answer to each would double a flood's traffic.
    mutating func receive(binary bytes: [UInt8], now: ContinuousClock.Instant) -> [SessionAction] {
        guard phase != .closed else { return [] }
        let input: MoveInput
        do {
            input = try MoveInput.decode(bytes)
        } catch {
            return reject(.badMessage, "unreadable binary input: \(error)", now: now)
        }
        guard case .joined = phase else { return reject(.notJoined, "say hello first", now: now) }
        guard buckets.take(.moves, now: now) else { return strike(now: now) }
        return holdingInputs([.submit(.move(client, sequence: input.sequence, intent: MoveIntent(input.intent)))])
    }

    /// While a question set loads, keeps room inputs back instead of submitting them.
    private mutating func holdingInputs(_ actions: [SessionAction]) -> [SessionAction] {
        guard loadingQuizSet else { return actions }
        return actions.filter { action in
            guard case .submit(let input) = action else { return true }
            heldInputs.append(input)
            return false
        }
    }

    // MARK: From the adapter and the room

    mutating func timerFired(_ timer: SessionTimer, now: ContinuousClock.Instant) -> [SessionAction] {
        switch timer {
        case .hello:
            guard phase == .awaitingHello else { return [] }
            guard now >= helloDeadline else { return [.setTimer(.hello, at: helloDeadline)] }
            return end(.init(code: .badMessage, message: "no hello within \(settings.helloTimeout)"))
        case .iceRefresh:
            return iceRefreshDue(now: now)
        }
    }

    /// The room welcomed the avatar.
    mutating func joined(avatarID: UInt32) {
        if phase == .joining { phase = .joined(avatarID: avatarID) }
    }

    /// Ends the session with an error: the client gets it, then the close code it maps to.
    mutating func end(_ error: ServerMessages.ErrorMessage) -> [SessionAction] {
        guard phase != .closed else { return [] }
        phase = .closed
        pendingJoin = nil
        return [.send(error), .close(WebSocketCloseCode(error.code.closeCode ?? 1008), reason: error.code.rawValue)]
    }

    /// The connection closed, for whatever reason.
    mutating func connectionClosed() -> [SessionAction] {
        defer {
            phase = .closed
            pendingJoin = nil
        }
        switch phase {
        case .joined:
            // The avatar waits for a resume; an explicit leave was handled already.
            return [.submit(.disconnect(client))]
        case .joining:
            // The welcome with the resume token may never have arrived, so nobody could
            // resume this avatar.
            return [.submit(.leave(client))]
        case .awaitingHello, .closed:
            return []
        }
    }

    // MARK: Shared by the rules

    /// The room sent this client a new peer set: each peer new in it brings the signals
    /// a negotiation with it takes (``SessionSettings/signalsPerNewPeer``).
    mutating func conversationChanged(to peers: [UInt32]) {
        let added = peers.count(where: { !conversationPeers.contains($0) })
        conversationPeers = peers
        if added > 0 { buckets.grantSignals(newPeers: added, settings: settings) }
    }

    /// Takes a token of `kind` for a rule that treats an empty bucket its own way.
    mutating func takeToken(_ kind: SessionBuckets.Kind, now: ContinuousClock.Instant) -> Bool {
        buckets.take(kind, now: now)
    }

    /// Refuses a message of a joined session when the session has not joined or the
    /// bucket of `limit` is empty; nil when the message may go on.
    mutating func admitJoined(limit: SessionBuckets.Kind?, ref: String?, now: ContinuousClock.Instant) -> [SessionAction]? {
        guard case .joined = phase else {
            return reject(.notJoined, "say hello first", ref: ref, now: now)
        }
        if let limit, !buckets.take(limit, now: now) {
            return reject(.rateLimited, "too many messages; slow down", ref: ref, now: now)
        }
        return nil
    }

    /// Answers a bad message with its error and counts a strike.
    mutating func reject(_ code: ErrorCode, _ message: String, ref: String? = nil, now: ContinuousClock.Instant)
        -> [SessionAction]
    {
        [.send(ServerMessages.ErrorMessage(code: code, message: message, ref: ref))] + strike(now: now)
    }

    /// Counts a violation; one too many within the window closes the connection (1008).
    mutating func strike(now: ContinuousClock.Instant) -> [SessionAction] {
        strikes.record(now: now) ? [.close(.policyViolation, reason: "too many invalid messages")] : []
    }

    /// An id the client chose, bounded for quoting in an error message.
    func quoted(_ id: String) -> String {
        String(id.prefix(settings.maxQuotedLength))
    }
}

extension MoveIntent {
    init(_ intent: MoveInput.Intent) {
        switch intent {
        case .stop: self = .stop
        case .direction(let dx, let dy): self = .direction(dx: Int(dx), dy: Int(dy))
        case .target(let x, let y): self = .target(Position(x: Int32(x), y: Int32(y)))
        }
    }
}
