import AtriumWorld

/// Cuts input into the pieces a socket might deliver, the same way for the fuzzers in
/// `tools/fuzz` and for the tests that replay their corpora. An incremental parser must
/// reach the same result whether it gets the bytes at once, in these pieces, or one at a
/// time.
public enum Chunking {
    /// Pieces of mixed sizes (single bytes up to whole pages) at cut points derived from
    /// the input (a generator seeded with its FNV-1a hash), so that libFuzzer's mutations
    /// move the cuts too and every cut replays from the input alone.
    public static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        var generator = SeededRandom(seed: hash)
        let ceilings = [1, 3, 16, 200, 4096]
        var chunks: [[UInt8]] = []
        var index = 0
        while index < bytes.count {
            let ceiling = ceilings[Int(generator.next() % UInt64(ceilings.count))]
            let length = 1 + Int(generator.next() % UInt64(min(ceiling, bytes.count - index)))
            chunks.append(Array(bytes[index..<index + length]))
            index += length
        }
        return chunks
    }

    /// One piece per byte.
    public static func drip(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.map { [$0] }
    }
}
