import AtriumWebSocket

/// What the application answers to a request: a response, or an upgrade to WebSocket.
public enum HTTPRoute: Sendable {
    case respond(HTTPResponse)
    case webSocket(WebSocketUpgrade)
    /// An answer that needs I/O first (a database lookup). `start` runs on the I/O queue
    /// and must call its argument once, from any queue; the connection reads nothing
    /// more meanwhile, and a request left unanswered for the head timeout gets a 504.
    case respondLater(@Sendable (_ respond: @escaping @Sendable (HTTPResponse) -> Void) -> Void)
}

/// Accepting an upgrade: the connection's limits, the subprotocols spoken, and the hook
/// that receives the open channel (on its I/O queue) to attach a delegate.
public struct WebSocketUpgrade: Sendable {
    public var configuration: WebSocketConfiguration
    public var outboundLimits: OutboundLimits
    public var subprotocols: [String]
    public var onOpen: @Sendable (WebSocketChannel) -> Void

    public init(configuration: WebSocketConfiguration = .init(), outboundLimits: OutboundLimits = .init(),
                subprotocols: [String] = [], onOpen: @escaping @Sendable (WebSocketChannel) -> Void) {
        self.configuration = configuration
        self.outboundLimits = outboundLimits
        self.subprotocols = subprotocols
        self.onOpen = onOpen
    }
}

/// Decides, per request, what to answer. Called on the connection's I/O queue, so it
/// must be quick and must not block.
public protocol HTTPRouter: Sendable {
    func route(_ request: HTTPRequest, connection: Connection) -> HTTPRoute
}
