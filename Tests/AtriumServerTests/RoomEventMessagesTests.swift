import AtriumProtocol
@testable import AtriumServer
import AtriumStore
@testable import AtriumWorld
import Testing

/// The mapping from room events to wire messages, without sockets.
@Suite struct RoomEventMessagesTests {
    static let room = ServerMessages.Welcome.Room(id: "plaza", name: "Plaza", map: "plaza-map", width: 40, height: 30, tickRate: 20,
                                                  viewRadius: 12, chatRadius: 6, step: 13, diagonalStep: 9, unitsPerTile: 64)
    let messages = RoomEventMessages(mapID: "plaza-map", tickRate: 20, welcomeRoom: Self.room)

    func message(_ event: RoomEvent, wallTime: Int64, tick: UInt32) throws -> any ServerMessage {
        try #require(messages.message(for: event, wallTime: wallTime, tick: tick))
    }

    @Test func conversationPeersAndSignalsBecomeTheirMessages() throws {
        #expect(try message(.conversation(peers: [2, 5]), wallTime: 0, tick: 0).isEqual(to: ServerMessages.AVPeers(peers: [2, 5])))
        #expect(try message(.signal(from: 2, data: "{}"), wallTime: 0, tick: 0).isEqual(to: ServerMessages.RTCSignal(from: 2, data: "{}")))
    }

    @Test func theStageBecomesItsMessage() throws {
        let view = StageView(onAir: [.init(id: 3, name: "Pia")], live: [3], hands: [.init(id: 9, name: "Gus")])
        #expect(try message(.stage(view), wallTime: 0, tick: 0).isEqual(to: ServerMessages.Stage(
            onAir: [.init(id: 3, name: "Pia")], live: [3], hands: [.init(id: 9, name: "Gus")])))
    }

    @Test(arguments: [
        (RoomError.roomFull, ErrorCode.roomFull), (.notJoined, .notJoined), (.alreadyJoined, .alreadyJoined),
        (.resumeUnknown, .badToken), (.replaced, .kicked), (.textInvalid, .textInvalid), (.textTooLong(limit: 5), .textTooLong),
        (.notInArea, .notInArea), (.notOnStage, .notOnStage), (.forbidden("no"), .forbidden), (.notFound("no"), .notFound),
        (.tooFar, .tooFar), (.storeUnavailable("disk"), .storeUnavailable), (.kicked("spam"), .kicked), (.banned, .banned),
        (.roomLocked, .roomLocked), (.muted, .muted), (.conflict("busy"), .conflict), (.notAPeer, .notAPeer),
    ])
    func everyRoomErrorHasItsWireCode(error: RoomError, code: ErrorCode) throws {
        #expect(ErrorCode(error) == code)
        #expect(try message(.error(error, ref: "r"), wallTime: 0, tick: 0)
            .isEqual(to: ServerMessages.ErrorMessage(code: code, message: error.message, ref: "r")))
    }

    /// The world's names for its codes are the wire's, so the shared rule vectors that
    /// the world's tests compare with say what clients really get.
    @Test func theWorldsCodeNamesAreTheWires() throws {
        for code in RoomError.Code.allCases { #expect(ErrorCode(code).rawValue == code.rawValue) }
    }

    @Test func theSessionEndingErrorsCloseWithTheirCodes() throws {
        #expect(ErrorCode(.kicked("spam")).closeCode == 4006)
        #expect(ErrorCode(.replaced).closeCode == 4006)
        #expect(ErrorCode(.resumeUnknown).closeCode == 4001)
        #expect(ErrorCode(RoomError.roomLocked).closeCode == 4004)
    }

    @Test func aQuestionsDeadlineIsTheTimeLeftOnTheServersClock() throws {
        // Asked at tick 100 for 100 ticks (5 s at 20 Hz), seen again at tick 140.
        let event = RoomEvent.quiz(.question(index: 1, total: 3, text: "O?", durationTicks: 100, deadlineTick: 200), ref: nil)
        #expect(try message(event, wallTime: 10_000, tick: 140).isEqual(to: ServerMessages.QuizQuestion(
            index: 1, total: 3, question: "O?", duration: 5000, deadline: 10_000 + 59 * 50, deadlineTick: 200)))
        // Past the deadline it is now, never earlier.
        #expect((try message(event, wallTime: 10_000, tick: 250) as? ServerMessages.QuizQuestion)?.deadline == 10_000)
    }

    @Test func quizOutcomesNameTheSides() throws {
        let verdict = RoomEvent.quiz(.verdict(index: 0, chose: nil, correct: false, out: true, score: 0), ref: nil)
        #expect(try message(verdict, wallTime: 0, tick: 0)
            .isEqual(to: ServerMessages.QuizVerdict(index: 0, chose: "none", correct: false, out: true, score: 0)))
        let result = RoomEvent.quiz(.result(index: 0, answer: .x, explanation: "", o: 1, x: 2, none: 3, alive: 2, top: []), ref: nil)
        #expect((try message(result, wallTime: 0, tick: 0) as? ServerMessages.QuizResult)?.answer == "X")
    }

    @Test func contentFilesBecomeServerPathsAndWebAddressesPassThrough() throws {
        #expect(messages.contentURL("photos/first day.svg") == "/maps/plaza-map/photos/first%20day.svg")
        #expect(messages.contentURL("https://example.org/a.png") == "https://example.org/a.png")
    }

    @Test func timesAreTheServersAndStatesCarryEveryReaction() throws {
        #expect(try message(.announcement(text: "Hi", from: "Host"), wallTime: 42, tick: 0)
            .isEqual(to: ServerMessages.Announcement(text: "Hi", from: "Host", time: 42)))
        let state = ExhibitLiveState(exhibitID: "wall", viewers: 2, reactions: [.cheer: 1, .like: 0])
        #expect(try message(.exhibitState(state), wallTime: 0, tick: 0)
            .isEqual(to: ServerMessages.ExhibitState(id: "wall", viewers: 2, reactions: ["cheer": 1, "like": 0])))
        let note = Note(id: 4, exhibitID: "wall", authorID: 1, authorName: "A", text: "go", time: 7)
        #expect(try message(.note(note, ref: nil), wallTime: 0, tick: 0)
            .isEqual(to: ServerMessages.NoteMessage(id: "wall", note: .init(id: 4, author: "A", authorID: 1, text: "go", time: 7), ref: nil)))
    }

    @Test func chatKeepsItsScopeAndLeavesTheRefToTheSendersCopy() throws {
        let delivery = ChatDelivery(id: 9, senderID: 1, senderName: "A", senderClient: ClientID(1), scope: .area, text: "hi", to: nil,
                                    ref: "c1", tick: 3, recipients: [ClientID(1), ClientID(2)])
        #expect(messages.chat(delivery, wallTime: 5)
            == ServerMessages.Chat(id: 9, from: .init(id: 1, name: "A"), scope: .area, text: "hi", time: 5, to: nil, ref: nil))
        // The sender's copy says how many others heard it, which the listeners' does not.
        #expect(messages.senderCopy(delivery, wallTime: 5)
            == ServerMessages.Chat(id: 9, from: .init(id: 1, name: "A"), scope: .area, text: "hi", time: 5, to: nil, ref: "c1", heard: 1))
        var alone = delivery
        alone.recipients = [ClientID(1)]
        #expect(messages.senderCopy(alone, wallTime: 5).heard == 0)
    }

    @Test func theLiveSplitAndAFriendsArrivalHaveTheirMessages() throws {
        #expect(try message(.quiz(.split(index: 2, o: 5, x: 3, none: 1), ref: nil), wallTime: 0, tick: 0)
            .isEqual(to: ServerMessages.QuizSplit(index: 2, o: 5, x: 3, none: 1)))
        let welcome = RoomEvent.Welcome(avatarID: 4, name: "B", role: .guest, resumeToken: "r", resumed: false, tick: 1, near: 2)
        let sent = try #require(try message(.welcome(welcome), wallTime: 0, tick: 0) as? ServerMessages.Welcome)
        #expect(sent.near == 2)
    }
}

