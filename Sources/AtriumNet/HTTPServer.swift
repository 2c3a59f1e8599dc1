import AtriumWebSocket
import Dispatch

/// A listener whose connections speak HTTP/1.1 and may upgrade to WebSocket: the
/// transport as the rest of Atrium sees it.
public final class HTTPServer: Sendable {
    public let listener: Listener
    public let group: IOQueueGroup

    public init(listener configuration: Listener.Configuration, http: HTTPServerHandler.Configuration = .init(),
                group: IOQueueGroup, router: any HTTPRouter) {
        self.group = group
        listener = Listener(configuration: configuration, group: group) { _ in
            HTTPServerHandler(router: router, configuration: http)
        }
    }

    @discardableResult
    public func start() throws(SocketError) -> [SocketAddress] {
        try listener.start()
    }

    /// Stops accepting, starts the close handshake with `code` on every WebSocket and
    /// closes every other connection, then calls `completion` once all are closed or the
    /// grace period has passed (stragglers are aborted).
    public func shutdown(code: WebSocketCloseCode = .goingAway, reason: String = "server shutting down",
                         grace: Duration = .seconds(5), completion: @escaping @Sendable () -> Void) {
        listener.stopAccepting()
        for ioQueue in group.queues {
            ioQueue.queue.async {
                ioQueue.forEachConnection { connection in
                    if let channel = connection.handler as? WebSocketChannel {
                        channel.close(code: code, reason: reason)
                    } else {
                        connection.close()
                    }
                }
            }
        }
        let deadline = ContinuousClock.now + grace
        let poll = DispatchQueue(label: "atrium.shutdown")
        @Sendable func check() {
            if listener.openConnections == 0 {
                completion()
            } else if ContinuousClock.now >= deadline {
                for ioQueue in group.queues {
                    ioQueue.queue.sync { ioQueue.forEachConnection { $0.abort() } }
                }
                completion()
            } else {
                poll.asyncAfter(deadline: .now() + .milliseconds(20)) { check() }
            }
        }
        poll.async { check() }
    }
}
