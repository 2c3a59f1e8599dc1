import AtriumWebSocket

/// The zlib streams shared by every connection on one I/O queue when the agreed
/// parameters reset them after each message: one compressor per window size and one
/// decompressor, instead of ~300 KiB of zlib state per connection.
final class CompressionPool {
    private var deflaters: [Int: ZlibDeflater] = [:]
    private(set) lazy var inflater = ZlibInflater(resetsAfterEachMessage: true)

    func deflater(windowBits: Int, configuration: PerMessageDeflateConfiguration) -> ZlibDeflater {
        if let existing = deflaters[windowBits] { return existing }
        let made = ZlibDeflater(windowBits: windowBits, memoryLevel: configuration.memoryLevel,
                                level: configuration.level, resetsAfterEachMessage: true)
        deflaters[windowBits] = made
        return made
    }

    /// The compressor and decompressor for one connection: shared ones where the
    /// parameters reset per message, private ones where context is kept.
    static func streams(
        for parameters: PerMessageDeflateParameters, role: WebSocketRole,
        configuration: PerMessageDeflateConfiguration, on ioQueue: IOQueue
    ) -> (deflater: ZlibDeflater?, inflater: ZlibInflater) {
        let pool = ioQueue.resource(CompressionPool.self) { CompressionPool() }
        let ownNoContext = role == .server ? parameters.serverNoContextTakeover : parameters.clientNoContextTakeover
        let peerNoContext = role == .server ? parameters.clientNoContextTakeover : parameters.serverNoContextTakeover
        let agreedBits = (role == .server ? parameters.serverMaxWindowBits : parameters.clientMaxWindowBits) ?? 15
        let bits = min(agreedBits, configuration.maxWindowBits)

        var deflater: ZlibDeflater?
        // zlib cannot write a raw stream with an 8-bit window; such a peer gets every
        // message uncompressed, which RFC 7692 always allows.
        if bits >= 9 {
            deflater = ownNoContext
                ? pool.deflater(windowBits: bits, configuration: configuration)
                : ZlibDeflater(windowBits: bits, memoryLevel: configuration.memoryLevel, level: configuration.level,
                               resetsAfterEachMessage: false)
        }
        let inflater = peerNoContext ? pool.inflater : ZlibInflater(resetsAfterEachMessage: false)
        return (deflater, inflater)
    }
}
