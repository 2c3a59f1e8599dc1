@testable import AtriumClient
import AtriumProtocol
import Testing

/// Following a room between the nodes of a cluster, without a socket: the seat is asked
/// for when a node says `room_moved`, after every drop once a seat was followed, and the
/// answers lead to the paths they name.
@Suite struct ClientMachineSeatTests {
    let t0 = ContinuousClock.now

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { t0 + .milliseconds(milliseconds) }

    static let seatRequest = ClientAction.requestSeat(target: "/api/seat?room=plaza&token=join-token")
    static let seatPath = "/node/b/ws?room=plaza&seat=seat1.x.y"

    static func configuration(_ lookup: SeatLookup = .onRoomMoved) -> ClientConfiguration {
        ClientConfiguration(url: "ws://front.example/ws?room=plaza", name: "Tester", token: "join-token", appearance: 3,
                            seatLookup: lookup)
    }

    static let moved = AtriumClientError.connectionFailed("409 room_moved: the seat is for node b")

    /// Joined on node b through a seat, the welcome's timer spent.
    func seated() -> ClientMachine {
        var machine = ClientMachine(configuration: Self.configuration(.beforeConnecting), random: TopJitter())
        _ = machine.connect(now: at(-20_000))
        _ = machine.seatAnswered(path: Self.seatPath, node: "b", now: at(-20_000))
        _ = machine.socketOpened(now: at(-20_000))
        _ = machine.received(ClientMachineTests.welcome(), now: at(-20_000))
        _ = machine.timerFired(now: at(-10_000))
        return machine
    }

    @Test func aLinkWithoutASeatIsRefusedThenTheSeatLeadsToTheRoomsNode() {
        var machine = ClientMachine(configuration: Self.configuration(), random: TopJitter())
        let (join, opening) = machine.connect(now: t0)
        #expect(opening == [.openSocket(target: "/ws?room=plaza")])
        #expect(machine.socketFailed(Self.moved, roomMoved: true, now: at(5)) == [.emit(.reconnecting(attempt: 1)), Self.seatRequest])
        #expect(machine.seatAnswered(path: Self.seatPath, node: "b", now: at(9)) == [.openSocket(target: Self.seatPath)])
        _ = machine.socketOpened(now: at(12))
        let welcome = ClientMachineTests.welcome()
        #expect(machine.received(welcome, now: at(15)) == [.emit(.welcome(welcome)), .complete(join, .success(.message(welcome)))])
    }

    @Test func askingFirstSkipsTheRefusedUpgrade() {
        var machine = ClientMachine(configuration: Self.configuration(.beforeConnecting), random: TopJitter())
        #expect(machine.connect(now: t0).1 == [Self.seatRequest])
    }

    @Test func withoutSeatsARoomMovedRefusalEndsANewSession() {
        var machine = ClientMachine(configuration: Self.configuration(.never), random: TopJitter())
        let (join, _) = machine.connect(now: t0)
        #expect(machine.socketFailed(Self.moved, roomMoved: true, now: at(5)) == [.complete(join, .failure(Self.moved)), .emit(.closed(Self.moved))])
    }

    @Test func aRoomThatMovesAwayIsFollowedAtOnceWithTheResumeToken() {
        var machine = seated()
        let notice: ServerMessages.ErrorMessage = ClientMachineTests.message(#"{"type":"error","code":"room_moved","message":"the room moved","retryAfter":0}"#)
        #expect(machine.received(notice, now: at(100)) == [.emit(.error(notice))])
        #expect(machine.socketClosed(code: 4010, reason: "room_moved", now: at(101)) == [.emit(.reconnecting(attempt: 1)), Self.seatRequest])
        let next = "/node/c/ws?room=plaza&seat=seat1.p.q"
        #expect(machine.seatAnswered(path: next, node: "c", now: at(110)) == [.openSocket(target: next)])
        #expect(machine.socketOpened(now: at(120)).first == ClientMachineTests.hello(resume: "resume-1"))
    }

    @Test func afterADropEveryAttemptAsksForASeatUntilTheRoomIsBack() {
        var machine = seated()
        // kill -9: the socket just ends; the seat still names the dead node until its lease runs out.
        #expect(machine.socketClosed(code: 1006, reason: "", now: at(0)) == [.emit(.reconnecting(attempt: 1)), .scheduleTimer(at: at(250))])
        #expect(machine.timerFired(now: at(250)) == [Self.seatRequest])
        #expect(machine.seatAnswered(path: Self.seatPath, node: "b", now: at(260)) == [.openSocket(target: Self.seatPath)])
        #expect(machine.socketFailed(.connectionFailed("HTTP 502"), now: at(270)) == [.emit(.reconnecting(attempt: 2)), .scheduleTimer(at: at(770))])
        #expect(machine.timerFired(now: at(770)) == [Self.seatRequest])
        let next = "/node/c/ws?room=plaza&seat=seat1.p.q"
        #expect(machine.seatAnswered(path: next, node: "c", now: at(780)) == [.openSocket(target: next)])
    }

    @Test func aSingleServersSeatIsNotAskedAgainAfterADrop() {
        var machine = ClientMachine(configuration: Self.configuration(), random: TopJitter())
        _ = machine.connect(now: t0)
        _ = machine.socketFailed(Self.moved, roomMoved: true, now: at(1))
        _ = machine.seatAnswered(path: "/ws?room=plaza", node: nil, now: at(2))
        _ = machine.socketOpened(now: at(3))
        _ = machine.received(ClientMachineTests.welcome(), now: at(4))
        _ = machine.timerFired(now: at(10_000))
        #expect(machine.socketClosed(code: 1006, reason: "", now: at(20_000)).last == .scheduleTimer(at: at(20_250)))
        #expect(machine.timerFired(now: at(20_250)) == [.openSocket(target: "/ws?room=plaza")])
    }

    @Test func aRoomBetweenNodesMakesEvenANewSessionWaitAndAskAgain() {
        var machine = ClientMachine(configuration: Self.configuration(.beforeConnecting), random: TopJitter())
        _ = machine.connect(now: t0)
        let busy = AtriumClientError.connectionFailed("seat: 503 room_moved: ask again")
        #expect(machine.seatFailed(busy, transient: true, retryAfter: .seconds(2), now: at(10))
            == [.emit(.reconnecting(attempt: 1)), .scheduleTimer(at: at(2_010))])
        #expect(machine.timerFired(now: at(2_010)) == [Self.seatRequest])
    }

