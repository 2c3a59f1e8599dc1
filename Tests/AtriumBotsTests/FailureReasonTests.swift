import AtriumClient
@testable import atrium_bots
import Testing

struct FailureReasonTests {
    @Test(arguments: [
        (AtriumClientError.connectionFailed("HTTP 429 rate_limited: too many connection attempts; slow down"), "HTTP 429 rate_limited"),
        (.connectionFailed("HTTP 503 too_many_connections"), "HTTP 503 too_many_connections"),
        (.connectionFailed("HTTP 503"), "HTTP 503"),
        (.connectionFailed("connection failed: connect 127.0.0.1:1: Connection refused"), "connection refused"),
        (.refused(.roomFull, "the room is full"), "room_full"),
        (.closed(code: 1008, reason: "client too slow"), "close 1008"),
        (.timedOut, "timed out"),
    ])
    func eachFailureIsNamedByWhatTheServerSaid(error: AtriumClientError, label: String) {
        #expect(FailureReason.label(error) == label)
    }

    @Test func thePerAddressLimitsComeWithTheFlagThatAvoidsThem() {
        #expect(FailureReason.hint("HTTP 429 rate_limited")?.contains("limits.handshake_rate_per_ip") == true)
        #expect(FailureReason.hint("HTTP 503 too_many_connections")?.contains("--max-connections-per-ip") == true)
        #expect(FailureReason.hint("HTTP 503 server_full")?.contains("--max-connections") == true)
        #expect(FailureReason.hint("close 1000") == nil)
    }
}
