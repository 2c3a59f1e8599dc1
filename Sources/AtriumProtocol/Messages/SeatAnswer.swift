import FoundationEssentials

/// The answer of `GET /api/seat?room=ID[&instance=N][&token=…]`: where to open the room's
/// WebSocket. A single server answers with its own `/ws` path; a node of a cluster names
/// the node that hosts the room (claiming it if nobody does) and adds a short-lived signed
/// seat to the path, which that node checks before it lets the WebSocket in.
public struct SeatAnswer: Codable, Sendable, Equatable {
    public var type = "seat"
    public var room: String
    /// The instance chosen (1 for the room itself; overflow instances are 2, 3, …).
    public var instance: Int
    /// The node that hosts it; absent for a single server.
    public var node: String?
    /// The WebSocket path and query to open, relative to the site:
    /// `/ws?room=hall` alone, `/node/b/ws?room=hall~2&seat=…` in a cluster.
    public var path: String
    /// Seconds within which the path must be opened; absent when it does not expire.
    public var expiresIn: Int?
    /// The room's running instances, for a visitor who wants to switch.
    public var instances: [Instance]

    public struct Instance: Codable, Sendable, Equatable {
        public var number: Int
        /// Avatars at the instance's last report (a few seconds old).
        public var population: Int

        public init(number: Int, population: Int) {
            self.number = number
            self.population = population
        }
    }

    public init(room: String, instance: Int, node: String?, path: String, expiresIn: Int?, instances: [Instance]) {
        self.room = room
        self.instance = instance
        self.node = node
        self.path = path
        self.expiresIn = expiresIn
        self.instances = instances
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
