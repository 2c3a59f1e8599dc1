import Testing
@testable import AtriumWorld

@Suite struct RoomInterestTests {
    /// Cells of 4 tiles and a view radius of 4 tiles: a client sees its own cell and the
    /// eight around it.
    private func room(width: Int = 100, height: Int = 20) throws -> Room {
        let builder = TestMap.open(width: width, height: height, [("viewRadius", "4")])
        return Room(map: try builder.load(), configuration: RoomConfiguration(id: "test", gridCellTiles: 4))
    }

    private func tile(_ x: Int, _ y: Int) -> Position { Position(tileX: x, tileY: y) }

    @Test func aNeighbourSeesAMoveAndAFarClientDoesNot() throws {
        var room = try room()
        var output = RecordingOutput()
        let walker = room.join(ClientID(1), name: "Walker", output: &output)
        let near = room.join(ClientID(2), name: "Near", output: &output)
        let far = room.join(ClientID(3), name: "Far", output: &output)
        room.place(walker, at: tile(10, 10))
        room.place(near, at: tile(13, 10))
        room.place(far, at: tile(90, 10))
        room.step(into: &output)
        output.clear()

        room.step([.move(ClientID(1), sequence: 1, intent: .direction(dx: 0, dy: 1))], into: &output)
        let seenByNear = output.states(for: ClientID(2))
        #expect(seenByNear.count == 1)
        #expect(seenByNear.first?.moved.map(\.id) == [walker])
        #expect(seenByNear.first?.moved.first?.velocity == Velocity(dx: 0, dy: 13))
        #expect(output.states(for: ClientID(3)).isEmpty)
        // The mover's own state comes back with the acknowledgement.
        #expect(output.states(for: ClientID(1)).first?.ack == 1)
        #expect(output.states(for: ClientID(1)).first?.moved.map(\.id) == [walker])
    }

    /// Cell membership at the exact borders: tile 4 starts cell 1, tile 8 starts cell 2.
    @Test func decidesVisibilityOnExactCellBorders() throws {
        var room = try room()
        var output = RecordingOutput()
        let observer = room.join(ClientID(1), name: "Observer", output: &output)
        let other = room.join(ClientID(2), name: "Other", output: &output)
        room.place(observer, at: Position(x: 4 * 64 - 1, y: 64))   // last unit of cell 0
        room.place(other, at: Position(x: 8 * 64 - 1, y: 64))      // last unit of cell 1: visible
        room.step(into: &output)
        var mirror = ClientMirror()
        output.states(for: ClientID(1)).forEach { mirror.apply($0) }
        #expect(mirror.avatars[other] != nil)

        output.clear()
        room.place(other, at: Position(x: 8 * 64, y: 64))           // first unit of cell 2: out of view
        room.step(into: &output)
        #expect(output.states(for: ClientID(1)).last?.left == [other])

        output.clear()
        room.place(observer, at: Position(x: 4 * 64, y: 64))        // observer steps into cell 1
        room.step(into: &output)
        #expect(output.states(for: ClientID(1)).last?.entered == [other])
    }

    @Test func walkingStraightCostsNothingAfterTheFirstUpdate() throws {
        var room = try room()
        var output = RecordingOutput()
        let walker = room.join(ClientID(1), name: "Walker", output: &output)
        let watcher = room.join(ClientID(2), name: "Watcher", output: &output)
        room.place(walker, at: tile(40, 1))
        room.place(watcher, at: tile(41, 5))
        room.step(into: &output)
        output.clear()
        room.step([.move(ClientID(1), sequence: 1, intent: .direction(dx: 0, dy: 1))], into: &output)
        for _ in 0..<10 { room.step(into: &output) }
        // One update when the walk starts, none while it goes on.
        #expect(output.states(for: ClientID(2)).count == 1)
    }

