/// Incremental UTF-8 validation (Unicode table 3-7) over a message that arrives in pieces.
///
/// A text message may be split across frames at any byte, so validation carries the
/// partial code point from one chunk to the next instead of decoding each fragment as a
/// string. An invalid byte is reported as soon as it arrives (RFC 6455 §8.1 fail-fast).
public struct UTF8Validator: Sendable, Equatable {
    /// Continuation bytes still expected for the current code point.
    private var remaining: UInt8 = 0
    /// Allowed range for the next continuation byte; narrower than 80...BF right after
    /// E0, ED, F0 and F4 so that overlong forms, surrogates and values above U+10FFFF fail.
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    public init() {}

    /// True when no code point is left open, i.e. the bytes so far end on a boundary.
    public var isAtBoundary: Bool { remaining == 0 }

    /// Feeds the next bytes; returns false at the first byte that cannot be valid UTF-8.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            if remaining == 0 {
                // Fast path: skip eight ASCII bytes at a time.
                while index &+ 8 <= count {
                    let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    index &+= 8
                }
                if index >= count { break }
            }
            let byte = bytes[index]
            index &+= 1
            if remaining == 0 {
                if byte < 0x80 { continue }
                switch byte {
                case 0xC2...0xDF: remaining = 1; lower = 0x80; upper = 0xBF
                case 0xE0: remaining = 2; lower = 0xA0; upper = 0xBF
                case 0xE1...0xEC, 0xEE...0xEF: remaining = 2; lower = 0x80; upper = 0xBF
                case 0xED: remaining = 2; lower = 0x80; upper = 0x9F
                case 0xF0: remaining = 3; lower = 0x90; upper = 0xBF
                case 0xF1...0xF3: remaining = 3; lower = 0x80; upper = 0xBF
                case 0xF4: remaining = 3; lower = 0x80; upper = 0x8F
                default: return false
                }
            } else {
                guard byte >= lower && byte <= upper else { return false }
                remaining &-= 1
                lower = 0x80
                upper = 0xBF
            }
        }
        return true
    }

    public mutating func consume(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { consume($0) }
    }

    /// Validates a complete byte sequence in one call.
    public static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
        var validator = UTF8Validator()
        let ok = bytes.withContiguousStorageIfAvailable { validator.consume(UnsafeRawBufferPointer($0)) }
            ?? validator.consume(Array(bytes))
        return ok && validator.isAtBoundary
    }
}
