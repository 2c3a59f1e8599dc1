import AtriumFuzzInput
import AtriumWebSocket
import FoundationEssentials
import Testing

/// Replays the seed corpus of `tools/fuzz`'s `fuzz-frames` (Tests/Fuzz/Corpus/fuzz-frames)
/// through the same checks the fuzzer makes, so every CI run repeats what fuzzing once
/// proved: the frame parser and the server's state machine reach the same outcome
/// whether bytes arrive whole, in pieces or one at a time, and obey every limit.
@Suite struct FuzzCorpusReplayTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus/fuzz-frames")
    static let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? []

    static let maxPayload = 1 << 12
    static let configuration = WebSocketConfiguration(maxMessageBytes: 1 << 14)
    static let deflate = PerMessageDeflateParameters(serverNoContextTakeover: true, clientNoContextTakeover: true)

    @Test func theCorpusIsThere() {
        #expect(Self.files.count >= 20, "no fuzz-frames seeds in \(Self.folder.path)")
    }

    @Test(arguments: files)
    func theFrameParserAgreesWithItselfAndReencodesExactly(file: String) throws {
        let bytes = try Self.read(file)
        for role in [WebSocketRole.server, .client] {
            for compression in [false, true] {
                let whole = Self.parse([bytes], role: role, compression: compression)
                #expect(Self.parse(Chunking.split(bytes), role: role, compression: compression) == whole, "\(role), pieces")
                #expect(Self.parse(Chunking.drip(bytes), role: role, compression: compression) == whole, "\(role), dripped")

                var reencoded: [UInt8] = []
                for frame in whole.frames {
                    #expect(frame.payload.count <= Self.maxPayload)
                    if frame.opcode.isControl { #expect(frame.fin && frame.payload.count <= 125) }
                    if frame.rsv1 { #expect(compression && !frame.opcode.isControl && frame.opcode != .continuation) }
                    let headerLength = WebSocketFrameEncoder.headerLength(payloadLength: frame.payload.count, masked: role == .server)
                    let keyOffset = reencoded.count + headerLength - 4
                    let maskKey = role == .server
                        ? bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: keyOffset, as: UInt32.self) } : nil
                    WebSocketFrameEncoder.encode(opcode: frame.opcode, fin: frame.fin, rsv1: frame.rsv1, payload: frame.payload,
                                                 maskKey: maskKey, into: &reencoded)
                }
                #expect(Array(bytes.prefix(reencoded.count)) == reencoded, "\(role): frames re-encode to the bytes they came from")
                if whole.error == nil { #expect(reencoded.count + whole.buffered == bytes.count) }
            }
        }
    }

    @Test(arguments: files)
    func theServerStateMachineAgreesWithItselfAndKeepsItsLimits(file: String) throws {
        let bytes = try Self.read(file)
        let inflater = ZlibInflater(resetsAfterEachMessage: true)
        for deflate in [false, true] {
            let whole = Self.receive([bytes], deflate: deflate, inflater: inflater)
            #expect(Self.receive(Chunking.split(bytes), deflate: deflate, inflater: inflater) == whole, "deflate \(deflate), pieces")
            #expect(Self.receive(Chunking.drip(bytes), deflate: deflate, inflater: inflater) == whole, "deflate \(deflate), dripped")

            for (index, action) in whole.enumerated() {
                switch action {
                case .deliver(let message):
                    #expect(message.data.count <= Self.configuration.maxMessageBytes)
                    if message.kind == .text { #expect(String(validating: message.data, as: UTF8.self) != nil) }
                case .write(let frameBytes):
                    var parser = WebSocketFrameParser(role: .client)
                    parser.append(frameBytes)
                    let frame = try #require(try parser.nextFrame(maxPayload: 125))
                    #expect(parser.bufferedByteCount == 0)
                    #expect(frame.opcode == .pong || frame.opcode == .close)
                    if frame.opcode == .close && frame.payload.count >= 2 {
                        #expect(WebSocketCloseCode(UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1])).isValidOnWire)
                    }
                case .closeTransport:
                    #expect(index == whole.count - 1, "closeTransport is the last action")
                }
            }
        }
    }

    // MARK: The fuzzer's operations

    struct ParseOutcome: Equatable {
        var frames: [WebSocketFrame] = []
        var error: WebSocketProtocolError?
        var buffered = 0
    }

    static func read(_ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(file)))
    }

    static func parse(_ chunks: [[UInt8]], role: WebSocketRole, compression: Bool) -> ParseOutcome {
        var parser = WebSocketFrameParser(role: role, compressionNegotiated: compression)
        var outcome = ParseOutcome()
        do {
            for chunk in chunks {
                parser.append(chunk)
                while let frame = try parser.nextFrame(maxPayload: maxPayload) { outcome.frames.append(frame) }
            }
            outcome.buffered = parser.bufferedByteCount
        } catch {
            outcome.error = error
        }
        return outcome
    }

    static func receive(_ chunks: [[UInt8]], deflate: Bool, inflater: ZlibInflater) -> [WebSocketAction] {
        let now = ContinuousClock.now
        var machine = WebSocketStateMachine(role: .server, configuration: configuration, deflate: deflate ? Self.deflate : nil,
                                            inflater: deflate ? inflater : nil, now: now)
        var actions: [WebSocketAction] = []
        for chunk in chunks { machine.receive(chunk, now: now, into: &actions) }
        _ = machine.transportClosed()
        return actions
    }
}