    /// Two avatars that both change cell in the same tick and walk out of each other's
    /// view: from cells 1 and 2 (adjacent, visible) to cells 0 and 3 (three apart). The
    /// cell difference of either one alone does not contain the other's new cell.
    @Test func avatarsWalkingApartAtOnceBothLeaveEachOthersView() throws {
        var room = try room()
        var output = RecordingOutput()
        let a = room.join(ClientID(1), name: "A", output: &output)
        let b = room.join(ClientID(2), name: "B", output: &output)
        room.place(a, at: Position(x: 4 * 64, y: 64))            // first unit of cell 1
        room.place(b, at: Position(x: 8 * 64, y: 64))            // first unit of cell 2
        room.step(into: &output)
        var mirrorA = ClientMirror()
        var mirrorB = ClientMirror()
        output.states(for: ClientID(1)).forEach { mirrorA.apply($0) }
        output.states(for: ClientID(2)).forEach { mirrorB.apply($0) }
        #expect(mirrorA.avatars[b] != nil && mirrorB.avatars[a] != nil)
        output.clear()
        room.place(a, at: Position(x: 4 * 64 - 1, y: 64))        // cell 0
        room.place(b, at: Position(x: 12 * 64, y: 64))           // cell 3
        room.step(into: &output)
        output.states(for: ClientID(1)).forEach { mirrorA.apply($0) }
        output.states(for: ClientID(2)).forEach { mirrorB.apply($0) }
        #expect(mirrorA.avatars[b] == nil)
        #expect(mirrorB.avatars[a] == nil)
    }

    @Test func aCongestedClientGetsOneCatchUpDeltaWithTheNewestState() throws {
        var room = try room()
        var output = RecordingOutput()
        let walker = room.join(ClientID(1), name: "Walker", output: &output)
        let slow = room.join(ClientID(2), name: "Slow", output: &output)
        room.place(walker, at: tile(40, 10))
        room.place(slow, at: tile(42, 10))
        room.step(into: &output)
        var mirror = ClientMirror()
        output.states(for: ClientID(2)).forEach { mirror.apply($0) }
        output.clear()

        output.congested = [ClientID(2)]
        room.step([.move(ClientID(1), sequence: 1, intent: .direction(dx: 1, dy: 0))], into: &output)
        for _ in 0..<5 { room.step(into: &output) }
        room.step([.move(ClientID(1), sequence: 2, intent: .direction(dx: 0, dy: 1))], into: &output)
        for _ in 0..<5 { room.step(into: &output) }
        #expect(output.states(for: ClientID(2)).isEmpty)

        output.congested = []
        room.step(into: &output)
        let caughtUp = output.states(for: ClientID(2))
        #expect(caughtUp.count == 1)
        caughtUp.forEach { mirror.apply($0) }
        #expect(mirror.position(of: walker, at: room.tick) == room.position(of: walker))
    }

