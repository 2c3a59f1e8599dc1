import AtriumProtocol
import Testing

struct StateMessageSkimTests {
    static let sample = StateMessage(
        snapshot: true, tick: 77, ack: 9,
        entered: [.init(id: 3, motion: .init(x: 100, y: 200, vx: 4), info: .init(role: 1, name: "mina", status: "hi")),
                  .init(id: 300, motion: .init(x: 5, y: 6), info: .init(role: 0, name: "이름", status: ""))],
        moved: [.init(id: 300, motion: .init(x: 7, y: 8, vx: -3, vy: 2)), .init(id: 3, motion: .init(x: 9, y: 10))],
        updated: [.init(id: 300, info: .init(role: 2, name: "me", status: "away")), .init(id: 3, info: .init(role: 1, name: "mina"))],
        left: [3, 70_000])

    @Test(arguments: [UInt32(3), 300, 70_000, 12])
    func skimKeepsTheHeaderAndOnlyTheNamedAvatarsEntries(avatar: UInt32) throws {
        let full = Self.sample
        let skimmed = try StateMessage.skim(full.encoded(), for: avatar)
        #expect(skimmed == StateMessage(snapshot: full.snapshot, tick: full.tick, ack: full.ack,
                                        entered: full.entered.filter { $0.id == avatar },
                                        moved: full.moved.filter { $0.id == avatar },
                                        updated: full.updated.filter { $0.id == avatar },
                                        left: full.left.filter { $0 == avatar }))
    }

    @Test func skimWithoutAnAvatarReadsTheHeaderOnly() throws {
        let skimmed = try StateMessage.skim(Self.sample.encoded(), for: nil)
        #expect(skimmed == StateMessage(snapshot: true, tick: 77, ack: 9))
    }

    @Test func skimRefusesEveryTruncationAndTrailingBytes() {
        let bytes = Self.sample.encoded()
        for length in 0..<bytes.count {
            #expect(throws: StateMessage.DecodingError.self) { try StateMessage.skim(Array(bytes.prefix(length)), for: 3) }
        }
        #expect(throws: StateMessage.DecodingError.trailingBytes) { try StateMessage.skim(bytes + [0], for: 3) }
        #expect(throws: StateMessage.DecodingError.notAStateMessage) { try StateMessage.skim([0x02], for: 3) }
    }
}
