/// Masking keys for client frames: a wyrand stream seeded from the system's CSPRNG.
///
/// RFC 6455 §5.3 asks for keys an intermediary cannot predict. Seeding once per connection
/// from the system generator meets that for a native client while sparing one
/// `getrandom` call per frame, which matters when one process drives thousands of bots.
public struct MaskKeyGenerator: Sendable {
    private var state: UInt64

    public init(seed: UInt64 = UInt64.random(in: .min ... .max)) {
        state = seed
    }

    public mutating func next() -> UInt32 {
        state &+= 0xA076_1D64_78BD_642F
        let product = state.multipliedFullWidth(by: state ^ 0xE703_7ED1_A0B4_28DB)
        return UInt32(truncatingIfNeeded: product.high ^ product.low)
    }
}
