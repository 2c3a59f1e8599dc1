/// The two paths a client uses on its server's site, from the configured WebSocket URL:
/// the WebSocket's own path and query, and the `/api/seat` request that asks where the
/// room runs. Plain string work, so the machine stays free of URL types.
enum SeatPath {
    /// The path and query of a `ws://` or `wss://` URL (`/` when it has none).
    static func webSocketTarget(of url: String) -> String {
        guard let scheme = url.firstRange(of: "://") else { return "/" }
        let rest = url[scheme.upperBound...]
        guard let start = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        let target = String(rest[start...])
        return target.hasPrefix("?") ? "/" + target : target
    }

    /// `/api/seat` beside the WebSocket's path (`/ws` → `/api/seat`, `/atrium/ws` →
    /// `/atrium/api/seat`), with the URL's `room` and `instance`, and the join token, which
    /// lets a moderator into any instance.
    static func seatTarget(forWebSocketTarget target: String, token: String?) -> String {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts[0]
        let prefix = path.hasSuffix("/ws") ? path.dropLast(3) : ""
        var query = (parts.count > 1 ? parts[1].split(separator: "&") : [])
            .filter { $0.hasPrefix("room=") || $0.hasPrefix("instance=") }
            .map(String.init)
        if let token { query.append("token=" + percentEncoded(token)) }
        return prefix + "/api/seat" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// Everything but RFC 3986's unreserved characters escaped.
    static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                encoded += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
            }
        }
        return encoded
    }
}
