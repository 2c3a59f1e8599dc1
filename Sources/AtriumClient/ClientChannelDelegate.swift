internal import AtriumNet
import AtriumWebSocket

/// Forwards a channel's news to its client; kept apart so the client's public API does
/// not show the delegate methods. Weak, so a client nobody holds can go away.
final class ClientChannelDelegate: WebSocketChannelDelegate {
    private weak var client: AtriumClient?

    init(client: AtriumClient) {
        self.client = client
    }

    func webSocket(_ channel: WebSocketChannel, didReceive message: WebSocketMessage) {
        client?.received(message)
    }

    func webSocketDidClose(_ channel: WebSocketChannel, report: WebSocketCloseReport) {
        client?.channelClosed(report)
    }
}
