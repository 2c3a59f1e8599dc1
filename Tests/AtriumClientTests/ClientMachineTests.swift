@testable import AtriumClient
import AtriumProtocol
import AtriumWebSocket
import AtriumWorld
import Testing

/// The client's connection rules without a socket: instants are chosen by the test, the
/// jitter is fixed, and every step's actions are compared whole.
@Suite struct ClientMachineTests {
    let t0 = ContinuousClock.now

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { t0 + .milliseconds(milliseconds) }

    static let configuration = ClientConfiguration(url: "ws://127.0.0.1:1/ws", name: "Tester", token: "join-token", appearance: 3)

    static func welcome(resume: String = "resume-1", resumed: Bool = false) -> ServerMessages.Welcome {
        message(#"{"type":"welcome","protocol":1,"you":{"id":7,"name":"Tester","role":"guest"},"room":{"id":"plaza","name":"Plaza","map":"plaza","width":40,"height":30,"tickRate":20,"viewRadius":12,"chatRadius":6,"step":13,"diagonalStep":9,"unitsPerTile":64},"resume":"\#(resume)","resumed":\#(resumed),"tick":100,"serverTime":0}"#)
    }

    /// A server message from its wire form, as the adapter would decode it.
    static func message<Message: ServerMessage>(_ json: String, as type: Message.Type = Message.self) -> Message {
        try! ServerMessages.decode(Array(json.utf8)) as! Message
    }

    static func hello(resume: String? = nil) -> ClientAction {
        .send(ClientMessages.Hello(name: "Tester", token: "join-token", resume: resume, appearance: 3))
    }

    /// A machine welcomed 20 s before `t0`, with its join ref (r1) and its timer spent.
    func joined(_ configuration: ClientConfiguration = Self.configuration,
                random: some RandomNumberGenerator & Sendable = TopJitter()) -> ClientMachine {
        var machine = ClientMachine(configuration: configuration, random: random)
        _ = machine.connect(now: at(-20_000))
        _ = machine.socketOpened(now: at(-20_000))
        _ = machine.received(Self.welcome(), now: at(-20_000))
        _ = machine.timerFired(now: at(-10_000))
        return machine
    }

    // MARK: Joining

    @Test func connectOpensASocketSaysHelloAndCompletesWithTheWelcome() {
        var machine = ClientMachine(configuration: Self.configuration, random: TopJitter())
        let (join, opening) = machine.connect(now: t0)
        #expect(opening == [.openSocket(target: "/ws")])
        #expect(machine.socketOpened(now: at(40)) == [Self.hello(), .scheduleTimer(at: at(10_040))])
        let welcome = Self.welcome()
        #expect(machine.received(welcome, now: at(60)) == [.emit(.welcome(welcome)), .complete(join, .success(.message(welcome)))])
        #expect(machine.isJoined && machine.resumeToken == "resume-1")
    }

    @Test func aServerThatNeverWelcomesFailsTheJoinAtTheDeadline() {
        var machine = ClientMachine(configuration: Self.configuration, random: TopJitter())
        let (join, _) = machine.connect(now: t0)
        _ = machine.socketOpened(now: t0)
        #expect(machine.timerFired(now: at(9_999)) == [.scheduleTimer(at: at(10_000))])
        #expect(machine.timerFired(now: at(10_000))
            == [.complete(join, .failure(.timedOut)), .emit(.closed(.timedOut)), .closeSocket(.goingAway)])
        #expect(machine.socketClosed(code: 1001, reason: "", now: at(10_010)) == [])
    }

