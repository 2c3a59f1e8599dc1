import Testing
@testable import AtriumWorld

@Suite struct RoomChatTests {
    /// A 40×20 hall, chat radius 6 tiles, a private area at x 20…24, a stage at x 30…34.
    private func room() throws -> Room {
        var builder = TestMap.open(width: 40, height: 20, [("chatRadius", "6"), ("viewRadius", "8")])
        builder.zone("area", "Table 1", x: 20, y: 2, width: 5, height: 5)
        builder.zone("stage", x: 30, y: 2, width: 5, height: 4)
        return Room(map: try builder.load(), configuration: RoomConfiguration(id: "test"))
    }

    private func say(_ room: inout Room, _ client: ClientID, _ scope: ChatScope, _ text: String = "hello", to: UInt32? = nil,
                     output: inout RecordingOutput) {
        output.clear()
        room.step([.chat(client, ChatRequest(scope: scope, text: text, to: to, ref: "r1"))], into: &output)
    }

    @Test func nearbyReachesExactlyTheChatRadius() throws {
        var room = try room()
        var output = RecordingOutput()
        let speaker = room.join(ClientID(1), name: "Speaker", output: &output)
        let edge = room.join(ClientID(2), name: "Edge", output: &output)
        let beyond = room.join(ClientID(3), name: "Beyond", output: &output)
        let start = Position(tileX: 5, tileY: 10)
        room.place(speaker, at: start)
        room.place(edge, at: Position(x: start.x + 6 * 64, y: start.y))         // exactly 6 tiles
        room.place(beyond, at: Position(x: start.x + 6 * 64 + 1, y: start.y))   // one unit more
        say(&room, ClientID(1), .nearby, output: &output)
        #expect(output.chats.first?.recipients == [ClientID(1), ClientID(2)])
        #expect(output.chats.first?.heardBy == 1)
        #expect(output.chats.first?.ref == "r1")
        #expect(output.chats.first?.senderName == "Speaker")
    }

    @Test func theSenderIsToldThatNobodyHeardWhenNobodyWasInEarshot() throws {
        var room = try room()
        var output = RecordingOutput()
        let speaker = room.join(ClientID(1), name: "Speaker", output: &output)
        let far = room.join(ClientID(2), name: "Far", output: &output)
        room.place(speaker, at: Position(tileX: 2, tileY: 10))
        room.place(far, at: Position(tileX: 12, tileY: 10))
        say(&room, ClientID(1), .nearby, output: &output)
        #expect(output.chats.first?.recipients == [ClientID(1)])
        #expect(output.chats.first?.heardBy == 0)
        // A direct message to oneself is heard by nobody else either; to another, by one.
        say(&room, ClientID(1), .dm, to: speaker, output: &output)
        #expect(output.chats.first?.heardBy == 0)
        say(&room, ClientID(1), .dm, to: far, output: &output)
        #expect(output.chats.first?.heardBy == 1)
    }

    @Test func areaChatStaysInsideAndNearbyChatDoesNotCrossTheAreaEdge() throws {
        var room = try room()
        var output = RecordingOutput()
        let inside = room.join(ClientID(1), name: "Inside", output: &output)
        let partner = room.join(ClientID(2), name: "Partner", output: &output)
        let outside = room.join(ClientID(3), name: "Outside", output: &output)
        room.place(inside, at: Position(tileX: 20, tileY: 4))
        room.place(partner, at: Position(tileX: 24, tileY: 6))
        room.place(outside, at: Position(tileX: 19, tileY: 4))   // one tile away, outside the area

        say(&room, ClientID(1), .area, output: &output)
        #expect(output.chats.first?.recipients == [ClientID(1), ClientID(2)])
        say(&room, ClientID(1), .nearby, output: &output)
        #expect(output.chats.first?.recipients == [ClientID(1), ClientID(2)])
        say(&room, ClientID(3), .nearby, output: &output)
        #expect(output.chats.first?.recipients == [ClientID(3)])
        say(&room, ClientID(3), .area, output: &output)
        #expect(output.chats.isEmpty)
        #expect(output.events(for: ClientID(3)) == [.error(.notInArea, ref: "r1")])
    }

