import Testing
@testable import AtriumWorld

/// The per-tick budget of path searches (``Room/planPaths()``): a crowd asking for paths
/// at once is served over several ticks, oldest first, and every walker still arrives.
@Suite struct RoomPathQueueTests {
    /// A 60×40 floor cut by a wall with one gap at the bottom, so every path is a detour.
    private func room(nodesPerTick: Int) throws -> Room {
        var builder = TestMap.open(width: 60, height: 40)
        builder.wallColumn(x: 40, from: 0, to: 35)
        return Room(map: try builder.load(), configuration: RoomConfiguration(id: "test", maxPathNodes: 5_000,
                                                                              pathNodesPerTick: nodesPerTick))
    }

    @Test func aRushOfWalksToAPointSpreadsItsSearchesOverTicksAndEveryoneArrives() throws {
        var room = try room(nodesPerTick: 2_000)
        var output = RecordingOutput()
        let clients = (1...40).map { ClientID(UInt64($0)) }
        var ids: [UInt32] = []
        for (index, client) in clients.enumerated() {
            let id = room.join(client, name: "W\(index)", output: &output)
            room.place(id, at: Position(tileX: 5 + index % 20, tileY: 5 + index / 20))
            ids.append(id)
        }
        let goals = clients.indices.map { Position(tileX: 50 + $0 % 8, tileY: 5 + $0 / 8) }
        room.step(clients.indices.map { .move(clients[$0], sequence: 1, intent: .target(goals[$0])) }, into: &output)
        var startedAt: [Int] = Array(repeating: -1, count: clients.count)
        var ticks = 0
        var maxNodes = room.pathNodesThisTick
        while ticks < 2_000 && zip(ids, goals).contains(where: { room.position(of: $0) != $1 }) {
            for index in ids.indices where startedAt[index] < 0 && room.velocities[room.slotByID[ids[index]]!] != .zero {
                startedAt[index] = ticks
            }
            room.step(into: &output)
            maxNodes = max(maxNodes, room.pathNodesThisTick)
            ticks += 1
        }
        for (id, goal) in zip(ids, goals) { #expect(room.position(of: id) == goal) }
        // Not all in the first tick, none beyond the budget plus one search, first come first served.
        #expect(startedAt.max()! > 0)
        #expect(maxNodes <= 2_000 + 5_000)
        #expect(startedAt == startedAt.sorted())
    }

    @Test func aLoneWalkToAPointStartsInTheTickItArrives() throws {
        var room = try room(nodesPerTick: 1)
        var output = RecordingOutput()
        let id = room.join(ClientID(1), name: "Mina", output: &output)
        room.place(id, at: Position(tileX: 10, tileY: 10))
        room.step([.move(ClientID(1), sequence: 1, intent: .target(Position(tileX: 55, tileY: 10)))], into: &output)
        #expect(room.position(of: id) != Position(tileX: 10, tileY: 10))
    }

    @Test func aDirectionSentWhileTheSearchWaitsCancelsIt() throws {
        var room = try room(nodesPerTick: 1)
        var output = RecordingOutput()
        let first = room.join(ClientID(1), name: "First", output: &output)
        let second = room.join(ClientID(2), name: "Second", output: &output)
        room.place(first, at: Position(tileX: 10, tileY: 10))
        room.place(second, at: Position(tileX: 10, tileY: 20))
        let far = Position(tileX: 55, tileY: 10)
        room.step([.move(ClientID(1), sequence: 1, intent: .target(far)),
                   .move(ClientID(2), sequence: 1, intent: .target(far))], into: &output)
        // The second search waits behind the first; the walker turns north before it runs.
        #expect(room.velocities[room.slotByID[second]!] == .zero)
        room.step([.move(ClientID(2), sequence: 2, intent: .direction(dx: 0, dy: -1))], into: &output)
        for _ in 0..<5 { room.step(into: &output) }
        #expect(room.velocities[room.slotByID[second]!] == Velocity(dx: 0, dy: -room.step))
        #expect(room.position(of: second)!.tileX == 10)
    }
}