    @Test func aRefusalBeforeTheWelcomeEndsTheSessionWithItsCode() {
        var machine = ClientMachine(configuration: Self.configuration, random: TopJitter())
        let (join, _) = machine.connect(now: t0)
        _ = machine.socketOpened(now: t0)
        #expect(machine.received(Self.message(#"{"type":"error","code":"room_full","message":"the room is full"}"#, as: ServerMessages.ErrorMessage.self), now: at(5)) == [])
        let refused = AtriumClientError.refused(.roomFull, "the room is full")
        #expect(machine.socketClosed(code: 4003, reason: "room_full", now: at(6))
            == [.complete(join, .failure(refused)), .emit(.closed(refused))])
    }

    @Test func aFirstConnectionThatCannotOpenIsNotRetried() {
        var machine = ClientMachine(configuration: Self.configuration, random: TopJitter())
        let (join, _) = machine.connect(now: t0)
        let failure = AtriumClientError.connectionFailed("connection refused")
        #expect(machine.socketFailed(failure, now: at(3)) == [.complete(join, .failure(failure)), .emit(.closed(failure))])
    }

    @Test func connectingTwiceIsRefusedWithoutDisturbingTheFirst() {
        var machine = ClientMachine(configuration: Self.configuration, random: TopJitter())
        _ = machine.connect(now: t0)
        let (second, actions) = machine.connect(now: at(1))
        #expect(actions == [.complete(second, .failure(.protocolViolation("connect() was called twice")))])
        #expect(machine.phase == .opening)
    }

    // MARK: Requests

    @Test func aReplyCompletesTheRequestWhoseRefItEchoes() {
        var machine = joined()
        let (first, sentFirst) = machine.request(.referenced(ClientMessages.Chat(scope: .nearby, text: "one")), now: at(100))
        let (second, _) = machine.request(.referenced(ClientMessages.Chat(scope: .nearby, text: "two")), now: at(110))
        #expect(sentFirst == [.send(ClientMessages.Chat(scope: .nearby, text: "one", ref: first.wire)), .scheduleTimer(at: at(10_100))])
        let reply: ServerMessages.Chat = Self.message(#"{"type":"chat","id":1,"from":{"id":7,"name":"Tester"},"scope":"nearby","text":"two","time":0,"ref":"\#(second.wire)"}"#)
        #expect(machine.received(reply, now: at(150)) == [.complete(second, .success(.message(reply))), .emit(.chat(reply))])
        #expect(machine.pendingCount == 1)
    }

    @Test func anErrorCarryingARefRejectsThatRequestAndIsStillReported() {
        var machine = joined()
        let (ref, _) = machine.request(.referenced(ClientMessages.ExhibitOpen(id: "mural")), now: at(100))
        let error: ServerMessages.ErrorMessage = Self.message(#"{"type":"error","code":"too_far","message":"walk closer","ref":"\#(ref.wire)"}"#)
        #expect(machine.received(error, now: at(120))
            == [.complete(ref, .failure(.rejected(.tooFar, "walk closer"))), .emit(.error(error))])
    }

    @Test func aRequestNotAnsweredByItsDeadlineTimesOutAndItsLateAnswerCompletesNothing() {
        var machine = joined()
        let (ref, _) = machine.request(.referenced(ClientMessages.NotesPage(id: "wall", limit: 5)), now: at(100))
        #expect(machine.timerFired(now: at(10_099)) == [.scheduleTimer(at: at(10_100))])
        #expect(machine.timerFired(now: at(10_100)) == [.complete(ref, .failure(.timedOut))])
        let late: ServerMessages.Notes = Self.message(#"{"type":"notes","id":"wall","notes":[],"more":false,"ref":"\#(ref.wire)"}"#)
        #expect(machine.received(late, now: at(10_200)) == [.emit(.exhibit(late))])
    }

    @Test func theTimerIsAskedForOnlyWhenADeadlineComesSooner() {
        var machine = joined()
        #expect(machine.request(.ping, now: at(100)).1.last == .scheduleTimer(at: at(10_100)))
        #expect(machine.request(.ping, now: at(200)).1.last == .send(ClientMessages.Ping(t: 3)))
    }

    @Test func whoIsAnsweredInOrderBecausePeopleCarriesNoRef() {
        var machine = joined()
        let (first, _) = machine.request(.who(limit: 1), now: at(100))
        let (second, _) = machine.request(.who(limit: 200), now: at(101))
        let people: ServerMessages.People = Self.message(#"{"type":"people","total":1,"people":[]}"#)
        #expect(machine.received(people, now: at(150)) == [.complete(first, .success(.message(people))), .emit(.people(people))])
        #expect(machine.received(people, now: at(151)) == [.complete(second, .success(.message(people))), .emit(.people(people))])
    }

    @Test func pingMeasuresTheRoundTripOnTheGivenClock() {
        var machine = joined()
        let (ref, sent) = machine.request(.ping, now: at(1_000))
        #expect(sent.first == .send(ClientMessages.Ping(t: ref.pingTime)))
        let pong: ServerMessages.Pong = Self.message(#"{"type":"pong","t":\#(ref.pingTime),"serverTime":0,"tick":5}"#)
        #expect(machine.received(pong, now: at(1_037)) == [.complete(ref, .success(.roundTrip(.milliseconds(37))))])
    }

    @Test func requestsWhileNotJoinedFailAtOnce() {
        var machine = ClientMachine(configuration: Self.configuration, random: TopJitter())
        let (ref, actions) = machine.request(.ping, now: t0)
        #expect(actions == [.complete(ref, .failure(.notConnected))])
        #expect(machine.send(ClientMessages.Status(text: "away")) == [])
    }

    // MARK: Reconnecting

    /// 4011 `too_slow` says the connection fell behind, not that the person may not stay:
    /// the client resumes like after any drop, and gets a fresh snapshot.
    @Test func aCloseForBeingTooSlowIsRetriedWithTheResumeToken() {
        var machine = joined()
        #expect(machine.socketClosed(code: 4011, reason: "too_slow", now: at(200))
            == [.emit(.reconnecting(attempt: 1)), .scheduleTimer(at: at(450))])
        #expect(machine.timerFired(now: at(450)) == [.openSocket(target: "/ws")])
        #expect(machine.socketOpened(now: at(470)) == [Self.hello(resume: "resume-1"), .scheduleTimer(at: at(10_470))])
    }

    @Test func aDropFailsWhatWasPendingThenResumesAndMatchesNewReplies() {
        var machine = joined()
        let (lost, _) = machine.request(.referenced(ClientMessages.Chat(scope: .nearby, text: "lost")), now: at(100))
        #expect(machine.socketClosed(code: 1006, reason: "", now: at(200))
            == [.complete(lost, .failure(.notConnected)), .emit(.reconnecting(attempt: 1)), .scheduleTimer(at: at(450))])
        #expect(machine.timerFired(now: at(450)) == [.openSocket(target: "/ws")])
        #expect(machine.socketOpened(now: at(470)) == [Self.hello(resume: "resume-1"), .scheduleTimer(at: at(10_470))])
        let back = Self.welcome(resume: "resume-2", resumed: true)
        #expect(machine.received(back, now: at(480)) == [.emit(.welcome(back))])
        #expect(machine.resumeToken == "resume-2" && machine.attempt == 0)

        let (fresh, _) = machine.request(.referenced(ClientMessages.Chat(scope: .nearby, text: "back")), now: at(500))
        #expect(fresh != lost)
        let stale: ServerMessages.Chat = Self.message(#"{"type":"chat","id":1,"from":{"id":7,"name":"Tester"},"scope":"nearby","text":"lost","time":0,"ref":"\#(lost.wire)"}"#)
        #expect(machine.received(stale, now: at(510)) == [.emit(.chat(stale))])
        let answer: ServerMessages.Chat = Self.message(#"{"type":"chat","id":2,"from":{"id":7,"name":"Tester"},"scope":"nearby","text":"back","time":0,"ref":"\#(fresh.wire)"}"#)
        #expect(machine.received(answer, now: at(520)) == [.complete(fresh, .success(.message(answer))), .emit(.chat(answer))])
    }

    @Test func backoffDoublesUpToItsCapThenGivesUpAfterTheGrace() {
        var configuration = Self.configuration
        configuration.reconnect = ReconnectPolicy(initialDelay: .milliseconds(250), maximumDelay: .seconds(2), giveUpAfter: .seconds(10))
        var machine = joined(configuration)
        var now = at(1_000)
        var delays: [Duration] = []
        var actions = machine.socketClosed(code: 1006, reason: "", now: now)
        while case .scheduleTimer(let retryAt) = actions.last {
            delays.append(now.duration(to: retryAt))
            now = retryAt
            #expect(machine.timerFired(now: now) == [.openSocket(target: "/ws")])
            actions = machine.socketFailed(.connectionFailed("connection refused"), now: now)
        }
        #expect(delays.map { $0 / .milliseconds(1) } == [250, 500, 1_000, 2_000, 2_000, 2_000, 2_000, 2_000])
        #expect(actions == [.emit(.closed(.connectionFailed("could not reconnect within 10.0 seconds")))])
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func jitterKeepsEachDelayBetweenHalfAndAllOfItsStep(seed: UInt64) {
        var machine = joined(random: SeededRandom(seed: seed))
        let actions = machine.socketClosed(code: 1006, reason: "", now: at(1_000))
        guard case .scheduleTimer(let retryAt) = actions.last else {
            Issue.record("no retry scheduled: \(actions)")
            return
        }
        let delay = at(1_000).duration(to: retryAt)
        #expect(delay >= .milliseconds(125) && delay <= .milliseconds(250))
    }

    @Test func aRefusedResumeJoinsAfreshAtOnceWithTheJoinToken() {
        var machine = joined()
        _ = machine.socketClosed(code: 1006, reason: "", now: at(100))
        _ = machine.timerFired(now: at(350))
        #expect(machine.socketOpened(now: at(360)).first == Self.hello(resume: "resume-1"))
        let refusal: ServerMessages.ErrorMessage = Self.message(#"{"type":"error","code":"bad_token","message":"unknown resume token"}"#)
        #expect(machine.received(refusal, now: at(370)) == [])
        #expect(machine.socketClosed(code: 4001, reason: "bad_token", now: at(371)) == [.emit(.reconnecting(attempt: 2)), .openSocket(target: "/ws")])
        #expect(machine.socketOpened(now: at(380)).first == Self.hello())
        let fresh = Self.welcome(resume: "resume-9", resumed: false)
        #expect(machine.received(fresh, now: at(390)) == [.emit(.welcome(fresh))])
        #expect(machine.resumeToken == "resume-9")
    }

    @Test func aRefusedFreshJoinAfterThatIsFinal() {
        var machine = joined()
        _ = machine.socketClosed(code: 1006, reason: "", now: at(100))
        _ = machine.timerFired(now: at(350))
        _ = machine.socketOpened(now: at(360))
        _ = machine.socketClosed(code: 4001, reason: "bad_token", now: at(371))
        _ = machine.socketOpened(now: at(380))
        _ = machine.received(Self.message(#"{"type":"error","code":"bad_token","message":"the join link expired"}"#, as: ServerMessages.ErrorMessage.self), now: at(385))
        let refused = AtriumClientError.refused(.badToken, "the join link expired")
        #expect(machine.socketClosed(code: 4001, reason: "bad_token", now: at(386)) == [.emit(.closed(refused))])
    }

    @Test func aRestartingServerIsGivenTheTimeItAskedFor() {
        var machine = joined()
        let notice: ServerMessages.ErrorMessage = Self.message(#"{"type":"error","code":"server_restarting","message":"back soon","retryAfter":3}"#)
        #expect(machine.received(notice, now: at(100)) == [.emit(.error(notice))])
        #expect(machine.socketClosed(code: 1001, reason: "restarting", now: at(200))
            == [.emit(.reconnecting(attempt: 1)), .scheduleTimer(at: at(3_200))])
        // Only the first attempt waits for it; the next ones back off as usual.
        _ = machine.timerFired(now: at(3_200))
        #expect(machine.socketFailed(.connectionFailed("connection refused"), now: at(3_210))
            == [.emit(.reconnecting(attempt: 2)), .scheduleTimer(at: at(3_710))])
    }

    @Test func aRetryAfterBeyondTheCapWaitsOnlyTheCap() {
        var configuration = Self.configuration
        configuration.reconnect.maximumRetryAfter = .seconds(20)
        var machine = joined(configuration)
        _ = machine.received(Self.message(#"{"type":"error","code":"server_restarting","message":"","retryAfter":86400}"#, as: ServerMessages.ErrorMessage.self), now: at(100))
        #expect(machine.socketClosed(code: 1001, reason: "", now: at(100)).last == .scheduleTimer(at: at(20_100)))
    }

    @Test(arguments: [ErrorCode.kicked, .banned, .roomLocked])
    func aSessionEndedByTheServerIsNotReconnected(code: ErrorCode) {
        var machine = joined()
        let (pending, _) = machine.request(.ping, now: at(50))
        #expect(machine.received(Self.message(#"{"type":"error","code":"\#(code.rawValue)","message":"by a moderator"}"#, as: ServerMessages.ErrorMessage.self), now: at(100)) == [])
        let refused = AtriumClientError.refused(code, "by a moderator")
        #expect(machine.socketClosed(code: code.closeCode ?? 0, reason: code.rawValue, now: at(101))
            == [.complete(pending, .failure(refused)), .emit(.closed(refused))])
    }

    @Test(arguments: [UInt16(4005), 4006])
    func theCloseCodeAloneIsEnoughToStop(closeCode: UInt16) {
        var machine = joined()
        guard case .emit(.closed(.refused(let code, "reason")))? = machine.socketClosed(code: closeCode, reason: "reason", now: at(1)).first else {
            Issue.record("close \(closeCode) did not end the session")
            return
        }
        #expect(code.closeCode == closeCode)
    }

    @Test func aPolicyViolationCloseIsNotRetried() {
        var machine = joined()
        #expect(machine.socketClosed(code: 1008, reason: "too many bad messages", now: at(1))
            == [.emit(.closed(.closed(code: 1008, reason: "too many bad messages")))])
    }

    @Test func withoutAReconnectPolicyADropEndsTheSession() {
        var configuration = Self.configuration
        configuration.reconnect = .disabled
        var machine = joined(configuration)
        #expect(machine.socketClosed(code: 1006, reason: "", now: at(1)) == [.emit(.closed(.closed(code: 1006, reason: "")))])
    }

    @Test func aReconnectionThatIsNeverWelcomedIsAbandonedAndRetried() {
        var machine = joined()
        _ = machine.socketClosed(code: 1006, reason: "", now: at(0))
        _ = machine.timerFired(now: at(250))
        _ = machine.socketOpened(now: at(260))
        #expect(machine.timerFired(now: at(10_260)) == [.closeSocket(.goingAway)])
        #expect(machine.socketClosed(code: 1006, reason: "", now: at(10_300))
            == [.emit(.reconnecting(attempt: 2)), .scheduleTimer(at: at(10_800))])
    }

    // MARK: Closing

    @Test func leaveSaysSoClosesAndEndsWhenTheSocketHasClosed() {
        var machine = joined()
        let (pending, _) = machine.request(.who(limit: 5), now: at(10))
        #expect(machine.close(leaving: true, now: at(20)) == [.send(ClientMessages.Leave()), .closeSocket(.normalClosure)])
        #expect(machine.request(.ping, now: at(21)).1.count == 1)
        #expect(machine.socketClosed(code: 1000, reason: "", now: at(30))
            == [.complete(pending, .failure(.notConnected)), .emit(.closed(nil))])
        #expect(machine.close(leaving: true, now: at(40)) == [])
    }

    @Test func closingWhileWaitingToReconnectEndsAtOnce() {
        var machine = joined()
        _ = machine.socketClosed(code: 1006, reason: "", now: at(0))
        #expect(machine.close(leaving: false, now: at(10)) == [.emit(.closed(nil))])
        #expect(machine.timerFired(now: at(250)) == [])
    }

    @Test func aSocketThatOpensAfterTheClientClosedIsClosedAgain() {
        var machine = ClientMachine(configuration: Self.configuration, random: TopJitter())
        let (join, _) = machine.connect(now: t0)
        #expect(machine.close(leaving: true, now: at(1)) == [.complete(join, .failure(.notConnected)), .emit(.closed(nil))])
        #expect(machine.socketOpened(now: at(5)) == [.closeSocket(.normalClosure)])
    }
}

/// Draws the largest jitter (1.0), so delays are the policy's steps exactly.
struct TopJitter: RandomNumberGenerator, Sendable {
    mutating func next() -> UInt64 { .max }
}
