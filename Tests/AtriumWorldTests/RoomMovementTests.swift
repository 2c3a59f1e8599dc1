import Testing
@testable import AtriumWorld

@Suite struct RoomMovementTests {
    let client = ClientID(1)

    private func room(_ builder: TestMap = .open(), configuration: RoomConfiguration = .init(id: "test")) throws -> Room {
        Room(map: try builder.load(), configuration: configuration)
    }

    @Test func derivesTheStepFromWalkingSpeedAndTickRate() throws {
        let room = try room()
        // 4 tiles/s at 20 Hz is 12.8 units a tick, rounded to 13; diagonally 13/√2 ≈ 9.
        #expect(room.step == 13)
        #expect(room.diagonalStep == 9)
    }

    @Test func walksAtTheFixedSpeedHoweverManyInputsArrive() throws {
        var room = try room()
        var output = RecordingOutput()
        let id = room.join(client, name: "Mina", output: &output)
        let start = try #require(room.position(of: id))
        // Ten inputs in one tick are worth one step.
        let flood = (1...10).map { RoomInput.move(client, sequence: UInt32($0), intent: .direction(dx: 1, dy: 0)) }
        room.step(flood, into: &output)
        for _ in 0..<9 { room.step(into: &output) }
        let end = try #require(room.position(of: id))
        #expect(end.x - start.x == 10 * 13)
        #expect(end.y == start.y)
    }

    @Test func diagonalStepsAreNoFasterThanStraightOnes() throws {
        var room = try room()
        var output = RecordingOutput()
        let id = room.join(client, name: "Mina", output: &output)
        let start = try #require(room.position(of: id))
        room.step([.move(client, sequence: 1, intent: .direction(dx: -1, dy: 1))], into: &output)
        let end = try #require(room.position(of: id))
        let length = Double(start.distanceSquared(to: end)).squareRoot()
        #expect(length <= Double(room.step))
        #expect(end.x - start.x == -9 && end.y - start.y == 9)
    }

    @Test func stopsAtAWallAndSlidesAlongIt() throws {
        var builder = TestMap.open(width: 20, height: 20)
        builder.wallColumn(x: 12, from: 0, to: 19)
        var room = try room(builder)
        var output = RecordingOutput()
        let id = room.join(client, name: "Mina", output: &output)
        room.place(id, at: Position(tileX: 10, tileY: 10))
        room.step([.move(client, sequence: 1, intent: .direction(dx: 1, dy: 1))], into: &output)
        for _ in 0..<20 { room.step(into: &output) }
        let end = try #require(room.position(of: id))
        // Stopped on the last unit before the wall tile, still sliding down.
        #expect(end.x == 12 * 64 - 1)
        #expect(end.y > Position(tileX: 10, tileY: 10).y + 100)
        #expect(!room.map.isBlocked(tileX: end.tileX, tileY: end.tileY))
    }

    @Test func staysInsideTheMap() throws {
        var room = try room(.open(width: 8, height: 8))
        var output = RecordingOutput()
        let id = room.join(client, name: "Mina", output: &output)
        room.step([.move(client, sequence: 1, intent: .direction(dx: -1, dy: -1))], into: &output)
        for _ in 0..<100 { room.step(into: &output) }
        #expect(room.position(of: id) == Position(x: 0, y: 0))
    }

    @Test func walksToATargetAroundAWallAtWalkingSpeed() throws {
        var builder = TestMap.open(width: 30, height: 30)
        builder.wallColumn(x: 20, from: 5, to: 29)
        var room = try room(builder)
        var output = RecordingOutput()
        let id = room.join(client, name: "Mina", output: &output)
        room.place(id, at: Position(tileX: 15, tileY: 20))
        let target = Position(x: 25 * 64 + 10, y: 20 * 64 + 50)
        room.step([.move(client, sequence: 1, intent: .target(target))], into: &output)
        var previous = try #require(room.position(of: id))
        for _ in 0..<400 {
            room.step(into: &output)
            let now = try #require(room.position(of: id))
            #expect(abs(now.x - previous.x) <= room.step && abs(now.y - previous.y) <= room.step)
            #expect(!room.map.isBlocked(tileX: now.tileX, tileY: now.tileY))
            previous = now
            if now == target { break }
        }
        #expect(previous == target)
    }

    @Test func anUnreachableTargetLeavesTheAvatarStanding() throws {
        var builder = TestMap.open(width: 20, height: 20)
        builder.wallColumn(x: 15, from: 0, to: 19)
        var room = try room(builder)
        var output = RecordingOutput()
        let id = room.join(client, name: "Mina", output: &output)
        let start = try #require(room.position(of: id))
        room.step([.move(client, sequence: 1, intent: .target(Position(tileX: 18, tileY: 3)))], into: &output)
        room.step(into: &output)
        #expect(room.position(of: id) == start)
    }

    /// Whatever a client sends, its avatar never stands in a wall and never moves more
    /// than one step per axis per tick.
    @Test(arguments: 0..<5)
    func randomInputsNeverBreakTheRules(seed: UInt64) throws {
        var generator = SeededRandom(seed: seed)
        var builder = TestMap.open(width: 24, height: 24)
        for _ in 0..<80 {
            let x = Int(generator.next() % 24)
            let y = Int(generator.next() % 24)
            if !(10...13).contains(x) || !(10...13).contains(y) { builder.wall(x: x, y: y) }
        }
        var room = try room(builder)
        var output = RecordingOutput()
        let id = room.join(client, name: "Mina", output: &output)
        var previous = try #require(room.position(of: id))
        for sequence in 1...600 as ClosedRange<UInt32> {
            let intent: MoveIntent
            switch generator.next() % 4 {
            case 0: intent = .stop
            case 1: intent = .target(Position(x: Int32(generator.next() % 2000) - 200, y: Int32(generator.next() % 2000) - 200))
            default: intent = .direction(dx: Int(generator.next() % 3) - 1, dy: Int(generator.next() % 3) - 1)
            }
            let inputs: [RoomInput] = generator.next() % 3 == 0 ? [.move(client, sequence: sequence, intent: intent)] : []
            room.step(inputs, into: &output)
            let now = try #require(room.position(of: id))
            #expect(!room.map.isBlocked(tileX: now.tileX, tileY: now.tileY))
            #expect(abs(now.x - previous.x) <= room.step && abs(now.y - previous.y) <= room.step)
            previous = now
        }
    }

    @Test func acknowledgesTheLastAppliedInput() throws {
        var room = try room()
        var output = RecordingOutput()
        _ = room.join(client, name: "Mina", output: &output)
        output.clear()
        room.step([.move(client, sequence: 7, intent: .direction(dx: 1, dy: 0)),
                   .move(client, sequence: 8, intent: .direction(dx: 0, dy: 1))], into: &output)
        #expect(output.states(for: client).last?.ack == 8)
        output.clear()
        room.step(into: &output)
        // Nothing new: no message at all while walking straight.
        #expect(output.states(for: client).isEmpty)
    }
}
