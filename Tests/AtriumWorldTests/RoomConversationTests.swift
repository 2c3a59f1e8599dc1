import Testing
@testable import AtriumWorld

@Suite struct RoomConversationTests {
    /// A 64×64 hall with the default `avRadius` of 4 tiles and a private 8×8 area at
    /// tiles 40…47.
    private func room(maxPeers: Int = 8, width: Int = 64, height: Int = 64) throws -> Room {
        var builder = TestMap.open(width: width, height: height)
        builder.zone("area", "Table", x: 40, y: 40, width: 8, height: 8)
        return Room(map: try builder.load(), configuration: RoomConfiguration(id: "av", maxConversationPeers: maxPeers))
    }

    private func tile(_ x: Int, _ y: Int) -> Position { Position(tileX: x, tileY: y) }

    /// Joins one client per position, numbered from 1, in one tick, and puts each there.
    private func crowd(_ room: inout Room, _ output: inout RecordingOutput, _ positions: [Position]) -> [UInt32] {
        room.step(positions.indices.map { joined("P\($0 + 1)", UInt64($0 + 1)) }, into: &output)
        let ids = positions.indices.map { room.avatarID(of: ClientID(UInt64($0 + 1)))! }
        for (id, position) in zip(ids, positions) { room.place(id, at: position) }
        return ids
    }

    private func mic(_ client: UInt64, _ on: Bool = true) -> RoomInput {
        .media(ClientID(client), MediaChange(mic: on))
    }

    /// The conversation events a client got.
    private func peerEvents(_ output: RecordingOutput, _ client: UInt64) -> [[UInt32]] {
        output.events(for: ClientID(client)).compactMap {
            if case .conversation(let peers) = $0 { return peers }
            return nil
        }
    }

    @Test func connectsAtExactlyTheRadiusAndNotOneUnitBeyond() throws {
        var room = try room()
        var output = RecordingOutput()
        let start = tile(10, 10)
        let ids = crowd(&room, &output, [start, Position(x: start.x + 4 * 64, y: start.y),
                                         Position(x: start.x, y: start.y + 4 * 64 + 1)])
        output.clear()
        room.step([mic(1)], into: &output)
        #expect(room.conversationPeers(of: ids[0]) == [ids[1]])
        #expect(peerEvents(output, 1) == [[ids[1]]])
        #expect(peerEvents(output, 2) == [[ids[0]]])
        #expect(peerEvents(output, 3).isEmpty)
    }

    @Test func tellsOnlyChanges() throws {
        var room = try room()
        var output = RecordingOutput()
        _ = crowd(&room, &output, [tile(10, 10), tile(12, 10)])
        room.step([mic(1)], into: &output)
        output.clear()
        for _ in 0..<5 { room.step(into: &output) }
        room.step([.media(ClientID(1), MediaChange(camera: true))], into: &output)
        #expect(peerEvents(output, 1).isEmpty)
        #expect(peerEvents(output, 2).isEmpty)
    }

    @Test func listenersAloneAreNotConnected() throws {
        var room = try room()
        var output = RecordingOutput()
        let ids = crowd(&room, &output, [tile(10, 10), tile(11, 10), tile(12, 10)])
        room.step(into: &output)
        #expect(ids.allSatisfy { room.conversationPeers(of: $0).isEmpty })
        // One talker reaches both listeners, but the listeners are not joined to each other.
        room.step([mic(2)], into: &output)
        #expect(room.conversationPeers(of: ids[1]) == [ids[0], ids[2]])
        #expect(room.conversationPeers(of: ids[0]) == [ids[1]])
        #expect(room.conversationPeers(of: ids[2]) == [ids[1]])
    }

