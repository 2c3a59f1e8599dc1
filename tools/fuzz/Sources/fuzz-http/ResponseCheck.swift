import AtriumNet
import AtriumWebSocket
import FuzzSupport

/// Responses as the client reads them, then the client's check of an upgrade answer.
enum ResponseCheck {
    struct Head: Equatable {
        var status: Int
        var headers: [String]
    }

    /// The handshake whose answer the fuzzer plays; its key is fixed so that seeds can
    /// carry the matching `Sec-WebSocket-Accept` (RFC 6455 §1.3: `s3pPLMBiTxaQ9kYGzzhZRbK+xOo=`).
    static let handshake = WebSocketClientHandshake(
        host: "127.0.0.1", target: "/ws", keyBytes: Array("the sample nonce".utf8), subprotocols: ["atrium.v1"])

    static func run(_ feeds: [[[UInt8]]], limits: HeadLimits) {
        let outcomes = feeds.map { feed in parse(feed, limits: limits) }
        requireSameOutcome(outcomes, "responses")
    }

    static func parse(_ chunks: [[UInt8]], limits: HeadLimits) -> HeadOutcome<Head> {
        var parser = limits.parser()
        var outcome = HeadOutcome<Head>()
        do {
            for chunk in chunks {
                chunk.withUnsafeBytes { parser.append($0) }
                while let response = try parser.nextResponse() {
                    require((100...599).contains(response.status), "status \(response.status) accepted")
                    outcome.heads.append(Head(status: response.status, headers: response.headers.map { "\($0.name): \($0.value)" }))
                    ExtensionCheck.run(response.headers.values("Sec-WebSocket-Extensions"))
                    _ = try? handshake.validate(status: response.status, headers: response.headers.entries)
                }
            }
            outcome.remainder = parser.takeRemainder()
        } catch {
            outcome.error = error
        }
        return outcome
    }
}
