/// One room: a map instance whose state only the server decides.
///
/// A room is a value machine: ``step(inputs:output:)`` applies the inputs that arrived
/// since the last tick in arrival order, moves every avatar, works out what each
/// connected client must be told, and hands the results to a ``RoomOutput``. It reads no
/// clock and does no I/O; with the same map, seed and inputs it produces the same
/// outputs, which is how the tests drive it.
///
/// Avatars live in slots. What the tick touches for every avatar (id, position,
/// velocity, cell, info version) is kept in parallel arrays, and names and other strings
/// in `avatars`, so the hot loops stream through plain numbers.
public struct Room {
    public let map: WorldMap
    public let configuration: RoomConfiguration
    public private(set) var tick: UInt32 = 0

    /// Units an avatar walks per tick along one axis, and along each axis diagonally.
    public let step: Int32
    public let diagonalStep: Int32
    /// View radius in grid cells.
    public let viewCells: Int
    /// See ``RoomConfiguration/maxVisible``.
    let maxVisible: Int
    /// Ticks over which every client's view is fitted once.
    static let fitPeriod = 10
    public let capacity: Int
    let graceTicks: UInt32
    let emoteTicks: UInt32
    let quizSplitTicks: UInt32

    // Per slot. `ids[slot] == 0` marks a free slot.
    var ids: [UInt32] = []
    var positions: [Position] = []
    var velocities: [Velocity] = []
    var cells: [Int] = []
    var infoVersions: [UInt32] = []
    var sequences: [UInt32] = []
    var intents: [Intent] = []
    var avatars: [Avatar?] = []
    var observers: [Observer?] = []
    /// Each slot's view radius in cells, or -1 without a connected client: the observer's
    /// radius kept beside the other per-slot arrays, so marking reads a byte, not an object.
    var viewRadii: [Int] = []

    var freeSlots: [Int] = []
    var slotByID: [UInt32: Int] = [:]
    var slotByClient: [ClientID: Int] = [:]
    var slotByResumeToken: [String: Int] = [:]
    /// Folded names in use, for making new names unique without scanning every avatar.
    var takenNames: Set<String> = []
    var grid: SpatialGrid
    var random: SeededRandom
    var nextAvatarID: UInt32 = 1
    var nextMessageID: UInt64
    let spawnTiles: [(x: Int, y: Int)]

    // Per-tick scratch, kept to reuse its storage.
    struct Crossing {
        var slot: Int
        var id: UInt32
        var from: Int?
        var to: Int?
    }
    var crossings: [Crossing] = []
    var changed: [Int] = []
    var cellsA: [Int] = []
    var cellsB: [Int] = []
    var delta = StateDelta()
    var stateCandidates: [StateCandidate] = []
    var stillPending: [Int32] = []
    var pathScratch: PathScratch
    /// Walk-to-target requests waiting for their search (``Room/planPaths()``): the goal
    /// per slot (nil when none or cancelled), whether the slot is in the queue, and the
    /// queue of slots, oldest first from `pathQueueHead`.
    var pathGoals: [Position?] = []
    var pathQueued: [Bool] = []
    var pathQueue: [Int32] = []
    var pathQueueHead = 0
    /// Nodes the path searches of the last tick expanded.
    var pathNodesThisTick = 0

    var exhibitStates: [ExhibitState]
    let exhibitIndex: [String: Int]
    var exhibitsChanged: Set<Int> = []
    var pendingCloses: [(slot: Int, index: Int)] = []

    /// A locked room refuses new joins except moderators; resumes still work.
    public internal(set) var locked = false
    var quizState: QuizState?
    /// Conversation peers and who talks (``Room/updateConversations(output:)``).
    var conversation: ConversationPeers
    /// Scratch for the peer sets that changed in a tick.
    var conversationChanges: [(id: UInt32, peers: [UInt32])] = []
    /// Who is on air and who raised a hand (``Room/updateStage(output:)``).
    var stage = StageState()

