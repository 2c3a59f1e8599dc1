import Testing
@testable import AtriumServer

/// The Janus session's rules on a manual clock: no sockets, no sleeps.
@Suite struct JanusSessionMachineTests {
    typealias Machine = JanusSessionMachine
    let t0 = ContinuousClock.now
    let settings = Machine.Settings(requestTimeout: .seconds(5), keepAliveInterval: .seconds(25),
                                    reconnectDelay: .seconds(1), maxReconnectDelay: .seconds(4), maxQueued: 2)

    /// A machine with an open session 77, at `t0`.
    private func ready() -> Machine {
        var machine = Machine(settings: settings, now: t0)
        #expect(machine.tick(now: t0) == [.connect])
        #expect(machine.connected(now: t0) == [.send(transaction: "a1", .createSession)])
        let actions = machine.received(JanusIncoming(janus: "success", transaction: "a1", data: .init(id: 77)), now: t0)
        #expect(actions == [.availability(.ready)])
        return machine
    }

    @Test func opensASessionThenSendsWhatWaited() {
        var machine = Machine(settings: settings, now: t0)
        #expect(machine.submit(.attach, ticket: 1, now: t0).isEmpty)
        #expect(machine.tick(now: t0) == [.connect])
        #expect(machine.connected(now: t0) == [.send(transaction: "a1", .createSession)])
        let actions = machine.received(JanusIncoming(janus: "success", transaction: "a1", data: .init(id: 77)), now: t0)
        #expect(actions == [.availability(.ready), .send(transaction: "a2", .attach(session: 77))])
        let attached = machine.received(JanusIncoming(janus: "success", transaction: "a2", sessionID: 77, data: .init(id: 5)),
                                        now: t0)
        #expect(attached == [.complete(1, .success(.attached(handle: 5)))])
    }

    @Test func refusesRequestsBeyondTheQueueWhileThereIsNoSession() {
        var machine = Machine(settings: settings, now: t0)
        #expect(machine.submit(.attach, ticket: 1, now: t0).isEmpty)
        #expect(machine.submit(.attach, ticket: 2, now: t0).isEmpty)
        #expect(machine.submit(.attach, ticket: 3, now: t0) == [.complete(3, .failure(.overloaded))])
    }

    @Test func aPluginErrorAndACoreErrorReachTheCallerTyped() {
        var machine = ready()
        _ = machine.submit(.videoRoom(handle: 5, .exists(room: 9)), ticket: 1, now: t0)
        _ = machine.submit(.videoRoom(handle: 5, .listParticipants(room: 9)), ticket: 2, now: t0)
        let refused = machine.received(JanusIncoming(janus: "success", transaction: "a2", sender: 5, pluginData: .init(
            plugin: "janus.plugin.videoroom", data: VideoRoomReply(videoroom: "event", errorCode: 426, error: "No such room"))), now: t0)
        #expect(refused == [.complete(1, .failure(.videoRoom(code: 426, reason: "No such room")))])
        let error = machine.received(JanusIncoming(janus: "error", transaction: "a3", error: .init(code: 403, reason: "Unauthorized")),
                                     now: t0)
        #expect(error == [.complete(2, .failure(.janus(code: 403, reason: "Unauthorized")))])
    }

