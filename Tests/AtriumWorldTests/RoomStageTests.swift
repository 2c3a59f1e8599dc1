import Testing
@testable import AtriumWorld

/// The stage's rules on the tick: who may publish, what ends a publication, the raised
/// hands, and what every client is told.
@Suite struct RoomStageTests {
    let moderator = ClientID(1)
    let presenter = ClientID(2)
    let guest = ClientID(3)

    /// A 30×20 hall with a 4×3 stage at tiles (2…5, 2…4).
    private func setUp() throws -> (Room, RecordingOutput, ids: (moderator: UInt32, presenter: UInt32, guest: UInt32)) {
        var builder = TestMap.open(width: 30, height: 20)
        builder.zone("stage", x: 2, y: 2, width: 4, height: 3)
        var room = Room(map: try builder.load(), configuration: RoomConfiguration(id: "stage", maxRaisedHands: 2))
        var output = RecordingOutput()
        let m = room.join(moderator, name: "Mod", role: .moderator, output: &output)
        let p = room.join(presenter, name: "Pia", role: .presenter, output: &output)
        let g = room.join(guest, name: "Gus", role: .participant, output: &output)
        room.place(m, at: Position(tileX: 20, tileY: 15))
        room.place(g, at: Position(tileX: 25, tileY: 15))
        output.clear()
        return (room, output, (m, p, g))
    }

    private func onStage(_ room: inout Room, _ id: UInt32) { room.place(id, at: Position(tileX: 3, tileY: 3)) }
    private func offStage(_ room: inout Room, _ id: UInt32) { room.place(id, at: Position(tileX: 12, tileY: 3)) }
    private func mic(_ client: ClientID, _ on: Bool = true) -> RoomInput { .media(client, MediaChange(mic: on)) }

    /// The stage views a client was sent.
    private func views(_ output: RecordingOutput, _ client: ClientID) -> [StageView] {
        output.events(for: client).compactMap {
            if case .stage(let view) = $0 { return view }
            return nil
        }
    }

    private func onAir(_ output: RecordingOutput, _ client: ClientID) -> [[UInt32]] {
        views(output, client).map { $0.onAir.map(\.id) }
    }

