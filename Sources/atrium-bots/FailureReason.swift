import AtriumClient
import AtriumProtocol

/// Names a failed connect or a dropped session by what the server said: the HTTP status
/// and code of a refused upgrade, the error code of a refused join, or the close code;
/// and, for the refusals a load test causes itself, what to change.
enum FailureReason {
    static func label(_ error: AtriumClientError) -> String {
        switch error {
        case .refused(let code, _): return code.rawValue
        case .rejected(let code, _): return code.rawValue
        case .closed(let code, let reason): return reason == ErrorCode.tooSlow.rawValue ? "close \(code) too_slow" : "close \(code)"
        case .connectionFailed(let detail): return label(connectionFailure: detail)
        case .timedOut: return "timed out"
        case .notConnected: return "not connected"
        case .invalidURL: return "invalid URL"
        case .protocolViolation: return "protocol violation"
        }
    }

    /// "HTTP 429 rate_limited: too many…" becomes "HTTP 429 rate_limited".
    static func label(connectionFailure detail: String) -> String {
        if detail.hasPrefix("HTTP ") {
            return String(detail.prefix { $0 != ":" })
        }
        if detail.contains("refused") { return "connection refused" }
        if detail.contains("bind") { return "cannot bind the source address" }
        return "connection failed"
    }

    /// What to change when a failure is the server's per-address limit or its cap.
    static func hint(_ label: String) -> String? {
        if label.hasPrefix("HTTP 429") {
            return "the server's per-address handshake rate (limits.handshake_rate_per_ip) refused these: "
                + "lower --ramp or spread the bots over --source-addresses"
        }
        if label.hasSuffix("too_many_connections") {
            return "the server's per-address connection limit (--max-connections-per-ip) refused these: "
                + "spread the bots over --source-addresses, e.g. 127.0.0.1-127.0.0.16"
        }
        if label.hasSuffix("server_full") {
            return "the server is at its connection limit (--max-connections)"
        }
        if label == "room_full" || label.hasSuffix("room_full") {
            return "the room is at its capacity: use several rooms or a lower --bots"
        }
        if label == "cannot bind the source address" {
            return "--source-addresses must be addresses of this machine (127.0.0.0/8 on loopback)"
        }
        return nil
    }
}
