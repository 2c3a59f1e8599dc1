import AtriumNet
import AtriumTestSupport
import AtriumWebSocket
import Testing

/// The memory bound of one connection's output: state coalesced to at most one frame,
/// reliable messages delivered in order or the connection closed with 4011, and a peer
/// that stops reading never making the server hold more than the budget plus one state.
/// The non-reading peers are raw sockets with a tiny receive buffer, so the kernel's
/// buffers fill after a few KiB and the server's own queues are what is measured.
@Suite struct OutboundBudgetTests {
    /// `/states?n=50` sends fifty state messages, each followed by a text, within one turn
    /// of the I/O queue: every text arrives, and of the states only the newest.
    @Test func aStateNotYetWrittenIsReplacedByTheNewerOne() async throws {
        let server = try TestServer()
        let (_, client) = try await connectClient(server.url("/states?n=50"), group: server.group)
        var texts: [String] = []
        var states: [[UInt8]] = []
        while texts.count < 50 {
            guard case .message(let message) = try await client.events.next(within: .seconds(10), "text \(texts.count)") else {
                Issue.record("the connection closed")
                break
            }
            if message.kind == .text {
                texts.append(String(decoding: message.data, as: UTF8.self))
            } else {
                states.append(message.data)
            }
        }
        #expect(texts == (0..<50).map { "\($0)" }, "every reliable message, in order")
        #expect(states == [[49]], "one state, the newest")
        await server.stop()
    }

    /// A producer that sends state only while ``WebSocketChannel/isStateBehind`` is false
    /// (as the room does) to a peer that does not read: once the socket is full the
    /// producer is held back, the server never holds more than one state frame, the
    /// connection stays open (state never counts against the budget), and when the peer
    /// reads again it gets every frame that was sent, the newest last.
    @Test func aPeerThatStopsReadingCostsAtMostOneStateFrame() async throws {
        let server = try TestServer()
        let peer = try RawSocket(port: server.port, receiveBuffer: 4096)
        let upgrade = peer.upgrade("/hold")
        #expect(upgrade.statusLine == "HTTP/1.1 101 Switching Protocols")
        let channel = try await server.serverChannels.next(within: .seconds(5), "the server's channel")
        let frameSize = 16 * 1024

        var produced = 0
        var heldBack = 0
        var mostQueued = 0
        let deadline = ContinuousClock.now + .seconds(20)
        // Until the kernel refused bytes (some wait in the server) and the producer was
        // then held back many times over.
        while !(mostQueued > 0 && heldBack >= 1_000) && ContinuousClock.now < deadline {
            if channel.isStateBehind {
                heldBack += 1
            } else {
                var frame = [UInt8](repeating: 0x5A, count: frameSize)
                frame[0] = UInt8(produced >> 8)
                frame[1] = UInt8(produced & 0xFF)
                channel.send(state: frame)
                produced += 1
            }
            mostQueued = max(mostQueued, channel.connection.queuedBytes)
            await Task.yield()
        }
        // The state frame waiting does not count against the reliable budget.
        #expect(channel.pendingReliableBytes == 0)
        #expect(mostQueued > 0 && heldBack >= 1_000, "the socket filled and the producer was held back")
        #expect(mostQueued <= frameSize + 14, "at most one state frame waited in the server")

        let last = produced - 1
        let received = upgrade.rest + peer.read { bytes in
            serverFrames(upgrade.rest + bytes).last.map { Int($0.payload[0]) << 8 | Int($0.payload[1]) == last } ?? false
        }
        let indices = serverFrames(received).map { Int($0.payload[0]) << 8 | Int($0.payload[1]) }
        #expect(indices == Array(0..<produced), "every frame sent arrived, in order, the newest last")
        channel.close()
        await server.stop()
    }

    /// Reliable messages to a peer that does not read: they are delivered in order up to
    /// the budget, then the backlog is dropped and the connection closed with 4011
    /// `too_slow`. What the peer finally reads is an unbroken run from the first message,
    /// then the close: none was skipped in the middle, and the server never held more
    /// than the budget.
    @Test func reliableMessagesAreDeliveredInOrderOrTheConnectionClosesWith4011() async throws {
        let budget = 64 * 1024
        let server = try TestServer(limits: OutboundLimits(reliableBudget: budget))
        let peer = try RawSocket(port: server.port, receiveBuffer: 4096)
        let upgrade = peer.upgrade("/hold")
        let channel = try await server.serverChannels.next(within: .seconds(5), "the server's channel")
        let padding = String(repeating: "x", count: 1000)

        var mostPending = 0
        var mostQueued = 0
        for index in 0..<2_000 {
            channel.send(text: "\(index) \(padding)")
            mostPending = max(mostPending, channel.pendingReliableBytes)
            mostQueued = max(mostQueued, channel.connection.queuedBytes)
            if index % 16 == 0 { await Task.yield() }
        }
        // The socket's queue never passes the budget; the count may see the message being
        // moved from the inbox to it twice for a moment, never less than what waits.
        #expect(mostQueued <= budget)
        #expect(mostPending <= budget + 1_100)

        let received = upgrade.rest + peer.read { bytes in closeCode(of: serverFrames(upgrade.rest + bytes).last) != nil }
        let frames = serverFrames(received)
        let close = try #require(frames.last)
        #expect(closeCode(of: close) == 4011)
        #expect(String(decoding: close.payload.dropFirst(2), as: UTF8.self) == "too_slow")
        let numbers = frames.dropLast().map { Int(String(decoding: $0.payload.prefix { $0 != 0x20 }, as: UTF8.self)) }
        #expect(!numbers.isEmpty && numbers.count < 2_000)
        #expect(numbers == (0..<numbers.count).map { Optional($0) }, "an unbroken run from the first message")
        peer.send(maskedFrame(.close, [0x0F, 0xAB]))

        let report = try await server.serverEvents.first(within: .seconds(10), "the close") { $0.closeReport != nil }
        #expect(report.closeReport?.code.rawValue == 4011)
        await server.stop()
    }
}
