import AtriumProtocol
import Testing
@testable import AtriumServer
@testable import AtriumWorld

@Suite struct StateDeltaEncoderTests {
    @Test(arguments: [
        (false, false, false, false, UInt8(0x00)),
        (true, true, true, false, UInt8(0x1c)),
        (true, false, false, true, UInt8(0x24)),
    ])
    func mediaStateTravelsInTheInfoFlags(mic: Bool, camera: Bool, speaking: Bool, muted: Bool, flags: UInt8) throws {
        var delta = StateDelta()
        delta.reset(tick: 7, ack: 0, snapshot: false)
        delta.updated.append((5, StateDelta.Info(role: .participant, spotlight: false, away: false, mic: mic, camera: camera,
                                                 speaking: speaking, muted: muted, appearance: 0, emote: 0, name: "Mina",
                                                 status: "")))
        var writer = BinaryWriter(capacity: 64)
        StateDeltaEncoder.encode(delta, into: &writer)
        let message = try StateMessage.decode(writer.bytes)
        #expect(message.updated.first?.info.flags == flags)
    }

    /// The room keeps each client's message within its byte budget by the sizes in
    /// ``StateDelta``, without encoding: they must be the encoder's.
    @Test(arguments: [UInt32(5), 127, 128, 16_383, 16_384, 2_000_000])
    func theRoomsWireSizesAreTheEncodersSizes(id: UInt32) {
        let info = StateDelta.Info(role: .participant, spotlight: false, away: false, mic: true, camera: false,
                                   speaking: false, muted: false, appearance: 3, emote: 1, name: "미나 Mina", status: "at the stage")
        let entry = StateDelta.Entry(id: id, position: Position(tileX: 10, tileY: 20), velocity: Velocity(dx: 13, dy: -9))
        var writer = BinaryWriter(capacity: 256)
        var delta = StateDelta()
        delta.reset(tick: 99, ack: 7, snapshot: false)
        StateDeltaEncoder.encode(delta, into: &writer)
        #expect(writer.bytes.count == StateDelta.headerSize)
        let infoSize = StateDelta.infoSize(name: info.name, status: info.status)
        delta.entered.append((entry, info))
        StateDeltaEncoder.encode(delta, into: &writer)
        #expect(writer.bytes.count == StateDelta.headerSize + StateDelta.moveSize(id: id) + infoSize)
        delta.entered.removeAll()
        delta.moved.append(entry)
        delta.updated.append((id, info))
        delta.left.append(id)
        StateDeltaEncoder.encode(delta, into: &writer)
        #expect(writer.bytes.count == StateDelta.headerSize + StateDelta.moveSize(id: id) + StateDelta.varintSize(id) + infoSize
                    + StateDelta.varintSize(id))
    }
}
