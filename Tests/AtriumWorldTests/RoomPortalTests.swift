import Testing
@testable import AtriumWorld

/// Portals: a step onto one takes the avatar to the portal it names (Maps/README.md).
@Suite struct RoomPortalTests {
    let client = ClientID(1)

    /// Two halves with no door between them (a wall at x = 15): the east is reached only
    /// through the portals `west-pad` (5, 5) 2×2 and `east-pad` (24, 5) 2×2, which name
    /// each other.
    static func halves() -> TestMap {
        var map = TestMap(width: 30, height: 12)
        map.wallColumn(x: 15, from: 0, to: 11)
        map.zone("spawn", x: 2, y: 8, width: 2, height: 2)
        map.zone("portal", "To the east · 동쪽으로", x: 5, y: 5, width: 2, height: 2, [("id", "west-pad"), ("to", "east-pad")])
        map.zone("portal", "To the west · 서쪽으로", x: 24, y: 5, width: 2, height: 2, [("id", "east-pad"), ("to", "west-pad")])
        return map
    }

    private func room(_ map: TestMap = halves()) throws -> Room {
        Room(map: try map.load(), configuration: .init(id: "test"))
    }

    /// Steps until `done` holds, at most `ticks` times.
    private func steps(_ room: inout Room, _ output: inout RecordingOutput, upTo ticks: Int, until done: (Room) -> Bool) {
        for _ in 0..<ticks where !done(room) { room.step(into: &output) }
    }

    @Test func aStepOntoAPortalTakesTheAvatarToTheOneItNamesAndTheWalkGoesOn() throws {
        var room = try room()
        var output = RecordingOutput()
        let id = room.join(client, name: "Mina", output: &output)
        let watcher = room.join(ClientID(2), name: "Watcher", output: &output)
        room.place(watcher, at: Position(tileX: 22, tileY: 6))
        room.place(id, at: Position(tileX: 3, tileY: 5))
        room.step([.move(client, sequence: 1, intent: .direction(dx: 1, dy: 0))], into: &output)
        output.clear()
        steps(&room, &output, upTo: 40) { $0.position(of: id)!.tileX > 15 }
        let arrived = try #require(room.position(of: id))
        // Landed on the east pad's tile nearest its centre (the upper left of the middle), still walking east.
        #expect(arrived.tileX == 24 && arrived.tileY == 5)
        for _ in 0..<10 { room.step(into: &output) }
        let walked = try #require(room.position(of: id))
        #expect(walked.tileX > 25 && walked.tileY == 5, "the walk east goes on from the arrival: \(walked)")
        // Someone near the arrival is told of the jump, not left to dead-reckon the old course.
        #expect(output.states(for: ClientID(2)).contains { $0.entered.contains(id) || $0.moved.contains { $0.id == id } })
    }

    @Test func arrivingOnAPortalSendsNobodyBackButSteppingOffAndOnAgainDoes() throws {
        var room = try room()
        var output = RecordingOutput()
        let id = room.join(client, name: "Mina", output: &output)
        room.place(id, at: Position(tileX: 3, tileY: 6))
        room.step([.move(client, sequence: 1, intent: .direction(dx: 1, dy: 0))], into: &output)
        steps(&room, &output, upTo: 40) { $0.position(of: id)!.tileX > 15 }
        room.step([.move(client, sequence: 2, intent: .stop)], into: &output)
        let arrived = try #require(room.position(of: id))
        #expect(room.map.portalIndex(tileX: arrived.tileX, tileY: arrived.tileY) == 1)
        for _ in 0..<20 { room.step(into: &output) }
        #expect(room.position(of: id) == arrived, "standing on the arrival pad takes nobody anywhere")
        // Off the pad to the south, then back onto it: back to the west.
        room.step([.move(client, sequence: 3, intent: .direction(dx: 0, dy: 1))], into: &output)
        steps(&room, &output, upTo: 40) { $0.position(of: id)!.tileY >= 7 }
        room.step([.move(client, sequence: 4, intent: .direction(dx: 0, dy: -1))], into: &output)
        steps(&room, &output, upTo: 40) { $0.position(of: id)!.tileX < 15 }
        let back = try #require(room.position(of: id))
        #expect(back.tileX < 15 && room.map.portalIndex(tileX: back.tileX, tileY: back.tileY) == 0)
    }

