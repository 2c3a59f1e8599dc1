/// Who is in the room.
extension ServerMessages {
    public struct People: ServerMessage {
        public static let type = "people"

        public struct Person: Codable, Sendable, Equatable {
            public var id: UInt32
            public var name: String
            public var role: String
            public var status: String
            public var away: Bool
            /// Where the avatar stands (units), to find or walk to someone out of view.
            public var x: Int32?
            public var y: Int32?
            public init(id: UInt32, name: String, role: String, status: String, away: Bool, x: Int32? = nil, y: Int32? = nil) {
                self.id = id
                self.name = name
                self.role = role
                self.status = status
                self.away = away
                self.x = x
                self.y = y
            }
        }

        /// Everyone in the room, of whom at most `limit` are listed.
        public var total: Int
        public var people: [Person]
        public init(total: Int, people: [Person]) {
            self.total = total
            self.people = people
        }
    }
}
