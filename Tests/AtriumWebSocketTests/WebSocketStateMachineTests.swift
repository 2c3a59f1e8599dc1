import Testing
@testable import AtriumWebSocket

@Suite struct WebSocketStateMachineTests {
    let start = ContinuousClock.now
    let configuration = WebSocketConfiguration(
        maxMessageBytes: 1000, pingInterval: .seconds(20), deadPeerTimeout: .seconds(60), closeTimeout: .seconds(5))

    private func server() -> WebSocketStateMachine {
        WebSocketStateMachine(role: .server, configuration: configuration, now: start)
    }

    /// Client-side frames as a browser would send them.
    private func clientFrame(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true) -> [UInt8] {
        var bytes: [UInt8] = []
        WebSocketFrameEncoder.encode(opcode: opcode, fin: fin, payload: payload, maskKey: 0x1234_5678, into: &bytes)
        return bytes
    }

    private func serverFrame(_ opcode: WebSocketOpcode, _ payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        WebSocketFrameEncoder.encode(opcode: opcode, payload: payload, into: &bytes)
        return bytes
    }

    private func feed(_ machine: inout WebSocketStateMachine, _ bytes: [UInt8], after seconds: Int = 0) -> [WebSocketAction] {
        var actions: [WebSocketAction] = []
        machine.receive(bytes, now: start + .seconds(seconds), into: &actions)
        return actions
    }

    @Test func deliversATextMessage() {
        var machine = server()
        #expect(feed(&machine, clientFrame(.text, Array("hello".utf8))) == [.deliver(.text("hello"))])
    }

    @Test func answersAPingWithAPongCarryingTheSamePayload() {
        var machine = server()
        #expect(feed(&machine, clientFrame(.ping, [1, 2, 3])) == [.write(serverFrame(.pong, [1, 2, 3]))])
    }

    @Test func reassemblesFragmentsWithControlFramesInBetween() {
        var machine = server()
        let bytes = clientFrame(.text, Array("Hel".utf8), fin: false) + clientFrame(.ping, [])
            + clientFrame(.continuation, Array("lo ".utf8), fin: false) + clientFrame(.pong, [])
            + clientFrame(.continuation, Array("world".utf8))
        #expect(feed(&machine, bytes) == [.write(serverFrame(.pong, [])), .deliver(.text("Hello world"))])
    }

    @Test func validatesUTF8AcrossFragmentBoundaries() {
        var machine = server()
        // "€" split between two fragments is fine.
        let good = clientFrame(.text, hex("E2 82"), fin: false) + clientFrame(.continuation, hex("AC"))
        #expect(feed(&machine, good) == [.deliver(.text("€"))])
        // A surrogate's first bytes in one fragment fail before the message ends.
        var other = server()
        let actions = feed(&other, clientFrame(.text, hex("ED A0"), fin: false))
        #expect(actions.last?.closeReport?.code == .invalidPayloadData)
        #expect(actions.first?.written == serverFrame(.close, WebSocketFrameEncoder.closePayload(code: .invalidPayloadData, reason: "invalid UTF-8")))
    }

    @Test func rejectsATextMessageThatEndsInsideACodePoint() {
        var machine = server()
        #expect(feed(&machine, clientFrame(.text, hex("E2 82"))).last?.closeReport?.code == .invalidPayloadData)
    }

    @Test(arguments: [
        ([WebSocketOpcode.continuation], WebSocketProtocolError.continuationWithoutStart),
        ([.text, .binary], .dataFrameDuringFragmentedMessage),
    ])
    func rejectsBrokenFragmentSequences(opcodes: [WebSocketOpcode], error: WebSocketProtocolError) {
        var machine = server()
        let bytes = opcodes.flatMap { clientFrame($0, [0x61], fin: false) }
        let report = feed(&machine, bytes).last?.closeReport
        #expect(report == WebSocketCloseReport(code: .protocolError, reason: error.reason, origin: .local))
    }

    @Test func limitsTheReassembledSizeNotJustEachFrame() {
        var machine = server()
        let chunk = [UInt8](repeating: 0x61, count: 400)
        let bytes = clientFrame(.binary, chunk, fin: false) + clientFrame(.continuation, chunk, fin: false)
            + clientFrame(.continuation, chunk)
        #expect(feed(&machine, bytes).last?.closeReport?.code == .messageTooBig)
    }

