/// Which end of the connection a codec serves. The roles differ only in masking:
/// a client masks every frame it sends and a server rejects unmasked frames (RFC 6455 §5.1).
public enum WebSocketRole: Sendable, Hashable {
    case server
    case client

    /// Whether frames arriving at this end must carry a masking key.
    var expectsMaskedInput: Bool { self == .server }
}
