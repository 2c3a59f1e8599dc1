/// The per-tick state a server sends each client (binary, kind 0x01): which avatars
/// came into view, which changed course, whose name or status changed, which left.
///
/// Motion is dead-reckoned: an avatar at `(x, y)` with velocity `(vx, vy)` at `tick`
/// is at `(x + vx·n, y + vy·n)` n ticks later until a new entry says otherwise. Walking
/// in a straight line therefore costs nothing on the wire after the first entry.
///
/// Layout (little-endian, varints are unsigned LEB128):
/// ```
/// u8 kind=1, u8 flags (bit0 snapshot: forget avatars not listed), u32 tick, u32 ack,
/// varint n, n × enter   enter  = varint id, motion, info
/// varint n, n × move    move   = varint id, motion
/// varint n, n × update  update = varint id, info
/// varint n, n × varint id (left)
/// motion = u16 x, u16 y, i8 vx, i8 vy          (1/64 tile, per tick)
/// info   = u8 role, u8 flags, u8 appearance, u8 emote, u8 len, name, u8 len, status
/// ```
public struct StateMessage: Sendable, Equatable {
    public static let kind: UInt8 = 0x01

    public struct Motion: Sendable, Equatable, Hashable {
        public var x: UInt16
        public var y: UInt16
        public var vx: Int8
        public var vy: Int8

        public init(x: UInt16, y: UInt16, vx: Int8 = 0, vy: Int8 = 0) {
            self.x = x
            self.y = y
            self.vx = vx
            self.vy = vy
        }

        /// Where this motion puts the avatar `ticks` later.
        public func position(after ticks: Int) -> (x: Int, y: Int) {
            (Int(x) + Int(vx) * ticks, Int(y) + Int(vy) * ticks)
        }
    }

    public struct Info: Sendable, Equatable {
        public var role: UInt8
        public var flags: UInt8
        public var appearance: UInt8
        public var emote: UInt8
        public var name: String
        public var status: String

        public init(role: UInt8, flags: UInt8 = 0, appearance: UInt8 = 0, emote: UInt8 = 0, name: String, status: String = "") {
            self.role = role
            self.flags = flags
            self.appearance = appearance
            self.emote = emote
            self.name = name
            self.status = status
        }

        public static let spotlightFlag: UInt8 = 0x01
        public static let awayFlag: UInt8 = 0x02
        /// Microphone on, camera on, voice active now, muted by a moderator.
        public static let micFlag: UInt8 = 0x04
        public static let cameraFlag: UInt8 = 0x08
        public static let speakingFlag: UInt8 = 0x10
        public static let mutedFlag: UInt8 = 0x20
    }

    public struct Entered: Sendable, Equatable {
        public var id: UInt32
        public var motion: Motion
        public var info: Info

        public init(id: UInt32, motion: Motion, info: Info) {
            self.id = id
            self.motion = motion
            self.info = info
        }
    }

    public struct Moved: Sendable, Equatable {
        public var id: UInt32
        public var motion: Motion

        public init(id: UInt32, motion: Motion) {
            self.id = id
            self.motion = motion
        }
    }

    public struct Updated: Sendable, Equatable {
        public var id: UInt32
        public var info: Info

        public init(id: UInt32, info: Info) {
            self.id = id
            self.info = info
        }
    }

    public var snapshot: Bool
    public var tick: UInt32
    public var ack: UInt32
    public var entered: [Entered]
    public var moved: [Moved]
    public var updated: [Updated]
    public var left: [UInt32]

    public init(snapshot: Bool = false, tick: UInt32, ack: UInt32, entered: [Entered] = [], moved: [Moved] = [],
                updated: [Updated] = [], left: [UInt32] = []) {
        self.snapshot = snapshot
        self.tick = tick
        self.ack = ack
        self.entered = entered
        self.moved = moved
        self.updated = updated
        self.left = left
    }

    public func encoded() -> [UInt8] {
        var writer = BinaryWriter(capacity: 16)
        Self.writeHeader(&writer, snapshot: snapshot, tick: tick, ack: ack)
        writer.varint(UInt32(entered.count))
        for entry in entered { Self.writeEnter(&writer, id: entry.id, motion: entry.motion, info: entry.info) }
        writer.varint(UInt32(moved.count))
        for entry in moved { Self.writeMove(&writer, id: entry.id, motion: entry.motion) }
        writer.varint(UInt32(updated.count))
        for entry in updated { Self.writeUpdate(&writer, id: entry.id, info: entry.info) }
        writer.varint(UInt32(left.count))
        for id in left { writer.varint(id) }
        return writer.bytes
    }

