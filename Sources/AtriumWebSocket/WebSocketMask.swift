/// The XOR masking of RFC 6455 §5.3, eight bytes at a time.
///
/// The key is kept as the four bytes loaded in memory order, so applying it is the same
/// operation on every platform and in both directions.
public enum WebSocketMask {
    public static func apply(key: UInt32, to bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { apply(key: key, to: $0) }
    }

    public static func apply(key: UInt32, to bytes: UnsafeMutableRawBufferPointer) {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return }
        let wide = UInt64(key) | UInt64(key) << 32
        var index = 0
        while index + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            base.storeBytes(of: word ^ wide, toByteOffset: index, as: UInt64.self)
            index += 8
        }
        withUnsafeBytes(of: key) { keyBytes in
            while index < count {
                bytes[index] ^= keyBytes[index & 3]
                index += 1
            }
        }
    }
}