    public init(map: WorldMap, configuration: RoomConfiguration, persisted: PersistedExhibits = .init()) {
        self.map = map
        self.configuration = configuration
        let tickRate = Double(map.properties.tickRate)
        let units = Double(Position.unitsPerTile)
        // At most 63 units a tick, so a step never jumps a whole tile (and a wall).
        step = Int32(min(63, max(1, (configuration.walkSpeed * units / tickRate).rounded())))
        diagonalStep = Int32(max(1, (Double(step) / 2.0.squareRoot()).rounded()))
        viewCells = max(1, (map.properties.viewRadius + configuration.gridCellTiles - 1) / configuration.gridCellTiles)
        maxVisible = configuration.maxVisible
        capacity = min(map.properties.capacity, configuration.capacity ?? Int.max)
        graceTicks = Room.ticks(configuration.reconnectGrace, rate: map.properties.tickRate)
        emoteTicks = Room.ticks(configuration.emoteDuration, rate: map.properties.tickRate)
        quizSplitTicks = Room.ticks(configuration.quizSplitInterval, rate: map.properties.tickRate)
        grid = SpatialGrid(mapWidth: map.width, mapHeight: map.height, cellTiles: configuration.gridCellTiles)
        random = SeededRandom(seed: configuration.seed)
        pathScratch = PathScratch(tileCount: map.width * map.height)
        conversation = ConversationPeers(maxPeers: configuration.maxConversationPeers)
        nextMessageID = configuration.firstMessageID
        let spawns = map.spawnTiles
        spawnTiles = spawns.isEmpty ? Room.anyWalkableTile(map) : spawns
        exhibitIndex = Dictionary(map.exhibits.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        exhibitStates = map.exhibits.map { exhibit in
            ExhibitState(reactedBy: persisted.reactions[exhibit.id] ?? [:],
                         notes: Array((persisted.recentNotes[exhibit.id] ?? []).prefix(Room.recentNoteCount)))
        }
    }

    static func ticks(_ duration: Duration, rate: Int) -> UInt32 {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return UInt32(max(1, (seconds * Double(rate)).rounded()))
    }

    private static func anyWalkableTile(_ map: WorldMap) -> [(x: Int, y: Int)] {
        for y in 0..<map.height {
            for x in 0..<map.width where !map.isBlocked(tileX: x, tileY: y) { return [(x, y)] }
        }
        return [(0, 0)]
    }

    /// Avatars in the room, away ones included.
    public var population: Int { slotByID.count }

    /// Connected clients.
    public var connectedClients: Int { slotByClient.count }

    /// Advances the room by one tick.
    public mutating func step<Output: RoomOutput>(inputs: [RoomInput], output: inout Output) {
        tick &+= 1
        for input in inputs { apply(input, output: &output) }
        expireTimers()
        planPaths()
        moveAvatars()
        closeExhibitsLeftBehind()
        broadcastExhibitStates(output: &output)
        advanceQuiz(output: &output)
        reportQuizSplit(output: &output)
        updateConversations(output: &output)
        updateStage(output: &output)
        updateInterest()
        fitViews()
        emitState(output: &output)
        crossings.removeAll(keepingCapacity: true)
        changed.removeAll(keepingCapacity: true)
    }

    /// A committed write, applied as soon as it is known instead of at the next tick: its
    /// acknowledgement is what a visitor waits for ("saved"), and nothing in it depends on
    /// the tick. Live counts for others still go out with the next tick's exhibit states.
    public mutating func complete<Output: RoomOutput>(_ ticket: StoreTicket, _ outcome: StoreOutcome, output: inout Output) {
        stored(ticket, outcome, output: &output)
    }

    mutating func apply<Output: RoomOutput>(_ input: RoomInput, output: inout Output) {
        switch input {
        case .join(let request): join(request, output: &output)
        case .disconnect(let client): disconnect(client)
        case .leave(let client): leave(client)
        case .move(let client, let sequence, let intent): move(client, sequence: sequence, intent: intent)
        case .chat(let client, let request): chat(client, request, output: &output)
        case .emote(let client, let code): emote(client, code: code)
        case .status(let client, let text): status(client, text: text, output: &output)
        case .who(let client, let limit): who(client, limit: limit, output: &output)
        case .place(let avatarID, let position): place(avatarID, at: position)
        case .openExhibit(let client, let id, let ref): openExhibit(client, id: id, ref: ref, output: &output)
        case .closeExhibit(let client): closeExhibit(client, output: &output)
        case .react(let client, let id, let kind, let on, let ref): react(client, id: id, kind: kind, on: on, ref: ref, output: &output)
        case .postNote(let client, let id, let text, let ref): postNote(client, id: id, text: text, ref: ref, output: &output)
        case .hideNote(let client, let id, let noteID, let ref): hideNote(client, id: id, noteID: noteID, ref: ref, output: &output)
        case .stored(let ticket, let outcome): stored(ticket, outcome, output: &output)
        case .moderate(let client, let action, let ref): moderate(client, action, ref: ref, output: &output)
        case .quiz(let client, let command, let ref): quiz(client, command, ref: ref, output: &output)
        case .eventQuiz(let step): followEventQuiz(step, output: &output)
        case .media(let client, let change): setMedia(client, change, output: &output)
        case .signal(let client, let to, let data): relaySignal(from: client, to: to, data: data, output: &output)
        case .stage(let client, let command, let ref): stage(client, command, ref: ref, output: &output)
        case .stageReported(let feeds): stageReported(feeds)
        }
    }

    // MARK: Queries for the host and tests

    /// The avatar steered by a client.
    public func avatarID(of client: ClientID) -> UInt32? {
        slotByClient[client].map { ids[$0] }
    }

    public func position(of avatarID: UInt32) -> Position? {
        slotByID[avatarID].map { positions[$0] }
    }

    public func name(of avatarID: UInt32) -> String? {
        slotByID[avatarID].flatMap { avatars[$0]?.name }
    }

    /// Places an avatar directly, for tests and the moderator's move tool; the change is
    /// sent to observers at the next tick like any other.
    public mutating func place(_ avatarID: UInt32, at position: Position) {
        guard let slot = slotByID[avatarID] else { return }
        let clamped = clampToMap(position)
        guard !map.isBlocked(tileX: clamped.tileX, tileY: clamped.tileY) else { return }
        positions[slot] = clamped
        velocities[slot] = .zero
        intents[slot] = .idle
        pathGoals[slot] = nil
        relocate(slot, to: grid.cell(of: clamped))
        // A jump is a change that dead reckoning cannot predict.
        changed.append(slot)
    }

    /// Moves a slot to another grid cell, recording the crossing.
    mutating func relocate(_ slot: Int, to cell: Int) {
        let old = cells[slot]
        guard cell != old else { return }
        grid.remove(slot, from: old)
        grid.insert(slot, into: cell)
        crossings.append(Crossing(slot: slot, id: ids[slot], from: old, to: cell))
        cells[slot] = cell
    }

    func clampToMap(_ position: Position) -> Position {
        Position(x: min(max(position.x, 0), Int32(map.width) * Position.unitsPerTile - 1),
                 y: min(max(position.y, 0), Int32(map.height) * Position.unitsPerTile - 1))
    }

    /// Bumps the info version of a slot and queues the change for observers.
    mutating func infoChanged(_ slot: Int) {
        infoVersions[slot] &+= 1
        changed.append(slot)
    }
}
