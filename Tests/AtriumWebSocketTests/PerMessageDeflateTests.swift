import Testing
@testable import AtriumWebSocket

@Suite struct PerMessageDeflateTests {
    private func machine(clientNoContext: Bool = true, maxMessage: Int = 1 << 20) -> WebSocketStateMachine {
        WebSocketStateMachine(
            role: .client, configuration: WebSocketConfiguration(maxMessageBytes: maxMessage),
            deflate: PerMessageDeflateParameters(serverNoContextTakeover: clientNoContext),
            deflater: nil, inflater: ZlibInflater(resetsAfterEachMessage: clientNoContext), now: .now)
    }

    private func deliver(_ bytes: [UInt8], to machine: inout WebSocketStateMachine) -> [WebSocketAction] {
        var actions: [WebSocketAction] = []
        machine.receive(bytes, now: .now, into: &actions)
        return actions
    }

    /// RFC 7692 §7.2.3.1–§7.2.3.5: every example message decodes to "Hello".
    @Test(arguments: [
        "c1 07 f2 48 cd c9 c9 07 00",
        "c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00",
        "c1 08 f3 48 cd c9 c9 07 00 00",
        "c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00",
        "41 03 f2 48 cd 80 04 c9 c9 07 00",
    ])
    func decodesTheRFCsExamples(bytes: String) {
        var machine = machine()
        let actions = deliver(hex(bytes), to: &machine)
        #expect(actions == [.deliver(.text("Hello"))])
    }

    /// §7.2.3.2: the second message refers back into the first one's window.
    @Test func decodesASharedWindowWhenContextIsKept() {
        var machine = machine(clientNoContext: false)
        let actions = deliver(hex("c1 07 f2 48 cd c9 c9 07 00") + hex("c1 05 f2 00 11 00 00"), to: &machine)
        #expect(actions == [.deliver(.text("Hello")), .deliver(.text("Hello"))])
    }

    @Test func compressesHelloToTheRFCsBytes() {
        let deflater = ZlibDeflater(windowBits: 15, resetsAfterEachMessage: true)
        #expect(deflater.compress(Array("Hello".utf8)) == hex("f2 48 cd c9 c9 07 00"))
        // Reset between messages: the second message is compressed alone, not as a back-reference.
        #expect(deflater.compress(Array("Hello".utf8)) == hex("f2 48 cd c9 c9 07 00"))
    }

    @Test func stopsADecompressionBombAtTheMessageLimit() throws {
        let bomb = ZlibDeflater(windowBits: 15, resetsAfterEachMessage: true).compress([UInt8](repeating: 0, count: 4 << 20))
        #expect(bomb.count < 10_000)
        var frame: [UInt8] = []
        WebSocketFrameEncoder.encode(opcode: .binary, rsv1: true, payload: bomb, into: &frame)
        var machine = machine(maxMessage: 1 << 20)
        let actions = deliver(frame, to: &machine)
        #expect(actions.last?.closeReport?.code == .messageTooBig)
        #expect(actions.contains { $0.delivered != nil } == false)
    }

    @Test func closesWith1007OnCorruptCompressedData() {
        var machine = machine()
        let actions = deliver(hex("c1 04 ff ff ff ff"), to: &machine)
        #expect(actions.last?.closeReport?.code == .invalidPayloadData)
    }

    @Test func closesWith1007OnInvalidUTF8InsideACompressedText() {
        let compressed = ZlibDeflater(windowBits: 15, resetsAfterEachMessage: true).compress(hex("ED A0 80"))
        var frame: [UInt8] = []
        WebSocketFrameEncoder.encode(opcode: .text, rsv1: true, payload: compressed, into: &frame)
        var machine = machine()
        #expect(deliver(frame, to: &machine).last?.closeReport?.code == .invalidPayloadData)
    }

