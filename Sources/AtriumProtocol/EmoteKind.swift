/// The fixed set of emotes; the wire carries the code.
public enum EmoteKind: String, Codable, Sendable, CaseIterable {
    case wave, clap, heart, laugh, thumbsUp = "thumbs_up", raiseHand = "raise_hand", party, think

    public var code: UInt8 { UInt8(Self.allCases.firstIndex(of: self)! + 1) }

    public init?(code: UInt8) {
        guard code >= 1, Int(code) <= Self.allCases.count else { return nil }
        self = Self.allCases[Int(code) - 1]
    }
}
