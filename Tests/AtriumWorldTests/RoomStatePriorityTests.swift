import Testing
@testable import AtriumWorld

/// Per-client priority and byte budget of state (``Room/emitState(output:)``): near
/// avatars every tick, far ones every `farStateInterval` ticks, at most
/// `stateBudgetBytes` a message, nothing starved, and every client converging to the truth.
@Suite struct RoomStatePriorityTests {
    /// Cells of 4 tiles and a view of 12 tiles: 3 cells each way. Near is the client's own
    /// cell and the ring around it.
    private func room(farInterval: Int = 2, budget: Int = 1200, width: Int = 100, height: Int = 40) throws -> Room {
        let builder = TestMap.open(width: width, height: height, [("viewRadius", "12")])
        return Room(map: try builder.load(), configuration: RoomConfiguration(
            id: "test", gridCellTiles: 4, farStateInterval: farInterval, stateBudgetBytes: budget))
    }

    private func tile(_ x: Int, _ y: Int) -> Position { Position(tileX: x, tileY: y) }

    /// The bytes of a delta on the wire, counted from the layout in Protocol/README.md
    /// independently of the room's own accounting.
    private func wireSize(_ delta: StateDeltaCopy) -> Int {
        func varint(_ value: UInt32) -> Int { value < 128 ? 1 : value < 16_384 ? 2 : 3 }
        func info(_ info: StateDelta.Info) -> Int { 6 + info.name.utf8.count + info.status.utf8.count }
        var size = 10 + 4
        for entry in delta.enteredEntries { size += varint(entry.id) + 6 + info(delta.enteredInfo[entry.id]!) }
        for entry in delta.moved { size += varint(entry.id) + 6 }
        for (id, value) in delta.updated { size += varint(id) + info(value) }
        for id in delta.left { size += varint(id) }
        return size
    }

    /// Steps once with one walker turning back and forth, so it changes course every tick.
    private func stepTurning(_ room: inout Room, _ clients: [ClientID], sequence: inout UInt32,
                                      output: inout RecordingOutput) {
        sequence += 1
        let dx = sequence % 2 == 0 ? 1 : -1
        room.step(clients.map { .move($0, sequence: sequence, intent: .direction(dx: dx, dy: 0)) }, into: &output)
    }

    @Test(arguments: [2, 3, 5])
    func nearAvatarsGoEveryTickAndFarOnesEveryIntervalTicks(interval: Int) throws {
        var room = try room(farInterval: interval)
        var output = RecordingOutput()
        let observer = room.join(ClientID(1), name: "Observer", output: &output)
        let near = room.join(ClientID(2), name: "Near", output: &output)
        let far = room.join(ClientID(3), name: "Far", output: &output)
        room.place(observer, at: tile(42, 10))
        room.place(near, at: tile(45, 10))      // the next cell
        room.place(far, at: tile(54, 10))       // three cells away, still in view
        for _ in 0..<3 { room.step(into: &output) }
        output.clear()

        var sequence: UInt32 = 0
        for _ in 0..<30 { stepTurning(&room, [ClientID(2), ClientID(3)], sequence: &sequence, output: &output) }
        let deltas = output.states(for: ClientID(1))
        let nearTicks = deltas.filter { $0.moved.contains { $0.id == near } }.map(\.tick)
        let farTicks = deltas.filter { $0.moved.contains { $0.id == far } }.map(\.tick)
        #expect(nearTicks.count == 30)
        let gaps = zip(farTicks.dropFirst(), farTicks).map { $0 - $1 }
        #expect(!gaps.isEmpty && gaps.allSatisfy { $0 == UInt32(interval) }, "far updates at \(farTicks)")
    }

