import AtriumNet
import AtriumWebSocket
import Synchronization

/// The `/fanout` benchmark endpoint (only with `--echo`): every message one client sends
/// goes to every connected client, encoded once. It measures the transport's broadcast
/// path without any room logic.
final class FanoutHub: Sendable {
    private let channels = Mutex<[ObjectIdentifier: WebSocketChannel]>([:])

    func join(_ channel: WebSocketChannel) {
        channels.withLock { $0[ObjectIdentifier(channel)] = channel }
        channel.delegate = Member(hub: self)
    }

    fileprivate func leave(_ channel: WebSocketChannel) {
        _ = channels.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    fileprivate func broadcast(_ message: WebSocketMessage) {
        let frame = WebSocketChannel.encodeSharedFrame(message)
        let members = channels.withLock { Array($0.values) }
        for member in members { member.send(sharedFrame: frame) }
    }

    private final class Member: WebSocketChannelDelegate {
        let hub: FanoutHub
        init(hub: FanoutHub) { self.hub = hub }
        func webSocket(_ channel: WebSocketChannel, didReceive message: WebSocketMessage) { hub.broadcast(message) }
        func webSocketDidClose(_ channel: WebSocketChannel, report: WebSocketCloseReport) { hub.leave(channel) }
    }
}
