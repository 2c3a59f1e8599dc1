/// The settings of one room beyond what its map says. Every limit has a default and is
/// overridable from the server's configuration.
public struct RoomConfiguration: Sendable {
    public var id: String
    /// Tiles per second.
    public var walkSpeed: Double
    /// Side of a spatial grid cell in tiles. Visibility is decided per cell: a client sees
    /// the avatars in the square of cells around its own that covers `viewRadius` tiles.
    public var gridCellTiles: Int
    /// Most avatars a client is told about. In a crowd denser than this within the view
    /// radius, the client's view shrinks (by whole cells, never below its own cell) to the
    /// nearest ones: nobody can tell apart two thousand avatars on one screen, and what a
    /// client is told costs memory and bytes per avatar in view.
    public var maxVisible: Int
    /// Avatars within this many grid cells of a client (0 its own cell, 1 the ring around
    /// it, the default) have their changes sent to it every tick; see ``Room/emitState(output:)``.
    public var nearStateCells: Int
    /// Ticks between two motion updates about one avatar farther away than ``nearStateCells``
    /// (default 2): at 20 Hz a far avatar's turn reaches the client at most 50 ms later,
    /// which nobody sees at the edge of the screen, and turns within the interval fold
    /// into one update. Changes of the name block (emote, status, microphone) are not held back.
    public var farStateInterval: Int
    /// Most bytes of one client's state message per tick (default 1,200, about 190 kbit/s
    /// at 20 Hz, under one Ethernet frame). A crowd that turns at once, or a client that
    /// joins into one, is spread over the next ticks, nearest first, instead of arriving
    /// as one burst that queues behind itself. Leaving avatars are not counted.
    public var stateBudgetBytes: Int
    /// How long a disconnected avatar waits for its owner to resume.
    public var reconnectGrace: Duration
    public var emoteDuration: Duration
    public var maxChatLength: Int
    public var maxStatusLength: Int
    public var maxNoteLength: Int
    /// Ceiling on `who` answers.
    public var maxPeopleListed: Int
    /// Node budget of one path search, bounding the cost of a walk-to-target input.
    public var maxPathNodes: Int
    /// Nodes all path searches together may expand in one tick (``Room/planPaths()``);
    /// searches beyond it wait for the next tick. One search always runs, so a tick costs
    /// at most this plus ``maxPathNodes``.
    public var pathNodesPerTick: Int
    /// The room's capacity when it is lower than the map's.
    public var capacity: Int?
    /// Most conversation peers an avatar has at once (`av.max_peers`): each is one
    /// WebRTC connection in the browser's mesh, which breaks down beyond about eight.
    public var maxConversationPeers: Int
    /// Most hands raised at once in the queue for questions (`stage.max_raised_hands`);
    /// every change of the queue goes to everyone in the room.
    public var maxRaisedHands: Int
    /// How often, at most, the players' live O/X split is sent while a question runs: each
    /// one is a message to everyone in the room, so a crowd walking to the fields does not
    /// turn into a message every tick.
    public var quizSplitInterval: Duration
    /// The room runs as several instances (overflow) and its OX quiz spans them all: one
    /// lead asks, times and ranks, each instance judges its own players
    /// (``EventQuizStep``). Off for a room that runs alone, whose quiz is its own.
    public var eventQuiz = false
    /// Seeds spawn choices.
    public var seed: UInt64
    /// First chat message id; the server passes a time-based value so ids stay unique
    /// across restarts, tests pass a constant.
    public var firstMessageID: UInt64

    public init(id: String, walkSpeed: Double = 4, gridCellTiles: Int = 4, maxVisible: Int = 200, nearStateCells: Int = 1,
                farStateInterval: Int = 2, stateBudgetBytes: Int = 1200, reconnectGrace: Duration = .seconds(30),
                emoteDuration: Duration = .seconds(3), maxChatLength: Int = 500, maxStatusLength: Int = 64, maxNoteLength: Int = 300,
                maxPeopleListed: Int = 1000, maxPathNodes: Int = 20_000, pathNodesPerTick: Int = 50_000, capacity: Int? = nil, maxConversationPeers: Int = 8, maxRaisedHands: Int = 50,
                quizSplitInterval: Duration = .seconds(1), seed: UInt64 = 1,
                firstMessageID: UInt64 = 1) {
        self.id = id
        self.walkSpeed = walkSpeed
        self.gridCellTiles = max(1, gridCellTiles)
        self.maxVisible = max(1, maxVisible)
        self.nearStateCells = max(0, nearStateCells)
        self.farStateInterval = max(1, farStateInterval)
        self.stateBudgetBytes = max(StateDelta.headerSize + 1, stateBudgetBytes)
        self.reconnectGrace = reconnectGrace
        self.emoteDuration = emoteDuration
        self.maxChatLength = maxChatLength
        self.maxStatusLength = maxStatusLength
        self.maxNoteLength = maxNoteLength
        self.maxPeopleListed = maxPeopleListed
        self.maxPathNodes = maxPathNodes
        self.pathNodesPerTick = max(1, pathNodesPerTick)
        self.capacity = capacity
        self.maxConversationPeers = max(1, maxConversationPeers)
        self.maxRaisedHands = max(1, maxRaisedHands)
        self.quizSplitInterval = quizSplitInterval
        self.seed = seed
        self.firstMessageID = firstMessageID
    }
}