    /// A crowd in view turns at once: every message stays within the budget, the nearest
    /// come first, and the rest follow within a few ticks.
    @Test func aCrowdTurningAtOnceIsSpreadOverTicksWithinTheBudgetNearestFirst() throws {
        var room = try room(budget: 300)
        var output = RecordingOutput()
        let observer = room.join(ClientID(1), name: "Observer", output: &output)
        room.place(observer, at: tile(42, 18))
        var walkers: [UInt32] = []
        for index in 0..<60 {
            let id = room.join(ClientID(UInt64(10 + index)), name: "W\(index)", output: &output)
            room.place(id, at: tile(32 + index % 20, 14 + index / 20 * 4))   // rows 14, 18 and 22: some near, most far
            walkers.append(id)
        }
        for _ in 0..<40 { room.step(into: &output) }
        var mirror = ClientMirror()
        output.states(for: ClientID(1)).forEach { mirror.apply($0) }
        #expect(mirror.avatars.count == 61)
        output.clear()

        room.step((0..<60).map { .move(ClientID(UInt64(10 + $0)), sequence: 1, intent: .direction(dx: 0, dy: 1)) },
                  into: &output)
        let first = output.states(for: ClientID(1))
        #expect(first.count == 1)
        let sentFirst = Set(first[0].moved.map(\.id))
        #expect(!sentFirst.isEmpty && sentFirst.count < 60)
        // Everyone within a cell of the observer turned, and all of them are in the first message.
        let nearIDs = walkers.filter { room.grid.distance(room.grid.cell(of: room.position(of: $0)!),
                                                          room.grid.cell(of: room.position(of: observer)!)) <= 1 }
        #expect(!nearIDs.isEmpty && Set(nearIDs).isSubset(of: sentFirst))
        for _ in 0..<10 { room.step(into: &output) }
        for delta in output.states(for: ClientID(1)) {
            #expect(wireSize(delta) <= 300, "tick \(delta.tick): \(wireSize(delta)) bytes")
            mirror.apply(delta)
        }
        for id in walkers { #expect(mirror.position(of: id, at: room.tick) == room.position(of: id)) }
    }

    /// With a budget the near avatars alone overflow every tick, a far avatar's change
    /// still goes out: its priority grows with every tick it waits.
    @Test func aFarChangeIsNotStarvedByNearAvatarsThatOverflowTheBudget() throws {
        var room = try room(budget: 60)
        var output = RecordingOutput()
        let observer = room.join(ClientID(1), name: "Observer", output: &output)
        room.place(observer, at: tile(42, 18))
        var nearClients: [ClientID] = []
        for index in 0..<20 {
            let client = ClientID(UInt64(10 + index))
            let id = room.join(client, name: "N\(index)", output: &output)
            room.place(id, at: tile(40 + index % 5, 16 + index / 5))
            nearClients.append(client)
        }
        let far = room.join(ClientID(2), name: "Far", output: &output)
        room.place(far, at: tile(54, 18))
        for _ in 0..<80 { room.step(into: &output) }
        var mirror = ClientMirror()
        output.states(for: ClientID(1)).forEach { mirror.apply($0) }
        #expect(mirror.avatars[far] != nil)
        output.clear()

        var sequence: UInt32 = 0
        room.step([.move(ClientID(2), sequence: 1, intent: .direction(dx: 0, dy: 1))], into: &output)
        var lastSeen: [UInt32: UInt32] = [:]
        for _ in 0..<60 { stepTurning(&room, nearClients, sequence: &sequence, output: &output) }
        var farSent: UInt32?
        for delta in output.states(for: ClientID(1)) {
            #expect(wireSize(delta) <= 60)
            for entry in delta.moved {
                if entry.id == far, farSent == nil { farSent = delta.tick }
                lastSeen[entry.id] = delta.tick
            }
        }
        #expect(farSent != nil)
        // Every near avatar is updated again and again, none left behind for good.
        for client in nearClients {
            let id = room.avatarID(of: client)!
            #expect(lastSeen[id].map { room.tick - $0 < 20 } == true, "\(id) last sent at \(lastSeen[id] ?? 0)")
        }
    }

    /// A far avatar that stops right after a turn (the stop inside the far interval) is
    /// still told where it stopped.
    @Test func aFarAvatarThatStopsIsSentItsFinalPosition() throws {
        var room = try room(farInterval: 5)
        var output = RecordingOutput()
        let observer = room.join(ClientID(1), name: "Observer", output: &output)
        let far = room.join(ClientID(2), name: "Far", output: &output)
        room.place(observer, at: tile(42, 10))
        room.place(far, at: tile(54, 10))
        for _ in 0..<3 { room.step(into: &output) }
        var mirror = ClientMirror()
        output.states(for: ClientID(1)).forEach { mirror.apply($0) }
        output.clear()

        room.step([.move(ClientID(2), sequence: 1, intent: .direction(dx: 0, dy: 1))], into: &output)
        room.step([.move(ClientID(2), sequence: 2, intent: .direction(dx: 1, dy: 0))], into: &output)
        room.step([.move(ClientID(2), sequence: 3, intent: .stop)], into: &output)
        output.states(for: ClientID(1)).forEach { mirror.apply($0) }
        #expect(mirror.position(of: far, at: room.tick) != room.position(of: far))
        output.clear()
        for _ in 0..<5 { room.step(into: &output) }
        output.states(for: ClientID(1)).forEach { mirror.apply($0) }
        #expect(mirror.position(of: far, at: room.tick) == room.position(of: far))
        #expect(mirror.avatars[far]?.velocity == .zero)
    }

    /// Leaving is never held back, whatever the budget: the client must not keep a ghost.
    @Test func leavingAvatarsAreRemovedAtOnceEvenOverBudget() throws {
        var room = try room(budget: 40)
        var output = RecordingOutput()
        let observer = room.join(ClientID(1), name: "Observer", output: &output)
        room.place(observer, at: tile(42, 18))
        var ids: [UInt32] = []
        for index in 0..<30 {
            let id = room.join(ClientID(UInt64(10 + index)), name: "W\(index)", output: &output)
            room.place(id, at: tile(36 + index % 10, 16 + index / 10))
            ids.append(id)
        }
        for _ in 0..<200 { room.step(into: &output) }
        var mirror = ClientMirror()
        output.states(for: ClientID(1)).forEach { mirror.apply($0) }
        #expect(mirror.avatars.count == 31)
        output.clear()

        // Everyone turns (far more than the budget holds), five leave the room and five
        // are moved out of view, all in one tick.
        var inputs: [RoomInput] = (0..<20).map { .move(ClientID(UInt64(10 + $0)), sequence: 1, intent: .direction(dx: 1, dy: 0)) }
        inputs += (20..<25).map { RoomInput.leave(ClientID(UInt64(10 + $0))) }
        room.step(inputs, into: &output)
        for id in ids[25...] { room.place(id, at: tile(90, 30)) }
        room.step(into: &output)
        output.states(for: ClientID(1)).forEach { mirror.apply($0) }
        for id in ids[20...] { #expect(mirror.avatars[id] == nil, "\(id) still believed in") }
    }

    /// A client that joins a crowd gets its snapshot spread over ticks within the budget,
    /// its own avatar and the nearest first, and in the end knows everyone in view.
    @Test func aJoinIntoACrowdFillsInNearestFirstWithinTheBudget() throws {
        var room = try room(budget: 400)
        var output = RecordingOutput()
        for index in 0..<50 {
            let id = room.join(ClientID(UInt64(10 + index)), name: "Someone \(index)", output: &output)
            room.place(id, at: tile(31 + index % 25, 17 + index / 25 * 2))
        }
        room.step(into: &output)
        output.clear()
        let newcomer = room.join(ClientID(1), name: "Newcomer", output: &output)
        let deltas = output.states(for: ClientID(1))
        #expect(deltas.count == 1 && deltas[0].snapshot)
        #expect(deltas[0].entered.contains(newcomer))
        #expect(wireSize(deltas[0]) <= 400)
        var mirror = ClientMirror()
        mirror.apply(deltas[0])
        #expect(mirror.avatars.count < 51)
        output.clear()
        for _ in 0..<10 { room.step(into: &output) }
        for delta in output.states(for: ClientID(1)) {
            #expect(!delta.snapshot && wireSize(delta) <= 400)
            mirror.apply(delta)
        }
        let me = room.position(of: newcomer)!
        let expected = room.ids.indices.filter {
            room.ids[$0] != 0 && room.grid.distance(room.cells[$0], room.grid.cell(of: me)) <= room.viewCells
        }.map { room.ids[$0] }
        #expect(Set(mirror.avatars.keys) == Set(expected))
    }

    /// Many avatars wander among walls with the default priorities and a tight budget:
    /// no client ever believes in an avatar outside its view, and once everyone stops,
    /// every client's belief matches the truth within a few ticks.
    @Test(arguments: [(UInt64(1), 1200), (2, 300), (3, 120)])
    func everyClientConvergesToTheTruthOnceTheCrowdStops(seed: UInt64, budget: Int) throws {
        var generator = SeededRandom(seed: seed)
        let builder = TestMap.scatteredWalls(viewRadius: 12, generator: &generator)
        var room = Room(map: try builder.load(), configuration: RoomConfiguration(
            id: "test", gridCellTiles: 4, maxVisible: 25, stateBudgetBytes: budget, seed: seed))
        var output = RecordingOutput()
        let clients = (1...40).map { ClientID(UInt64($0)) }
        var mirrors: [ClientID: ClientMirror] = [:]
        for client in clients { _ = room.join(client, name: "P\(client.rawValue)", output: &output) }
        var sequence: UInt32 = 0
        func check(exact: Bool) {
            for (client, delta) in output.states { mirrors[client, default: ClientMirror()].apply(delta) }
            output.clear()
            for client in clients {
                guard let me = room.avatarID(of: client), let myPosition = room.position(of: me) else { continue }
                let mirror = mirrors[client, default: ClientMirror()]
                let myCell = room.grid.cell(of: myPosition)
                let myRadius = room.viewRadii[room.ids.firstIndex(of: me)!]
                var expected: Set<UInt32> = []
                for slot in room.ids.indices where room.ids[slot] != 0 && room.grid.distance(room.cells[slot], myCell) <= myRadius {
                    expected.insert(room.ids[slot])
                    if exact {
                        #expect(mirror.position(of: room.ids[slot], at: room.tick) == room.positions[slot],
                                "tick \(room.tick): \(client) believes \(room.ids[slot]) elsewhere")
                    }
                }
                #expect(Set(mirror.avatars.keys).isSubset(of: expected), "tick \(room.tick): \(client) keeps a ghost")
                if exact { #expect(Set(mirror.avatars.keys) == expected, "tick \(room.tick): \(client) misses some") }
            }
        }
        for tick in 0..<300 {
            var inputs: [RoomInput] = []
            for client in clients where generator.next() % 8 == 0 {
                sequence += 1
                let intent: MoveIntent = generator.next() % 5 == 0
                    ? .target(Position(tileX: Int(generator.next() % 48), tileY: Int(generator.next() % 48)))
                    : .direction(dx: Int(generator.next() % 3) - 1, dy: Int(generator.next() % 3) - 1)
                inputs.append(.move(client, sequence: sequence, intent: intent))
            }
            if tick == 150 { inputs.append(.leave(clients[0])) }
            room.step(inputs, into: &output)
            check(exact: false)
        }
        sequence += 1
        room.step(clients.map { .move($0, sequence: sequence, intent: .stop) }, into: &output)
        // Views settle (a fit every `fitPeriod` ticks), then the last changes drain.
        for _ in 0..<(2 * Room.fitPeriod + 20) {
            room.step(into: &output)
            check(exact: false)
        }
        room.step(into: &output)
        check(exact: true)
    }
}
