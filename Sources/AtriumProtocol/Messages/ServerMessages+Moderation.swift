/// Moderation: announcements, acknowledgements and the roster.
extension ServerMessages {
    public struct Announcement: ServerMessage {
        public static let type = "announcement"

        public var text: String
        public var from: String
        public var time: Int64
        public init(text: String, from: String, time: Int64) {
            self.text = text
            self.from = from
            self.time = time
        }
    }

    public struct ModOK: ServerReply {
        public static let type = "mod_ok"

        public var action: String
        public var ref: String?
        public init(action: String, ref: String?) {
            self.action = action
            self.ref = ref
        }
    }

    public struct Roster: ServerReply {
        public static let type = "roster"

        public struct Entry: Codable, Sendable, Equatable {
            public var id: UInt32
            public var name: String
            public var role: String
            public var registration: String?
            public var away: Bool
            public var muted: Bool
            public var spotlight: Bool
            public init(id: UInt32, name: String, role: String, registration: String?, away: Bool, muted: Bool, spotlight: Bool) {
                self.id = id
                self.name = name
                self.role = role
                self.registration = registration
                self.away = away
                self.muted = muted
                self.spotlight = spotlight
            }
        }
        public var people: [Entry]
        public var locked: Bool
        public var ref: String?
        public init(people: [Entry], locked: Bool, ref: String?) {
            self.people = people
            self.locked = locked
            self.ref = ref
        }
    }
}
