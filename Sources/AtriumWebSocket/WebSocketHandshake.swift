/// The opening handshake of RFC 6455 §4, both sides, over plain header lists so that the
/// codec stays independent of the HTTP parser that produced them.
public enum WebSocketHandshake {
    public typealias Headers = [(name: String, value: String)]

    static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// The `Sec-WebSocket-Accept` value for a key (§4.2.2 item 5.4).
    public static func acceptValue(forKey key: String) -> String {
        Base64.encode(SHA1.hash(Array((key + acceptGUID).utf8)))
    }

    /// What a server agreed to when it accepts an upgrade.
    public struct ServerAgreement: Sendable, Equatable {
        public var accept: String
        public var deflate: PerMessageDeflateParameters?
        public var subprotocol: String?

        /// The 101 response's headers after the status line.
        public var responseHeaders: Headers {
            var headers: Headers = [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", accept)]
            if let subprotocol { headers.append(("Sec-WebSocket-Protocol", subprotocol)) }
            if let deflate { headers.append(("Sec-WebSocket-Extensions", deflate.responseElement.headerValue)) }
            return headers
        }
    }

    /// Validates an upgrade request (§4.2.1) and decides extensions and subprotocol.
    public static func acceptUpgrade(
        method: String, httpVersion: (major: Int, minor: Int), headers: Headers,
        subprotocols: [String] = [], deflate: PerMessageDeflateConfiguration = .disabled
    ) throws(WebSocketHandshakeError) -> ServerAgreement {
        guard method == "GET" else { throw .methodNotGet }
        guard httpVersion.major > 1 || (httpVersion.major == 1 && httpVersion.minor >= 1) else {
            throw .httpVersionTooOld
        }
        guard values(headers, "upgrade").contains(where: { hasToken($0, "websocket") }) else {
            throw .missingUpgradeHeader
        }
        guard values(headers, "connection").contains(where: { hasToken($0, "upgrade") }) else {
            throw .missingConnectionUpgrade
        }
        let keys = values(headers, "sec-websocket-key")
        guard let key = keys.first?.trimmingSpaces else { throw .missingKey }
        guard keys.count == 1, Base64.decode(key)?.count == 16 else { throw .invalidKey }
        let versions = values(headers, "sec-websocket-version")
        guard versions.count == 1, versions[0].trimmingSpaces == "13" else { throw .unsupportedVersion }

        var agreement = ServerAgreement(accept: acceptValue(forKey: key))
        let offered = values(headers, "sec-websocket-protocol")
            .flatMap { $0.split(separator: ",").map(\.trimmingSpaces) }
        agreement.subprotocol = offered.first { subprotocols.contains($0) }
        if let elements = WebSocketExtensionElement.parse(values(headers, "sec-websocket-extensions")) {
            agreement.deflate = PerMessageDeflateParameters.negotiate(offers: elements, configuration: deflate)
        }
        return agreement
    }

    /// All values of a header, matched case-insensitively by name.
    public static func values(_ headers: Headers, _ name: String) -> [String] {
        headers.compactMap { $0.name.lowercased() == name ? $0.value : nil }
    }

    /// Whether a comma-separated header value lists `token`, case-insensitively.
    public static func hasToken(_ value: String, _ token: String) -> Bool {
        value.split(separator: ",").contains { $0.trimmingSpaces.lowercased() == token }
    }
}

extension WebSocketHandshake.ServerAgreement {
    init(accept: String) {
        self.init(accept: accept, deflate: nil, subprotocol: nil)
    }
}
