import AtriumWebSocket

/// Receives what arrives on a ``WebSocketChannel``. Both calls come on the channel's I/O
/// queue; decode there and hand typed values to wherever they belong.
public protocol WebSocketChannelDelegate: AnyObject {
    func webSocket(_ channel: WebSocketChannel, didReceive message: WebSocketMessage)
    /// Called exactly once, after the socket is closed.
    func webSocketDidClose(_ channel: WebSocketChannel, report: WebSocketCloseReport)
}
