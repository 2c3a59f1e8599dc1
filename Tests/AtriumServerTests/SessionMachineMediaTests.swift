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
