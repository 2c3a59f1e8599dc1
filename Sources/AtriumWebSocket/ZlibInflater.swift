import CZlib

/// A raw-inflate decompressor for permessage-deflate with an output ceiling, so a
/// decompression bomb stops at the message size limit instead of at memory exhaustion.
///
/// A class for the same reason as ``ZlibDeflater``: zlib's stream must not move.
public final class ZlibInflater {
    public enum Failure: Error, Equatable, Sendable {
        case corrupt
        case tooBig
    }

    private let stream: UnsafeMutablePointer<z_stream>
    public let resetsAfterEachMessage: Bool

    /// The tail that the sender stripped; appended before the last inflate of a message.
    private static let tail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    /// Always opened with a 15-bit window: a larger window decodes every stream made with
    /// a smaller one, so the agreed `client_max_window_bits` never needs to be tracked here.
    public init(resetsAfterEachMessage: Bool) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = atrium_inflateInit2(stream, -15)
        precondition(status == Z_OK, "inflateInit2 failed: \(status)")
        self.resetsAfterEachMessage = resetsAfterEachMessage
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Inflates one frame's payload of a compressed message and appends the result to
    /// `output`; on the message's last frame pass `isFinal` so the stripped tail is added.
    /// Throws `.tooBig` as soon as `output` would exceed `limit` bytes.
    public func decompress(
        _ input: UnsafeRawBufferPointer, isFinal: Bool, limit: Int, into output: inout [UInt8]
    ) throws(Failure) {
        try run(input, limit: limit, into: &output)
        if isFinal {
            let result = Self.tail.withUnsafeBytes { tail in
                Result { () throws(Failure) in try run(tail, limit: limit, into: &output) }
            }
            try result.get()
            if resetsAfterEachMessage { inflateReset(stream) }
        }
    }

    /// Forgets a partly inflated message, e.g. after an error, so the next one starts clean.
    public func reset() {
        inflateReset(stream)
    }

    private func run(_ input: UnsafeRawBufferPointer, limit: Int, into output: inout [UInt8]) throws(Failure) {
        guard input.count > 0 else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }
        // Start near the likely output size and double, so small messages do not pay for
        // zeroing a large chunk.
        var chunkSize = min(max(input.count * 4, 256), 64 * 1024)
        while true {
            let room = limit - output.count
            // One byte beyond the limit is requested so that exactly `limit` bytes pass
            // and a single extra byte is detected.
            let chunk = min(max(room + 1, 1), chunkSize)
            chunkSize = min(chunkSize * 2, 64 * 1024)
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: chunk))
            let status = output.withUnsafeMutableBytes { raw -> Int32 in
                stream.pointee.next_out = raw.baseAddress!.advanced(by: start).assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(chunk)
                return inflate(stream, Z_SYNC_FLUSH)
            }
            let produced = chunk - Int(stream.pointee.avail_out)
            output.removeLast(chunk - produced)
            switch status {
            case Z_OK, Z_BUF_ERROR, Z_STREAM_END:
                break
            default:
                inflateReset(stream)
                throw .corrupt
            }
            if output.count > limit {
                inflateReset(stream)
                throw .tooBig
            }
            if status == Z_STREAM_END {
                // A block with BFINAL set ended the stream (RFC 7692 §7.2.3.5). Whatever
                // follows, normally just the appended tail, starts a new raw stream.
                inflateReset(stream)
                if stream.pointee.avail_in == 0 { return }
                continue
            }
            if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return }
            if status == Z_BUF_ERROR && produced == 0 { return }
        }
    }
}
