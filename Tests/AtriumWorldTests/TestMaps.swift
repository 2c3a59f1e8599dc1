@testable import AtriumWorld

/// Builds small Tiled maps in code, so each test states the geometry it depends on.
struct TestMap {
    var width: Int
    var height: Int
    /// Tiles that block, given as (x, y).
    var walls: [(Int, Int)] = []
    var zones: [(kind: String, name: String, x: Int, y: Int, width: Int, height: Int, properties: [(String, String)])] = []
    var properties: [(String, String)] = []

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    mutating func wall(x: Int, y: Int) { walls.append((x, y)) }

    mutating func wallRow(y: Int, from: Int, to: Int) { for x in from...to { walls.append((x, y)) } }
    mutating func wallColumn(x: Int, from: Int, to: Int) { for y in from...to { walls.append((x, y)) } }

    mutating func zone(_ kind: String, _ name: String = "", x: Int, y: Int, width: Int, height: Int, _ properties: [(String, String)] = []) {
        zones.append((kind, name, x, y, width, height, properties))
    }

    /// The map as Tiled JSON: tile 1 is floor, tile 2 is a wall (`collides`).
    var json: String {
        var wallLayer = [Int](repeating: 0, count: width * height)
        for (x, y) in walls { wallLayer[y * width + x] = 2 }
        let floor = [Int](repeating: 1, count: width * height)
        let objects = zones.enumerated().map { index, zone in
            let props = zone.properties.map { #"{"name":"\#($0.0)","type":"string","value":"\#($0.1)"}"# }.joined(separator: ",")
            return #"{"id":\#(index + 1),"name":"\#(zone.name)","type":"\#(zone.kind)","x":\#(zone.x * 32),"y":\#(zone.y * 32),"width":\#(zone.width * 32),"height":\#(zone.height * 32),"properties":[\#(props)]}"#
        }.joined(separator: ",")
        let mapProperties = properties.map { #"{"name":"\#($0.0)","type":"string","value":"\#($0.1)"}"# }.joined(separator: ",")
        return #"""
        {"width":\#(width),"height":\#(height),"tilewidth":32,"tileheight":32,"orientation":"orthogonal","infinite":false,
         "properties":[\#(mapProperties)],
         "tilesets":[{"firstgid":1,"name":"t","tilecount":2,"tiles":[{"id":1,"properties":[{"name":"collides","type":"bool","value":true}]}]}],
         "layers":[
          {"type":"tilelayer","name":"floor","width":\#(width),"height":\#(height),"data":\#(floor)},
          {"type":"tilelayer","name":"walls","width":\#(width),"height":\#(height),"data":\#(wallLayer)},
          {"type":"objectgroup","name":"zones","objects":[\#(objects)]}
         ]}
        """#
    }

    func load(file: String = "test.tmj") throws -> WorldMap {
        try MapLoader.load(Array(json.utf8), file: file)
    }

    /// 48×48 tiles with 120 walls scattered by `generator` outside an 8×8 spawn zone in
    /// the middle: the floor of the randomized whole-pipeline tests.
    static func scatteredWalls(viewRadius: Int, generator: inout SeededRandom) -> TestMap {
        var map = TestMap(width: 48, height: 48)
        map.zone("spawn", x: 20, y: 20, width: 8, height: 8)
        map.properties = [("viewRadius", "\(viewRadius)")]
        for _ in 0..<120 {
            let x = Int(generator.next() % 48)
            let y = Int(generator.next() % 48)
            if !(20..<28).contains(x) || !(20..<28).contains(y) { map.wall(x: x, y: y) }
        }
        return map
    }

    /// An open floor with a spawn zone at its centre.
    static func open(width: Int = 64, height: Int = 64, _ properties: [(String, String)] = []) -> TestMap {
        var map = TestMap(width: width, height: height)
        map.zone("spawn", x: width / 2 - 1, y: height / 2 - 1, width: 2, height: 2)
        map.properties = properties
        return map
    }
}

/// Records what a room produced, per client.
struct RecordingOutput: RoomOutput {
    var events: [(ClientID, RoomEvent)] = []
    var chats: [ChatDelivery] = []
    var states: [(ClientID, StateDeltaCopy)] = []
    var congested: Set<ClientID> = []
    var storeRequests: [(StoreRequest, StoreTicket)] = []
    var stageOrders: [StageOrder] = []

    mutating func stage(_ order: StageOrder) { stageOrders.append(order) }
    mutating func send(_ event: RoomEvent, to client: ClientID) { events.append((client, event)) }
    mutating func chat(_ delivery: ChatDelivery) { chats.append(delivery) }
    mutating func state(_ delta: StateDelta, to client: ClientID) { states.append((client, StateDeltaCopy(delta))) }
    func isCongested(_ client: ClientID) -> Bool { congested.contains(client) }
    mutating func store(_ request: StoreRequest, ticket: StoreTicket) { storeRequests.append((request, ticket)) }

    func events(for client: ClientID) -> [RoomEvent] { events.filter { $0.0 == client }.map(\.1) }
    func states(for client: ClientID) -> [StateDeltaCopy] { states.filter { $0.0 == client }.map(\.1) }

    mutating func clear() {
        storeRequests.removeAll()
        stageOrders.removeAll()
        events.removeAll()
        chats.removeAll()
        states.removeAll()
    }
}

/// A delta with its buffers copied out, comparable in tests.
struct StateDeltaCopy: Equatable {
    var snapshot: Bool
    var tick: UInt32
    var ack: UInt32
    var entered: [UInt32]
    var enteredInfo: [UInt32: StateDelta.Info]
    var moved: [StateDelta.Entry]
    var enteredEntries: [StateDelta.Entry]
    var updated: [UInt32: StateDelta.Info]
    var left: [UInt32]

    init(_ delta: StateDelta) {
        snapshot = delta.snapshot
        tick = delta.tick
        ack = delta.ack
        entered = delta.entered.map(\.entry.id)
        enteredEntries = delta.entered.map(\.entry)
        enteredInfo = Dictionary(uniqueKeysWithValues: delta.entered.map { ($0.entry.id, $0.info) })
        moved = delta.moved
        updated = Dictionary(uniqueKeysWithValues: delta.updated.map { ($0.id, $0.info) })
        left = delta.left
    }
}

/// What one client believes, rebuilt from its deltas the way a real client does:
/// entries by dead reckoning from the last position and velocity it was told.
struct ClientMirror {
    struct Belief {
        var position: Position
        var velocity: Velocity
        var tick: UInt32
        var info: StateDelta.Info
    }

    var avatars: [UInt32: Belief] = [:]
    var ack: UInt32 = 0

    mutating func apply(_ delta: StateDeltaCopy) {
        if delta.snapshot { avatars.removeAll() }
        ack = delta.ack
        for entry in delta.enteredEntries {
            avatars[entry.id] = Belief(position: entry.position, velocity: entry.velocity, tick: delta.tick,
                                       info: delta.enteredInfo[entry.id]!)
        }
        for entry in delta.moved {
            avatars[entry.id]?.position = entry.position
            avatars[entry.id]?.velocity = entry.velocity
            avatars[entry.id]?.tick = delta.tick
        }
        for (id, info) in delta.updated { avatars[id]?.info = info }
        for id in delta.left { avatars[id] = nil }
    }

    func position(of id: UInt32, at tick: UInt32) -> Position? {
        guard let belief = avatars[id] else { return nil }
        let elapsed = Int32(tick - belief.tick)
        return Position(x: belief.position.x + belief.velocity.dx * elapsed, y: belief.position.y + belief.velocity.dy * elapsed)
    }
}

extension Room {
    /// Steps once with the given inputs into a fresh recording.
    @discardableResult
    mutating func step(_ inputs: [RoomInput] = [], into output: inout RecordingOutput) -> RecordingOutput {
        step(inputs: inputs, output: &output)
        return output
    }

    /// Joins a client and returns its avatar id.
    mutating func join(_ client: ClientID, name: String, role: Role = .participant, output: inout RecordingOutput) -> UInt32 {
        step([.join(JoinRequest(client: client, name: name, role: role, newResumeToken: "resume-\(client.rawValue)"))], into: &output)
        return avatarID(of: client)!
    }

    /// Tiles per tick that avatars walk, as a Position offset helper.
    func tiles(_ count: Double) -> Int32 { Int32(count * Double(Position.unitsPerTile)) }
}

func joined(_ name: String, _ client: UInt64) -> RoomInput {
    .join(JoinRequest(client: ClientID(client), name: name, role: .participant, newResumeToken: "token-\(client)"))
}