    @Test func aPresenterOnTheStageWithTheMicOnIsOnAirForTheWholeRoomAndIsGranted() throws {
        var (room, output, ids) = try setUp()
        onStage(&room, ids.presenter)
        room.step([mic(presenter), .stage(presenter, .publish, ref: "p")], into: &output)
        #expect(output.stageOrders == [.grant(client: presenter, avatarID: ids.presenter, ref: "p")])
        let expected = StageView(onAir: [.init(id: ids.presenter, name: "Pia")])
        // The guest stands across the hall, far beyond any view or voice radius.
        for client in [moderator, presenter, guest] { #expect(views(output, client) == [expected]) }
        output.clear()
        room.step(into: &output)
        #expect(output.events.isEmpty && output.stageOrders.isEmpty)
    }

    @Test func aPublisherRequestIsRefusedWithTheReason() throws {
        var (room, output, ids) = try setUp()
        room.step([mic(presenter), .stage(presenter, .publish, ref: "a")], into: &output)
        onStage(&room, ids.guest)
        room.step([mic(guest), .stage(guest, .publish, ref: "b")], into: &output)
        onStage(&room, ids.presenter)
        room.step([mic(presenter, false), .stage(presenter, .publish, ref: "c")], into: &output)
        #expect(output.events(for: presenter).contains(.error(.stageRefused(.offStage), ref: "a")))
        #expect(output.events(for: guest).contains(.error(.stageRefused(.noStageVoice), ref: "b")))
        #expect(output.events(for: presenter).contains(.error(.stageRefused(.mediaOff), ref: "c")))
        #expect(output.stageOrders.isEmpty)
        #expect(RoomError.stageRefused(.offStage).code.rawValue == "stage_refused")
    }

    @Test func steppingOffTheStageEndsThePublicationOnThatTick() throws {
        var (room, output, ids) = try setUp()
        onStage(&room, ids.presenter)
        room.step([mic(presenter)], into: &output)
        output.clear()
        offStage(&room, ids.presenter)
        room.step(into: &output)
        #expect(output.stageOrders == [.end(avatarID: ids.presenter)])
        #expect(onAir(output, guest) == [[]])
        output.clear()
        room.step([.stage(presenter, .publish, ref: nil)], into: &output)
        #expect(output.events(for: presenter) == [.error(.stageRefused(.offStage), ref: nil)])
    }

    @Test func aCameraAloneQualifiesAndTurningEverythingOffEnds() throws {
        var (room, output, ids) = try setUp()
        onStage(&room, ids.presenter)
        room.step([.media(presenter, MediaChange(camera: true))], into: &output)
        #expect(onAir(output, guest) == [[ids.presenter]])
        output.clear()
        room.step([.media(presenter, MediaChange(camera: false))], into: &output)
        #expect(output.stageOrders == [.end(avatarID: ids.presenter)])
    }

    @Test(arguments: ["mute", "kick", "stop", "disconnect"])
    func moderationAndLeavingEndThePublication(way: String) throws {
        var (room, output, ids) = try setUp()
        onStage(&room, ids.presenter)
        room.step([mic(presenter)], into: &output)
        output.clear()
        let input: RoomInput
        switch way {
        case "mute": input = .moderate(moderator, .mute(avatarID: ids.presenter, on: true), ref: nil)
        case "kick": input = .moderate(moderator, .kick(avatarID: ids.presenter, reason: nil), ref: nil)
        case "stop": input = .moderate(moderator, .onAir(avatarID: ids.presenter, on: false), ref: "s")
        default: input = .disconnect(presenter)
        }
        room.step([input], into: &output)
        #expect(output.stageOrders == [.end(avatarID: ids.presenter)])
        #expect(onAir(output, guest) == [[]])
        if way == "stop" {
            #expect(output.events(for: moderator).contains(.moderated(action: "stage_air", ref: "s")))
            output.clear()
            room.step([.stage(presenter, .publish, ref: nil)], into: &output)
            #expect(output.events(for: presenter) == [.error(.stageRefused(.stopped), ref: nil)])
            room.step([.moderate(moderator, .onAir(avatarID: ids.presenter, on: true), ref: nil)], into: &output)
            #expect(onAir(output, guest) == [[ids.presenter]])
        }
    }

    @Test func aRaisedHandIsAnsweredWithTheSpotlightAndTheSpotlightTakenEndsIt() throws {
        var (room, output, ids) = try setUp()
        room.step([.stage(guest, .hand(up: true), ref: nil)], into: &output)
        #expect(views(output, moderator).map(\.hands) == [[.init(id: ids.guest, name: "Gus")]])
        output.clear()
        room.step([.moderate(moderator, .spotlight(avatarID: ids.guest, on: true), ref: nil)], into: &output)
        #expect(views(output, moderator).map(\.hands) == [[]])
        onStage(&room, ids.guest)
        output.clear()
        room.step([mic(guest), .stage(guest, .publish, ref: "q")], into: &output)
        #expect(output.stageOrders == [.grant(client: guest, avatarID: ids.guest, ref: "q")])
        #expect(onAir(output, presenter) == [[ids.guest]])
        output.clear()
        room.step([.moderate(moderator, .spotlight(avatarID: ids.guest, on: false), ref: nil)], into: &output)
        #expect(output.stageOrders == [.end(avatarID: ids.guest)])
    }

    @Test func startingABroadcastSpotlightsSomeoneWithoutStageVoice() throws {
        var (room, output, ids) = try setUp()
        onStage(&room, ids.guest)
        room.step([mic(guest), .stage(guest, .hand(up: true), ref: nil)], into: &output)
        #expect(onAir(output, guest).last == [])
        output.clear()
        room.step([.moderate(moderator, .onAir(avatarID: ids.guest, on: true), ref: nil)], into: &output)
        #expect(views(output, guest) == [StageView(onAir: [.init(id: ids.guest, name: "Gus")])])
    }

    @Test func handsAreQueuedInOrderBoundedAndLeaveWithTheirAvatar() throws {
        var (room, output, ids) = try setUp()
        room.step([.stage(guest, .hand(up: true), ref: nil), .stage(presenter, .hand(up: true), ref: nil),
                   .stage(guest, .hand(up: true), ref: nil), .stage(moderator, .hand(up: true), ref: "m")], into: &output)
        #expect(views(output, guest).map { $0.hands.map(\.id) } == [[ids.guest, ids.presenter]])
        #expect(output.events(for: moderator).contains(.error(.conflict("the queue for questions is full"), ref: "m")))
        output.clear()
        room.step([.moderate(moderator, .lowerHand(avatarID: ids.presenter), ref: "d")], into: &output)
        #expect(views(output, guest).map { $0.hands.map(\.id) } == [[ids.guest]])
        #expect(output.events(for: moderator).contains(.moderated(action: "stage_dismiss", ref: "d")))
        output.clear()
        room.step([.leave(guest)], into: &output)
        #expect(views(output, presenter).map { $0.hands.map(\.id) } == [[]])
    }

    @Test func onlyFeedsOnAirAreShownLive() throws {
        var (room, output, ids) = try setUp()
        onStage(&room, ids.presenter)
        room.step([mic(presenter)], into: &output)
        output.clear()
        room.step([.stageReported([ids.presenter, ids.guest])], into: &output)
        #expect(views(output, guest).map(\.live) == [[ids.presenter]])
        output.clear()
        room.step([.stageReported([ids.presenter, ids.guest])], into: &output)
        #expect(output.events.isEmpty)
        offStage(&room, ids.presenter)
        room.step(into: &output)
        #expect(views(output, guest) == [StageView()])
    }

    @Test func aLateArrivalAndAResumeSeeTheRunningBroadcastAtOnce() throws {
        var (room, output, ids) = try setUp()
        onStage(&room, ids.presenter)
        room.step([mic(presenter), .stageReported([ids.presenter])], into: &output)
        let running = StageView(onAir: [.init(id: ids.presenter, name: "Pia")], live: [ids.presenter])
        output.clear()
        _ = room.join(ClientID(9), name: "Late", output: &output)
        #expect(views(output, ClientID(9)) == [running])
        output.clear()
        room.step([.disconnect(guest)], into: &output)
        room.step([.join(JoinRequest(client: ClientID(10), name: "Gus", resumeToken: "resume-3", newResumeToken: "x"))],
                  into: &output)
        #expect(views(output, ClientID(10)) == [running])
    }

    @Test func anEmptyStageIsNotAnnouncedOnArrival() throws {
        var (room, output, _) = try setUp()
        _ = room.join(ClientID(9), name: "Late", output: &output)
        #expect(views(output, ClientID(9)).isEmpty)
    }
}
