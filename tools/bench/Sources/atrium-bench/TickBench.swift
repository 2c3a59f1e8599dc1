import ArgumentParser
import AtriumProtocol
import AtriumServer
import AtriumWorld
import Foundation

/// The cost of a room's tick with many moving avatars, every one of them a connected
/// client, stepped in-process: the grid-based room against a naive all-to-all broadcast.
struct TickBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tick", abstract: "Tick cost and state bytes per client.")

    @Option(help: "Avatar counts to run, comma-separated.") var avatars = "1000,2000,5000"
    @Option(help: "The map; a generated open hall when absent.") var map: String?
    @Option(help: "Measured ticks per run (after 100 warm-up ticks).") var ticks = 400
    @Option(help: "Also run the naive all-to-all baseline for counts up to this.") var naiveUpTo = 5000
    @Flag(help: "Run the 50-walking-neighbours bandwidth scenario only.") var neighbours = false
    @Option(help: "Print a Markdown table row per run.") var markdown = true
    @Option(help: "Percent of the avatars with the microphone on (conversation peers on the tick), comma-separated: one row each.")
    var talkers = "0"
    @Option(help: """
        wander: every avatar wanders (the map given, or the open hall); crowd: the same on Maps/expo-hall.tmj, \
        where the wanderers crowd near the entrance; quiz: on Maps/expo-hall.tmj everyone walks to the O or X \
        field at once (a path search each), and back after --ticks ticks.
        """)
    var scenario = Scenario.wander

    enum Scenario: String, ExpressibleByArgument, CaseIterable {
        case wander, crowd, quiz
    }

    func run() async throws {
        if scenario == .quiz {
            try runQuiz()
            return
        }
        let world = try loadMap()
        if neighbours {
            let result = Self.measure(map: Self.openHall(width: 40, height: 40), count: 51, ticks: ticks, spread: 8)
            print(String(format: "51 avatars within one view (each sees 50 walking): %.0f B/s per client, p99 tick %.3f ms",
                         result.bytesPerClientPerSecond, result.timings.p99))
            return
        }
        print("| avatars | talkers | map | grid p50 ms | grid p99 ms | grid B/s per client | av_peers msg/s | naive p50 ms | naive p99 ms | naive B/s per client |")
        print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        let percents = talkers.split(separator: ",").compactMap { Int($0) }
        for count in avatars.split(separator: ",").compactMap({ Int($0) }) {
            for percent in percents {
                let grid = Self.measure(map: world, count: count, ticks: ticks, spread: nil, talkers: percent)
                var naiveCells = ("–", "–", "–")
                if count <= naiveUpTo && percent == 0 {
                    let naive = Self.naive(map: world, count: count, ticks: min(ticks, 100))
                    naiveCells = (String(format: "%.2f", naive.timings.p50), String(format: "%.2f", naive.timings.p99),
                                  String(format: "%.0f", naive.bytesPerClientPerSecond))
                }
                print(String(format: "| %d | %d %% | %@ %d×%d | %.2f | %.2f | %.0f | %.0f | %@ | %@ | %@ |", count, percent,
                             world.id as NSString, world.width, world.height, grid.timings.p50, grid.timings.p99,
                             grid.bytesPerClientPerSecond, grid.avPeersPerSecond,
                             naiveCells.0 as NSString, naiveCells.1 as NSString, naiveCells.2 as NSString))
                fflush(nil)
            }
        }
    }

    func loadMap() throws -> WorldMap {
        let file = map ?? (scenario == .wander ? nil : "Maps/expo-hall.tmj")
        guard let file else { return Self.openHall(width: 128, height: 96) }
        switch MapCatalog.load(file: file) {
        case .success(let loaded): return loaded
        case .failure(let failure): throw ValidationError(failure.description)
        }
    }

    static func openHall(width: Int, height: Int) -> WorldMap {
        var blocked = [Bool](repeating: false, count: width * height)
        // Pillars every eight tiles, so paths and walls matter a little.
        for y in stride(from: 4, to: height, by: 8) {
            for x in stride(from: 4, to: width, by: 8) { blocked[y * width + x] = true }
        }
        let spawn = Zone(objectID: 1, kind: .spawn, rect: TileRect(x: 1, y: 1, width: width - 2, height: height - 2))
        return WorldMap(id: "open-hall", properties: MapProperties(name: "open hall", capacity: 100_000),
                        width: width, height: height, blocked: blocked, zones: [spawn])
    }

    struct Result {
        var timings = Timings()
        var bytesPerClientPerSecond: Double = 0
        var avPeersPerSecond: Double = 0
    }

    /// Encodes each client's delta exactly as the server does and counts the bytes.
    struct CountingOutput: RoomOutput {
        var writer = BinaryWriter(capacity: 64 * 1024)
        var bytes = 0
        var avPeers = 0
        mutating func send(_ event: RoomEvent, to client: ClientID) {
            if case .conversation = event { avPeers += 1 }
        }
        mutating func chat(_ delivery: ChatDelivery) {}
        mutating func state(_ delta: StateDelta, to client: ClientID) {
            StateDeltaEncoder.encode(delta, into: &writer)
            // The WebSocket frame header the transport adds.
            bytes += writer.bytes.count + (writer.bytes.count < 126 ? 2 : 4)
        }
        func isCongested(_ client: ClientID) -> Bool { false }
        mutating func store(_ request: StoreRequest, ticket: StoreTicket) {}
        mutating func stage(_ order: StageOrder) {}
    }

    /// Avatars wander like bots: a new direction every one to three seconds. `talkers`
    /// percent of them, spread evenly, have their microphone on, so the tick also works
    /// out conversation peers (``Room/updateConversations``) as it does for the `talker` bots.
    static func measure(map: WorldMap, count: Int, ticks: Int, spread: Int?, talkers: Int = 0) -> Result {
        let capacity = max(count, map.properties.capacity)
        var room = Room(map: map, configuration: RoomConfiguration(id: "bench", capacity: capacity, seed: 7))
        var output = CountingOutput()
        var random = SeededRandom(seed: 11)
        let joins = (0..<count).map {
            RoomInput.join(JoinRequest(client: ClientID(UInt64($0 + 1)), name: "bot-\($0)", role: .participant,
                                       newResumeToken: "t\($0)"))
        }
        room.step(inputs: joins, output: &output)
        let talking = (0..<count).filter { $0 * talkers / 100 != ($0 + 1) * talkers / 100 }
        room.step(inputs: talking.map { .media(ClientID(UInt64($0 + 1)), MediaChange(mic: true)) }, output: &output)
        if let spread {
            for index in 0..<count {
                let x = 16 + Int(random.next() % UInt64(spread))
                let y = 16 + Int(random.next() % UInt64(spread))
                room.place(UInt32(index + 1), at: Position(tileX: x, tileY: y))
            }
        }
        var nextTurn = (0..<count).map { _ in Int(random.next() % 40) }
        var sequence: UInt32 = 0
        var result = Result()
        let warmUp = 100
        for tick in 0..<(warmUp + ticks) {
            var inputs: [RoomInput] = []
            for index in 0..<count where nextTurn[index] <= tick {
                sequence &+= 1
                nextTurn[index] = tick + 20 + Int(random.next() % 40)
                let dx = Int(random.next() % 3) - 1
                let dy = Int(random.next() % 3) - 1
                // Keep the neighbours' scenario inside its patch by walking back towards it.
                var intent = MoveIntent.direction(dx: dx, dy: dy)
                if spread != nil, let position = room.position(of: UInt32(index + 1)) {
                    let centre = Position(tileX: 20, tileY: 20)
                    if position.distanceSquared(to: centre) > Int64(5 * 64) * Int64(5 * 64) {
                        intent = .target(centre)
                    }
                }
                inputs.append(.move(ClientID(UInt64(index + 1)), sequence: sequence, intent: intent))
            }
            if tick == warmUp { (output.bytes, output.avPeers) = (0, 0) }
            let started = ContinuousClock.now
            room.step(inputs: inputs, output: &output)
            if tick >= warmUp { result.timings.record(started.duration(to: .now)) }
        }
        let seconds = Double(ticks) / Double(map.properties.tickRate)
        result.bytesPerClientPerSecond = Double(output.bytes) / Double(count) / seconds
        result.avPeersPerSecond = Double(output.avPeers) / seconds
        return result
    }

    /// The baseline the grid must beat: every client gets every avatar's position every tick.
    static func naive(map: WorldMap, count: Int, ticks: Int) -> Result {
        var random = SeededRandom(seed: 3)
        var positions = (0..<count).map { _ in
            (x: UInt16(random.next() % UInt64(map.width * 64)), y: UInt16(random.next() % UInt64(map.height * 64)))
        }
        var writer = BinaryWriter(capacity: count * 8 + 16)
        var result = Result()
        var bytes = 0
        for tick in 0..<ticks {
            let started = ContinuousClock.now
            for index in positions.indices { positions[index].x &+= 13 }
            for _ in 0..<count {
                writer.removeAll()
                StateMessage.writeHeader(&writer, snapshot: false, tick: UInt32(tick), ack: 0)
                writer.varint(0)
                writer.varint(UInt32(count))
                for (id, position) in positions.enumerated() {
                    StateMessage.writeMove(&writer, id: UInt32(id), motion: .init(x: position.x, y: position.y, vx: 13, vy: 0))
                }
                writer.varint(0)
                writer.varint(0)
                bytes += writer.bytes.count + 4
            }
            result.timings.record(started.duration(to: .now))
        }
        result.bytesPerClientPerSecond = Double(bytes) / Double(count) / (Double(ticks) / Double(map.properties.tickRate))
        return result
    }
}
