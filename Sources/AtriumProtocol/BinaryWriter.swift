/// Appends little-endian integers, LEB128 varints and short strings to a byte buffer.
/// The state encoder writes through one of these into a buffer reused across ticks.
public struct BinaryWriter: Sendable {
    public var bytes: [UInt8]

    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    public mutating func u8(_ value: UInt8) { bytes.append(value) }
    public mutating func i8(_ value: Int8) { bytes.append(UInt8(bitPattern: value)) }

    public mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    public mutating func u32(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    /// Unsigned LEB128: seven bits per byte, high bit set on all but the last.
    public mutating func varint(_ value: UInt32) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// A string of at most 255 UTF-8 bytes, cut on a scalar boundary: u8 length, bytes.
    public mutating func string8(_ text: String) {
        var utf8 = text.utf8
        if utf8.count > 255 {
            var kept = ""
            var total = 0
            for scalar in text.unicodeScalars {
                let size = String(scalar).utf8.count
                if total + size > 255 { break }
                kept.unicodeScalars.append(scalar)
                total += size
            }
            utf8 = kept.utf8
            bytes.append(UInt8(total))
            bytes.append(contentsOf: utf8)
            return
        }
        bytes.append(UInt8(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}
