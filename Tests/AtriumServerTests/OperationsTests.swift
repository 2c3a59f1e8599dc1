import AtriumClient
import AtriumNet
import AtriumProtocol
import AtriumServer
import AtriumTestSupport
import AtriumWorld
import Testing

/// Metrics, health, drain and the per-connection limits, through a running server.
@Suite(.serialized) struct OperationsTests {
    private func get(_ path: String, port: UInt16) throws -> String {
        let socket = try RawSocket(port: port)
        socket.send("GET \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        return String(decoding: socket.readToEnd(), as: UTF8.self)
    }

    private func value(_ metrics: String, _ line: String) -> Double? {
        metrics.split(separator: "\n").first { $0.hasPrefix(line + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    @Test func metricsCountKnownTraffic() async throws {
        let harness = try ServerHarness()
        let first = try await harness.joined("First", room: "plaza")
        let second = try await harness.joined("Second", room: "plaza")
        let sequence = first.client.move(dx: 1, dy: 0)
        try await first.waitUntil("the move applied") { $0.acknowledged == sequence }
        _ = try await first.client.say("hello")
        await #expect(throws: AtriumClientError.self) { _ = try await first.client.say("x", scope: .area) }
        // Proximity media: two peers (one av_peers each) and one signal relayed between them.
        let plaza = harness.server.rooms["plaza"]!
        plaza.submit(.place(avatarID: first.id, Position(tileX: 10, tileY: 12)))
        plaza.submit(.place(avatarID: second.id, Position(tileX: 11, tileY: 12)))
        first.client.setMedia(mic: true)
        _ = try await second.events.first(within: .seconds(5), "av_peers") { $0 == .conversationPeers([first.id]) }
        first.client.sendSignal(to: second.id, data: "offer")
        _ = try await second.events.first(within: .seconds(5), "the signal") { $0 == .signal(from: first.id, data: "offer") }

        let response = try get("/metrics", port: harness.port)
        #expect(response.hasPrefix("HTTP/1.1 200") && response.contains("text/plain; version=0.0.4"))
        #expect(value(response, "atrium_websocket_handshakes_total") == 2)
        #expect(value(response, "atrium_rooms") == 3)
        #expect(value(response, #"atrium_room_avatars{room="plaza"}"#) == 2)
        #expect(value(response, #"atrium_room_connected{room="plaza"}"#) == 2)
        #expect(value(response, #"atrium_inputs_total{kind="move"}"#) == 1)
        #expect(value(response, #"atrium_inputs_total{kind="chat"}"#) == 2)
        #expect(value(response, "atrium_chat_messages_total") == 1)
        #expect(value(response, #"atrium_media_messages_out_total{kind="av_peers"}"#) == 2)
        #expect(value(response, #"atrium_media_messages_out_total{kind="rtc_signal"}"#) == 1)
        #expect(value(response, #"atrium_errors_total{code="not_in_area"}"#) == 1)
        #expect((value(response, "atrium_state_bytes_out_total") ?? 0) > 0)
        #expect((value(response, #"atrium_tick_duration_seconds_count{room="plaza"}"#) ?? 0) > 0)
        #expect((value(response, "process_resident_memory_bytes") ?? 0) > 1_000_000)
        #expect(value(response, "atrium_connections_open") == 3)   // two clients and this request
        withExtendedLifetime(second) {}
        await harness.stop()
    }

    /// The figures describe the event, so by default only loopback may read them; an
    /// operator names the addresses of the scraper, or "*" for anyone.
    @Test func servesMetricsOnlyToTheAddressesAllowed() async throws {
        let closed = try ServerHarness { $0.metricsFrom = ["10.1."] }
        #expect(try get("/metrics", port: closed.port).hasPrefix("HTTP/1.1 403"))
        await closed.stop()
        let open = try ServerHarness { $0.metricsFrom = ["*"] }
        #expect(try get("/metrics", port: open.port).hasPrefix("HTTP/1.1 200"))
        await open.stop()
    }

    @Test func healthAndReadinessAndADrainThatTellsClientsFirst() async throws {
        let harness = try ServerHarness { $0.drainDelay = .milliseconds(300) }
        let visitor = try await harness.joined("Visitor", room: "plaza")
        #expect(try get("/healthz", port: harness.port).hasPrefix("HTTP/1.1 200"))
        #expect(try get("/readyz", port: harness.port).hasPrefix("HTTP/1.1 200"))
        let draining = Task { await harness.server.drain() }
        let told = try await visitor.events.first(within: .seconds(5), "the restart notice") {
            if case .error(let error) = $0 { return error.code == .serverRestarting }
            return false
        }
        #expect(told != .reconnecting(attempt: 1))
        // While draining: not ready, and no new joins.
        #expect(try get("/readyz", port: harness.port).hasPrefix("HTTP/1.1 503"))
        let late = try harness.client("Late", room: "plaza")
        await #expect(throws: AtriumClientError.self) { _ = try await late.client.connect() }
        await draining.value
        let closed = try await visitor.events.first(within: .seconds(5), "the close") {
            if case .closed = $0 { return true }
            return false
        }
        #expect(closed == .closed(.closed(code: 1001, reason: "server shutting down")))
    }

    @Test func limitsHandshakesPerAddress() async throws {
        let harness = try ServerHarness { $0.handshakeRate = RateLimit(perSecond: 0.1, burst: 3) }
        var clients: [RecordedClient] = []
        for index in 0..<3 { clients.append(try await harness.joined("P\(index)", room: "plaza")) }
        let fourth = try harness.client("P3", room: "plaza")
        await #expect {
            _ = try await fourth.client.connect()
        } throws: { "\($0)".contains("429") }
        withExtendedLifetime(clients) {}
        await harness.stop()
    }

    @Test func capsConnectionsPerAddress() async throws {
        let harness = try ServerHarness { $0.maxConnectionsPerIP = 2 }
        let clients = [try await harness.joined("A", room: "plaza"), try await harness.joined("B", room: "plaza")]
        let socket = try RawSocket(port: harness.port)
        let text = String(decoding: socket.readToEnd(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 503") && text.contains("too_many_connections"))
        withExtendedLifetime(clients) {}
        await harness.stop()
    }

    /// One bad message is answered; a stream of them closes the connection with 1008.
    @Test func repeatedAbuseClosesTheConnection() async throws {
        let harness = try ServerHarness { $0.maxStrikes = 5 }
        let abuser = try await harness.joined("Abuser", room: "plaza")
        for _ in 0..<3 { abuser.client.sendJSON(ClientMessages.Who(limit: 1)) }
        for _ in 0..<10 { abuser.client.sendJSON(ClientMessages.Status(text: String(repeating: "x", count: 20_000))) }
        let end = try await abuser.events.first(within: .seconds(5), "the close") {
            if case .closed = $0 { return true }
            return false
        }
        #expect(end == .closed(.closed(code: 1008, reason: "too many invalid messages")))
        await harness.stop()
    }

    @Test func limitsMovesNotesAndActionsPerConnection() async throws {
        let harness = try ServerHarness {
            $0.moveRate = RateLimit(perSecond: 0.01, burst: 2)
            $0.actionRate = RateLimit(perSecond: 0.01, burst: 2)
            $0.maxStrikes = 1000
        }
        let client = try await harness.joined("Busy", room: "plaza")
        let first = client.client.move(dx: 1, dy: 0)
        _ = client.client.move(dx: 0, dy: 1)
        _ = client.client.move(dx: -1, dy: 0)    // over the burst: dropped quietly
        _ = try await client.client.ping()
        try await client.waitUntil("the second move") { $0.acknowledged == first + 1 }
        #expect(client.client.world.acknowledged == first + 1)
        client.client.sendJSON(ClientMessages.Who())
        client.client.sendJSON(ClientMessages.Who())
        client.client.sendJSON(ClientMessages.Who())
        _ = try await client.events.first(within: .seconds(5), "rate_limited") {
            if case .error(let error) = $0 { return error.code == .rateLimited }
            return false
        }
        await harness.stop()
    }
}
