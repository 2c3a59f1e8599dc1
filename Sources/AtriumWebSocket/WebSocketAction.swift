/// What the protocol state machine asks its owner to do. The machine performs no I/O;
/// the socket layer carries these out in order.
public enum WebSocketAction: Sendable, Equatable {
    /// A complete message for the application.
    case deliver(WebSocketMessage)
    /// Encoded frame bytes to write (pongs, pings, close frames).
    case write([UInt8])
    /// Flush what is queued, then close the transport. The report says why.
    case closeTransport(WebSocketCloseReport)
}