    @Test func arrivalsLandOnFreeTilesAndNeverInsideAWall() throws {
        var map = Self.halves()
        map.wall(x: 24, y: 5)   // the pad's tile nearest its centre is a wall
        var room = try room(map)
        var output = RecordingOutput()
        var landed: [Position] = []
        for number in 1...3 {
            let client = ClientID(UInt64(number))
            let id = room.join(client, name: "Visitor \(number)", output: &output)
            room.place(id, at: Position(tileX: 3, tileY: 6))
            room.step([.move(client, sequence: 1, intent: .direction(dx: 1, dy: 0))], into: &output)
            steps(&room, &output, upTo: 40) { $0.position(of: id)!.tileX > 15 }
            room.step([.move(client, sequence: 2, intent: .stop)], into: &output)
            landed.append(try #require(room.position(of: id)))
        }
        let tiles = landed.map { [$0.tileX, $0.tileY] }
        #expect(Set(tiles).count == 3, "each arrival gets a tile of its own: \(tiles)")
        #expect(tiles.allSatisfy { !room.map.isBlocked(tileX: $0[0], tileY: $0[1]) && $0[0] > 15 })
        #expect(tiles[0] == [25, 5], "the free walkable pad tile nearest the centre first")
    }

    @Test func aWalkToAPointGoesAroundAPortalInItsWayAndAWalkOntoOneTakesIt() throws {
        var map = TestMap(width: 30, height: 12)
        map.wallColumn(x: 15, from: 0, to: 11)
        map.zone("spawn", x: 2, y: 8, width: 2, height: 2)
        // A wide portal across the straight line from (2, 5) to (10, 5).
        map.zone("portal", x: 6, y: 3, width: 1, height: 5, [("id", "west-pad"), ("to", "east-pad")])
        map.zone("portal", x: 24, y: 5, width: 2, height: 2, [("id", "east-pad")])
        var room = try room(map)
        var output = RecordingOutput()
        let id = room.join(client, name: "Mina", output: &output)
        room.place(id, at: Position(tileX: 2, tileY: 5))
        room.step([.move(client, sequence: 1, intent: .target(Position(tileX: 10, tileY: 5)))], into: &output)
        steps(&room, &output, upTo: 200) { $0.position(of: id)! == Position(tileX: 10, tileY: 5) }
        #expect(room.position(of: id) == Position(tileX: 10, tileY: 5), "the walk went around the portal")
        // A walk whose goal is on the portal takes it, and ends there.
        room.step([.move(client, sequence: 2, intent: .target(Position(tileX: 6, tileY: 5)))], into: &output)
        steps(&room, &output, upTo: 100) { $0.position(of: id)!.tileX > 15 }
        let arrived = try #require(room.position(of: id))
        #expect(arrived.tileX == 24 && arrived.tileY == 5)
        for _ in 0..<10 { room.step(into: &output) }
        #expect(room.position(of: id) == arrived, "a walk to a point ends at the portal it took")
    }

    @Test func aFriendsFindMeLinkStartsTheNewAvatarOnTheNearestFreeTileNextToThem() throws {
        var room = try room()
        var output = RecordingOutput()
        let friend = room.join(client, name: "Friend", output: &output)
        let neighbour = room.join(ClientID(2), name: "Neighbour", output: &output)
        room.place(friend, at: Position(tileX: 20, tileY: 6))
        room.place(neighbour, at: Position(tileX: 20, tileY: 5))   // the first tile looked at is taken
        output.clear()
        room.step([.join(JoinRequest(client: ClientID(3), name: "Visitor", newResumeToken: "r3", near: friend))], into: &output)
        let visitor = try #require(room.avatarID(of: ClientID(3)))
        let position = try #require(room.position(of: visitor))
        // Not the friend's tile, nor the neighbour's above it: the next one looked at.
        #expect((position.tileX, position.tileY) == (19, 6), "next to the friend, not at the spawn: \(position)")
        guard case .welcome(let welcome)? = output.events(for: ClientID(3)).first else {
            Issue.record("no welcome")
            return
        }
        #expect(welcome.near == friend)
    }

    @Test func aFindMeLinkToSomeoneAwayOrGoneStartsAtTheSpawn() throws {
        var room = try room()
        var output = RecordingOutput()
        let friend = room.join(client, name: "Friend", output: &output)
        room.place(friend, at: Position(tileX: 20, tileY: 6))
        room.step([.disconnect(client)], into: &output)
        output.clear()
        room.step([.join(JoinRequest(client: ClientID(3), name: "Visitor", newResumeToken: "r3", near: friend)),
                   .join(JoinRequest(client: ClientID(4), name: "Other", newResumeToken: "r4", near: 999))], into: &output)
        for client in [ClientID(3), ClientID(4)] {
            let id = try #require(room.avatarID(of: client))
            let position = try #require(room.position(of: id))
            #expect((2...3).contains(position.tileX) && (8...9).contains(position.tileY), "at the spawn: \(position)")
            guard case .welcome(let welcome)? = output.events(for: client).first else {
                Issue.record("no welcome")
                return
            }
            #expect(welcome.near == nil)
        }
    }
}
