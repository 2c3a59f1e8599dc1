import AtriumProtocol
import AtriumWebSocket

/// What ``ClientMachine`` asks its adapter to do, in order.
enum ClientAction: Sendable, Equatable {
    /// Open a WebSocket to this path and query on the configured URL's origin; report
    /// ``ClientMachine/socketOpened(now:)`` or ``ClientMachine/socketFailed(_:roomMoved:now:)``.
    case openSocket(target: String)
    /// GET this `/api/seat` path and query on the configured URL's origin; report
    /// ``ClientMachine/seatAnswered(path:node:now:)`` or
    /// ``ClientMachine/seatFailed(_:transient:retryAfter:now:)``.
    case requestSeat(target: String)
    /// Send a control message on the open socket.
    case send(any ClientMessage)
    /// Start the close handshake; report ``ClientMachine/socketClosed(code:reason:now:)``
    /// when it is done.
    case closeSocket(WebSocketCloseCode)
    /// Call ``ClientMachine/timerFired(now:)`` at this instant. Replaces any earlier
    /// request for a later instant; firing early or twice does no harm.
    case scheduleTimer(at: ContinuousClock.Instant)
    /// The request's answer, or why it will get none.
    case complete(RequestRef, Result<ClientReply, AtriumClientError>)
    /// Deliver an event to the client's observers.
    case emit(ClientEvent)

    static func == (lhs: ClientAction, rhs: ClientAction) -> Bool {
        switch (lhs, rhs) {
        case (.openSocket(let a), .openSocket(let b)), (.requestSeat(let a), .requestSeat(let b)): return a == b
        case (.send(let a), .send(let b)): return a.isEqual(to: b)
        case (.closeSocket(let a), .closeSocket(let b)): return a == b
        case (.scheduleTimer(let a), .scheduleTimer(let b)): return a == b
        case (.complete(let a, let x), .complete(let b, let y)): return a == b && x == y
        case (.emit(let a), .emit(let b)): return a == b
        default: return false
        }
    }
}
