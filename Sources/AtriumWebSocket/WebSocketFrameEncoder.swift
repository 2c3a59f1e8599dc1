/// Serializes frames. Server frames are written unmasked; client frames are masked with
/// the key the caller supplies (fresh and random per frame, RFC 6455 §5.3).
public enum WebSocketFrameEncoder {
    /// The number of header bytes a frame with this payload length needs.
    public static func headerLength(payloadLength: Int, masked: Bool) -> Int {
        let base: Int
        switch payloadLength {
        case ..<126: base = 2
        case ...0xFFFF: base = 4
        default: base = 10
        }
        return masked ? base + 4 : base
    }

    /// Appends one complete frame to `output`.
    public static func encode(
        opcode: WebSocketOpcode, fin: Bool = true, rsv1: Bool = false,
        payload: UnsafeRawBufferPointer, maskKey: UInt32? = nil, into output: inout [UInt8]
    ) {
        let length = payload.count
        output.reserveCapacity(output.count + headerLength(payloadLength: length, masked: maskKey != nil) + length)
        output.append((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode.rawValue)
        let maskBit: UInt8 = maskKey == nil ? 0 : 0x80
        switch length {
        case ..<126:
            output.append(maskBit | UInt8(length))
        case ...0xFFFF:
            output.append(maskBit | 126)
            output.append(UInt8(length >> 8))
            output.append(UInt8(length & 0xFF))
        default:
            output.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) {
                output.append(UInt8(truncatingIfNeeded: UInt64(length) >> UInt64(shift)))
            }
        }
        if let maskKey {
            withUnsafeBytes(of: maskKey) { output.append(contentsOf: $0) }
            let start = output.count
            output.append(contentsOf: payload)
            output.withUnsafeMutableBytes { raw in
                WebSocketMask.apply(key: maskKey, to: UnsafeMutableRawBufferPointer(rebasing: raw[start...]))
            }
        } else {
            output.append(contentsOf: payload)
        }
    }

    public static func encode(
        opcode: WebSocketOpcode, fin: Bool = true, rsv1: Bool = false,
        payload: [UInt8], maskKey: UInt32? = nil, into output: inout [UInt8]
    ) {
        payload.withUnsafeBytes {
            encode(opcode: opcode, fin: fin, rsv1: rsv1, payload: $0, maskKey: maskKey, into: &output)
        }
    }

    /// Builds a close frame's payload: the code in network order, then a UTF-8 reason
    /// truncated on a character boundary so the control frame stays within 125 bytes.
    public static func closePayload(code: WebSocketCloseCode, reason: String) -> [UInt8] {
        var payload: [UInt8] = [UInt8(code.rawValue >> 8), UInt8(code.rawValue & 0xFF)]
        var budget = 123
        for scalar in reason.unicodeScalars {
            let encoded = Array(String(scalar).utf8)
            guard encoded.count <= budget else { break }
            payload.append(contentsOf: encoded)
            budget -= encoded.count
        }
        return payload
    }
}
