import Testing
@testable import AtriumWorld

@Suite struct RoomPresenceTests {
    private func room(_ properties: [(String, String)] = [], grace: Duration = .seconds(30)) throws -> Room {
        Room(map: try TestMap.open(width: 40, height: 40, properties).load(),
             configuration: RoomConfiguration(id: "test", reconnectGrace: grace))
    }

    private func welcome(_ output: RecordingOutput, _ client: ClientID) -> RoomEvent.Welcome? {
        for event in output.events(for: client) {
            if case .welcome(let welcome) = event { return welcome }
        }
        return nil
    }

    @Test func makesNamesUniqueWithASuffixCaseInsensitively() throws {
        var room = try room()
        var output = RecordingOutput()
        room.step([joined("Mina", 1), joined("mina", 2), joined("MINA", 3)], into: &output)
        #expect(welcome(output, ClientID(1))?.name == "Mina")
        #expect(welcome(output, ClientID(2))?.name == "mina (2)")
        #expect(welcome(output, ClientID(3))?.name == "MINA (3)")
        let long = String(repeating: "가", count: 32)
        room.step([joined(long, 4), joined(long, 5)], into: &output)
        let suffixed = try #require(welcome(output, ClientID(5))?.name)
        #expect(suffixed.count == 32 && suffixed.hasSuffix(" (2)"))
    }

    @Test func refusesJoinsBeyondCapacityBeforeAnAvatarExists() throws {
        var room = try room([("capacity", "2")])
        var output = RecordingOutput()
        room.step([joined("A", 1), joined("B", 2), joined("C", 3)], into: &output)
        #expect(output.events(for: ClientID(3)) == [.refused(.roomFull)])
        #expect(room.population == 2)
        #expect(output.states(for: ClientID(3)).isEmpty)
    }

    @Test func resumingWithinGraceGivesBackTheSameAvatarWithASnapshot() throws {
        var room = try room()
        var output = RecordingOutput()
        let id = room.join(ClientID(1), name: "Mina", output: &output)
        let other = room.join(ClientID(2), name: "Other", output: &output)
        room.step([.move(ClientID(1), sequence: 1, intent: .direction(dx: 1, dy: 0))], into: &output)
        room.step([.disconnect(ClientID(1))], into: &output)
        // Others see it away; it stands still while nobody steers it.
        #expect(output.states(for: ClientID(2)).last?.updated[id]?.away == true)
        let position = room.position(of: id)
        for _ in 0..<10 { room.step(into: &output) }
        #expect(room.position(of: id) == position)

        output.clear()
        room.step([.join(JoinRequest(client: ClientID(9), name: "ignored", resumeToken: "resume-1", newResumeToken: "unused"))],
                  into: &output)
        let resumed = try #require(welcome(output, ClientID(9)))
        #expect(resumed.avatarID == id && resumed.resumed && resumed.name == "Mina")
        let snapshot = try #require(output.states(for: ClientID(9)).first)
        #expect(snapshot.snapshot)
        #expect(Set(snapshot.entered) == [id, other])
        #expect(room.position(of: id) == position)
        #expect(output.states(for: ClientID(2)).last?.updated[id]?.away == false)
    }

    @Test func anAvatarLeavesWhenTheGraceRunsOut() throws {
        var room = try room(grace: .seconds(1))
        var output = RecordingOutput()
        let id = room.join(ClientID(1), name: "Mina", output: &output)
        _ = room.join(ClientID(2), name: "Other", output: &output)
        room.step([.disconnect(ClientID(1))], into: &output)
        output.clear()
        for _ in 0..<20 { room.step(into: &output) }   // 1 s at 20 Hz
        #expect(room.position(of: id) == nil)
        #expect(output.states(for: ClientID(2)).last?.left == [id])
        output.clear()
        room.step([.join(JoinRequest(client: ClientID(3), name: "x", resumeToken: "resume-1", newResumeToken: "t"))], into: &output)
        #expect(output.events(for: ClientID(3)) == [.refused(.resumeUnknown)])
    }

