@testable import AtriumWebSocket

/// Bytes from a hex string such as "81 05 48 65"; spaces are ignored.
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") })
    precondition(digits.count % 2 == 0, "odd hex string")
    return stride(from: 0, to: digits.count, by: 2).map { index in
        UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16)!
    }
}

/// A small deterministic generator so that randomized tests replay exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Splits `bytes` at random points into chunks.
func randomChunks(_ bytes: [UInt8], using generator: inout SplitMix64) -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    var index = 0
    while index < bytes.count {
        let length = Int.random(in: 1...max(1, min(bytes.count - index, 17)), using: &generator)
        chunks.append(Array(bytes[index..<index + length]))
        index += length
    }
    return chunks
}

/// Feeds chunks to a parser and collects frames, or the first error.
func parseAll(_ chunks: [[UInt8]], role: WebSocketRole, compression: Bool = false, maxPayload: Int = 1 << 20)
    -> Result<[WebSocketFrame], WebSocketProtocolError>
{
    var parser = WebSocketFrameParser(role: role, compressionNegotiated: compression)
    var frames: [WebSocketFrame] = []
    do {
        for chunk in chunks {
            parser.append(chunk)
            while let frame = try parser.nextFrame(maxPayload: maxPayload) { frames.append(frame) }
        }
    } catch {
        return .failure(error)
    }
    return .success(frames)
}

extension WebSocketAction {
    var closeReport: WebSocketCloseReport? {
        if case .closeTransport(let report) = self { return report }
        return nil
    }

    var delivered: WebSocketMessage? {
        if case .deliver(let message) = self { return message }
        return nil
    }

    var written: [UInt8]? {
        if case .write(let bytes) = self { return bytes }
        return nil
    }
}