    /// The whole pipeline at once: many avatars wander among walls; after every tick
    /// each client's belief (dead reckoning from what it was told) matches the truth for
    /// every avatar it should see, and it believes in no other. With a small
    /// `maxVisible` the crowd shrinks and widens views all the time, each its own way.
    /// Every avatar in view counts as near and the budget is out of reach, so every change
    /// goes out in its tick (``RoomStatePriorityTests`` covers the priorities).
    @Test(arguments: [(1, 200), (2, 200), (3, 200), (1, 6), (2, 9), (3, 14)] as [(UInt64, Int)])
    func everyClientsBeliefMatchesTheTruth(seed: UInt64, maxVisible: Int) throws {
        var generator = SeededRandom(seed: seed)
        let builder = TestMap.scatteredWalls(viewRadius: 6, generator: &generator)
        var room = Room(map: try builder.load(), configuration: RoomConfiguration(
            id: "test", gridCellTiles: 4, maxVisible: maxVisible, nearStateCells: 2, stateBudgetBytes: 1 << 20, seed: seed))
        var output = RecordingOutput()
        var radii: Set<Int> = []
        let clients = (1...30).map { ClientID(UInt64($0)) }
        var mirrors: [ClientID: ClientMirror] = [:]
        for client in clients { _ = room.join(client, name: "P\(client.rawValue)", output: &output) }
        for (client, delta) in output.states { mirrors[client, default: ClientMirror()].apply(delta) }
        var sequence: UInt32 = 0
        for tick in 0..<300 {
            var inputs: [RoomInput] = []
            for client in clients where generator.next() % 10 == 0 {
                sequence += 1
                let intent: MoveIntent = generator.next() % 5 == 0
                    ? .target(Position(tileX: Int(generator.next() % 48), tileY: Int(generator.next() % 48)))
                    : .direction(dx: Int(generator.next() % 3) - 1, dy: Int(generator.next() % 3) - 1)
                inputs.append(.move(client, sequence: sequence, intent: intent))
            }
            if tick == 150 { inputs.append(.leave(clients[0])) }
            output.clear()
            room.step(inputs, into: &output)
            for (client, delta) in output.states { mirrors[client, default: ClientMirror()].apply(delta) }
            for client in clients {
                guard let me = room.avatarID(of: client), let myPosition = room.position(of: me) else { continue }
                let mirror = mirrors[client, default: ClientMirror()]
                let myCell = room.grid.cell(of: myPosition)
                let myRadius = room.viewRadii[room.ids.firstIndex(of: me)!]
                radii.insert(myRadius)
                var expected: Set<UInt32> = []
                for slot in room.ids.indices where room.ids[slot] != 0 && room.grid.distance(room.cells[slot], myCell) <= myRadius {
                    let other = room.ids[slot]
                    expected.insert(other)
                    #expect(mirror.position(of: other, at: room.tick) == room.positions[slot],
                            "tick \(room.tick): \(client) believes \(other) elsewhere")
                }
                #expect(Set(mirror.avatars.keys) == expected, "tick \(room.tick): \(client) sees the wrong set")
            }
        }
        // The small caps really did narrow views (and the large one never did).
        #expect(maxVisible >= 30 ? radii == [room.viewCells] : radii.count > 1)
    }

    /// A crowd denser than the cap shrinks a client's view to the nearest cells; when the
    /// crowd leaves, the view widens again and the far avatars come back into it.
    @Test func aDenseCrowdShrinksTheViewToTheNearestAvatarsAndItWidensAgain() throws {
        let builder = TestMap.open(width: 100, height: 20, [("viewRadius", "8")])
        var room = Room(map: try builder.load(), configuration: RoomConfiguration(id: "test", gridCellTiles: 4, maxVisible: 10))
        var output = RecordingOutput()
        let observer = room.join(ClientID(1), name: "Observer", output: &output)
        room.place(observer, at: tile(41, 9))
        let near = (0..<4).map { room.join(ClientID(10 + UInt64($0)), name: "Near \($0)", output: &output) }
        for (index, id) in near.enumerated() { room.place(id, at: tile(40 + index, 10)) }       // the observer's cell
        let far = (0..<12).map { room.join(ClientID(100 + UInt64($0)), name: "Far \($0)", output: &output) }
        for (index, id) in far.enumerated() { room.place(id, at: tile(48 + index % 4, 8 + index / 4)) }  // two cells east
        var mirror = ClientMirror()
        for _ in 0..<Room.fitPeriod { room.step(into: &output) }
        output.states(for: ClientID(1)).forEach { mirror.apply($0) }
        #expect(Set(mirror.avatars.keys) == Set([observer] + near))

        output.clear()
        room.step((4..<12).map { RoomInput.leave(ClientID(100 + UInt64($0))) }, into: &output)
        for _ in 1..<Room.fitPeriod { room.step(into: &output) }
        output.states(for: ClientID(1)).forEach { mirror.apply($0) }
        #expect(Set(mirror.avatars.keys) == Set([observer] + near + far.prefix(4)))
    }
}