    @Test func anUnknownRoomFromTheSeatEndsTheSession() {
        var machine = ClientMachine(configuration: Self.configuration(.beforeConnecting), random: TopJitter())
        let (join, _) = machine.connect(now: t0)
        let unknown = AtriumClientError.refused(.notFound, "no room \"plaza\"")
        #expect(machine.seatFailed(unknown, transient: false, retryAfter: nil, now: at(10))
            == [.complete(join, .failure(unknown)), .emit(.closed(unknown))])
    }

    @Test func aSeatPathOffTheSiteIsRefused() {
        var machine = ClientMachine(configuration: Self.configuration(.beforeConnecting), random: TopJitter())
        let (join, _) = machine.connect(now: t0)
        let refused = AtriumClientError.protocolViolation("the seat names no path on this site: http://elsewhere/ws")
        #expect(machine.seatAnswered(path: "http://elsewhere/ws", node: "b", now: at(1))
            == [.complete(join, .failure(refused)), .emit(.closed(refused))])
    }

    @Test func closingWhileASeatIsAskedForEndsAndIgnoresTheAnswer() {
        var machine = ClientMachine(configuration: Self.configuration(.beforeConnecting), random: TopJitter())
        let (join, _) = machine.connect(now: t0)
        #expect(machine.close(leaving: false, now: at(1)) == [.complete(join, .failure(.notConnected)), .emit(.closed(nil))])
        #expect(machine.seatAnswered(path: Self.seatPath, node: "b", now: at(2)) == [])
    }

    // MARK: Paths and answers

    @Test(arguments: [
        ("ws://h/ws?room=plaza", nil, "/ws?room=plaza", "/api/seat?room=plaza"),
        ("wss://h:8443/atrium/ws?room=hall&instance=2&x=1", "a b", "/atrium/ws?room=hall&instance=2&x=1",
         "/atrium/api/seat?room=hall&instance=2&token=a%20b"),
        ("ws://h", nil, "/", "/api/seat"),
        ("ws://h?room=r", "v1.abc_-.xyz", "/?room=r", "/api/seat?room=r&token=v1.abc_-.xyz"),
    ] as [(String, String?, String, String)])
    func theSeatIsAskedBesideTheWebSocketPath(url: String, token: String?, target: String, seat: String) {
        #expect(SeatPath.webSocketTarget(of: url) == target)
        #expect(SeatPath.seatTarget(forWebSocketTarget: target, token: token) == seat)
    }

    @Test func seatAnswersMeanWhatTheirCodesSay() {
        let seat = Array(#"{"type":"seat","room":"plaza","instance":1,"node":"b","path":"/node/b/ws?room=plaza&seat=s","expiresIn":30,"instances":[]}"#.utf8)
        #expect(SeatReply(status: 200, body: seat, retryAfter: nil) == .seat(path: "/node/b/ws?room=plaza&seat=s", node: "b"))
        func error(_ code: String) -> [UInt8] { Array(#"{"type":"error","code":"\#(code)","message":"m"}"#.utf8) }
        #expect(SeatReply(status: 404, body: error("not_found"), retryAfter: nil)
            == .failed(.refused(.notFound, "m"), transient: false, retryAfter: nil))
        #expect(SeatReply(status: 503, body: error("room_full"), retryAfter: "30")
            == .failed(.refused(.roomFull, "m"), transient: false, retryAfter: nil))
        #expect(SeatReply(status: 503, body: error("room_moved"), retryAfter: " 2 ")
            == .failed(.connectionFailed("seat: 503 room_moved: m"), transient: true, retryAfter: .seconds(2)))
        #expect(SeatReply(status: 503, body: error("store_unavailable"), retryAfter: "1")
            == .failed(.connectionFailed("seat: 503 store_unavailable: m"), transient: true, retryAfter: .seconds(1)))
        #expect(SeatReply(status: 502, body: Array("<html>bad gateway</html>".utf8), retryAfter: nil)
            == .failed(.connectionFailed("seat: HTTP 502"), transient: false, retryAfter: nil))
        #expect(SeatReply(status: 200, body: Array("{}".utf8), retryAfter: nil)
            == .failed(.protocolViolation("the seat answer is not a seat"), transient: false, retryAfter: nil))
    }
}
