import FoundationEssentials
import Testing
import AtriumProtocol

/// Replays the seed corpora of `tools/fuzz`'s `fuzz-json` and `fuzz-binary`
/// (Tests/Fuzz/Corpus/) through the same checks the fuzzers make: every decoder returns a
/// value or its typed error, a JSON message survives encoding and decoding again, and a
/// binary message encodes back to the very bytes it was decoded from.
@Suite struct FuzzCorpusReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus")
    static let jsonFiles = files("fuzz-json")
    static let binaryFiles = files("fuzz-binary")

    @Test func theCorporaAreThere() {
        #expect(Self.jsonFiles.count >= 20, "no fuzz-json seeds in \(Self.corpus.path)")
        #expect(Self.binaryFiles.count >= 10, "no fuzz-binary seeds in \(Self.corpus.path)")
    }

    @Test(arguments: jsonFiles)
    func aDecodedJSONMessageSurvivesEncodingAgain(file: String) throws {
        let bytes = try Self.read("fuzz-json", file)
        do {
            let message = try ClientMessages.decode(bytes)
            #expect(try ClientMessages.decode(message.encoded()).isEqual(to: message))
        } catch {
            #expect(!error.message.isEmpty)
            if case .unknownType(let type) = error { #expect(JSONMessage.type(of: bytes) == type) }
        }
        do {
            let message = try ServerMessages.decode(bytes)
            #expect(try ServerMessages.decode(message.encoded()).isEqual(to: message))
        } catch {
            if case .unknownType(let type) = error { #expect(JSONMessage.type(of: bytes) == type) }
        }
    }

    @Test(arguments: binaryFiles)
    func aDecodedBinaryMessageEncodesToTheSameBytes(file: String) throws {
        let bytes = try Self.read("fuzz-binary", file)
        if let input = try? MoveInput.decode(bytes) {
            // Direction (0, 0) means stop (Protocol/README.md) and is the one accepted alias.
            let canonical = bytes.count == 8 && bytes[5] == 1 && bytes[6] == 0 && bytes[7] == 0 ? Array(bytes[0..<5]) + [0] : bytes
            #expect(input.encoded() == canonical)
        }
        if let message = try? StateMessage.decode(bytes) {
            #expect(message.encoded() == bytes)
            let fits = [message.entered.count, message.moved.count, message.updated.count, message.left.count].allSatisfy { $0 <= 2 }
            let bounded = try? StateMessage.decode(bytes, maxEntries: 2)
            #expect(fits ? bounded == message : bounded == nil)
        }
    }

    // MARK: Regressions found by fuzz-binary

    /// Flag bits other than snapshot were dropped, so two different messages decoded alike.
    @Test func aStateMessageWithAnUnknownFlagBitIsRefused() throws {
        let bytes: [UInt8] = [0x01, 0x02, 0x14, 0, 0, 0, 0x05, 0, 0, 0, 0, 0, 0, 0]
        #expect(throws: StateMessage.DecodingError.unknownFlags(0x02)) { try StateMessage.decode(bytes) }
        var snapshot = bytes
        snapshot[1] = 0x01
        #expect(try StateMessage.decode(snapshot) == StateMessage(snapshot: true, tick: 20, ack: 5))
    }

    /// `80 00` read as 0, so a count or id had more than one encoding.
    @Test func aVarintLongerThanItsValueNeedsIsRefused() throws {
        let bytes: [UInt8] = [0x01, 0x00, 0x27, 0x1D, 0, 0, 0x27, 0, 0x05, 0, 0x00, 0x00, 0x80, 0x00, 0x00]
        #expect(throws: StateMessage.DecodingError.malformed(.varintNotMinimal)) { try StateMessage.decode(bytes) }
        for encoding: [UInt8] in [[0x80, 0x00], [0xFF, 0x00], [0x80, 0x80, 0x00]] {
            var reader = BinaryReader(encoding)
            #expect(throws: BinaryReader.Failure.varintNotMinimal) { try reader.varint() }
        }
        var zero = BinaryReader([0x00])
        #expect(try zero.varint() == 0)
    }

    // MARK: The corpus

    static func files(_ fuzzer: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: corpus.appendingPathComponent(fuzzer).path).sorted()) ?? []
    }

    static func read(_ fuzzer: String, _ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: corpus.appendingPathComponent(fuzzer).appendingPathComponent(file)))
    }
}
