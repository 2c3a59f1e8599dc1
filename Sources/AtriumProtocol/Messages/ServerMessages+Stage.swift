/// The stage: who is on air and who raised a hand, and the grants to reach Janus.
extension ServerMessages {
    /// Who is on the stage, to everyone in the room whenever it changes and to a newcomer
    /// while it is busy (an empty stage is not announced on arrival).
    public struct Stage: ServerMessage {
        public static let type = "stage"

        public struct Person: Codable, Sendable, Equatable {
            public var id: UInt32
            public var name: String
            public init(id: UInt32, name: String) {
                self.id = id
                self.name = name
            }
        }

        /// Avatars allowed to publish now, ascending ids.
        public var onAir: [Person]
        /// Their feeds that are sending now (feed id = avatar id): subscribe to these.
        public var live: [UInt32]
        /// Raised hands, first raised first.
        public var hands: [Person]

        public init(onAir: [Person], live: [UInt32], hands: [Person]) {
            self.onAir = onAir
            self.live = live
            self.hands = hands
        }
    }

    /// What a browser needs to reach the room's Janus VideoRoom: Janus's WebSocket URL, the
    /// room number, a token for every Janus request (`token`) and one for joining the room
    /// (`roomToken`), both valid until `expires` (Unix seconds). With `feed`, a publisher's
    /// grant: join as that participant id and publish.
    public struct StageGrant: ServerReply {
        public static let type = "stage_grant"

        public var url: String
        public var room: UInt64
        public var token: String
        public var roomToken: String
        public var feed: UInt64?
        public var expires: Int64
        public var ref: String?

        public init(url: String, room: UInt64, token: String, roomToken: String, feed: UInt64?, expires: Int64, ref: String?) {
            self.url = url
            self.room = room
            self.token = token
            self.roomToken = roomToken
            self.feed = feed
            self.expires = expires
            self.ref = ref
        }
    }
}
