import FoundationEssentials
import Testing
@testable import AtriumProtocol

/// The shared hex vectors of `Protocol/vectors.json`, which the JavaScript client's
/// tests read too: both sides agree on every byte.
@Suite struct ProtocolVectorTests {
    struct Vectors: Decodable {
        struct MoveVector: Decodable {
            struct Value: Decodable {
                struct Intent: Decodable {
                    var mode: String
                    var dx: Int8?
                    var dy: Int8?
                    var x: UInt16?
                    var y: UInt16?
                }
                var sequence: UInt32
                var intent: Intent
            }
            var name: String
            var hex: String
            var value: Value
        }

        struct StateVector: Decodable {
            struct Value: Decodable {
                struct MotionValue: Decodable {
                    var x: UInt16, y: UInt16, vx: Int8, vy: Int8
                }
                struct InfoValue: Decodable {
                    var role: UInt8, flags: UInt8, appearance: UInt8, emote: UInt8, name: String, status: String
                }
                struct EnterValue: Decodable { var id: UInt32; var motion: MotionValue; var info: InfoValue }
                struct MoveValue: Decodable { var id: UInt32; var motion: MotionValue }
                struct UpdateValue: Decodable { var id: UInt32; var info: InfoValue }
                var snapshot: Bool
                var tick: UInt32
                var ack: UInt32
                var entered: [EnterValue]
                var moved: [MoveValue]
                var updated: [UpdateValue]
                var left: [UInt32]
            }
            var name: String
            var hex: String
            var value: Value
        }

        struct Invalid: Decodable {
            var name: String
            var hex: String
        }

        var moveInput: [MoveVector]
        var stateMessage: [StateVector]
        var invalidMoveInput: [Invalid]
        var invalidStateMessage: [Invalid]
    }

    static let vectors: Vectors = {
        let path = String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/")
        let url = URL(fileURLWithPath: "/" + path + "/Protocol/vectors.json")
        return try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }()

    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!
        }
    }

    static func moveInput(_ value: Vectors.MoveVector.Value) -> MoveInput {
        let intent: MoveInput.Intent
        switch value.intent.mode {
        case "stop": intent = .stop
        case "direction": intent = .direction(dx: value.intent.dx!, dy: value.intent.dy!)
        default: intent = .target(x: value.intent.x!, y: value.intent.y!)
        }
        return MoveInput(sequence: value.sequence, intent: intent)
    }

    static func stateMessage(_ value: Vectors.StateVector.Value) -> StateMessage {
        func motion(_ m: Vectors.StateVector.Value.MotionValue) -> StateMessage.Motion {
            StateMessage.Motion(x: m.x, y: m.y, vx: m.vx, vy: m.vy)
        }
        func info(_ i: Vectors.StateVector.Value.InfoValue) -> StateMessage.Info {
            StateMessage.Info(role: i.role, flags: i.flags, appearance: i.appearance, emote: i.emote, name: i.name, status: i.status)
        }
        return StateMessage(snapshot: value.snapshot, tick: value.tick, ack: value.ack,
                            entered: value.entered.map { .init(id: $0.id, motion: motion($0.motion), info: info($0.info)) },
                            moved: value.moved.map { .init(id: $0.id, motion: motion($0.motion)) },
                            updated: value.updated.map { .init(id: $0.id, info: info($0.info)) },
                            left: value.left)
    }

    @Test func moveInputsDecodeAndEncodeToTheVectors() throws {
        #expect(!Self.vectors.moveInput.isEmpty)
        for vector in Self.vectors.moveInput {
            let expected = Self.moveInput(vector.value)
            #expect(try MoveInput.decode(Self.bytes(vector.hex)) == expected, "\(vector.name)")
            #expect(expected.encoded() == Self.bytes(vector.hex), "\(vector.name)")
        }
    }

    @Test func stateMessagesDecodeAndEncodeToTheVectors() throws {
        #expect(!Self.vectors.stateMessage.isEmpty)
        for vector in Self.vectors.stateMessage {
            let expected = Self.stateMessage(vector.value)
            #expect(try StateMessage.decode(Self.bytes(vector.hex)) == expected, "\(vector.name)")
            #expect(expected.encoded() == Self.bytes(vector.hex), "\(vector.name)")
        }
    }

    @Test func invalidInputsAreRefused() {
        for vector in Self.vectors.invalidMoveInput {
            #expect(throws: MoveInput.DecodingError.self, "\(vector.name)") { try MoveInput.decode(Self.bytes(vector.hex)) }
        }
        for vector in Self.vectors.invalidStateMessage {
            #expect(throws: StateMessage.DecodingError.self, "\(vector.name)") { try StateMessage.decode(Self.bytes(vector.hex)) }
        }
    }

    /// Every prefix of a valid message is refused, never read past its end.
    @Test func everyTruncationOfAValidMessageIsRefused() {
        for vector in Self.vectors.stateMessage {
            let bytes = Self.bytes(vector.hex)
            for length in 0..<bytes.count {
                #expect(throws: StateMessage.DecodingError.self) { try StateMessage.decode(Array(bytes.prefix(length))) }
            }
        }
        for vector in Self.vectors.moveInput {
            let bytes = Self.bytes(vector.hex)
            for length in 0..<bytes.count {
                #expect(throws: MoveInput.DecodingError.self) { try MoveInput.decode(Array(bytes.prefix(length))) }
            }
        }
    }

    @Test func varintsRoundTripAtTheirByteBoundaries() throws {
        for value: UInt32 in [0, 127, 128, 16383, 16384, 2_097_151, 2_097_152, UInt32.max] {
            var writer = BinaryWriter()
            writer.varint(value)
            var reader = BinaryReader(writer.bytes)
            #expect(try reader.varint() == value)
            #expect(reader.remaining == 0)
        }
        var reader = BinaryReader([0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        #expect(throws: BinaryReader.Failure.varintTooLong) { try reader.varint() }
    }

    @Test func longStringsAreCutOnACharacterBoundary() throws {
        var writer = BinaryWriter()
        writer.string8(String(repeating: "가", count: 100))   // 300 bytes
        var reader = BinaryReader(writer.bytes)
        let text = try reader.string8()
        #expect(text == String(repeating: "가", count: 85))
    }
}
