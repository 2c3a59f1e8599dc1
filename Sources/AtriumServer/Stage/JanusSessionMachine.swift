/// Atrium's one Janus session, as a state machine: connect, create the session, keep it
/// alive, match answers to requests by transaction, time requests out, and reconnect with
/// a growing delay when the connection or the session is lost. It does no I/O and reads no
/// clock: every call takes `now` and returns the actions for the connection to perform.
///
/// Handles belong to a session. When the session is lost the caller hears
/// ``Availability/unavailable(_:)`` and, on the next ``Availability/ready``, attaches again.
struct JanusSessionMachine {
    typealias Instant = ContinuousClock.Instant
    /// The caller's number for a request, handed back with its outcome.
    typealias Ticket = UInt64

    struct Settings: Equatable, Sendable {
        var requestTimeout: Duration = .seconds(5)
        var keepAliveInterval: Duration = .seconds(25)
        var reconnectDelay: Duration = .seconds(1)
        var maxReconnectDelay: Duration = .seconds(30)
        var maxQueued = 256
    }

    enum Availability: Equatable, Sendable {
        case connecting
        case ready
        case unavailable(String)
    }

    /// What a caller can ask for.
    enum Call: Equatable, Sendable {
        case attach
        case videoRoom(handle: UInt64, VideoRoomRequest)
        case detach(handle: UInt64)
    }

    enum Outcome: Equatable, Sendable {
        case attached(handle: UInt64)
        case videoRoom(VideoRoomReply)
        case detached
    }

    enum Action: Equatable, Sendable {
        case connect
        case disconnect
        case send(transaction: String, JanusRequest)
        case complete(Ticket, Result<Outcome, StageError>)
        /// Plugin news on a handle, not an answer to a request.
        case event(handle: UInt64, VideoRoomReply)
        case availability(Availability)
    }

    private enum Phase: Equatable {
        case waiting(until: Instant)
        case connecting(deadline: Instant)
        case creatingSession(transaction: String, deadline: Instant)
        case ready(session: UInt64)
        case stopped
    }

    private struct Pending {
        var ticket: Ticket?
        var call: Call?
        var deadline: Instant
    }

    let settings: Settings
    private var phase: Phase
    private(set) var availability: Availability = .connecting
    private var queued: [(ticket: Ticket, call: Call, deadline: Instant)] = []
    private var inFlight: [String: Pending] = [:]
    private var nextTransaction: UInt64 = 1
    private var lastSent: Instant
    private var delay: Duration
    private var lastFailure = "not connected yet"

    init(settings: Settings, now: Instant) {
        self.settings = settings
        phase = .waiting(until: now)
        lastSent = now
        delay = settings.reconnectDelay
    }

    var session: UInt64? {
        if case .ready(let session) = phase { return session }
        return nil
    }

    // MARK: Calls

    mutating func submit(_ call: Call, ticket: Ticket, now: Instant) -> [Action] {
        if case .stopped = phase { return [.complete(ticket, .failure(.unavailable("the stage is stopped")))] }
        guard let session else {
            guard queued.count < settings.maxQueued else { return [.complete(ticket, .failure(.overloaded))] }
            queued.append((ticket, call, now + settings.requestTimeout))
            return []
        }
        return [send(call, ticket: ticket, session: session, now: now)]
    }

    private mutating func send(_ call: Call, ticket: Ticket?, session: UInt64, now: Instant) -> Action {
        let transaction = makeTransaction()
        inFlight[transaction] = Pending(ticket: ticket, call: call, deadline: now + settings.requestTimeout)
        lastSent = now
        switch call {
        case .attach: return .send(transaction: transaction, .attach(session: session))
        case .videoRoom(let handle, let body): return .send(transaction: transaction, .message(session: session, handle: handle, body: body))
        case .detach(let handle): return .send(transaction: transaction, .detach(session: session, handle: handle))
        }
    }

    private mutating func makeTransaction() -> String {
        defer { nextTransaction += 1 }
        return "a\(nextTransaction)"
    }

    // MARK: Connection events

    mutating func connected(now: Instant) -> [Action] {
        guard case .connecting = phase else { return [.disconnect] }
        let transaction = makeTransaction()
        phase = .creatingSession(transaction: transaction, deadline: now + settings.requestTimeout)
        lastSent = now
        return [.send(transaction: transaction, .createSession)]
    }

    mutating func connectionFailed(_ reason: String, now: Instant) -> [Action] {
        guard case .connecting = phase else { return [] }
        return lose(reason, now: now, disconnect: false)
    }

    mutating func closed(now: Instant) -> [Action] {
        switch phase {
        case .waiting, .stopped: return []
        default: return lose("the connection to Janus closed", now: now, disconnect: false)
        }
    }

    /// Ends for good (server shutdown): everything waiting fails.
    mutating func stop() -> [Action] {
        var actions: [Action] = phase == .stopped ? [] : [.disconnect]
        actions += failAll(.unavailable("the stage is stopped"))
        phase = .stopped
        return actions
    }

