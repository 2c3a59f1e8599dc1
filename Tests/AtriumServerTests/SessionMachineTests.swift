import AtriumProtocol
@testable import AtriumServer
import AtriumStore
import AtriumWebSocket
import AtriumWorld
import Testing

/// The session's rules, driven with a manual clock: no socket, no sleep.
@Suite struct SessionMachineTests {
    static let client = ClientID(7)
    static let start = ContinuousClock.now

    static func at(_ seconds: Double) -> ContinuousClock.Instant {
        start + .milliseconds(Int(seconds * 1000))
    }

    static func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func error(_ code: ErrorCode, _ message: String, ref: String? = nil) -> SessionAction {
        .send(ServerMessages.ErrorMessage(code: code, message: message, ref: ref))
    }

    /// A session that said hello as Mina and was admitted as a guest.
    static func joined(_ settings: SessionSettings = SessionSettings(), boards: Set<String> = []) -> SessionMachine {
        var machine = SessionMachine(client: client, settings: settings, boards: boards, now: start)
        _ = machine.receive(text: json(#"{"type":"hello","name":"Mina"}"#), now: start)
        _ = machine.admission(.success(.init(role: .guest)), guestKey: "key") { _ in "resume" }
        machine.joined(avatarID: 3)
        return machine
    }

    // MARK: Phases

    @Test func helloIsAdmittedThenJoinsTheRoom() {
        var machine = SessionMachine(client: Self.client, settings: SessionSettings(), now: Self.start)
        #expect(machine.start() == [.setTimer(.hello, at: Self.at(10))])
        let hello = machine.receive(text: Self.json(#"{"type":"hello","name":" Mina ","token":"t","resume":"r","appearance":300}"#),
                                    now: Self.at(1))
        #expect(hello == [.admit(token: "t", resume: "r")])
        #expect(machine.phase == .joining)
        let join = machine.admission(.success(.init(role: .moderator, registrationID: "reg-1")), guestKey: "k") { _ in "new" }
        #expect(join == [.submit(.join(JoinRequest(client: Self.client, name: "Mina", role: .moderator, registrationID: "reg-1",
                                                   person: "reg-1", appearance: 255, resumeToken: "r", newResumeToken: "new")))])
        #expect(machine.registrationID == "reg-1")
        machine.joined(avatarID: 3)
        #expect(machine.phase == .joined(avatarID: 3))
    }

    @Test func aFindMeTokenTravelsWithTheAdmissionAndTheFriendItNamesWithTheJoin() {
        var machine = SessionMachine(client: Self.client, settings: SessionSettings(), now: Self.start)
        let hello = machine.receive(text: Self.json(#"{"type":"hello","name":"Mina","near":"near1.abc.def"}"#), now: Self.start)
        #expect(hello == [.admit(token: nil, near: "near1.abc.def")])
        let join = machine.admission(.success(.init(role: .guest, near: 12)), guestKey: "k") { _ in "new" }
        guard case .submit(.join(let request)) = join.first else { Issue.record("no join"); return }
        #expect(request.near == 12)
        // Longer than any token the server makes: not passed on at all.
        var other = SessionMachine(client: Self.client, settings: SessionSettings(), now: Self.start)
        let long = String(repeating: "a", count: SessionSettings().maxFindMeTokenLength + 1)
        #expect(other.receive(text: Self.json(#"{"type":"hello","name":"Mina","near":"\#(long)"}"#), now: Self.start)
            == [.admit(token: nil, near: nil)])
    }

    @Test func findMeAsksTheAdapterToSignATokenForThisAvatar() {
        var machine = Self.joined()
        #expect(machine.receive(text: Self.json(#"{"type":"find_me","ref":"f1"}"#), now: Self.at(1)) == [.findMe(avatarID: 3, ref: "f1")])
        var waiting = SessionMachine(client: Self.client, settings: SessionSettings(), now: Self.start)
        #expect(waiting.receive(text: Self.json(#"{"type":"find_me","ref":"f1"}"#), now: Self.start)
            == [Self.error(.notJoined, "say hello first", ref: "f1")])
    }

    @Test func aGuestIsKnownByARandomKey() {
        var machine = SessionMachine(client: Self.client, settings: SessionSettings(), now: Self.start)
        _ = machine.receive(text: Self.json(#"{"type":"hello","name":"Mina"}"#), now: Self.start)
        let join = machine.admission(.success(.init(role: .guest)), guestKey: "abc") { _ in "new" }
        guard case .submit(.join(let request)) = join.first else { Issue.record("no join"); return }
        #expect(request.person == "guest-abc" && request.registrationID == nil && request.role == .guest)
    }

    @Test func aVisitorBackWithATicketKeepsTheirPersonAndTheirTicket() {
        var machine = SessionMachine(client: Self.client, settings: SessionSettings(), now: Self.start)
        _ = machine.receive(text: Self.json(#"{"type":"hello","name":"Mina","resume":"res1.ticket"}"#), now: Self.start)
        let rejoin = ServerContext.Rejoin(person: "guest-old", token: "res1.ticket")
        let join = machine.admission(.success(.init(role: .guest, rejoin: rejoin)), guestKey: "new") { _ in
            Issue.record("a ticket holder got a new token")
            return "unused"
        }
        guard case .submit(.join(let request)) = join.first else { Issue.record("no join"); return }
        #expect(request.person == "guest-old" && request.resumeToken == "res1.ticket" && request.newResumeToken == "res1.ticket")
        #expect(request.rejoinsIfUnknown)
    }

    @Test func aMessageBeforeHelloIsRefused() {
        var machine = SessionMachine(client: Self.client, settings: SessionSettings(), now: Self.start)
        #expect(machine.receive(text: Self.json(#"{"type":"chat","scope":"nearby","text":"hi","ref":"c1"}"#), now: Self.start)
            == [Self.error(.notJoined, "say hello first", ref: "c1")])
        #expect(machine.receive(binary: MoveInput(sequence: 1, intent: .stop).encoded(), now: Self.start)
            == [Self.error(.notJoined, "say hello first")])
        #expect(machine.phase == .awaitingHello)
    }

    @Test func aMessageWhileTheAdmissionIsDecidedIsRefused() {
        var machine = SessionMachine(client: Self.client, settings: SessionSettings(), now: Self.start)
        _ = machine.receive(text: Self.json(#"{"type":"hello","name":"Mina"}"#), now: Self.start)
        #expect(machine.receive(ClientMessages.Who(), now: Self.start) == [Self.error(.notJoined, "say hello first")])
    }

    @Test func aSecondHelloIsRefusedAndTheSessionGoesOn() {
        var machine = Self.joined()
        #expect(machine.receive(ClientMessages.Hello(name: "Again"), now: Self.at(1))
            == [Self.error(.alreadyJoined, "this connection already said hello")])
        #expect(machine.phase == .joined(avatarID: 3))
    }

    @Test func anInvalidNameEndsTheSessionWithItsCloseCode() {
        var machine = SessionMachine(client: Self.client, settings: SessionSettings(), now: Self.start)
        let actions = machine.receive(ClientMessages.Hello(name: "   "), now: Self.start)
        #expect(actions == [.send(ServerMessages.ErrorMessage(code: .nameInvalid, message: NameRules.Violation.empty.message)),
                            .close(WebSocketCloseCode(4002), reason: "name_invalid")])
        #expect(machine.phase == .closed)
        #expect(machine.receive(ClientMessages.Who(), now: Self.start).isEmpty)
    }

    @Test func aRefusedAdmissionEndsTheSession() {
        var machine = SessionMachine(client: Self.client, settings: SessionSettings(), now: Self.start)
        _ = machine.receive(ClientMessages.Hello(name: "Mina"), now: Self.start)
        let refused = machine.admission(.failure(.init(code: .serverRestarting, message: "back soon", retryAfter: 5)),
                                        guestKey: "k") { _ in "n" }
        #expect(refused == [.send(ServerMessages.ErrorMessage(code: .serverRestarting, message: "back soon", retryAfter: 5)),
                            .close(.goingAway, reason: "server_restarting")])
    }

    @Test func anAdmissionArrivingAfterTheCloseJoinsNothing() {
        var machine = SessionMachine(client: Self.client, settings: SessionSettings(), now: Self.start)
        _ = machine.receive(ClientMessages.Hello(name: "Mina"), now: Self.start)
        #expect(machine.connectionClosed() == [.submit(.leave(Self.client))])
        #expect(machine.admission(.success(.init(role: .guest)), guestKey: "k") { _ in "n" }.isEmpty)
    }

    @Test func leaveRemovesTheAvatarClosesAndIgnoresWhatFollows() {
        var machine = Self.joined()
        #expect(machine.receive(text: Self.json(#"{"type":"leave"}"#), now: Self.at(1))
            == [.submit(.leave(Self.client)), .close(.normalClosure, reason: "left")])
        #expect(machine.receive(ClientMessages.Who(), now: Self.at(1)).isEmpty)
        #expect(machine.connectionClosed().isEmpty)
    }

    @Test func aDroppedConnectionKeepsTheAvatarForAResume() {
        var machine = Self.joined()
        #expect(machine.connectionClosed() == [.submit(.disconnect(Self.client))])
        #expect(machine.phase == .closed)
    }

    // MARK: The hello deadline

    @Test func noHelloBeforeTheDeadlineEndsTheSession() {
        var settings = SessionSettings()
        settings.helloTimeout = .seconds(3)
        var machine = SessionMachine(client: Self.client, settings: settings, now: Self.start)
        #expect(machine.start() == [.setTimer(.hello, at: Self.at(3))])
        // A timer that fires early is set again rather than trusted.
        #expect(machine.timerFired(.hello, now: Self.at(2.9)) == [.setTimer(.hello, at: Self.at(3))])
        #expect(machine.timerFired(.hello, now: Self.at(3)) == [
            .send(ServerMessages.ErrorMessage(code: .badMessage, message: "no hello within 3.0 seconds")),
            .close(.policyViolation, reason: "bad_message"),
        ])
    }

    @Test func theDeadlineDoesNothingOnceHelloArrived() {
        var machine = SessionMachine(client: Self.client, settings: SessionSettings(), now: Self.start)
        _ = machine.receive(ClientMessages.Hello(name: "Mina"), now: Self.at(1))
        #expect(machine.timerFired(.hello, now: Self.at(10)).isEmpty)
        #expect(machine.phase == .joining)
    }

    // MARK: Rate limits and strikes

    @Test func chatBeyondItsBurstIsRateLimitedAndRefillsWithTime() {
        var settings = SessionSettings()
        settings.chatRate = RateLimit(perSecond: 1, burst: 2)
        var machine = Self.joined(settings)
        let chat = ClientMessages.Chat(scope: .nearby, text: "hi", ref: "c")
        let accepted: [SessionAction] = [.submit(.chat(Self.client, ChatRequest(scope: .nearby, text: "hi", ref: "c")))]
        #expect(machine.receive(chat, now: Self.at(1)) == accepted)
        #expect(machine.receive(chat, now: Self.at(1)) == accepted)
        #expect(machine.receive(chat, now: Self.at(1)) == [Self.error(.rateLimited, "too many messages; slow down", ref: "c")])
        // Other kinds have their own buckets.
        #expect(machine.receive(ClientMessages.Emote(emote: .wave), now: Self.at(1)) == [.submit(.emote(Self.client, code: 1))])
        #expect(machine.receive(chat, now: Self.at(2)) == accepted)
    }

    @Test func excessMovesAreDroppedQuietlyWithAStrike() {
        var settings = SessionSettings()
        settings.moveRate = RateLimit(perSecond: 1, burst: 1)
        settings.maxStrikes = 1
        var machine = Self.joined(settings)
        let move = MoveInput(sequence: 9, intent: .direction(dx: 1, dy: 0)).encoded()
        #expect(machine.receive(binary: move, now: Self.at(1)) == [.submit(.move(Self.client, sequence: 9, intent: .direction(dx: 1, dy: 0)))])
        #expect(machine.receive(binary: move, now: Self.at(1)).isEmpty)
        #expect(machine.receive(binary: move, now: Self.at(1)) == [.close(.policyViolation, reason: "too many invalid messages")])
    }

    @Test func strikesBeyondTheLimitWithinTheWindowClose() {
        var settings = SessionSettings()
        settings.maxStrikes = 2
        settings.strikeWindow = .seconds(10)
        var machine = Self.joined(settings)
        let garbage = Self.json("not json")
        let refused = Self.error(.badMessage, "malformed message: expected a JSON object with a \"type\" string")
        #expect(machine.receive(text: garbage, now: Self.at(1)) == [refused])
        #expect(machine.receive(text: garbage, now: Self.at(2)) == [refused])
        // The first strike is older than the window by now: still two within it.
        #expect(machine.receive(text: garbage, now: Self.at(11.5)) == [refused])
        #expect(machine.receive(text: garbage, now: Self.at(12)) == [refused, .close(.policyViolation, reason: "too many invalid messages")])
    }

    @Test func oversizedAndUnknownMessagesAreAnsweredWithTheirCodes() {
        var settings = SessionSettings()
        settings.maxJSONMessageBytes = 40
        var machine = Self.joined(settings)
        #expect(machine.receive(text: Self.json(#"{"type":"status","text":"\#(String(repeating: "x", count: 40))"}"#), now: Self.at(1))
            == [Self.error(.messageTooLarge, "JSON messages are limited to 40 bytes")])
        #expect(machine.receive(text: Self.json(#"{"type":"fly"}"#), now: Self.at(1))
            == [Self.error(.unknownType, "unknown message type \"fly\"")])
        #expect(machine.receive(binary: [0x7f], now: Self.at(1)).count == 1)
    }

    // MARK: Bounds and routing

    @Test func refsIdsAndReasonsAreCutToTheirBounds() {
        var settings = SessionSettings()
        settings.maxRefLength = 3
        settings.maxExhibitIDLength = 4
        settings.maxReasonLength = 5
        var machine = Self.joined(settings)
        #expect(machine.receive(ClientMessages.ExhibitOpen(id: "gallery", ref: "abcdef"), now: Self.at(1))
            == [.submit(.openExhibit(Self.client, exhibitID: "gall", ref: "abc"))])
        #expect(machine.receive(ClientMessages.Kick(avatar: 4, reason: "spamming", ref: nil), now: Self.at(1))
            == [.submit(.moderate(Self.client, .kick(avatarID: 4, reason: "spamm"), ref: nil))])
    }

    @Test func whoAndNotesPagesAreBounded() {
        var machine = Self.joined(boards: ["wall"])
        #expect(machine.receive(ClientMessages.Who(), now: Self.at(1)) == [.submit(.who(Self.client, limit: 200))])
        #expect(machine.receive(ClientMessages.Who(limit: 5000), now: Self.at(1)) == [.submit(.who(Self.client, limit: 1000))])
        #expect(machine.receive(ClientMessages.NotesPage(id: "wall", limit: 0, ref: "p"), now: Self.at(1))
            == [.pageNotes(NotesPageRequest(exhibitID: "wall", before: nil, limit: 1, ref: "p"))])
        #expect(machine.receive(ClientMessages.NotesPage(id: "nope", ref: "p"), now: Self.at(1))
            == [Self.error(.notFound, "no board \"nope\"", ref: "p")])
    }

    @Test func aNotesPageSaysWhetherOlderNotesExist() {
        let machine = Self.joined(boards: ["wall"])
        let page = NotesPageRequest(exhibitID: "wall", before: nil, limit: 1, ref: "p")
        let records = [NoteRecord(id: 2, room: "r", exhibit: "wall", authorID: 1, authorName: "A", person: "p", text: "b", time: 2),
                       NoteRecord(id: 1, room: "r", exhibit: "wall", authorID: 1, authorName: "A", person: "p", text: "a", time: 1)]
        #expect(machine.notesRead(.success(records), for: page) == [.send(ServerMessages.Notes(
            id: "wall", notes: [.init(id: 2, author: "A", authorID: 1, text: "b", time: 2)], more: true, ref: "p"))])
        #expect(machine.notesRead(.failure(.readFailed("busy")), for: page)
            == [Self.error(.storeUnavailable, "the notes could not be read; try again", ref: "p")])
    }

    @Test func aQuizSetIsLoadedOffTheQueueThenOpened() {
        var machine = Self.joined()
        let open = ClientMessages.QuizOpen(set: "demo", mode: "points", ref: "q")
        #expect(machine.receive(open, now: Self.at(1)) == [.loadQuizSet(open, .points, ref: "q")])
        #expect(machine.receive(ClientMessages.QuizOpen(set: "demo", mode: "bingo", ref: "q"), now: Self.at(1))
            == [Self.error(.badMessage, "mode is survival or points", ref: "q")])
        let set = QuizSet(id: "demo", title: "Demo", questions: [])
        #expect(machine.quizSetLoaded(.success(set), mode: .points, ref: "q") == [.submit(.quiz(Self.client, .open(set, .points), ref: "q"))])
        #expect(machine.quizSetLoaded(.failure(.init(code: .notFound, message: "no set")), mode: .points, ref: "q")
            == [Self.error(.notFound, "no set", ref: "q")])
    }

    @Test func inputsWaitForTheQuestionSetSoTheRoomSeesThemInOrder() {
        var machine = Self.joined()
        let open = ClientMessages.QuizOpen(set: "demo", mode: "survival", ref: "q")
        #expect(machine.receive(open, now: Self.at(1)) == [.loadQuizSet(open, .survival, ref: "q")])
        #expect(machine.receive(ClientMessages.QuizNext(ref: "n"), now: Self.at(1)).isEmpty)
        #expect(machine.receive(binary: MoveInput(sequence: 2, intent: .stop).encoded(), now: Self.at(1)).isEmpty)
        #expect(machine.receive(ClientMessages.Ping(t: 1), now: Self.at(1)) == [.pong(t: 1)])
        #expect(machine.receive(open, now: Self.at(1)) == [Self.error(.conflict, "a question set is still loading", ref: "q")])
        let set = QuizSet(id: "demo", title: "Demo", questions: [])
        #expect(machine.quizSetLoaded(.success(set), mode: .survival, ref: "q") == [
            .submit(.quiz(Self.client, .open(set, .survival), ref: "q")),
            .submit(.quiz(Self.client, .next, ref: "n")),
            .submit(.move(Self.client, sequence: 2, intent: .stop)),
        ])
        #expect(machine.receive(ClientMessages.QuizNext(ref: "m"), now: Self.at(2)) == [.submit(.quiz(Self.client, .next, ref: "m"))])
    }

    @Test func aLeaveWhileTheSetLoadsStillReachesTheRoom() {
        var machine = Self.joined()
        _ = machine.receive(ClientMessages.QuizOpen(set: "demo", mode: "points"), now: Self.at(1))
        #expect(machine.receive(ClientMessages.Leave(), now: Self.at(1)) == [.close(.normalClosure, reason: "left")])
        #expect(machine.quizSetLoaded(.failure(.init(code: .notFound, message: "no set")), mode: .points, ref: nil)
            == [.submit(.leave(Self.client))])
    }

    @Test func pingIsAnsweredWithoutARateLimit() {
        var settings = SessionSettings()
        settings.actionRate = RateLimit(perSecond: 0, burst: 0)
        var machine = Self.joined(settings)
        for _ in 0..<100 { #expect(machine.receive(ClientMessages.Ping(t: 4), now: Self.at(1)) == [.pong(t: 4)]) }
    }

    /// What an exhaustive switch would check: a message the session has no rule for
    /// could only be answered `unknown_type`.
    @Test func everyClientMessageHasASessionRule() {
        for type in ClientMessages.all {
            #expect(SessionMachine.rules[ObjectIdentifier(type)] != nil, "no session rule for \"\(type.type)\"")
        }
        #expect(SessionMachine.rules.count == ClientMessages.all.count)
    }
}