    @Test func stageChatNeedsTheStageAndStageVoice() throws {
        var room = try room()
        var output = RecordingOutput()
        let presenter = room.join(ClientID(1), name: "Presenter", role: .presenter, output: &output)
        let participant = room.join(ClientID(2), name: "Participant", output: &output)
        _ = room.join(ClientID(3), name: "Listener", output: &output)
        room.place(presenter, at: Position(tileX: 31, tileY: 3))
        room.place(participant, at: Position(tileX: 32, tileY: 3))

        say(&room, ClientID(1), .stage, output: &output)
        #expect(output.chats.first?.recipients == [ClientID(1), ClientID(2), ClientID(3)])
        say(&room, ClientID(2), .stage, output: &output)
        #expect(output.events(for: ClientID(2)) == [.error(.notOnStage, ref: "r1")])
        room.place(presenter, at: Position(tileX: 29, tileY: 3))
        say(&room, ClientID(1), .stage, output: &output)
        #expect(output.events(for: ClientID(1)) == [.error(.notOnStage, ref: "r1")])
    }

    @Test func roomChatIsForModeratorsOnly() throws {
        var room = try room()
        var output = RecordingOutput()
        _ = room.join(ClientID(1), name: "Moderator", role: .moderator, output: &output)
        _ = room.join(ClientID(2), name: "Participant", output: &output)
        say(&room, ClientID(1), .room, output: &output)
        #expect(output.chats.first?.recipients == [ClientID(1), ClientID(2)])
        say(&room, ClientID(2), .room, output: &output)
        #expect(output.events(for: ClientID(2)).first.map { if case .error(.forbidden, _) = $0 { true } else { false } } == true)
    }

    @Test func directMessagesReachOneAvatarAnywhere() throws {
        var room = try room()
        var output = RecordingOutput()
        let sender = room.join(ClientID(1), name: "Sender", output: &output)
        let target = room.join(ClientID(2), name: "Target", output: &output)
        _ = room.join(ClientID(3), name: "Other", output: &output)
        room.place(sender, at: Position(tileX: 1, tileY: 1))
        room.place(target, at: Position(tileX: 38, tileY: 18))
        say(&room, ClientID(1), .dm, to: target, output: &output)
        #expect(output.chats.first?.recipients == [ClientID(1), ClientID(2)])
        #expect(output.chats.first?.to == target)
        say(&room, ClientID(1), .dm, to: 999, output: &output)
        #expect(output.chats.isEmpty)
        #expect(output.events(for: ClientID(1)).count == 1)
    }

    @Test func cleansTextAndRefusesEmptyOrOverlongMessages() throws {
        var room = try room()
        var output = RecordingOutput()
        _ = room.join(ClientID(1), name: "Speaker", output: &output)
        say(&room, ClientID(1), .nearby, "  hi\u{0}\u{7}\u{202E} there\n ", output: &output)
        #expect(output.chats.first?.text == "hi there")
        say(&room, ClientID(1), .nearby, "\u{1}\u{2}  ", output: &output)
        #expect(output.events(for: ClientID(1)) == [.error(.textInvalid, ref: "r1")])
        say(&room, ClientID(1), .nearby, String(repeating: "가", count: 500), output: &output)
        #expect(output.chats.count == 1)
        say(&room, ClientID(1), .nearby, String(repeating: "가", count: 501), output: &output)
        #expect(output.events(for: ClientID(1)) == [.error(.textTooLong(limit: 500), ref: "r1")])
    }

    @Test func awayAvatarsDoNotReceiveAndMessageIDsIncrease() throws {
        var room = try room()
        var output = RecordingOutput()
        _ = room.join(ClientID(1), name: "Speaker", output: &output)
        _ = room.join(ClientID(2), name: "Away", output: &output)
        room.step([.disconnect(ClientID(2))], into: &output)
        say(&room, ClientID(1), .nearby, output: &output)
        let first = try #require(output.chats.first)
        #expect(first.recipients == [ClientID(1)])
        say(&room, ClientID(1), .nearby, output: &output)
        #expect(output.chats.first!.id == first.id + 1)
    }
}
