/// The client half of the opening handshake: the request to send and the check of the
/// server's answer (RFC 6455 §4.1).
public struct WebSocketClientHandshake: Sendable {
    public let key: String
    public let host: String
    public let target: String
    public let subprotocols: [String]
    public let deflateOffer: WebSocketExtensionElement?
    public let extraHeaders: [(name: String, value: String)]

    /// - Parameter keyBytes: sixteen random bytes, fresh for every connection.
    public init(
        host: String, target: String, keyBytes: [UInt8], subprotocols: [String] = [],
        deflate: PerMessageDeflateConfiguration = .init(), extraHeaders: [(name: String, value: String)] = []
    ) {
        precondition(keyBytes.count == 16, "Sec-WebSocket-Key needs 16 bytes")
        key = Base64.encode(keyBytes)
        self.host = host
        self.target = target
        self.subprotocols = subprotocols
        deflateOffer = PerMessageDeflateParameters.offer(configuration: deflate)
        self.extraHeaders = extraHeaders
    }

    /// The GET request, ready to write.
    public var requestBytes: [UInt8] {
        var text = "GET \(target) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        text += "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
        if !subprotocols.isEmpty { text += "Sec-WebSocket-Protocol: \(subprotocols.joined(separator: ", "))\r\n" }
        if let deflateOffer { text += "Sec-WebSocket-Extensions: \(deflateOffer.headerValue)\r\n" }
        for header in extraHeaders { text += "\(header.name): \(header.value)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    public struct Agreement: Sendable, Equatable {
        public var deflate: PerMessageDeflateParameters?
        public var subprotocol: String?
    }

    /// Checks the server's response head.
    public func validate(status: Int, headers: WebSocketHandshake.Headers) throws(WebSocketHandshakeError) -> Agreement {
        guard status == 101 else { throw .unexpectedStatus(status) }
        guard WebSocketHandshake.values(headers, "upgrade").contains(where: { WebSocketHandshake.hasToken($0, "websocket") }) else {
            throw .missingUpgradeHeader
        }
        guard WebSocketHandshake.values(headers, "connection").contains(where: { WebSocketHandshake.hasToken($0, "upgrade") }) else {
            throw .missingConnectionUpgrade
        }
        let accepts = WebSocketHandshake.values(headers, "sec-websocket-accept")
        guard accepts.count == 1, accepts[0].trimmingSpaces == WebSocketHandshake.acceptValue(forKey: key) else {
            throw .invalidAccept
        }
        var agreement = Agreement()
        let chosen = WebSocketHandshake.values(headers, "sec-websocket-protocol").map(\.trimmingSpaces)
        if let protocolName = chosen.first {
            guard chosen.count == 1, subprotocols.contains(protocolName) else { throw .unexpectedSubprotocol }
            agreement.subprotocol = protocolName
        }
        let extensionValues = WebSocketHandshake.values(headers, "sec-websocket-extensions")
        if !extensionValues.isEmpty {
            guard let elements = WebSocketExtensionElement.parse(extensionValues) else { throw .unexpectedExtension }
            agreement.deflate = try PerMessageDeflateParameters.acceptResponse(elements, offered: deflateOffer)
        }
        return agreement
    }
}
