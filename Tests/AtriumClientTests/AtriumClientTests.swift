import AtriumClient
import AtriumNet
import AtriumProtocol
import AtriumTestSupport
import Foundation
import Testing

/// The client library against an in-process server.
@Suite(.serialized) struct AtriumClientTests {
    @Test func deliversTypedEventsThroughAnAsyncSequence() async throws {
        let harness = try ServerHarness()
        let recorded = try harness.client("Async", room: "plaza")
        let events = recorded.client.events
        let welcome = try await recorded.client.connect()
        var iterator = events.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first == .welcome(welcome))
        let second = await iterator.next()
        guard case .state(let state) = second else {
            Issue.record("expected the first state message, got \(String(describing: second))")
            return
        }
        #expect(state.snapshot)
        #expect(state.entered.map(\.id) == [welcome.you.id])
        recorded.client.leave()
        while let event = await iterator.next() {
            if case .closed(let error) = event {
                #expect(error == nil)
                break
            }
        }
        await harness.stop()
    }

    @Test func predictsItsOwnMoveAndReconcilesWithTheAcknowledgement() async throws {
        let harness = try ServerHarness()
        let recorded = try await harness.joined("Predictor", room: "plaza")
        let client = recorded.client
        try await recorded.waitUntil("its own avatar") { $0.me != nil }
        let start = try #require(client.predictedPosition)
        let sequence = client.move(dx: 1, dy: 0)
        // Before any acknowledgement the prediction already walks right.
        #expect(client.world.acknowledged < sequence)
        try await recorded.waitUntil("the acknowledgement") { $0.acknowledged >= sequence }
        let server = try #require(client.world.me)
        #expect(server.motion.vx == 13 && server.motion.vy == 0)
        // Reconciled: prediction and server agree once nothing is pending.
        let tick = client.estimatedTick
        let predicted = try #require(client.predictedPosition)
        let authoritative = server.position(atTick: tick)
        #expect(abs(predicted.x - authoritative.x) < 1 && abs(predicted.y - authoritative.y) < 1)
        #expect(predicted.x > start.x)
        client.stop()
        await harness.stop()
    }

    @Test func seesAnotherClientsMovesByDeadReckoning() async throws {
        let harness = try ServerHarness()
        let walker = try await harness.joined("Walker", room: "plaza")
        let watcher = try await harness.joined("Watcher", room: "plaza")
        try await watcher.waitUntil("the walker") { $0.avatars[walker.id] != nil }
        walker.client.move(dx: -1, dy: 0)
        try await watcher.waitUntil("the walker walking left") { $0.avatars[walker.id]?.motion.vx == -13 }
        // Between updates the watcher extrapolates; its guess equals the walker's own truth.
        try await walker.waitUntil("the walker's own walk") { $0.me?.motion.vx == -13 }
        let tick = walker.client.world.tick + 3
        #expect(watcher.client.world.position(of: walker.id, at: tick)! == walker.client.world.position(of: walker.id, at: tick)!)
        await harness.stop()
    }

    @Test func reconnectsWithItsResumeTokenAfterTheSocketIsCut() async throws {
        let harness = try ServerHarness()
        let recorded = try await harness.joined("Phoenix", room: "plaza", reconnect: .init(initialDelay: .milliseconds(50)))
        let id = recorded.id
        recorded.client.simulateConnectionLoss()
        _ = try await recorded.events.first(within: .seconds(10), "reconnecting") {
            if case .reconnecting = $0 { return true }
            return false
        }
        let event = try await recorded.events.first(within: .seconds(10), "welcome back") {
            if case .welcome = $0 { return true }
            return false
        }
        guard case .welcome(let welcome) = event else { return }
        #expect(welcome.resumed && welcome.you.id == id)
        #expect(try await recorded.client.say("back again").text == "back again")
        await harness.stop()
    }

    /// A restarted server has forgotten every avatar: the resume token is refused, and the
    /// client joins afresh instead of giving up, after the pause the drain asked for.
    @Test func joinsAfreshAfterARestartAndWaitsAsTheDrainAsked() async throws {
        let first = try ServerHarness { $0.drainDelay = .zero; $0.restartRetryAfter = .seconds(1) }
        let recorded = try await first.joined("Returner", room: "plaza", reconnect: .init(initialDelay: .milliseconds(50)))
        let port = first.port
        await first.server.drain()
        let notice = try await recorded.events.first(within: .seconds(5), "the restart notice") {
            if case .error(let error) = $0 { return error.code == .serverRestarting }
            return false
        }
        guard case .error(let error) = notice else { return }
        #expect(error.retryAfter == 1)
        let closedAt = ContinuousClock.now
        let second = try ServerHarness(port: port)
        let event = try await recorded.events.first(within: .seconds(10), "a fresh welcome") {
            if case .welcome = $0 { return true }
            return false
        }
        guard case .welcome(let welcome) = event else { return }
        #expect(!welcome.resumed)
        #expect(closedAt.duration(to: .now) >= .milliseconds(800))
        #expect(try await recorded.client.say("I am back").text == "I am back")
        await second.stop()
    }

    @Test func givesUpReconnectingWhenTheServerIsGone() async throws {
        let harness = try ServerHarness()
        let recorded = try await harness.joined("Orphan", room: "plaza",
                                                reconnect: .init(initialDelay: .milliseconds(20), giveUpAfter: .milliseconds(300)))
        await harness.stop()
        let event = try await recorded.events.first(within: .seconds(10), "the end") {
            if case .closed = $0 { return true }
            return false
        }
        guard case .closed(let error) = event else { return }
        #expect(error != nil)
        await #expect(throws: AtriumClientError.notConnected) { _ = try await recorded.client.say("hello?") }
    }

    @Test func reportsRefusalsAsTypedTerminalErrors() async throws {
        let harness = try ServerHarness()
        let refused = try harness.client("Nobody", room: "members", reconnect: .init())
        do {
            _ = try await refused.client.connect()
            Issue.record("joined a registered room without a token")
        } catch {
            guard case .refused(.badToken, _) = error else {
                Issue.record("expected bad_token, got \(error)")
                return
            }
            #expect(error.isTerminal)
        }
        #expect(throws: AtriumClientError.invalidURL("http://nope")) {
            _ = try AtriumClient(configuration: .init(url: "http://nope", name: "x", queues: harness.clientQueues))
        }
        await harness.stop()
    }

    @Test func measuresARoundTripWithPing() async throws {
        let harness = try ServerHarness()
        let recorded = try await harness.joined("Pinger", room: "plaza")
        let round = try await recorded.client.ping()
        #expect(round > .zero && round < .seconds(5))
        let people = try await recorded.client.who()
        #expect(people.total == 1 && people.people.first?.name == "Pinger")
        await harness.stop()
    }

    @Test func backoffGrowsAndStaysBounded() {
        let policy = ReconnectPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(2))
        #expect(policy.delay(attempt: 1, jitter: 1) == .milliseconds(100))
        #expect(policy.delay(attempt: 3, jitter: 1) == .milliseconds(400))
        #expect(policy.delay(attempt: 30, jitter: 1) == .seconds(2))
        #expect(policy.delay(attempt: 2, jitter: 0.5) == .milliseconds(100))
    }
}

