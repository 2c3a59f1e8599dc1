/// Bytes waiting to be written to a socket: one contiguous buffer, so that everything
/// queued during one wake-up leaves in one `send` call.
///
/// Each `append` is remembered as a unit (a whole frame or response part), so that
/// ``discardUnstarted()`` can drop the backlog without cutting a unit in half: a
/// half-sent frame is finished, then whatever comes next follows a clean boundary.
struct OutboundBuffer {
    private var storage: [UInt8] = []
    private var readIndex = 0
    /// End offsets (in `storage`) of appended units not yet fully written.
    private var unitEnds: [Int] = []
    private var firstUnit = 0
    /// Where the first unwritten unit starts; below `readIndex` when it is partly written.
    private var firstUnitStart = 0
    /// Bytes ever appended and not discarded: the stream offset just past the last unit.
    /// With ``count`` it tells how far the peer's stream has been handed to the kernel.
    private(set) var appendedTotal: UInt64 = 0

    /// Capacity above which an emptied buffer is released instead of kept, so an idle
    /// connection that once had a burst does not hold its memory.
    static let retainedCapacity = 16 * 1024

    var count: Int { storage.count - readIndex }
    var isEmpty: Bool { readIndex == storage.count }
    /// Bytes of the stream already written: everything appended before the unwritten rest.
    var writtenTotal: UInt64 { appendedTotal - UInt64(count) }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        if readIndex > 0 && readIndex >= storage.count / 2 { compact() }
        storage.append(contentsOf: bytes)
        unitEnds.append(storage.count)
        appendedTotal += UInt64(bytes.count)
    }

    /// Calls `body` with the unwritten bytes; `body` returns how many it wrote.
    mutating func write(_ body: (UnsafeRawBufferPointer) -> Int) -> Int {
        let written = storage.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[readIndex...])) }
        if written > 0 { consume(written) }
        return written
    }

    mutating func consume(_ byteCount: Int) {
        readIndex += byteCount
        while firstUnit < unitEnds.count && unitEnds[firstUnit] <= readIndex {
            firstUnitStart = unitEnds[firstUnit]
            firstUnit += 1
        }
        if readIndex == storage.count { removeAll() }
    }

    /// Drops every unit that has not started to leave; a partly written unit is kept.
    mutating func discardUnstarted() {
        guard firstUnit < unitEnds.count else { return }
        let partlyWritten = readIndex > firstUnitStart
        let keepUntil = partlyWritten ? unitEnds[firstUnit] : readIndex
        appendedTotal -= UInt64(storage.count - keepUntil)
        storage.removeSubrange(keepUntil...)
        unitEnds.removeSubrange((partlyWritten ? firstUnit + 1 : firstUnit)...)
        if readIndex == storage.count { removeAll() }
    }

    mutating func removeAll() {
        storage.removeAll(keepingCapacity: storage.capacity <= Self.retainedCapacity)
        readIndex = 0
        unitEnds.removeAll(keepingCapacity: unitEnds.capacity <= 64)
        firstUnit = 0
        firstUnitStart = 0
    }

    private mutating func compact() {
        storage.removeSubrange(0..<readIndex)
        unitEnds.removeSubrange(0..<firstUnit)
        for index in unitEnds.indices { unitEnds[index] -= readIndex }
        firstUnitStart -= readIndex
        readIndex = 0
        firstUnit = 0
    }
}
