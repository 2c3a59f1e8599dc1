/// A room's stage between ticks: who may publish, which of them the media server reports
/// live, and the raised hands.
struct StageState {
    /// Avatars that may publish, ascending.
    var onAir: [UInt32] = []
    /// Feeds the media server last reported as sending, whoever they are; only those on
    /// air are shown.
    var reported: Set<UInt32> = []
    /// Raised hands in the order they went up.
    var hands: [UInt32] = []
    /// Something clients see changed since the last broadcast.
    var changed = false

    var live: [UInt32] { onAir.filter(reported.contains) }

    mutating func lowerHand(_ id: UInt32) {
        guard let index = hands.firstIndex(of: id) else { return }
        hands.remove(at: index)
        changed = true
    }
}
