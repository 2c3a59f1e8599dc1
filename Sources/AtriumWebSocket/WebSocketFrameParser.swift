/// Incremental RFC 6455 frame parser: bytes in, unmasked frames out, no I/O.
///
/// The socket layer appends whatever a read returned; ``nextFrame(maxPayload:)`` yields a
/// frame once all of its bytes are present. Every per-frame rule of §5 is checked from
/// the header alone, before the payload is buffered, so a peer that declares a gigabyte
/// is refused after fourteen bytes.
public struct WebSocketFrameParser: Sendable {
    public let role: WebSocketRole
    /// Whether RSV1 may be set: only once permessage-deflate has been negotiated.
    public var compressionNegotiated: Bool

    private var buffer: [UInt8] = []
    private var readIndex = 0

    /// Buffers above this size are released, not kept, once drained, so an idle
    /// connection that once received a large message does not hold its memory.
    private static let retainedCapacity = 4096

    public init(role: WebSocketRole, compressionNegotiated: Bool = false) {
        self.role = role
        self.compressionNegotiated = compressionNegotiated
    }

    /// Bytes received but not yet returned as part of a frame.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= Self.retainedCapacity)
            readIndex = 0
        } else if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Returns the next complete frame, nil when more bytes are needed.
    /// - Parameter maxPayload: the most payload this frame may carry; the caller passes
    ///   what is left of the message size limit so a fragmented message is bounded too.
    public mutating func nextFrame(maxPayload: Int) throws(WebSocketProtocolError) -> WebSocketFrame? {
        let available = buffer.count - readIndex
        guard available >= 2 else { return nil }
        let parsed = buffer.withUnsafeBytes { raw in
            Result { () throws(WebSocketProtocolError) -> Header? in
                try Self.parseHeader(UnsafeRawBufferPointer(rebasing: raw[readIndex...]), role: role,
                                     compressionNegotiated: compressionNegotiated, maxPayload: maxPayload)
            }
        }
        guard let header = try parsed.get() else { return nil }
        let total = header.headerLength + header.payloadLength
        guard available >= total else { return nil }

        let start = readIndex + header.headerLength
        var payload = Array(buffer[start..<(start + header.payloadLength)])
        if let key = header.maskKey {
            WebSocketMask.apply(key: key, to: &payload)
        }
        readIndex += total
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= Self.retainedCapacity)
            readIndex = 0
        }
        return WebSocketFrame(fin: header.fin, rsv1: header.rsv1, opcode: header.opcode, payload: payload)
    }

    struct Header {
        var fin: Bool
        var rsv1: Bool
        var opcode: WebSocketOpcode
        var maskKey: UInt32?
        var headerLength: Int
        var payloadLength: Int
    }

    /// Parses and validates a header; nil when its bytes are not all present yet.
    static func parseHeader(
        _ bytes: UnsafeRawBufferPointer, role: WebSocketRole, compressionNegotiated: Bool, maxPayload: Int
    ) throws(WebSocketProtocolError) -> Header? {
        guard bytes.count >= 2 else { return nil }
        let first = bytes[0]
        let second = bytes[1]
        let fin = first & 0x80 != 0
        let rsv1 = first & 0x40 != 0
        guard first & 0x30 == 0 else { throw .reservedBitsSet }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else { throw .reservedOpcode(first & 0x0F) }
        if rsv1 {
            guard compressionNegotiated, !opcode.isControl, opcode != .continuation else {
                throw .unexpectedCompressionBit
            }
        }
        let masked = second & 0x80 != 0
        if masked != role.expectsMaskedInput {
            throw role.expectsMaskedInput ? .maskRequired : .maskForbidden
        }
        let shortLength = Int(second & 0x7F)
        if opcode.isControl {
            guard fin else { throw .fragmentedControlFrame }
            guard shortLength <= 125 else { throw .controlFrameTooLong(shortLength) }
        }

        var offset = 2
        let payloadLength: Int
        switch shortLength {
        case 126:
            guard bytes.count >= offset + 2 else { return nil }
            let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            guard length >= 126 else { throw .nonMinimalLength }
            payloadLength = length
            offset += 2
        case 127:
            guard bytes.count >= offset + 8 else { return nil }
            var length: UInt64 = 0
            for index in 0..<8 { length = length << 8 | UInt64(bytes[offset + index]) }
            guard length & (1 << 63) == 0 else { throw .lengthMostSignificantBitSet }
            guard length > 0xFFFF else { throw .nonMinimalLength }
            guard length <= UInt64(maxPayload) else { throw .messageTooBig(limit: maxPayload) }
            payloadLength = Int(length)
            offset += 8
        default:
            payloadLength = shortLength
        }
        guard payloadLength <= maxPayload else { throw .messageTooBig(limit: maxPayload) }

        var maskKey: UInt32?
        if masked {
            guard bytes.count >= offset + 4 else { return nil }
            maskKey = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
            offset += 4
        }
        return Header(fin: fin, rsv1: rsv1, opcode: opcode, maskKey: maskKey,
                      headerLength: offset, payloadLength: payloadLength)
    }
}