    @Test func hysteresisKeepsAPairUntilOneTileBeyondTheRadius() throws {
        var room = try room()
        var output = RecordingOutput()
        let start = tile(10, 10)
        let ids = crowd(&room, &output, [start, Position(x: start.x + 4 * 64, y: start.y)])
        room.step([mic(1)], into: &output)
        #expect(room.conversationPeers(of: ids[0]) == [ids[1]])

        func at(_ units: Int32) {
            room.place(ids[1], at: Position(x: start.x + units, y: start.y))
            output.clear()
            room.step(into: &output)
        }
        at(5 * 64)                  // radius + 1: still connected, nothing said
        #expect(room.conversationPeers(of: ids[0]) == [ids[1]])
        #expect(peerEvents(output, 1).isEmpty)
        at(5 * 64 + 1)              // beyond: disconnected
        #expect(peerEvents(output, 1) == [[]])
        #expect(peerEvents(output, 2) == [[]])
        at(4 * 64 + 32)             // back inside radius + 1, but not within the radius
        #expect(room.conversationPeers(of: ids[0]).isEmpty)
        at(4 * 64)
        #expect(room.conversationPeers(of: ids[0]) == [ids[1]])
    }

    @Test func anAreaHoldsEveryoneInsideAndNobodyOutside() throws {
        var room = try room()
        var output = RecordingOutput()
        // Two at opposite corners of the 8×8 table (about 10 tiles apart), one just outside
        // its edge beside the first, one outside beside that one.
        let ids = crowd(&room, &output, [tile(40, 40), tile(47, 47), tile(39, 40), tile(37, 40)])
        room.step([mic(1), mic(3)], into: &output)
        #expect(room.conversationPeers(of: ids[0]) == [ids[1]])
        #expect(room.conversationPeers(of: ids[1]) == [ids[0]])
        #expect(room.conversationPeers(of: ids[2]) == [ids[3]])
        #expect(room.conversationPeers(of: ids[3]) == [ids[2]])
        // Stepping out of the area changes sides at once, without hysteresis.
        room.place(ids[0], at: tile(38, 40))
        output.clear()
        room.step(into: &output)
        #expect(room.conversationPeers(of: ids[0]) == [ids[2], ids[3]])
        #expect(room.conversationPeers(of: ids[1]).isEmpty)
        #expect(peerEvents(output, 2) == [[]])
    }

    @Test func theCapKeepsTheNearest() throws {
        var room = try room(maxPeers: 3)
        var output = RecordingOutput()
        let start = tile(10, 10)
        let ids = crowd(&room, &output, [start] + [3.5, 1, 4, 2, 3].map { Position(x: start.x + Int32($0 * 64), y: start.y) })
        room.step([mic(1)], into: &output)
        #expect(room.conversationPeers(of: ids[0]) == [ids[2], ids[4], ids[5]].sorted())
        #expect(room.conversationPeers(of: ids[1]).isEmpty)
        #expect(room.conversationPeers(of: ids[3]).isEmpty)
    }

    @Test func aConnectedPeerIsNotDisplacedByOneBarelyNearer() throws {
        var room = try room(maxPeers: 1)
        var output = RecordingOutput()
        let start = tile(10, 10)
        let ids = crowd(&room, &output, [start, Position(x: start.x + 2 * 64, y: start.y), tile(10, 20)])
        room.step([mic(1)], into: &output)
        #expect(room.conversationPeers(of: ids[0]) == [ids[1]])
        // Half a tile nearer does not win the one place; a whole tile and more does.
        room.place(ids[2], at: Position(x: start.x, y: start.y + 3 * 64 / 2))
        room.step(into: &output)
        #expect(room.conversationPeers(of: ids[0]) == [ids[1]])
        room.place(ids[2], at: Position(x: start.x, y: start.y + 60))
        room.step(into: &output)
        #expect(room.conversationPeers(of: ids[0]) == [ids[2]])
    }

