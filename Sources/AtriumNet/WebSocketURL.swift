/// A `ws://` or `wss://` URL split into what a connection needs.
public struct WebSocketURL: Sendable, Equatable, CustomStringConvertible {
    public var isSecure: Bool
    public var host: String
    public var port: UInt16
    /// Path and query, e.g. "/ws?room=expo-hall".
    public var target: String

    public init(isSecure: Bool, host: String, port: UInt16, target: String) {
        self.isSecure = isSecure
        self.host = host
        self.port = port
        self.target = target
    }

    /// Parses "ws://host:port/path?query"; nil for any other scheme or a malformed URL.
    public init?(_ text: String) {
        let secure: Bool
        var rest: Substring
        if text.hasPrefix("ws://") {
            secure = false
            rest = text.dropFirst(5)
        } else if text.hasPrefix("wss://") {
            secure = true
            rest = text.dropFirst(6)
        } else {
            return nil
        }
        let slash = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<slash]
        var target = String(rest[slash...])
        if target.isEmpty { target = "/" } else if target.hasPrefix("?") { target = "/" + target }
        rest = ""
        var port: UInt16 = secure ? 443 : 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = UInt16(after.dropFirst()) else { return nil }
                port = value
            } else if !after.isEmpty {
                return nil
            }
            authority = authority[authority.index(after: authority.startIndex)..<close]
        } else if let colon = authority.lastIndex(of: ":") {
            guard let value = UInt16(authority[authority.index(after: colon)...]) else { return nil }
            port = value
            authority = authority[..<colon]
        }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        self.init(isSecure: secure, host: String(authority), port: port, target: target)
    }

    /// The Host header value.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        let defaultPort: UInt16 = isSecure ? 443 : 80
        return port == defaultPort ? name : "\(name):\(port)"
    }

    public var description: String {
        "\(isSecure ? "wss" : "ws")://\(hostHeader)\(target)"
    }
}
