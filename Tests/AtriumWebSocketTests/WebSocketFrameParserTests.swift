import Testing
@testable import AtriumWebSocket

@Suite struct WebSocketFrameParserTests {
    /// RFC 6455 §5.7, the examples a server sends (unmasked), parsed by the client side.
    @Test(arguments: [
        ("81 05 48 65 6c 6c 6f", WebSocketFrame(opcode: .text, payload: Array("Hello".utf8))),
        ("89 05 48 65 6c 6c 6f", WebSocketFrame(opcode: .ping, payload: Array("Hello".utf8))),
    ])
    func decodesTheRFCsUnmaskedExamples(bytes: String, expected: WebSocketFrame) throws {
        let frames = try parseAll([hex(bytes)], role: .client).get()
        #expect(frames == [expected])
    }

    @Test func decodesTheRFCsMaskedExamples() throws {
        let text = try parseAll([hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")], role: .server).get()
        #expect(text == [WebSocketFrame(opcode: .text, payload: Array("Hello".utf8))])
        let pong = try parseAll([hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58")], role: .server).get()
        #expect(pong == [WebSocketFrame(opcode: .pong, payload: Array("Hello".utf8))])
    }

    @Test func decodesTheRFCsFragmentedExample() throws {
        let frames = try parseAll([hex("01 03 48 65 6c 80 02 6c 6f")], role: .client).get()
        #expect(frames == [
            WebSocketFrame(fin: false, opcode: .text, payload: Array("Hel".utf8)),
            WebSocketFrame(opcode: .continuation, payload: Array("lo".utf8)),
        ])
    }

    @Test func decodesSixteenAndSixtyFourBitLengths() throws {
        let medium = [UInt8](repeating: 7, count: 256)
        let large = [UInt8](repeating: 9, count: 65536)
        let frames = try parseAll([hex("82 7E 0100") + medium + hex("82 7F 0000000000010000") + large], role: .client).get()
        #expect(frames.map(\.payload) == [medium, large])
    }

    @Test func encoderProducesTheRFCsBytes() {
        var unmasked: [UInt8] = []
        WebSocketFrameEncoder.encode(opcode: .text, payload: Array("Hello".utf8), into: &unmasked)
        #expect(unmasked == hex("81 05 48 65 6c 6c 6f"))

        var masked: [UInt8] = []
        let key = hex("37 fa 21 3d").withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        WebSocketFrameEncoder.encode(opcode: .text, payload: Array("Hello".utf8), maskKey: key, into: &masked)
        #expect(masked == hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"))
    }

    /// Any split of a byte stream into chunks decodes to the same frames.
    @Test(arguments: 0..<40)
    func anySplitDecodesToTheSameFrames(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        var stream: [UInt8] = []
        var expected: [WebSocketFrame] = []
        for _ in 0..<Int.random(in: 1...12, using: &generator) {
            let length = [0, 1, 125, 126, 127, 300, 70_000].randomElement(using: &generator)!
            let payload = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let opcode: WebSocketOpcode = length <= 125 && Bool.random(using: &generator) ? .ping : .binary
            let key = UInt32.random(in: 0...UInt32.max, using: &generator)
            WebSocketFrameEncoder.encode(opcode: opcode, payload: payload, maskKey: key, into: &stream)
            expected.append(WebSocketFrame(opcode: opcode, payload: payload))
        }
        let whole = try parseAll([stream], role: .server).get()
        let byteByByte = try parseAll(stream.map { [$0] }, role: .server).get()
        let random = try parseAll(randomChunks(stream, using: &generator), role: .server).get()
        #expect(whole == expected)
        #expect(byteByByte == expected)
        #expect(random == expected)
    }

    @Test(arguments: [
        ("81 05 48 65 6c 6c 6f", WebSocketProtocolError.maskRequired, WebSocketRole.server),
        ("81 85 37 fa 21 3d 7f 9f 4d 51 58", .maskForbidden, .client),
        ("83 80 00 00 00 00", .reservedOpcode(3), .server),
        ("8B 80 00 00 00 00", .reservedOpcode(0xB), .server),
        ("A1 80 00 00 00 00", .reservedBitsSet, .server),
        ("91 80 00 00 00 00", .reservedBitsSet, .server),
        ("C1 80 00 00 00 00", .unexpectedCompressionBit, .server),
        ("09 80 00 00 00 00", .fragmentedControlFrame, .server),
        ("89 FE 00 7E 00 00 00 00", .controlFrameTooLong(126), .server),
        ("82 FE 00 05 00 00 00 00", .nonMinimalLength, .server),
        ("82 FF 80 00 00 00 00 00 00 00", .lengthMostSignificantBitSet, .server),
    ])
    func rejectsFramesThatBreakTheRFC(bytes: String, error: WebSocketProtocolError, role: WebSocketRole) {
        #expect(parseAll([hex(bytes)], role: role) == .failure(error))
    }

    @Test func refusesAGigabyteFromTheHeaderAlone() {
        // Fourteen bytes declaring 1 GiB: refused before any payload is buffered.
        let header = hex("82 FF 00 00 00 00 40 00 00 00 01 02 03 04")
        #expect(parseAll([header], role: .server, maxPayload: 1 << 20) == .failure(.messageTooBig(limit: 1 << 20)))
    }

    @Test func acceptsRSV1OnlyOnTheFirstDataFrameOnceCompressionIsAgreed() {
        #expect((try? parseAll([hex("C1 80 00 00 00 00")], role: .server, compression: true).get())?.first?.rsv1 == true)
        #expect(parseAll([hex("C0 80 00 00 00 00")], role: .server, compression: true) == .failure(.unexpectedCompressionBit))
        #expect(parseAll([hex("C9 80 00 00 00 00")], role: .server, compression: true) == .failure(.unexpectedCompressionBit))
    }

    @Test func releasesALargeBufferOnceDrained() throws {
        var parser = WebSocketFrameParser(role: .client)
        var bytes: [UInt8] = []
        WebSocketFrameEncoder.encode(opcode: .binary, payload: [UInt8](repeating: 1, count: 100_000), into: &bytes)
        parser.append(bytes)
        _ = try parser.nextFrame(maxPayload: 1 << 20)
        #expect(parser.bufferedByteCount == 0)
    }
}