    @Test func anAsynchronousRequestWaitsPastItsAckForItsEvent() {
        var machine = ready()
        let join = VideoRoomRequest.joinToWatch(room: 9, participant: 1 << 40, display: "atrium", token: "t")
        #expect(machine.submit(.videoRoom(handle: 5, join), ticket: 1, now: t0)
                == [.send(transaction: "a2", .message(session: 77, handle: 5, body: join))])
        #expect(machine.received(JanusIncoming(janus: "ack", transaction: "a2", sessionID: 77), now: t0).isEmpty)
        let joined = VideoRoomReply(videoroom: "joined", room: 9, publishers: [.init(id: 3)])
        let actions = machine.received(JanusIncoming(janus: "event", transaction: "a2", sender: 5,
                                                     pluginData: .init(plugin: "janus.plugin.videoroom", data: joined)), now: t0)
        #expect(actions == [.complete(1, .success(.videoRoom(joined)))])
    }

    @Test func newsWithoutATransactionIsAnEventOnItsHandle() {
        var machine = ready()
        let news = VideoRoomReply(videoroom: "event", room: 9, unpublished: 3)
        let actions = machine.received(JanusIncoming(janus: "event", sender: 5, pluginData: .init(plugin: nil, data: news)), now: t0)
        #expect(actions == [.event(handle: 5, news)])
    }

    @Test func anUnansweredRequestTimesOut() {
        var machine = ready()
        _ = machine.submit(.attach, ticket: 1, now: t0)
        #expect(machine.tick(now: t0 + .seconds(4)).isEmpty)
        #expect(machine.tick(now: t0 + .seconds(5)) == [.complete(1, .failure(.timedOut))])
        // A late answer finds nobody waiting.
        #expect(machine.received(JanusIncoming(janus: "success", transaction: "a2", data: .init(id: 5)), now: t0).isEmpty)
    }

    @Test func keepsTheSessionAliveOnlyWhenNothingElseWasSent() {
        var machine = ready()
        #expect(machine.tick(now: t0 + .seconds(24)).isEmpty)
        _ = machine.submit(.attach, ticket: 1, now: t0 + .seconds(24))
        _ = machine.received(JanusIncoming(janus: "success", transaction: "a2", data: .init(id: 5)), now: t0 + .seconds(24))
        #expect(machine.tick(now: t0 + .seconds(25)).isEmpty)
        #expect(machine.tick(now: t0 + .seconds(49)) == [.send(transaction: "a3", .keepAlive(session: 77))])
        #expect(machine.received(JanusIncoming(janus: "ack", transaction: "a3", sessionID: 77), now: t0 + .seconds(49)).isEmpty)
        #expect(machine.tick(now: t0 + .seconds(60)).isEmpty)
    }

    @Test func aLostConnectionFailsWhatWasSentAndReconnectsLaterAndLater() {
        var machine = ready()
        _ = machine.submit(.attach, ticket: 1, now: t0)
        let lost = machine.closed(now: t0)
        #expect(lost == [.complete(1, .failure(.connectionLost)), .availability(.unavailable("the connection to Janus closed"))])
        #expect(machine.session == nil)
        #expect(machine.tick(now: t0 + .milliseconds(999)).isEmpty)
        #expect(machine.tick(now: t0 + .seconds(1)) == [.connect])
        #expect(machine.connectionFailed("refused", now: t0 + .seconds(1)) == [.availability(.unavailable("refused"))])
        #expect(machine.tick(now: t0 + .milliseconds(2999)).isEmpty)
        #expect(machine.tick(now: t0 + .seconds(3)) == [.connect])
        _ = machine.connectionFailed("refused", now: t0 + .seconds(3))
        #expect(machine.tick(now: t0 + .seconds(7)) == [.connect])   // capped at 4 s
    }

    @Test func janusTimingTheSessionOutOrRefusingAtriumsTokenMeansStartingAgain() {
        var machine = ready()
        let timedOut = machine.received(JanusIncoming(janus: "timeout", sessionID: 77), now: t0)
        #expect(timedOut == [.disconnect, .availability(.unavailable("Janus timed the session out"))])
        #expect(machine.tick(now: t0 + .seconds(1)) == [.connect])
        _ = machine.connected(now: t0 + .seconds(1))
        let refused = machine.received(JanusIncoming(janus: "error", transaction: "a2", error: .init(code: 403, reason: "Unauthorized")),
                                       now: t0 + .seconds(1))
        #expect(refused == [.disconnect, .availability(.unavailable("Janus refused to open a session (403): Unauthorized"))])
    }

    @Test func stoppingFailsEverythingWaitingAndRefusesMore() {
        var machine = Machine(settings: settings, now: t0)
        _ = machine.submit(.attach, ticket: 1, now: t0)
        #expect(machine.stop() == [.disconnect, .complete(1, .failure(.unavailable("the stage is stopped")))])
        #expect(machine.submit(.attach, ticket: 2, now: t0) == [.complete(2, .failure(.unavailable("the stage is stopped")))])
        #expect(machine.tick(now: t0 + .seconds(10)).isEmpty)
    }
}
