import AtriumProtocol
import AtriumWebSocket

/// What ``ClientMachine`` asks its adapter to do, in order.
enum ClientAction: Sendable, Equatable {
    /// Open a WebSocket to the room; report ``ClientMachine/socketOpened(now:)`` or
    /// ``ClientMachine/socketFailed(_:now:)``.
    case openSocket
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
        case (.openSocket, .openSocket): return true
        case (.send(let a), .send(let b)): return a.isEqual(to: b)
        case (.closeSocket(let a), .closeSocket(let b)): return a == b
        case (.scheduleTimer(let a), .scheduleTimer(let b)): return a == b
        case (.complete(let a, let x), .complete(let b, let y)): return a == b && x == y
        case (.emit(let a), .emit(let b)): return a == b
        default: return false
        }
    }
}
