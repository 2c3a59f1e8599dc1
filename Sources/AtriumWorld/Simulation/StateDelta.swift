/// One client's state update for one tick: the world side of the binary state message.
/// The arrays are buffers the room reuses from client to client; a consumer reads them
/// during the call and keeps nothing.
public struct StateDelta: Sendable {
    public struct Info: Sendable, Equatable {
        public var role: Role
        public var spotlight: Bool
        public var away: Bool
        /// The client's microphone and camera are on.
        public var mic: Bool
        public var camera: Bool
        /// Its voice is active now (only while the microphone is on and not muted).
        public var speaking: Bool
        /// A moderator muted it: peers play none of its audio whatever its client sends.
        public var muted: Bool
        public var appearance: UInt8
        public var emote: UInt8
        public var name: String
        public var status: String
    }

    public struct Entry: Sendable, Equatable {
        public var id: UInt32
        public var position: Position
        public var velocity: Velocity
    }

    public var snapshot = false
    public var tick: UInt32 = 0
    public var ack: UInt32 = 0
    public var entered: [(entry: Entry, info: Info)] = []
    public var moved: [Entry] = []
    public var updated: [(id: UInt32, info: Info)] = []
    public var left: [UInt32] = []

    public init() {}

    public var isEmpty: Bool { entered.isEmpty && moved.isEmpty && updated.isEmpty && left.isEmpty }

    // Wire sizes of the state message's parts (Protocol/README.md, "state"), so the room
    // can keep each client's message within its byte budget without encoding it twice.
    // `StateDeltaEncoderTests` checks them against the encoder.

    /// The header and the four counts, each under 128.
    static let headerSize = 14

    @inline(__always)
    static func varintSize(_ value: UInt32) -> Int {
        value < 1 << 7 ? 1 : value < 1 << 14 ? 2 : value < 1 << 21 ? 3 : value < 1 << 28 ? 4 : 5
    }

    @inline(__always)
    static func moveSize(id: UInt32) -> Int { varintSize(id) + 6 }

    /// An info block: four bytes and two strings of up to 255 bytes with a length byte each.
    @inline(__always)
    static func infoSize(name: String, status: String) -> Int {
        6 + min(255, name.utf8.count) + min(255, status.utf8.count)
    }

    mutating func reset(tick: UInt32, ack: UInt32, snapshot: Bool) {
        self.tick = tick
        self.ack = ack
        self.snapshot = snapshot
        entered.removeAll(keepingCapacity: true)
        moved.removeAll(keepingCapacity: true)
        updated.removeAll(keepingCapacity: true)
        left.removeAll(keepingCapacity: true)
    }
}

/// Where a room's results go. The server encodes and sends; tests record.
public protocol RoomOutput {
    mutating func send(_ event: RoomEvent, to client: ClientID)
    mutating func chat(_ delivery: ChatDelivery)
    mutating func state(_ delta: StateDelta, to client: ClientID)
    /// A durable write; its outcome must come back as ``RoomInput/stored(_:_:)``.
    mutating func store(_ request: StoreRequest, ticket: StoreTicket)
    /// True while a client's outbound queue is above its high-water mark: the room then
    /// holds its state back and later sends one update with the newest state.
    func isCongested(_ client: ClientID) -> Bool
    /// An order for the stage's media server: grant a publisher, or end a publication.
    mutating func stage(_ order: StageOrder)
    /// The same event to many clients; an output may encode it once.
    mutating func broadcast(_ event: RoomEvent, to clients: [ClientID])
    /// For the event's quiz lead (rooms with ``RoomConfiguration/eventQuiz``).
    mutating func eventQuiz(_ report: EventQuizReport)
}

extension RoomOutput {
    public mutating func broadcast(_ event: RoomEvent, to clients: [ClientID]) {
        for client in clients { send(event, to: client) }
    }

    /// A room that runs alone never reports to a lead.
    public mutating func eventQuiz(_ report: EventQuizReport) {}
}
