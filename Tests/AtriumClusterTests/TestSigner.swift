import AtriumCluster

/// A keyed checksum standing in for HMAC: enough to tell two keys and a changed byte
/// apart, which is all the signed-value rules depend on.
struct TestSigner: MessageSigner {
    var key: UInt64

    func signature(of message: [UInt8]) -> [UInt8] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ key
        for byte in message {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return withUnsafeBytes(of: hash) { Array($0) }
    }

    func matches(_ a: [UInt8], _ b: [UInt8]) -> Bool { a == b }
}

/// Deterministic randomness for simulated runs that replay exactly.
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
