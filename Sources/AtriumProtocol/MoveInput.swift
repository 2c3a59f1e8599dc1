/// A movement intent, the only high-rate message a client sends (binary, kind 0x01).
///
/// Layout (little-endian): `u8 kind=1, u32 seq, u8 mode`, then for mode 1
/// `i8 dx, i8 dy` (each −1…1) and for mode 2 `u16 x, u16 y` in ``WireUnits/perTile``
/// units. Mode 0 stops. The server answers with the sequence number in the `ack` of its
/// state messages once the intent was applied.
public struct MoveInput: Sendable, Equatable {
    public enum Intent: Sendable, Equatable {
        case stop
        case direction(dx: Int8, dy: Int8)
        case target(x: UInt16, y: UInt16)
    }

    public static let kind: UInt8 = 0x01

    public var sequence: UInt32
    public var intent: Intent

    public init(sequence: UInt32, intent: Intent) {
        self.sequence = sequence
        self.intent = intent
    }

    public enum DecodingError: Error, Sendable, Equatable {
        case empty
        case unknownKind(UInt8)
        case unknownMode(UInt8)
        case directionOutOfRange
        case truncated
        case trailingBytes
    }

    public func encoded() -> [UInt8] {
        var writer = BinaryWriter(capacity: 10)
        writer.u8(Self.kind)
        writer.u32(sequence)
        switch intent {
        case .stop:
            writer.u8(0)
        case .direction(let dx, let dy):
            writer.u8(1)
            writer.i8(dx)
            writer.i8(dy)
        case .target(let x, let y):
            writer.u8(2)
            writer.u16(x)
            writer.u16(y)
        }
        return writer.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> MoveInput {
        guard let kind = bytes.first else { throw .empty }
        guard kind == Self.kind else { throw .unknownKind(kind) }
        var reader = BinaryReader(bytes, offset: 1)
        do {
            let sequence = try reader.u32()
            let mode = try reader.u8()
            let intent: Intent
            switch mode {
            case 0:
                intent = .stop
            case 1:
                let dx = try reader.i8()
                let dy = try reader.i8()
                guard (-1...1).contains(dx), (-1...1).contains(dy) else { throw DecodingError.directionOutOfRange }
                intent = dx == 0 && dy == 0 ? .stop : .direction(dx: dx, dy: dy)
            case 2:
                intent = .target(x: try reader.u16(), y: try reader.u16())
            default:
                throw DecodingError.unknownMode(mode)
            }
            guard reader.remaining == 0 else { throw DecodingError.trailingBytes }
            return MoveInput(sequence: sequence, intent: intent)
        } catch let error as DecodingError {
            throw error
        } catch {
            throw .truncated
        }
    }
}
