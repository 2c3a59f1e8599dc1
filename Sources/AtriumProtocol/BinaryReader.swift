/// Reads what ``BinaryWriter`` writes, refusing truncated or oversized input with a
/// typed error instead of trapping.
public struct BinaryReader {
    public enum Failure: Error, Sendable, Equatable {
        case truncated
        case varintTooLong
        /// A varint whose last byte is zero after others: longer than its value needs, and
        /// refused so that every value has exactly one encoding.
        case varintNotMinimal
        case invalidUTF8
    }

    private let bytes: [UInt8]
    public private(set) var offset: Int

    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    public var remaining: Int { bytes.count - offset }

    public mutating func u8() throws(Failure) -> UInt8 {
        guard offset < bytes.count else { throw .truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func i8() throws(Failure) -> Int8 {
        Int8(bitPattern: try u8())
    }

    public mutating func u16() throws(Failure) -> UInt16 {
        guard remaining >= 2 else { throw .truncated }
        defer { offset += 2 }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    public mutating func u32() throws(Failure) -> UInt32 {
        guard remaining >= 4 else { throw .truncated }
        defer { offset += 4 }
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }

    public mutating func varint() throws(Failure) -> UInt32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            let byte = try u8()
            guard shift < 32, !(shift == 28 && byte & 0x70 != 0) else { throw .varintTooLong }
            result |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                guard byte != 0 || shift == 0 else { throw .varintNotMinimal }
                return result
            }
            shift += 7
        }
    }

    /// Steps over `count` bytes without reading them.
    public mutating func skip(_ count: Int) throws(Failure) {
        guard remaining >= count else { throw .truncated }
        offset += count
    }

    public mutating func string8() throws(Failure) -> String {
        let length = Int(try u8())
        guard remaining >= length else { throw .truncated }
        defer { offset += length }
        guard let text = String(validating: bytes[offset..<offset + length], as: UTF8.self) else { throw .invalidUTF8 }
        return text
    }
}
