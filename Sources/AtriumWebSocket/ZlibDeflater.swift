import CZlib

/// A raw-deflate compressor for permessage-deflate (RFC 7692 §7.2.1).
///
/// A class because zlib keeps a pointer back to its `z_stream`, which must therefore stay
/// at one address for the stream's life. Not thread-safe: one owner, one queue.
public final class ZlibDeflater {
    private let stream: UnsafeMutablePointer<z_stream>
    /// Whether each message starts from an empty window (`*_no_context_takeover`).
    public let resetsAfterEachMessage: Bool
    private var scratch: [UInt8]

    /// - Parameters:
    ///   - windowBits: 9–15. zlib cannot produce a raw stream with an 8-bit window, which
    ///     is why callers that agreed to 8 bits send uncompressed instead.
    ///   - memoryLevel: 1–9; lower levels trade ratio for a smaller hash table, which also
    ///     makes the per-message reset cheaper.
    public init(windowBits: Int, memoryLevel: Int = 8, level: Int = 6, resetsAfterEachMessage: Bool) {
        precondition((9...15).contains(windowBits), "raw deflate needs 9...15 window bits")
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = atrium_deflateInit2(stream, Int32(level), Z_DEFLATED, -Int32(windowBits),
                                         Int32(memoryLevel), Z_DEFAULT_STRATEGY)
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
        self.resetsAfterEachMessage = resetsAfterEachMessage
        scratch = []
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses one whole message and returns the payload to send with RSV1 set: the
    /// output of a sync flush with its trailing `00 00 FF FF` removed (RFC 7692 §7.2.1).
    public func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 2 + 16)
        if scratch.isEmpty { scratch = [UInt8](repeating: 0, count: 16 * 1024) }
        let inputBase = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.next_in = inputBase
        stream.pointee.avail_in = uInt(input.count)
        scratch.withUnsafeMutableBufferPointer { chunk in
            repeat {
                stream.pointee.next_out = chunk.baseAddress
                stream.pointee.avail_out = uInt(chunk.count)
                _ = deflate(stream, Z_SYNC_FLUSH)
                let produced = chunk.count - Int(stream.pointee.avail_out)
                output.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[0..<produced]))
            } while stream.pointee.avail_out == 0
        }
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        if output.count >= 4 && output.suffix(4) == [0x00, 0x00, 0xFF, 0xFF] {
            output.removeLast(4)
        }
        if resetsAfterEachMessage { deflateReset(stream) }
        return output
    }

    public func compress(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { compress($0) }
    }
}