/// `wss://` with the client's own TLS settings, against a server with a throw-away certificate.
@Suite(.serialized) struct AtriumClientTLSTests {
    @Test func joinsOverTLSTrustingAPrivateCertificateAndIsRefusedWithoutIt() async throws {
        let directory = NSTemporaryDirectory() + "atrium-client-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = directory + "/cert.pem"
        try SelfSignedCertificate.write(certificatePath: certificate, keyPath: directory + "/key.pem")
        let harness = try ServerHarness {
            $0.tlsCertificate = certificate
            $0.tlsKey = directory + "/key.pem"
        }
        let url = "wss://localhost:\(harness.port)/ws?room=plaza"
        func client(_ name: String, tls: ClientTLS) throws -> AtriumClient {
            try AtriumClient(configuration: .init(url: url, name: name, tls: tls, reconnect: .disabled,
                                                  queues: harness.clientQueues, logger: quietLogger))
        }

        let trusting = try client("Secure", tls: ClientTLS(trustedCertificateFile: certificate))
        #expect(try await trusting.connect().you.name == "Secure")
        #expect(try await trusting.say("over TLS").text == "over TLS")

        let strict = try client("Strict", tls: .system)
        await #expect {
            _ = try await strict.connect()
        } throws: { error in
            guard case .connectionFailed = error as? AtriumClientError else { return false }
            return true
        }
        #expect(throws: AtriumClientError.self) {
            _ = try client("Misconfigured", tls: ClientTLS(trustedCertificateFile: directory + "/missing.pem"))
        }
        trusting.leave()
        await harness.stop()
    }
}
