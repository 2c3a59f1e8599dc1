/// The permessage-deflate parameters both ends agreed on (RFC 7692 §7.1).
public struct PerMessageDeflateParameters: Sendable, Equatable {
    public var serverNoContextTakeover: Bool
    public var clientNoContextTakeover: Bool
    /// nil when the response did not name it: the sender may use up to 15 bits.
    public var serverMaxWindowBits: Int?
    public var clientMaxWindowBits: Int?

    public init(serverNoContextTakeover: Bool = false, clientNoContextTakeover: Bool = false,
                serverMaxWindowBits: Int? = nil, clientMaxWindowBits: Int? = nil) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    public static let extensionName = "permessage-deflate"

    /// The element a server puts in its `Sec-WebSocket-Extensions` response.
    public var responseElement: WebSocketExtensionElement {
        var parameters: [WebSocketExtensionElement.Parameter] = []
        if serverNoContextTakeover { parameters.append(.init(name: "server_no_context_takeover")) }
        if clientNoContextTakeover { parameters.append(.init(name: "client_no_context_takeover")) }
        if let bits = serverMaxWindowBits { parameters.append(.init(name: "server_max_window_bits", value: String(bits))) }
        if let bits = clientMaxWindowBits { parameters.append(.init(name: "client_max_window_bits", value: String(bits))) }
        return WebSocketExtensionElement(name: Self.extensionName, parameters: parameters)
    }

    /// Server side: picks the first acceptable permessage-deflate offer, or nil when there
    /// is none. An offer with an unknown, repeated or out-of-range parameter is declined
    /// (§7.1: the server must not accept it and must not echo what it does not know).
    public static func negotiate(
        offers: [WebSocketExtensionElement], configuration: PerMessageDeflateConfiguration
    ) -> PerMessageDeflateParameters? {
        guard configuration.isEnabled else { return nil }
        for offer in offers where offer.name == extensionName {
            guard let accepted = accept(offer, configuration: configuration) else { continue }
            return accepted
        }
        return nil
    }

    private static func accept(
        _ offer: WebSocketExtensionElement, configuration: PerMessageDeflateConfiguration
    ) -> PerMessageDeflateParameters? {
        var seen: Set<String> = []
        var serverNoContext = false
        var clientNoContext = false
        var serverBits: Int?
        var clientBitsOffered = false
        var clientBits: Int?
        for parameter in offer.parameters {
            guard seen.insert(parameter.name).inserted else { return nil }
            switch parameter.name {
            case "server_no_context_takeover":
                guard parameter.value == nil else { return nil }
                serverNoContext = true
            case "client_no_context_takeover":
                guard parameter.value == nil else { return nil }
                clientNoContext = true
            case "server_max_window_bits":
                guard let value = parameter.value, let bits = windowBits(value) else { return nil }
                serverBits = bits
            case "client_max_window_bits":
                clientBitsOffered = true
                if let value = parameter.value {
                    guard let bits = windowBits(value) else { return nil }
                    clientBits = bits
                }
            default:
                return nil
            }
        }
        var result = PerMessageDeflateParameters()
        result.serverNoContextTakeover = serverNoContext || configuration.noContextTakeoverForOwnMessages
        // §7.1.1.2: a server may ask for client_no_context_takeover even when not offered.
        result.clientNoContextTakeover = clientNoContext || configuration.noContextTakeoverForPeerMessages
        let ourBits = configuration.maxWindowBits
        if let requested = serverBits {
            result.serverMaxWindowBits = min(requested, ourBits)
        } else if ourBits < 15 {
            result.serverMaxWindowBits = ourBits
        }
        // client_max_window_bits may only appear in the response if the client offered it.
        if clientBitsOffered, let bits = clientBits {
            result.clientMaxWindowBits = bits
        }
        return result
    }

    /// Client side: the offer this configuration sends.
    public static func offer(configuration: PerMessageDeflateConfiguration) -> WebSocketExtensionElement? {
        guard configuration.isEnabled else { return nil }
        var parameters: [WebSocketExtensionElement.Parameter] = []
        if configuration.noContextTakeoverForOwnMessages { parameters.append(.init(name: "client_no_context_takeover")) }
        if configuration.noContextTakeoverForPeerMessages { parameters.append(.init(name: "server_no_context_takeover")) }
        // Announcing support lets the server pick a smaller window for our compressor.
        parameters.append(.init(name: "client_max_window_bits"))
        return WebSocketExtensionElement(name: extensionName, parameters: parameters)
    }

    /// Client side: validates the server's response against what was offered.
    public static func acceptResponse(
        _ elements: [WebSocketExtensionElement], offered: WebSocketExtensionElement?
    ) throws(WebSocketHandshakeError) -> PerMessageDeflateParameters? {
        guard let element = elements.first else { return nil }
        guard elements.count == 1, element.name == extensionName, offered != nil else {
            throw .unexpectedExtension
        }
        var seen: Set<String> = []
        var result = PerMessageDeflateParameters()
        for parameter in element.parameters {
            guard seen.insert(parameter.name).inserted else { throw .unexpectedExtension }
            switch parameter.name {
            case "server_no_context_takeover":
                guard parameter.value == nil else { throw .unexpectedExtension }
                result.serverNoContextTakeover = true
            case "client_no_context_takeover":
                guard parameter.value == nil else { throw .unexpectedExtension }
                result.clientNoContextTakeover = true
            case "server_max_window_bits":
                guard let value = parameter.value, let bits = windowBits(value) else { throw .unexpectedExtension }
                result.serverMaxWindowBits = bits
            case "client_max_window_bits":
                guard let value = parameter.value, let bits = windowBits(value) else { throw .unexpectedExtension }
                result.clientMaxWindowBits = bits
            default:
                throw .unexpectedExtension
            }
        }
        return result
    }

    private static func windowBits(_ text: String) -> Int? {
        guard text.utf8.count <= 2, let value = Int(text), (8...15).contains(value) else { return nil }
        return value
    }
}