    // The pieces of `encoded()`, public so the server can stream a message straight from
    // its own records into a reused buffer without building this struct first.

    public static func writeHeader(_ writer: inout BinaryWriter, snapshot: Bool, tick: UInt32, ack: UInt32) {
        writer.u8(kind)
        writer.u8(snapshot ? 1 : 0)
        writer.u32(tick)
        writer.u32(ack)
    }

    public static func writeEnter(_ writer: inout BinaryWriter, id: UInt32, motion: Motion, info: Info) {
        writer.varint(id)
        writeMotion(&writer, motion)
        writeInfo(&writer, info)
    }

    public static func writeMove(_ writer: inout BinaryWriter, id: UInt32, motion: Motion) {
        writer.varint(id)
        writeMotion(&writer, motion)
    }

    public static func writeUpdate(_ writer: inout BinaryWriter, id: UInt32, info: Info) {
        writer.varint(id)
        writeInfo(&writer, info)
    }

    static func writeMotion(_ writer: inout BinaryWriter, _ motion: Motion) {
        writer.u16(motion.x)
        writer.u16(motion.y)
        writer.i8(motion.vx)
        writer.i8(motion.vy)
    }

    static func writeInfo(_ writer: inout BinaryWriter, _ info: Info) {
        writer.u8(info.role)
        writer.u8(info.flags)
        writer.u8(info.appearance)
        writer.u8(info.emote)
        writer.string8(info.name)
        writer.string8(info.status)
    }

    public enum DecodingError: Error, Sendable, Equatable {
        case notAStateMessage
        /// A flag bit this version does not define is set; ignoring it would let two
        /// different messages decode alike.
        case unknownFlags(UInt8)
        case malformed(BinaryReader.Failure)
        case trailingBytes
    }

    /// The flag bits of this version: bit 0, snapshot.
    static let knownFlags: UInt8 = 0x01

    /// Decodes a state message; `maxEntries` bounds each section so a corrupt count
    /// cannot make a client allocate without limit.
    public static func decode(_ bytes: [UInt8], maxEntries: Int = 65_536) throws(DecodingError) -> StateMessage {
        try read(bytes) { (reader: inout BinaryReader) throws(BinaryReader.Failure) in try decodeBody(&reader, maxEntries: maxEntries) }
    }

    /// Checks the kind and flags, reads the body with `body`, and refuses trailing bytes.
    static func read(_ bytes: [UInt8], _ body: (inout BinaryReader) throws(BinaryReader.Failure) -> StateMessage)
        throws(DecodingError) -> StateMessage {
        guard bytes.first == kind else { throw .notAStateMessage }
        if bytes.count > 1 && bytes[1] & ~knownFlags != 0 { throw .unknownFlags(bytes[1]) }
        var reader = BinaryReader(bytes, offset: 1)
        let message: StateMessage
        do {
            message = try body(&reader)
        } catch {
            throw .malformed(error)
        }
        guard reader.remaining == 0 else { throw .trailingBytes }
        return message
    }

    private static func decodeBody(_ reader: inout BinaryReader, maxEntries: Int) throws(BinaryReader.Failure) -> StateMessage {
        let flags = try reader.u8()
        var message = StateMessage(snapshot: flags & 1 != 0, tick: try reader.u32(), ack: try reader.u32())
        func count(_ reader: inout BinaryReader) throws(BinaryReader.Failure) -> Int {
            let value = Int(try reader.varint())
            // Every entry takes at least one byte, so a larger count is a lie.
            guard value <= min(maxEntries, reader.remaining) else { throw .truncated }
            return value
        }
        for _ in 0..<(try count(&reader)) {
            message.entered.append(Entered(id: try reader.varint(), motion: try readMotion(&reader), info: try readInfo(&reader)))
        }
        for _ in 0..<(try count(&reader)) {
            message.moved.append(Moved(id: try reader.varint(), motion: try readMotion(&reader)))
        }
        for _ in 0..<(try count(&reader)) {
            message.updated.append(Updated(id: try reader.varint(), info: try readInfo(&reader)))
        }
        for _ in 0..<(try count(&reader)) {
            message.left.append(try reader.varint())
        }
        return message
    }

    static func readMotion(_ reader: inout BinaryReader) throws(BinaryReader.Failure) -> Motion {
        Motion(x: try reader.u16(), y: try reader.u16(), vx: try reader.i8(), vy: try reader.i8())
    }

    static func readInfo(_ reader: inout BinaryReader) throws(BinaryReader.Failure) -> Info {
        Info(role: try reader.u8(), flags: try reader.u8(), appearance: try reader.u8(), emote: try reader.u8(),
             name: try reader.string8(), status: try reader.string8())
    }
}
