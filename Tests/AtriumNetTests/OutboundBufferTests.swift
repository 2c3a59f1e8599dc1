import AtriumTestSupport
import Testing
@testable import AtriumNet

@Suite struct OutboundBufferTests {
    private func append(_ buffer: inout OutboundBuffer, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer.append($0) }
    }

    private func take(_ buffer: inout OutboundBuffer, _ count: Int) -> [UInt8] {
        var taken: [UInt8] = []
        _ = buffer.write { bytes in
            taken = Array(bytes.prefix(count))
            return taken.count
        }
        return taken
    }

    @Test func discardingKeepsTheRestOfAPartlyWrittenUnit() {
        var buffer = OutboundBuffer()
        append(&buffer, [1, 2, 3, 4])
        append(&buffer, [5, 6])
        append(&buffer, [7])
        #expect(take(&buffer, 2) == [1, 2])
        buffer.discardUnstarted()
        append(&buffer, [9])
        #expect(take(&buffer, 100) == [3, 4, 9])
    }

    @Test func discardingAtAUnitBoundaryDropsEverythingUnsent() {
        var buffer = OutboundBuffer()
        append(&buffer, [1, 2])
        append(&buffer, [3, 4])
        #expect(take(&buffer, 2) == [1, 2])
        buffer.discardUnstarted()
        #expect(buffer.isEmpty)
    }

    @Test func unitBoundariesSurviveCompaction() {
        var buffer = OutboundBuffer()
        for value in 0..<10 { append(&buffer, [UInt8](repeating: UInt8(value), count: 10)) }
        _ = take(&buffer, 65)           // unit 6 is half written
        append(&buffer, [99])           // triggers compaction
        buffer.discardUnstarted()
        #expect(take(&buffer, 100) == [UInt8](repeating: 6, count: 5))
    }
}
