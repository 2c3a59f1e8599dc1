import AtriumProtocol
@testable import AtriumServer
import AtriumWebSocket
import AtriumWorld
import Testing

/// The session's media rules with a manual clock: signalling limits, media reports, and
/// the renewal of ICE servers.
@Suite struct SessionMachineMediaTests {
    typealias T = SessionMachineTests

    static func signal(to: UInt32, _ data: String) -> [UInt8] {
        ClientMessages.RTCSignal(to: to, data: data).encoded()
    }

    @Test func aSignalGoesToTheRoomAndMediaBecomesARoomInput() {
        var machine = T.joined()
        #expect(machine.receive(text: Self.signal(to: 9, "offer"), now: T.at(1)) == [.submit(.signal(T.client, to: 9, data: "offer"))])
        #expect(machine.receive(text: T.json(#"{"type":"media","mic":true}"#), now: T.at(1))
            == [.submit(.media(T.client, MediaChange(mic: true)))])
    }

    @Test func aSignalAtTheLimitPassesAndOneByteMoreEndsTheSession() {
        var settings = SessionSettings()
        settings.maxSignalBytes = 100
        settings.maxSignalMessageBytes = 400
        var machine = T.joined(settings)
        // Quotes double in JSON: the message is larger than the data, and still accepted.
        let quotes = String(repeating: "\"", count: 100)
        #expect(machine.receive(text: Self.signal(to: 9, quotes), now: T.at(1)) == [.submit(.signal(T.client, to: 9, data: quotes))])
        #expect(machine.receive(text: Self.signal(to: 9, String(repeating: "x", count: 101)), now: T.at(1)) == [
            T.error(.messageTooLarge, "rtc_signal data is limited to 100 bytes"), .close(.policyViolation, reason: "message_too_large"),
        ])
        #expect(machine.phase == .closed)
    }

    @Test func otherMessagesKeepTheJSONLimitThatSignalsMayExceed() {
        var settings = SessionSettings()
        settings.maxJSONMessageBytes = 256
        settings.maxSignalMessageBytes = 1024
        var machine = T.joined(settings)
        let longStatus = ClientMessages.Status(text: String(repeating: "a", count: 400)).encoded()
        #expect(machine.receive(text: longStatus, now: T.at(1)) == [T.error(.messageTooLarge, "JSON messages are limited to 256 bytes")])
        let longSignal = Self.signal(to: 9, String(repeating: "a", count: 400))
        #expect(machine.receive(text: longSignal, now: T.at(1)).count == 1)
    }

    @Test func aFloodOfSignalsEndsTheSessionWhileTheBurstPasses() {
        var settings = SessionSettings()
        settings.signalRate = RateLimit(perSecond: 2, burst: 3)
        var machine = T.joined(settings)
        for index in 0..<3 {
            #expect(machine.receive(text: Self.signal(to: 9, "c\(index)"), now: T.at(1)) == [.submit(.signal(T.client, to: 9, data: "c\(index)"))])
        }
        #expect(machine.receive(text: Self.signal(to: 9, "c3"), now: T.at(1)) == [
            T.error(.rateLimited, "too many rtc_signal messages"), .close(.policyViolation, reason: "rate_limited"),
        ])
        #expect(machine.receive(text: Self.signal(to: 9, "c4"), now: T.at(5)) == [])
    }

    /// A client that only follows the room's peer set is never closed: walking through a
    /// crowd, each new peer brings the signals its negotiation takes; the same set again
    /// brings nothing, the grants stop at one per peer the room allows at once, and past
    /// them the steady rate still ends a flood.
    @Test func eachNewPeerBringsTheSignalsItsNegotiationTakes() {
        var settings = SessionSettings()
        settings.signalRate = RateLimit(perSecond: 1, burst: 2)
        settings.signalsPerNewPeer = 3
        settings.maxConversationPeers = 2
        var machine = T.joined(settings)
        func sends(_ count: Int) -> Bool {
            (0..<count).allSatisfy { machine.receive(text: Self.signal(to: 9, "c\($0)"), now: T.at(1)).count == 1 }
        }
        #expect(sends(2))
        machine.conversationChanged(to: [9])
        machine.conversationChanged(to: [9])
        #expect(sends(3), "one new peer: three signals, however often the set is repeated")
        machine.conversationChanged(to: [4, 9, 12])
        #expect(sends(6), "two new peers: six more")
        // Five new peers at once grant no more than the burst and two peers' worth.
        machine.conversationChanged(to: [])
        machine.conversationChanged(to: [1, 2, 3, 5, 6])
        #expect(sends(8))
        #expect(machine.receive(text: Self.signal(to: 9, "one too many"), now: T.at(1)) == [
            T.error(.rateLimited, "too many rtc_signal messages"), .close(.policyViolation, reason: "rate_limited"),
        ])
    }

    @Test func iceServersFollowTheWelcomeAndAreRenewedBeforeTheyExpire() {
        var settings = SessionSettings()
        settings.hasIceServers = true
        settings.iceRefresh = .seconds(450)
        var machine = T.joined(settings)
        #expect(machine.welcomed(now: T.at(2)) == [.sendIceServers, .setTimer(.iceRefresh, at: T.at(452))])
        #expect(machine.timerFired(.iceRefresh, now: T.at(452)) == [.sendIceServers, .setTimer(.iceRefresh, at: T.at(902))])
        _ = machine.connectionClosed()
        #expect(machine.timerFired(.iceRefresh, now: T.at(902)) == [])
        // Without TURN nothing expires, so nothing is renewed; with nothing configured
        // nothing is sent at all.
        var stunOnly = SessionSettings()
        stunOnly.hasIceServers = true
        #expect(T.joined(stunOnly).welcomed(now: T.at(2)) == [.sendIceServers])
        #expect(T.joined().welcomed(now: T.at(2)) == [])
    }
}
