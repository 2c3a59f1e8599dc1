import AtriumNet
import AtriumWebSocket
import AtriumTestSupport
import Testing

/// The transport end to end over loopback, with our own client side.
@Suite(.serialized) struct TransportLoopbackTests {
    @Test(arguments: [true, false])
    func echoesTextAndBinaryWithAndWithoutCompression(compressed: Bool) async throws {
        let compression = compressed ? PerMessageDeflateConfiguration(minimumMessageSize: 16) : .disabled
        let server = try TestServer(configuration: WebSocketConfiguration(compression: compression))
        let options = WebSocketClient.Options(configuration: WebSocketConfiguration(compression: compression))
        let (channel, client) = try await connectClient(server.url("/echo"), group: server.group, options: options)
        #expect(channel.isCompressed == compressed)

        let long = String(repeating: "응원합니다 — keep trying! ", count: 200)
        channel.send(text: "hello")
        channel.send(text: long)
        channel.send(binary: [0, 1, 2, 255])
        #expect(try await client.events.next() == .message(.text("hello")))
        #expect(try await client.events.next() == .message(.text(long)))
        #expect(try await client.events.next() == .message(.binary([0, 1, 2, 255])))

        channel.close(code: .normalClosure, reason: "done")
        let report = try await client.events.next().closeReport
        #expect(report == WebSocketCloseReport(code: .normalClosure, reason: "done", origin: .local))
        await server.stop()
    }

    @Test func servesIPv6AsWellAsIPv4() async throws {
        let server = try TestServer()
        let (channel, client) = try await connectClient(server.url("/echo", host: "::1"), group: server.group)
        channel.send(text: "over v6")
        #expect(try await client.events.next() == .message(.text("over v6")))
        await server.stop()
    }

    @Test func serverSeesThePeersCloseCodeAndReason() async throws {
        let server = try TestServer()
        let (channel, _) = try await connectClient(server.url("/record"), group: server.group)
        channel.send(text: "first")
        #expect(try await server.serverEvents.next() == .message(.text("first")))
        channel.close(code: WebSocketCloseCode(4001), reason: "leaving the hall")
        let report = try await server.serverEvents.next().closeReport
        #expect(report == WebSocketCloseReport(code: WebSocketCloseCode(4001), reason: "leaving the hall", origin: .peer))
        await server.stop()
    }

    @Test func shutdownClosesEveryWebSocketWith1001() async throws {
        let server = try TestServer()
        let (_, first) = try await connectClient(server.url("/echo"), group: server.group)
        let (_, second) = try await connectClient(server.url("/echo"), group: server.group)
        await server.stop()
        #expect(try await first.events.next().closeReport?.code == .goingAway)
        #expect(try await second.events.next().closeReport?.code == .goingAway)
    }

    @Test func answersTheHealthCheckAndUnknownPaths() throws {
        let server = try TestServer()
        let socket = try RawSocket(port: server.port)
        socket.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n")
        let text = String(decoding: socket.readToEnd(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(text.contains(#"{"status":"ok"}"#))
        #expect(text.contains("HTTP/1.1 404 Not Found\r\n"))
        #expect(text.contains("Connection: close"))
    }

    @Test func refusesConnectionsBeyondTheCapWith503() async throws {
        let server = try TestServer(maxConnections: 2)
        let (_, _) = try await connectClient(server.url("/echo"), group: server.group)
        let (_, _) = try await connectClient(server.url("/echo"), group: server.group)
        let third = try RawSocket(port: server.port)
        let text = String(decoding: third.readToEnd(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 503"))
        #expect(text.contains("server_full"))
        await server.stop()
    }

    @Test func reportsARefusedUpgradeWithItsStatusAndBody() async throws {
        let server = try TestServer()
        await #expect(throws: WebSocketConnectError.refused(
            status: 404, body: #"{"type":"error","code":"not_found","message":"no such path"}"#)) {
            _ = try await connectClient(server.url("/missing"), group: server.group)
        }
        await server.stop()
    }

    @Test func reportsAConnectionRefusedAsAClearError() async throws {
        let group = IOQueueGroup(count: 1, sweepInterval: .milliseconds(20))
        // Port 1 on loopback: nothing listens there.
        await #expect {
            _ = try await connectClient(WebSocketURL("ws://127.0.0.1:1/ws")!, group: group)
        } throws: { error in
            guard case .connectionFailed = error as? WebSocketConnectError else { return false }
            return true
        }
    }

    /// A client whose reliable backlog passes the budget is closed with 4011 `too_slow`
    /// after the part already on its way, and a well-behaved client on the same server is
    /// served meanwhile. `/flood` queues 12.5 MiB at once, far beyond the 1 MiB budget,
    /// before the client has read a byte, so the overflow does not depend on timing.
    @Test func closesASlowClientWith4011WithoutDelayingOthers() async throws {
        let limits = OutboundLimits(reliableBudget: 1024 * 1024)
        let server = try TestServer(limits: limits)
        let slow = try RawSocket(port: server.port)
        let upgrade = slow.upgrade("/flood?n=200&size=65536")
        #expect(upgrade.statusLine == "HTTP/1.1 101 Switching Protocols")

        let (channel, client) = try await connectClient(server.url("/echo"), group: server.group)
        channel.send(text: "still served")
        #expect(try await client.events.next() == .message(.text("still served")))

        let received = upgrade.rest + slow.read { bytes in
            closeCode(of: serverFrames(upgrade.rest + bytes).last) != nil
        }
        let frames = serverFrames(received)
        #expect(closeCode(of: frames.last) == 4011)
        #expect(frames.count < 200, "the backlog beyond the budget was dropped, not delivered")
        slow.send(maskedFrame(.close, [0x0F, 0xAB]))

        let report = try await server.serverEvents.first(within: .seconds(10), "the slow client's close") { $0.closeReport != nil }
        #expect(report.closeReport?.code == OutboundLimits.tooSlowCloseCode)
        #expect(report.closeReport?.reason == "too_slow")
        await server.stop()
    }
}

#if canImport(Glibc)
import Glibc
#endif