/// Requests to writes and answers to outcomes, without a store.
@Suite struct StoreBridgeTests {
    @Test func aGuestsBanIsByAddressARegisteredOnesByRegistration() {
        let guest = StoreRequest.ban(client: ClientID(3), registrationID: nil, name: "G", reason: "spam", moderator: "m")
        #expect(StoreBridge.write(for: guest, room: "plaza", time: 9, address: "10.0.0.9") == .ban(BanRecord(
            room: "plaza", registrationID: nil, address: "10.0.0.9", name: "G", reason: "spam", moderator: "m", time: 9)))
        let registered = StoreRequest.ban(client: ClientID(3), registrationID: "r1", name: "R", reason: nil, moderator: "m")
        #expect(StoreBridge.write(for: registered, room: "plaza", time: 9, address: "10.0.0.9") == .ban(BanRecord(
            room: "plaza", registrationID: "r1", address: nil, name: "R", reason: nil, moderator: "m", time: 9)))
    }

    @Test func answersBecomeOutcomesAndFailuresAreReported() {
        let note = StoreRequest.note(exhibitID: "wall", authorID: 1, authorName: "A", person: "p", text: "go")
        #expect(StoreBridge.outcome(of: note, .success(.note(id: 12)), time: 5)
            == .note(Note(id: 12, exhibitID: "wall", authorID: 1, authorName: "A", text: "go", time: 5)))
        #expect(StoreBridge.outcome(of: note, .failure(.writeFailed("disk full")), time: 5) == .failed("the server could not save it"))
        #expect(StoreBridge.outcome(of: note, .success(.done), time: 5) == .failed("unexpected store result"))
        let reaction = StoreRequest.reaction(exhibitID: "wall", person: "p", kind: .cheer, on: true)
        #expect(StoreBridge.outcome(of: reaction, .success(.reaction(changed: false)), time: 5)
            == .reaction(exhibitID: "wall", person: "p", kind: .cheer, on: true, changed: false))
        let audit = StoreRequest.audit(moderator: "m", moderatorName: "M", action: "lock", target: nil, detail: nil)
        #expect(StoreBridge.outcome(of: audit, .success(.done), time: 5) == nil)
    }
}