    mutating func received(_ message: JanusIncoming, now: Instant) -> [Action] {
        if case .creatingSession(let transaction, _) = phase, message.transaction == transaction {
            return sessionAnswer(message, now: now)
        }
        guard let session else { return [] }
        if message.janus == "timeout" {
            return lose("Janus timed the session out", now: now, disconnect: true)
        }
        if let transaction = message.transaction, let pending = inFlight[transaction] {
            return answer(message, to: pending, transaction: transaction, session: session, now: now)
        }
        if message.janus == "event", let handle = message.sender, let reply = message.pluginData?.data {
            return [.event(handle: handle, reply)]
        }
        return []
    }

    private mutating func sessionAnswer(_ message: JanusIncoming, now: Instant) -> [Action] {
        guard message.janus == "success", let session = message.data?.id else {
            let reason = message.error.map { "Janus refused to open a session (\($0.code)): \($0.reason ?? "")" }
                ?? "Janus answered the session request with \(message.janus)"
            return lose(reason, now: now, disconnect: true)
        }
        phase = .ready(session: session)
        delay = settings.reconnectDelay
        var actions: [Action] = []
        if availability != .ready {
            availability = .ready
            actions.append(.availability(.ready))
        }
        let waiting = queued
        queued = []
        for entry in waiting {
            actions.append(send(entry.call, ticket: entry.ticket, session: session, now: now))
        }
        return actions
    }

    private mutating func answer(_ message: JanusIncoming, to pending: Pending, transaction: String, session: UInt64,
                                 now: Instant) -> [Action] {
        // A keep-alive ends with its ack; a request waits for its `success`, `error` or, when the
        // plugin answers asynchronously, its `event`.
        if message.janus == "ack" {
            if pending.call == nil { inFlight[transaction] = nil }
            return []
        }
        inFlight[transaction] = nil
        guard let ticket = pending.ticket, let call = pending.call else {
            // A keep-alive's error means the session is gone.
            if message.janus == "error" { return lose("the Janus session is gone", now: now, disconnect: true) }
            return []
        }
        if message.janus == "error" {
            let failure = StageError.janus(code: message.error?.code ?? 0, reason: message.error?.reason ?? "")
            var actions: [Action] = [.complete(ticket, .failure(failure))]
            // 458: no such session. Everything else on it is lost too.
            if message.error?.code == 458 { actions += lose("the Janus session is gone", now: now, disconnect: true) }
            return actions
        }
        switch call {
        case .attach:
            guard let handle = message.data?.id else {
                return [.complete(ticket, .failure(.malformedReply("attach without a handle id")))]
            }
            return [.complete(ticket, .success(.attached(handle: handle)))]
        case .detach:
            return [.complete(ticket, .success(.detached))]
        case .videoRoom:
            guard let reply = message.pluginData?.data else {
                return [.complete(ticket, .failure(.malformedReply("\(message.janus) without VideoRoom data")))]
            }
            if let code = reply.errorCode {
                return [.complete(ticket, .failure(.videoRoom(code: code, reason: reply.error ?? "")))]
            }
            return [.complete(ticket, .success(.videoRoom(reply)))]
        }
    }

    // MARK: Time

    mutating func tick(now: Instant) -> [Action] {
        var actions: [Action] = []
        switch phase {
        case .waiting(let until) where now >= until:
            phase = .connecting(deadline: now + settings.requestTimeout)
            actions.append(.connect)
        case .connecting(let deadline) where now >= deadline:
            actions += lose("Janus did not accept a connection in time", now: now, disconnect: true)
        case .creatingSession(_, let deadline) where now >= deadline:
            actions += lose("Janus did not open a session in time", now: now, disconnect: true)
        case .ready(let session) where now - lastSent >= settings.keepAliveInterval:
            let transaction = makeTransaction()
            inFlight[transaction] = Pending(ticket: nil, call: nil, deadline: now + settings.requestTimeout)
            lastSent = now
            actions.append(.send(transaction: transaction, .keepAlive(session: session)))
        default:
            break
        }
        for (transaction, pending) in inFlight where now >= pending.deadline {
            inFlight[transaction] = nil
            if let ticket = pending.ticket { actions.append(.complete(ticket, .failure(.timedOut))) }
        }
        let expired = queued.filter { now >= $0.deadline }
        queued.removeAll { now >= $0.deadline }
        for entry in expired { actions.append(.complete(entry.ticket, .failure(.timedOut))) }
        return actions
    }

    // MARK: Losing the session

    private mutating func lose(_ reason: String, now: Instant, disconnect: Bool) -> [Action] {
        lastFailure = reason
        phase = .waiting(until: now + delay)
        delay = min(delay * 2, settings.maxReconnectDelay)
        var actions: [Action] = disconnect ? [.disconnect] : []
        // Requests sent on the lost session fail; those still queued wait for the next one.
        actions += failInFlight(.connectionLost)
        if availability != .unavailable(reason) {
            availability = .unavailable(reason)
            actions.append(.availability(availability))
        }
        return actions
    }

    private mutating func failInFlight(_ error: StageError) -> [Action] {
        let tickets = inFlight.values.compactMap(\.ticket).sorted()
        inFlight = [:]
        return tickets.map { .complete($0, .failure(error)) }
    }

    private mutating func failAll(_ error: StageError) -> [Action] {
        var actions = failInFlight(error)
        actions += queued.map { .complete($0.ticket, .failure(error)) }
        queued = []
        return actions
    }
}