    @Test func aTicketFromAnotherNodeJoinsAfreshUnderItAndResumesLikeAnyToken() throws {
        var room = try room()
        var output = RecordingOutput()
        var rejoin = JoinRequest(client: ClientID(4), name: "Mina", person: "guest-k", resumeToken: "ticket", newResumeToken: "ticket")
        rejoin.rejoinsIfUnknown = true
        room.step([.join(rejoin)], into: &output)
        let fresh = try #require(welcome(output, ClientID(4)))
        #expect(!fresh.resumed && fresh.resumeToken == "ticket" && fresh.name == "Mina")
        room.step([.disconnect(ClientID(4))], into: &output)
        output.clear()
        // The same ticket, known here now, resumes the avatar instead of making another.
        room.step([.join(rejoin.with(client: ClientID(5)))], into: &output)
        let back = try #require(welcome(output, ClientID(5)))
        #expect(back.resumed && back.avatarID == fresh.avatarID)
    }

    @Test func resumingFromASecondConnectionEvictsTheFirst() throws {
        var room = try room()
        var output = RecordingOutput()
        let id = room.join(ClientID(1), name: "Mina", output: &output)
        output.clear()
        room.step([.join(JoinRequest(client: ClientID(2), name: "x", resumeToken: "resume-1", newResumeToken: "t"))], into: &output)
        #expect(output.events(for: ClientID(1)) == [.evicted(.replaced)])
        #expect(room.avatarID(of: ClientID(2)) == id)
        #expect(room.avatarID(of: ClientID(1)) == nil)
    }

    @Test func anExplicitLeaveRemovesTheAvatarAtOnce() throws {
        var room = try room()
        var output = RecordingOutput()
        let id = room.join(ClientID(1), name: "Mina", output: &output)
        _ = room.join(ClientID(2), name: "Other", output: &output)
        output.clear()
        room.step([.leave(ClientID(1))], into: &output)
        #expect(output.states(for: ClientID(2)).last?.left == [id])
    }

    @Test func emotesWearOffAndStatusesAreCleaned() throws {
        var room = try room()
        var output = RecordingOutput()
        let id = room.join(ClientID(1), name: "Mina", output: &output)
        _ = room.join(ClientID(2), name: "Other", output: &output)
        output.clear()
        room.step([.emote(ClientID(1), code: 3), .status(ClientID(1), text: "at the \u{7}stage ")], into: &output)
        let info = try #require(output.states(for: ClientID(2)).last?.updated[id])
        #expect(info.emote == 3 && info.status == "at the stage")
        output.clear()
        for _ in 0..<60 { room.step(into: &output) }   // 3 s
        #expect(output.states(for: ClientID(2)).last?.updated[id]?.emote == 0)
    }

    @Test func listsPeopleSortedByName() throws {
        var room = try room()
        var output = RecordingOutput()
        room.step([joined("Zoe", 1), joined("adam", 2), joined("Mina", 3)], into: &output)
        output.clear()
        room.step([.who(ClientID(1), limit: 2)], into: &output)
        guard case .people(let total, let people) = output.events(for: ClientID(1)).first else {
            Issue.record("no people list")
            return
        }
        #expect(total == 3)
        #expect(people.map(\.name) == ["adam", "Mina"])
    }

    /// Same map, seed and inputs: the same bytes-worth of output, tick for tick.
    @Test func replaysExactlyFromTheSameSeedAndInputs() throws {
        struct Record: Equatable {
            var client: ClientID
            var delta: StateDeltaCopy
        }
        func run() throws -> [[Record]] {
            var room = Room(map: try TestMap.open(width: 40, height: 40).load(), configuration: RoomConfiguration(id: "t", seed: 42))
            var output = RecordingOutput()
            var log: [[Record]] = []
            for client in 1...8 as ClosedRange<UInt64> { room.step([joined("P\(client)", client)], into: &output) }
            var generator = SeededRandom(seed: 7)
            for tick in 0..<200 {
                let client = ClientID(generator.next() % 8 + 1)
                let input = RoomInput.move(client, sequence: UInt32(tick), intent: .direction(dx: Int(generator.next() % 3) - 1, dy: Int(generator.next() % 3) - 1))
                output.clear()
                room.step([input], into: &output)
                log.append(output.states.map { Record(client: $0.0, delta: $0.1) })
            }
            return log
        }
        #expect(try run() == run())
    }
}

extension JoinRequest {
    fileprivate func with(client: ClientID) -> JoinRequest {
        var copy = self
        copy.client = client
        return copy
    }
}
