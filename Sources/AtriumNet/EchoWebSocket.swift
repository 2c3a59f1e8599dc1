import AtriumWebSocket

/// Sends every message back as it came. Serves the `/echo` endpoint that interop tests
/// and the transport benchmark use to measure the transport alone.
public final class EchoWebSocket: WebSocketChannelDelegate {
    public init() {}

    public func webSocket(_ channel: WebSocketChannel, didReceive message: WebSocketMessage) {
        channel.send(message)
    }

    public func webSocketDidClose(_ channel: WebSocketChannel, report: WebSocketCloseReport) {}
}
