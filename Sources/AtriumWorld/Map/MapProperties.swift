/// Room settings a map carries as custom properties, with their defaults.
public struct MapProperties: Sendable, Equatable {
    public enum Access: String, Sendable {
        /// Anyone may enter as a guest.
        case open
        /// Only holders of a valid join token may enter.
        case registered
    }

    public var name: String
    public var capacity: Int
    public var access: Access
    public var tickRate: Int
    /// Tiles; avatars farther than this are not sent to a client.
    public var viewRadius: Int
    /// Tiles; `nearby` chat reaches this far.
    public var chatRadius: Int
    /// Tiles; avatars this close become conversation peers (voice and video), and stay
    /// peers until they are one tile farther apart. Private areas ignore it.
    public var avRadius: Int
    /// Who plays the OX quiz; by default everyone in an open room, registered people in a
    /// registered one.
    public var quizPlayers: QuizPlayers
    /// An external live stream (`streamUrl`) the stage panel shows when the stage has no
    /// video of its own (no Janus, or Janus away): the cheap path for a very large audience.
    public var streamURL: String?

    public static let defaultCapacity = 2000
    public static let defaultTickRate = 20
    public static let defaultViewRadius = 12
    public static let defaultChatRadius = 6
    public static let defaultAVRadius = 4
    public static let tickRates = 5...60
    public static let maxStreamURLBytes = 2048

    public init(name: String, capacity: Int = defaultCapacity, access: Access = .open, tickRate: Int = defaultTickRate,
                viewRadius: Int = defaultViewRadius, chatRadius: Int = defaultChatRadius, avRadius: Int = defaultAVRadius,
                quizPlayers: QuizPlayers? = nil) {
        self.name = name
        self.capacity = capacity
        self.access = access
        self.tickRate = tickRate
        self.viewRadius = viewRadius
        self.chatRadius = chatRadius
        self.avRadius = avRadius
        self.quizPlayers = quizPlayers ?? .defaultFor(access)
    }
}