    @Test func echoesThePeersCloseAndClosesTheTransport() {
        var machine = server()
        let payload = WebSocketFrameEncoder.closePayload(code: .goingAway, reason: "bye")
        let actions = feed(&machine, clientFrame(.close, payload))
        #expect(actions == [
            .write(serverFrame(.close, hex("03 E9"))),
            .closeTransport(WebSocketCloseReport(code: .goingAway, reason: "bye", origin: .peer)),
        ])
        #expect(!machine.isOpen)
    }

    @Test func answersAnEmptyCloseWithAnEmptyClose() {
        var machine = server()
        let actions = feed(&machine, clientFrame(.close, []))
        #expect(actions.first?.written == serverFrame(.close, []))
        #expect(actions.last?.closeReport?.code == .noStatusReceived)
    }

    @Test(arguments: [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535] as [UInt16])
    func rejectsCloseCodesThatMayNotBeSent(code: UInt16) {
        var machine = server()
        let actions = feed(&machine, clientFrame(.close, [UInt8(code >> 8), UInt8(code & 0xFF)]))
        #expect(actions.last?.closeReport?.code == .protocolError)
    }

    @Test(arguments: [1000, 1001, 1003, 1007, 1011, 1014, 3000, 4999] as [UInt16])
    func acceptsCloseCodesThatMayBeSent(code: UInt16) {
        var machine = server()
        let actions = feed(&machine, clientFrame(.close, [UInt8(code >> 8), UInt8(code & 0xFF)]))
        #expect(actions.last?.closeReport == WebSocketCloseReport(code: WebSocketCloseCode(code), reason: "", origin: .peer))
    }

    @Test func rejectsACloseReasonThatIsNotUTF8() {
        var machine = server()
        #expect(feed(&machine, clientFrame(.close, hex("03 E8 ED A0 80"))).last?.closeReport?.code == .invalidPayloadData)
    }

    @Test func rejectsAOneByteClosePayload() {
        var machine = server()
        #expect(feed(&machine, clientFrame(.close, [0x03])).last?.closeReport?.code == .protocolError)
    }

    @Test func completesACloseWeStartedWhenThePeerAnswers() {
        var machine = server()
        var actions: [WebSocketAction] = []
        machine.close(code: .goingAway, reason: "restart", now: start, into: &actions)
        #expect(actions == [.write(serverFrame(.close, WebSocketFrameEncoder.closePayload(code: .goingAway, reason: "restart")))])
        // Data after our close is discarded; the peer's close ends it.
        let later = feed(&machine, clientFrame(.text, Array("late".utf8)) + clientFrame(.close, hex("03 E9")))
        #expect(later == [.closeTransport(WebSocketCloseReport(code: .goingAway, reason: "restart", origin: .local))])
    }

    @Test func closesTheTransportWhenThePeerNeverAnswersOurClose() {
        var machine = server()
        var actions: [WebSocketAction] = []
        machine.close(code: .goingAway, now: start, into: &actions)
        actions.removeAll()
        machine.tick(now: start + .seconds(4), into: &actions)
        #expect(actions.isEmpty)
        machine.tick(now: start + .seconds(5), into: &actions)
        #expect(actions.last?.closeReport?.code == .goingAway)
    }

    @Test func pingsAnIdlePeerOnceAndDropsADeadOne() {
        var machine = server()
        var actions: [WebSocketAction] = []
        machine.tick(now: start + .seconds(19), into: &actions)
        #expect(actions.isEmpty)
        machine.tick(now: start + .seconds(20), into: &actions)
        #expect(actions == [.write(serverFrame(.ping, []))])
        actions.removeAll()
        machine.tick(now: start + .seconds(30), into: &actions)
        #expect(actions.isEmpty)
        machine.tick(now: start + .seconds(60), into: &actions)
        #expect(actions.last?.closeReport?.code == .abnormalClosure)
    }

    @Test func aPongResetsTheDeadPeerTimer() {
        var machine = server()
        var actions: [WebSocketAction] = []
        machine.tick(now: start + .seconds(20), into: &actions)
        _ = feed(&machine, clientFrame(.pong, []), after: 25)
        actions.removeAll()
        machine.tick(now: start + .seconds(70), into: &actions)
        #expect(actions == [.write(serverFrame(.ping, []))])
    }

    @Test func clientMasksEveryFrameWithAFreshKey() {
        var client = WebSocketStateMachine(role: .client, now: start)
        var first: [UInt8] = []
        var second: [UInt8] = []
        client.encode(.text("same"), into: &first)
        client.encode(.text("same"), into: &second)
        #expect(first[1] & 0x80 != 0)
        #expect(first[2..<6] != second[2..<6])
        var server = self.server()
        #expect(feed(&server, first + second) == [.deliver(.text("same")), .deliver(.text("same"))])
    }

    @Test func reportsALostTransportAs1006() {
        var machine = server()
        #expect(machine.transportClosed().code == .abnormalClosure)
    }

    @Test func sendsNothingOnceClosing() {
        var machine = server()
        var actions: [WebSocketAction] = []
        machine.close(code: .normalClosure, now: start, into: &actions)
        var output: [UInt8] = []
        #expect(machine.encode(.text("x"), into: &output) == false)
        #expect(output.isEmpty)
    }
}
