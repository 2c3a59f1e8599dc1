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
}
