import AtriumNet
import AtriumWebSocket
import FuzzSupport

/// Requests as the server reads them, then what the server does next with one: the
/// target's path and query, keep-alive, and the WebSocket upgrade decision.
enum RequestCheck {
    struct Head: Equatable {
        var method: String
        var target: String
        var version: [Int]
        var headers: [String]
    }

    static func run(_ feeds: [[[UInt8]]], limits: HeadLimits) {
        let outcomes = feeds.map { feed in parse(feed, limits: limits) }
        requireSameOutcome(outcomes, "requests")
    }

    static func parse(_ chunks: [[UInt8]], limits: HeadLimits) -> HeadOutcome<Head> {
        var parser = limits.parser()
        var outcome = HeadOutcome<Head>()
        do {
            for chunk in chunks {
                chunk.withUnsafeBytes { parser.append($0) }
                while let request = try parser.nextRequest() {
                    outcome.heads.append(Head(method: request.method, target: request.target,
                                              version: [request.version.major, request.version.minor],
                                              headers: request.headers.map { "\($0.name): \($0.value)" }))
                    use(request)
                }
            }
            outcome.remainder = parser.takeRemainder()
        } catch {
            outcome.error = error
        }
        return outcome
    }

    /// What the server's handler does with a parsed request.
    static func use(_ request: HTTPRequest) {
        _ = request.path
        _ = request.queryItems
        _ = request.query("room")
        _ = request.keepAlive
        _ = PercentDecoding.decode(request.path)
        ExtensionCheck.run(request.headers.values("Sec-WebSocket-Extensions"))
        let agreement = try? WebSocketHandshake.acceptUpgrade(
            method: request.method, httpVersion: request.version, headers: request.headers.entries,
            subprotocols: ["atrium.v1"], deflate: PerMessageDeflateConfiguration())
        if let agreement {
            require(agreement.accept.utf8.count == 28, "Sec-WebSocket-Accept \"\(agreement.accept)\" is not a base64 SHA-1")
            if let deflate = agreement.deflate {
                ExtensionCheck.run([deflate.responseElement.headerValue])
            }
        }
    }
}