    /// A seeded crowd: every set within the cap, every pair both ways, and every pair that
    /// qualifies but is not connected has a side whose set is full of nearer peers.
    @Test(arguments: [1, 2, 3, 4, 5]) func theCappedSetsAreSymmetricAndNearestFirst(seed: UInt64) throws {
        let cap = 3
        var room = try room(maxPeers: cap, width: 40, height: 40)
        var output = RecordingOutput()
        var random = SeededRandom(seed: seed)
        let positions = (0..<60).map { _ in
            Position(x: Int32(random.next() % (12 * 64)) + 64, y: Int32(random.next() % (12 * 64)) + 64)
        }
        let ids = crowd(&room, &output, positions)
        let talkers = Set(ids.filter { _ in random.next() % 3 == 0 })
        room.step(talkers.map { mic(UInt64($0)) }, into: &output)
        let reach = Double(4 * 64)
        func distance(_ a: Int, _ b: Int) -> Double { Double(positions[a].distanceSquared(to: positions[b])).squareRoot() }
        for a in ids.indices {
            let peers = room.conversationPeers(of: ids[a])
            #expect(peers.count <= cap)
            for peer in peers { #expect(room.conversationPeers(of: peer).contains(ids[a])) }
            for b in ids.indices where b > a && (talkers.contains(ids[a]) || talkers.contains(ids[b])) && distance(a, b) <= reach
                && !peers.contains(ids[b]) {
                let full = [a, b].filter { side in
                    let set = room.conversationPeers(of: ids[side])
                    return set.count == cap && set.allSatisfy { distance(side, Int($0) - 1) <= distance(a, b) }
                }
                #expect(!full.isEmpty, "pair \(ids[a])–\(ids[b]) left out with room on both sides")
            }
        }
        #expect(ids.contains { !room.conversationPeers(of: $0).isEmpty })
    }

    @Test func aSetShrinksAtOnceWhenSomeoneLeavesIsKickedOrDrops() throws {
        var room = try room()
        var output = RecordingOutput()
        let moderator = room.join(ClientID(9), name: "Mod", role: .moderator, output: &output)
        room.place(moderator, at: tile(30, 30))
        let ids = crowd(&room, &output, [tile(10, 10), tile(11, 10), tile(12, 10), tile(10, 11)])
        room.step([mic(1)], into: &output)
        #expect(room.conversationPeers(of: ids[0]) == [ids[1], ids[2], ids[3]])

        output.clear()
        room.step([.leave(ClientID(2))], into: &output)
        #expect(peerEvents(output, 1) == [[ids[2], ids[3]]])
        output.clear()
        room.step([.moderate(ClientID(9), .kick(avatarID: ids[2], reason: nil), ref: nil)], into: &output)
        #expect(peerEvents(output, 1) == [[ids[3]]])
        output.clear()
        room.step([.disconnect(ClientID(4))], into: &output)
        #expect(peerEvents(output, 1) == [[]])
    }

    @Test func aModeratorsMuteTakesTheVoiceOutButNotTheCamera() throws {
        var room = try room()
        var output = RecordingOutput()
        let moderator = room.join(ClientID(9), name: "Mod", role: .moderator, output: &output)
        room.place(moderator, at: tile(30, 30))
        let ids = crowd(&room, &output, [tile(10, 10), tile(11, 10)])
        room.step([.media(ClientID(1), MediaChange(mic: true, speaking: true))], into: &output)
        #expect(room.conversationPeers(of: ids[0]) == [ids[1]])

        output.clear()
        room.step([.moderate(ClientID(9), .mute(avatarID: ids[0], on: true), ref: nil)], into: &output)
        #expect(peerEvents(output, 1) == [[]])
        #expect(peerEvents(output, 2) == [[]])
        let seen = output.states(for: ClientID(2)).last?.updated[ids[0]]
        #expect(seen?.muted == true && seen?.mic == true && seen?.speaking == false)

        // A muted voice stays silent whatever the client claims; its camera still connects.
        output.clear()
        room.step([.media(ClientID(1), MediaChange(speaking: true))], into: &output)
        #expect(room.conversationPeers(of: ids[0]).isEmpty)
        room.step([.media(ClientID(1), MediaChange(camera: true))], into: &output)
        #expect(room.conversationPeers(of: ids[0]) == [ids[1]])
        #expect(output.states(for: ClientID(2)).last?.updated[ids[0]]?.speaking == false)
    }

    @Test func mediaFlagsReachObserversAndSpeakingNeedsAVoice() throws {
        var room = try room()
        var output = RecordingOutput()
        let ids = crowd(&room, &output, [tile(10, 10), tile(20, 10)])
        room.step(into: &output)
        output.clear()
        room.step([.media(ClientID(1), MediaChange(speaking: true))], into: &output)
        #expect(output.states(for: ClientID(2)).allSatisfy { $0.updated[ids[0]] == nil })
        room.step([.media(ClientID(1), MediaChange(mic: true, camera: true, speaking: true))], into: &output)
        let info = output.states(for: ClientID(2)).last?.updated[ids[0]]
        #expect(info?.mic == true && info?.camera == true && info?.speaking == true && info?.muted == false)
        output.clear()
        room.step([mic(1, false)], into: &output)
        let after = output.states(for: ClientID(2)).last?.updated[ids[0]]
        #expect(after?.mic == false && after?.speaking == false && after?.camera == true)
    }

    @Test func aResumedAvatarLeavesEverySetForOneTick() throws {
        var room = try room()
        var output = RecordingOutput()
        let ids = crowd(&room, &output, [tile(10, 10), tile(11, 10)])
        room.step([mic(2)], into: &output)
        #expect(room.conversationPeers(of: ids[0]) == [ids[1]])
        // The connection drops and the page comes back within the same tick.
        output.clear()
        room.step([.disconnect(ClientID(1)),
                   .join(JoinRequest(client: ClientID(11), name: "P1", resumeToken: "token-1", newResumeToken: "t"))],
                  into: &output)
        #expect(peerEvents(output, 2) == [[]])
        output.clear()
        room.step(into: &output)
        #expect(peerEvents(output, 11) == [[ids[1]]])
        #expect(peerEvents(output, 2) == [[ids[0]]])
    }

    @Test func theCostFollowsTheTalkersNotTheRoom() throws {
        var room = try room(width: 120, height: 100)
        var output = RecordingOutput()
        // 600 avatars spread over the hall, one every 4 × 5 tiles.
        var positions: [Position] = []
        for y in stride(from: 2, to: 100, by: 5) {
            for x in stride(from: 2, to: 120, by: 4) { positions.append(tile(x, y)) }
        }
        _ = crowd(&room, &output, positions)
        room.step(into: &output)
        #expect(room.conversation.pairsExamined == 0)
        room.step([mic(300)], into: &output)
        let one = room.conversation.pairsExamined
        #expect(one > 0 && one < 40)
        room.step((1...10).map { mic(UInt64($0 * 50)) }, into: &output)
        #expect(room.conversation.pairsExamined < 11 * 40)
    }

    @Test func aSignalReachesOnlyAPeer() throws {
        var room = try room()
        var output = RecordingOutput()
        let ids = crowd(&room, &output, [tile(10, 10), tile(11, 10), tile(30, 30)])
        room.step([mic(1)], into: &output)
        output.clear()
        room.step([.signal(ClientID(1), to: ids[1], data: #"{"sdp":"v=0"}"#),
                   .signal(ClientID(1), to: ids[2], data: "{}"),
                   .signal(ClientID(1), to: ids[0], data: "{}"),
                   .signal(ClientID(3), to: ids[0], data: "{}")], into: &output)
        #expect(output.events(for: ClientID(2)) == [.signal(from: ids[0], data: #"{"sdp":"v=0"}"#)])
        #expect(output.events(for: ClientID(1)) == [.error(.notAPeer, ref: nil), .error(.notAPeer, ref: nil)])
        #expect(output.events(for: ClientID(3)) == [.error(.notAPeer, ref: nil)])
    }
}