    @Test func sendsSmallMessagesUncompressedAndLargeOnesCompressed() {
        var machine = WebSocketStateMachine(
            role: .server, deflate: PerMessageDeflateParameters(serverNoContextTakeover: true),
            deflater: ZlibDeflater(windowBits: 15, resetsAfterEachMessage: true),
            inflater: ZlibInflater(resetsAfterEachMessage: true), now: .now)
        var small: [UInt8] = []
        machine.encode(.text("hi"), into: &small)
        #expect(small == hex("81 02 68 69"))
        var large: [UInt8] = []
        let text = String(repeating: "cheer for the participants! ", count: 40)
        machine.encode(.text(text), into: &large)
        #expect(large[0] == 0xC1)
        #expect(large.count < text.utf8.count / 4)

        var reader = self.machine()
        #expect(deliver(large, to: &reader) == [.deliver(.text(text))])
    }

    // MARK: Negotiation

    private func negotiate(_ header: String, _ configuration: PerMessageDeflateConfiguration = .init()) -> PerMessageDeflateParameters? {
        let offers = WebSocketExtensionElement.parse([header]) ?? []
        return PerMessageDeflateParameters.negotiate(offers: offers, configuration: configuration)
    }

    @Test func acceptsAPlainOfferWithOurMemorySavingDefaults() {
        let agreed = negotiate("permessage-deflate")
        #expect(agreed == PerMessageDeflateParameters(serverNoContextTakeover: true, clientNoContextTakeover: true))
        #expect(agreed?.responseElement.headerValue == "permessage-deflate; server_no_context_takeover; client_no_context_takeover")
    }

    @Test func honoursTheOfferedWindowSizes() {
        let agreed = negotiate("permessage-deflate; server_max_window_bits=10; client_max_window_bits=12")
        #expect(agreed?.serverMaxWindowBits == 10)
        #expect(agreed?.clientMaxWindowBits == 12)
        let plain = negotiate("permessage-deflate; client_max_window_bits")
        #expect(plain?.clientMaxWindowBits == nil)
    }

    @Test func keepsContextWhenConfiguredAndNotAsked() {
        let configuration = PerMessageDeflateConfiguration(noContextTakeoverForOwnMessages: false, noContextTakeoverForPeerMessages: false)
        #expect(negotiate("permessage-deflate", configuration) == PerMessageDeflateParameters())
        #expect(negotiate("permessage-deflate; server_no_context_takeover", configuration)?.serverNoContextTakeover == true)
    }

    @Test(arguments: [
        "permessage-deflate; unknown_param",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; client_max_window_bits=010",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "permessage-deflate; server_no_context_takeover=1",
        "x-webkit-deflate-frame",
    ])
    func declinesOffersItCannotHonour(header: String) {
        #expect(negotiate(header) == nil)
    }

    @Test func fallsBackToALaterOfferWhenTheFirstIsDeclined() {
        let agreed = negotiate("permessage-deflate; foo=1, permessage-deflate; server_max_window_bits=11")
        #expect(agreed?.serverMaxWindowBits == 11)
    }

    @Test func parsesQuotedParameterValues() {
        #expect(negotiate("permessage-deflate; client_max_window_bits=\"10\"")?.clientMaxWindowBits == 10)
    }

    @Test func disabledConfigurationNeverAccepts() {
        #expect(negotiate("permessage-deflate", .disabled) == nil)
    }

    @Test func clientRejectsAResponseItDidNotOffer() throws {
        let offered = PerMessageDeflateParameters.offer(configuration: .init())
        #expect(throws: WebSocketHandshakeError.unexpectedExtension) {
            _ = try PerMessageDeflateParameters.acceptResponse(WebSocketExtensionElement.parse(["permessage-deflate; foo"])!, offered: offered)
        }
        #expect(throws: WebSocketHandshakeError.unexpectedExtension) {
            _ = try PerMessageDeflateParameters.acceptResponse(WebSocketExtensionElement.parse(["permessage-deflate"])!, offered: nil)
        }
        let agreed = try PerMessageDeflateParameters.acceptResponse(
            WebSocketExtensionElement.parse(["permessage-deflate; server_no_context_takeover; client_max_window_bits=9"])!, offered: offered)
        #expect(agreed == PerMessageDeflateParameters(serverNoContextTakeover: true, clientMaxWindowBits: 9))
    }
}
