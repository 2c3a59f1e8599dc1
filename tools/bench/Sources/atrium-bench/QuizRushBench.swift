import ArgumentParser
import AtriumProtocol
import AtriumWorld
import Foundation

/// The OX quiz's rush, in-process: the room wanders for a while from the entrance, then
/// everyone walks to the O or the X field in the same tick (a walk-to-target input each,
/// so a path search each), and `--ticks` ticks later (20 s by default) everyone walks back to where they stood.
/// The figure that matters is the worst tick: a tick that takes longer than 50 ms
/// delays every client in the room.
extension TickBench {
    struct QuizResult {
        var timings = Timings()
        /// The tick in which everyone asked for a path to a field, and the one back.
        var rushMs: Double = 0
        var backMs: Double = 0
        var bytesPerClientPerSecond: Double = 0
        /// Avatars standing in the field they chose when the rush ended.
        var arrived = 0
    }

    func runQuiz() throws {
        let world = try loadMap()
        guard let fieldO = world.zones.first(where: { $0.kind == .quizO }), let fieldX = world.zones.first(where: { $0.kind == .quizX })
        else { throw ValidationError("the map has no quiz-o and quiz-x zones") }
        print("| avatars | map | rush tick ms | back tick ms | worst tick ms | p50 ms | p99 ms | B/s per client | arrived |")
        print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        for count in avatars.split(separator: ",").compactMap({ Int($0) }) {
            let result = Self.quiz(map: world, count: count, fields: [fieldO.rect, fieldX.rect], ticks: ticks)
            print(String(format: "| %d | %@ %d×%d | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f | %d/%d |", count, world.id as NSString,
                         world.width, world.height, result.rushMs, result.backMs, result.timings.maxMs, result.timings.p50,
                         result.timings.p99, result.bytesPerClientPerSecond, result.arrived, count))
            fflush(nil)
        }
    }

    static func quiz(map: WorldMap, count: Int, fields: [TileRect], ticks: Int) -> QuizResult {
        let capacity = max(count, map.properties.capacity)
        var room = Room(map: map, configuration: RoomConfiguration(id: "bench", capacity: capacity, seed: 7))
        var output = CountingOutput()
        var random = SeededRandom(seed: 13)
        room.step(inputs: (0..<count).map {
            .join(JoinRequest(client: ClientID(UInt64($0 + 1)), name: "bot-\($0)", role: .participant, newResumeToken: "t\($0)"))
        }, output: &output)
        var sequence: UInt32 = 0
        func walk(_ index: Int, _ intent: MoveIntent) -> RoomInput {
            sequence &+= 1
            return .move(ClientID(UInt64(index + 1)), sequence: sequence, intent: intent)
        }
        // Spread out from the entrance first, as a room does before the quiz.
        var nextTurn = (0..<count).map { _ in Int(random.next() % 40) }
        for tick in 0..<200 {
            var inputs: [RoomInput] = []
            for index in 0..<count where nextTurn[index] <= tick {
                nextTurn[index] = tick + 20 + Int(random.next() % 40)
                inputs.append(walk(index, .direction(dx: Int(random.next() % 3) - 1, dy: Int(random.next() % 3) - 1)))
            }
            room.step(inputs: inputs, output: &output)
        }
        let home = (0..<count).map { room.position(of: UInt32($0 + 1))! }
        let choice = (0..<count).map { _ in Int(random.next() % 2) }
        let goals = (0..<count).map { index -> Position in
            let field = fields[choice[index]]
            return Position(tileX: field.x + Int(random.next() % UInt64(field.width)),
                            tileY: field.y + Int(random.next() % UInt64(field.height)))
        }
        var result = QuizResult()
        output.bytes = 0
        let half = max(1, ticks)
        for tick in 0..<(2 * half) {
            var inputs: [RoomInput] = []
            if tick == 0 { inputs = (0..<count).map { walk($0, .target(goals[$0])) } }
            if tick == half {
                result.arrived = (0..<count).count { index in
                    let position = room.position(of: UInt32(index + 1))!
                    return fields[choice[index]].contains(tileX: position.tileX, tileY: position.tileY)
                }
                inputs = (0..<count).map { walk($0, .target(home[$0])) }
            }
            let started = ContinuousClock.now
            room.step(inputs: inputs, output: &output)
            let duration = started.duration(to: .now)
            result.timings.record(duration)
            if tick == 0 { result.rushMs = duration.seconds * 1000 }
            if tick == half { result.backMs = duration.seconds * 1000 }
        }
        result.bytesPerClientPerSecond = Double(output.bytes) / Double(count) / (Double(2 * half) / Double(map.properties.tickRate))
        return result
    }
}
