/// Who is on the stage: what every client in the room is told whenever it changes, and a
/// newcomer on arrival.
public struct StageView: Sendable, Equatable {
    public struct Person: Sendable, Equatable {
        public var id: UInt32
        public var name: String

        public init(id: UInt32, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// Avatars allowed to publish now, ascending ids.
    public var onAir: [Person]
    /// Those of `onAir` whose feed the media server reports as sending: the feeds to
    /// subscribe to (feed id = avatar id), ascending.
    public var live: [UInt32]
    /// Raised hands, first raised first.
    public var hands: [Person]

    public init(onAir: [Person] = [], live: [UInt32] = [], hands: [Person] = []) {
        self.onAir = onAir
        self.live = live
        self.hands = hands
    }

    public var isEmpty: Bool { onAir.isEmpty && live.isEmpty && hands.isEmpty }
}
