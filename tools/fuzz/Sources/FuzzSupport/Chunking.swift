/// Cuts input into the pieces a socket might deliver. An incremental parser must reach
/// the same result whether it gets the bytes at once, in these pieces, or one at a time.
public enum Chunking {
    /// Pieces of mixed sizes (single bytes up to whole pages) at cut points derived from
    /// the input, so that libFuzzer's mutations move the cuts too.
    public static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        var generator = SplitMix64(hashing: bytes)
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
