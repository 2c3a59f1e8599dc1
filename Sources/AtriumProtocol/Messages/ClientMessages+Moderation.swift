/// Moderators' requests; everyone else is answered `forbidden` by the room.
extension ClientMessages {
    public struct Announce: ClientRequest {
        public static let type = "announce"

        public var text: String
        public var ref: String?
        public init(text: String, ref: String? = nil) {
            self.text = text
            self.ref = ref
        }
    }

    /// Gives (`on`) or takes stage voice.
    public struct Spotlight: ClientRequest {
        public static let type = "spotlight"

        public var avatar: UInt32
        public var on: Bool
        public var ref: String?
        public init(avatar: UInt32, on: Bool, ref: String? = nil) {
            self.avatar = avatar
            self.on = on
            self.ref = ref
        }
    }

    /// Mutes (`on`) or unmutes one avatar's chat.
    public struct Mute: ClientRequest {
        public static let type = "mute"

        public var avatar: UInt32
        public var on: Bool
        public var ref: String?
        public init(avatar: UInt32, on: Bool, ref: String? = nil) {
            self.avatar = avatar
            self.on = on
            self.ref = ref
        }
    }

    /// Removes one avatar now.
    public struct Kick: ClientRequest {
        public static let type = "kick"

        public var avatar: UInt32
        public var reason: String?
        public var ref: String?
        public init(avatar: UInt32, reason: String? = nil, ref: String? = nil) {
            self.avatar = avatar
            self.reason = reason
            self.ref = ref
        }
    }

    /// Removes one avatar and refuses it on every later join.
    public struct Ban: ClientRequest {
        public static let type = "ban"

        public var avatar: UInt32
        public var reason: String?
        public var ref: String?
        public init(avatar: UInt32, reason: String? = nil, ref: String? = nil) {
            self.avatar = avatar
            self.reason = reason
            self.ref = ref
        }
    }

    public struct Teleport: ClientRequest {
        public static let type = "teleport"

        public var avatar: UInt32
        public var x: Int32
        public var y: Int32
        public var ref: String?
        public init(avatar: UInt32, x: Int32, y: Int32, ref: String? = nil) {
            self.avatar = avatar
            self.x = x
            self.y = y
            self.ref = ref
        }
    }

    public struct Lock: ClientRequest {
        public static let type = "lock"

        public var on: Bool
        public var ref: String?
        public init(on: Bool, ref: String? = nil) {
            self.on = on
            self.ref = ref
        }
    }

    /// Asks for the room's roster.
    public struct Roster: ClientRequest {
        public static let type = "roster"

        public var ref: String?
        public init(ref: String? = nil) { self.ref = ref }
    }
}
