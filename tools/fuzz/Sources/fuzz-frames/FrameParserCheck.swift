import AtriumWebSocket
import FuzzSupport

/// `WebSocketFrameParser` on its own: every frame it returns obeys RFC 6455 §5, and
/// re-encoding the frames gives back exactly the bytes they were parsed from, since the
/// parser accepts only minimal lengths.
enum FrameParserCheck {
    /// Small, so that fuzzed inputs reach the limit and exercise the refusal.
    static let maxPayload = 1 << 12

    struct Outcome: Equatable {
        var frames: [WebSocketFrame] = []
        var error: WebSocketProtocolError?
        var buffered = 0
    }

    static func run(_ bytes: [UInt8], chunks: [[UInt8]], role: WebSocketRole, compression: Bool) {
        let whole = parse([bytes], role: role, compression: compression)
        let pieces = parse(chunks, role: role, compression: compression)
        require(whole.frames == pieces.frames && whole.error == pieces.error,
                "\(role) parser: whole input gave \(whole.frames.count) frames and \(String(describing: whole.error)), "
                    + "pieces gave \(pieces.frames.count) and \(String(describing: pieces.error))")

        var reencoded: [UInt8] = []
        for frame in whole.frames {
            require(frame.payload.count <= maxPayload, "frame of \(frame.payload.count) bytes passed a limit of \(maxPayload)")
            if frame.opcode.isControl {
                require(frame.fin && frame.payload.count <= 125, "control frame fragmented or over 125 bytes")
            }
            if frame.rsv1 {
                require(compression && !frame.opcode.isControl && frame.opcode != .continuation, "RSV1 accepted where it is not allowed")
            }
            let headerLength = WebSocketFrameEncoder.headerLength(payloadLength: frame.payload.count, masked: role == .server)
            var maskKey: UInt32?
            if role == .server {
                let keyOffset = reencoded.count + headerLength - 4
                require(keyOffset + 4 <= bytes.count, "a masked frame ends before its masking key")
                maskKey = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: keyOffset, as: UInt32.self) }
            }
            WebSocketFrameEncoder.encode(opcode: frame.opcode, fin: frame.fin, rsv1: frame.rsv1, payload: frame.payload,
                                         maskKey: maskKey, into: &reencoded)
        }
        require(reencoded.count <= bytes.count && reencoded[...] == bytes[..<reencoded.count],
                "\(role) parser: re-encoded frames differ from the bytes they came from")
        if whole.error == nil {
            require(reencoded.count + whole.buffered == bytes.count, "parser lost or invented bytes")
            require(pieces.buffered == whole.buffered, "pieces left \(pieces.buffered) bytes buffered, whole input \(whole.buffered)")
        }
    }

    static func parse(_ chunks: [[UInt8]], role: WebSocketRole, compression: Bool) -> Outcome {
        var parser = WebSocketFrameParser(role: role, compressionNegotiated: compression)
        var outcome = Outcome()
        do {
            for chunk in chunks {
                parser.append(chunk)
                while let frame = try parser.nextFrame(maxPayload: maxPayload) { outcome.frames.append(frame) }
            }
        } catch {
            outcome.error = error
        }
        outcome.buffered = parser.bufferedByteCount
        return outcome
    }
}
