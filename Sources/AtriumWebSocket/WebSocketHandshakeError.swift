/// Why an opening handshake (RFC 6455 §4) was refused. On the server each case maps to
/// the HTTP status answered before any WebSocket frame exists.
public enum WebSocketHandshakeError: Error, Sendable, Equatable {
    case methodNotGet
    case httpVersionTooOld
    case missingUpgradeHeader
    case missingConnectionUpgrade
    case missingKey
    case invalidKey
    case unsupportedVersion
    // Client side: the server's answer did not complete the handshake.
    case unexpectedStatus(Int)
    case invalidAccept
    case unexpectedExtension
    case unexpectedSubprotocol

    /// The status a server answers with: 405 for a method that can never upgrade, 426 with
    /// `Sec-WebSocket-Version: 13` for a version we do not speak, 400 for the rest.
    public var httpStatus: Int {
        switch self {
        case .methodNotGet: return 405
        case .unsupportedVersion: return 426
        default: return 400
        }
    }

    public var message: String {
        switch self {
        case .methodNotGet: return "WebSocket upgrade requires GET"
        case .httpVersionTooOld: return "WebSocket upgrade requires HTTP/1.1"
        case .missingUpgradeHeader: return "missing Upgrade: websocket"
        case .missingConnectionUpgrade: return "missing Connection: Upgrade"
        case .missingKey: return "missing Sec-WebSocket-Key"
        case .invalidKey: return "Sec-WebSocket-Key must be 16 bytes in base64"
        case .unsupportedVersion: return "only Sec-WebSocket-Version 13 is supported"
        case .unexpectedStatus(let status): return "server answered \(status) instead of 101"
        case .invalidAccept: return "wrong Sec-WebSocket-Accept"
        case .unexpectedExtension: return "server accepted an extension that was not offered"
        case .unexpectedSubprotocol: return "server chose a subprotocol that was not offered"
        }
    }
}
