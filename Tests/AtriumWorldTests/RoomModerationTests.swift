import Testing
@testable import AtriumWorld

@Suite struct RoomModerationTests {
    private func room() throws -> Room {
        var builder = TestMap.open(width: 30, height: 20)
        builder.zone("stage", x: 2, y: 2, width: 4, height: 3)
        return Room(map: try builder.load(), configuration: RoomConfiguration(id: "mod"))
    }

    let moderator = ClientID(1)
    let participant = ClientID(2)

    private func setUp() throws -> (Room, RecordingOutput, UInt32) {
        var room = try room()
        var output = RecordingOutput()
        _ = room.join(moderator, name: "Moderator", role: .moderator, output: &output)
        let target = room.join(participant, name: "Participant", output: &output)
        output.clear()
        return (room, output, target)
    }

    @Test(arguments: [
        ModeratorAction.announce("hello"), .spotlight(avatarID: 1, on: true), .mute(avatarID: 1, on: true),
        .kick(avatarID: 1, reason: nil), .ban(avatarID: 1, reason: nil), .teleport(avatarID: 1, Position(tileX: 3, tileY: 3)),
        .lock(true), .roster, .onAir(avatarID: 1, on: false), .lowerHand(avatarID: 1),
    ])
    func aParticipantIsForbiddenEveryModeratorAction(action: ModeratorAction) throws {
        var (room, output, _) = try setUp()
        room.step([.moderate(participant, action, ref: "r")], into: &output)
        #expect(output.events(for: participant) == [.error(.forbidden("only moderators can \(action.name)"), ref: "r")])
        #expect(output.events(for: moderator).isEmpty)
        #expect(output.storeRequests.isEmpty)
    }

    @Test func announcementsReachEveryoneAndAreAudited() throws {
        var (room, output, _) = try setUp()
        room.step([.moderate(moderator, .announce(" Award ceremony at 3pm "), ref: "a")], into: &output)
        #expect(output.events(for: participant) == [.announcement(text: "Award ceremony at 3pm", from: "Moderator")])
        #expect(output.events(for: moderator).contains(.moderated(action: "announce", ref: "a")))
        #expect(output.storeRequests.map(\.0) == [.audit(moderator: "guest-1", moderatorName: "Moderator", action: "announce",
                                                         target: nil, detail: "Award ceremony at 3pm")])
    }

    @Test func spotlightGivesStageVoiceAndMuteSilencesChat() throws {
        var (room, output, target) = try setUp()
        room.place(target, at: Position(tileX: 3, tileY: 3))
        room.step([.chat(participant, ChatRequest(scope: .stage, text: "hi all", ref: "1"))], into: &output)
        #expect(output.events(for: participant).contains(.error(.notOnStage, ref: "1")))
        room.step([.moderate(moderator, .spotlight(avatarID: target, on: true), ref: nil)], into: &output)
        output.clear()
        room.step([.chat(participant, ChatRequest(scope: .stage, text: "hi all", ref: "2"))], into: &output)
        #expect(output.chats.first?.recipients == [moderator, participant])
        room.step([.moderate(moderator, .mute(avatarID: target, on: true), ref: nil)], into: &output)
        output.clear()
        room.step([.chat(participant, ChatRequest(scope: .nearby, text: "still here?", ref: "3"))], into: &output)
        #expect(output.events(for: participant) == [.error(.muted, ref: "3")])
        #expect(output.chats.isEmpty)
    }

    @Test func kickRemovesTheAvatarAndBanIsStored() throws {
        var (room, output, target) = try setUp()
        room.step([.moderate(moderator, .ban(avatarID: target, reason: "spam"), ref: "b")], into: &output)
        #expect(output.events(for: participant) == [.evicted(.kicked("spam"))])
        #expect(room.position(of: target) == nil)
        #expect(output.storeRequests.first?.0 == .ban(client: participant, registrationID: nil, name: "Participant",
                                                      reason: "spam", moderator: "guest-1"))
        // The kicked avatar cannot be resumed.
        output.clear()
        room.step([.join(JoinRequest(client: ClientID(9), name: "x", resumeToken: "resume-2", newResumeToken: "t"))], into: &output)
        #expect(output.events(for: ClientID(9)) == [.refused(.resumeUnknown)])
    }

    @Test func aLockedRoomAdmitsOnlyModeratorsAndResumes() throws {
        var (room, output, _) = try setUp()
        room.step([.moderate(moderator, .lock(true), ref: nil), .disconnect(participant)], into: &output)
        output.clear()
        room.step([joined("Newcomer", 7),
                   .join(JoinRequest(client: ClientID(8), name: "Mod 2", role: .moderator, newResumeToken: "m2")),
                   .join(JoinRequest(client: ClientID(9), name: "x", resumeToken: "resume-2", newResumeToken: "t"))], into: &output)
        #expect(output.events(for: ClientID(7)) == [.refused(.roomLocked)])
        #expect(room.avatarID(of: ClientID(8)) != nil)
        #expect(room.avatarID(of: ClientID(9)) != nil)
    }

    @Test func teleportMovesAnAvatarButNotIntoAWall() throws {
        var room = try room()
        var output = RecordingOutput()
        _ = room.join(moderator, name: "Moderator", role: .moderator, output: &output)
        let target = room.join(participant, name: "Participant", output: &output)
        room.step([.moderate(moderator, .teleport(avatarID: target, Position(tileX: 20, tileY: 15)), ref: nil)], into: &output)
        #expect(room.position(of: target) == Position(tileX: 20, tileY: 15))
        output.clear()
        room.step([.moderate(moderator, .teleport(avatarID: 999, Position(tileX: 1, tileY: 1)), ref: "t")], into: &output)
        #expect(output.events(for: moderator) == [.error(.notFound("no avatar 999"), ref: "t")])
    }

    @Test func theRosterListsRegistrationsAndFlags() throws {
        var (room, output, target) = try setUp()
        room.step([.moderate(moderator, .mute(avatarID: target, on: true), ref: nil), .moderate(moderator, .roster, ref: "r")],
                  into: &output)
        guard case .roster(let entries, let locked, "r") = output.events(for: moderator).last else {
            Issue.record("no roster")
            return
        }
        #expect(!locked)
        #expect(entries.map(\.name) == ["Moderator", "Participant"])
        #expect(entries[1].muted && !entries[1].spotlight)
    }
}
