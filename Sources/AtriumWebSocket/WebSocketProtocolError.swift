/// A violation by the peer that ends the connection. Each case maps to exactly one close
/// code in ``closeCode``, so the code a peer sees never depends on where the check ran.
public enum WebSocketProtocolError: Error, Sendable, Equatable {
    case reservedOpcode(UInt8)
    case reservedBitsSet
    case unexpectedCompressionBit
    case maskRequired
    case maskForbidden
    case controlFrameTooLong(Int)
    case fragmentedControlFrame
    case nonMinimalLength
    case lengthMostSignificantBitSet
    case continuationWithoutStart
    case dataFrameDuringFragmentedMessage
    case messageTooBig(limit: Int)
    case invalidUTF8
    case invalidCloseCode(UInt16)
    case closePayloadTooShort
    case corruptCompressedData

    /// The close code sent to the peer for this violation (RFC 6455 §7.4.1, RFC 7692 §8).
    public var closeCode: WebSocketCloseCode {
        switch self {
        case .messageTooBig: return .messageTooBig
        case .invalidUTF8, .corruptCompressedData: return .invalidPayloadData
        default: return .protocolError
        }
    }

    /// A short reason placed in the close frame; it never echoes peer data.
    public var reason: String {
        switch self {
        case .reservedOpcode: return "reserved opcode"
        case .reservedBitsSet: return "reserved bits set"
        case .unexpectedCompressionBit: return "unexpected RSV1"
        case .maskRequired: return "client frames must be masked"
        case .maskForbidden: return "server frames must not be masked"
        case .controlFrameTooLong: return "control frame too long"
        case .fragmentedControlFrame: return "fragmented control frame"
        case .nonMinimalLength: return "non-minimal length"
        case .lengthMostSignificantBitSet: return "invalid length"
        case .continuationWithoutStart: return "unexpected continuation"
        case .dataFrameDuringFragmentedMessage: return "expected continuation"
        case .messageTooBig: return "message too big"
        case .invalidUTF8: return "invalid UTF-8"
        case .invalidCloseCode: return "invalid close code"
        case .closePayloadTooShort: return "invalid close payload"
        case .corruptCompressedData: return "corrupt compressed data"
        }
    }
}
