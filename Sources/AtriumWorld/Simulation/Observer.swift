/// The view of one connected client: what it was told about each avatar, and which of
/// those may have changed for it since (pending).
///
/// Entries are found by the avatar's slot through `indexBySlot`, a plain array, not by a
/// hash of the id: the tick marks and reads entries tens of thousands of times, and an
/// array read is what that can afford. The array costs 4 bytes per slot of the room per
/// client (8 KB each in a room of 2,000), grown only as far as the slots this client
/// has come across. A class so the per-tick updates mutate its storage in place.
final class Observer {
    /// What the client was told about one avatar, or (not `known`) an avatar marked as
    /// possibly entering its view.
    struct Entry {
        var slot: Int32
        var id: UInt32
        /// Motion as last sent, and the tick it was sent at: the client's dead reckoning
        /// starts from it.
        var position = Position(x: 0, y: 0)
        var velocity = Velocity.zero
        var tick: UInt32 = 0
        var infoVersion: UInt32 = 0
        /// Tick of the last update sent about this avatar (motion or info).
        var sentTick: UInt32 = 0
        /// Tick at which it became pending: how long it waits is its priority's age.
        var pendingSince: UInt32 = 0
        var known = false
        var pending = false

        /// Where the client now believes the avatar is, by dead reckoning.
        func predicted(at tick: UInt32) -> Position {
            let elapsed = Int32(truncatingIfNeeded: tick &- self.tick)
            return Position(x: position.x &+ velocity.dx &* elapsed, y: position.y &+ velocity.dy &* elapsed)
        }
    }

    let client: ClientID
    /// How far this client sees, in cells: the room's view radius, or less in a crowd
    /// (see ``RoomConfiguration/maxVisible``).
    var radius: Int
    private(set) var entries: [Entry] = []
    /// Index + 1 into `entries` by slot; 0 for none.
    private var indexBySlot: [Int32] = []
    /// Slots whose entries are pending, in the order they were marked.
    private(set) var pending: [Int32] = []
    /// Avatars the client knew whose slot another avatar took before the client was told
    /// they left: told at the next delta.
    var departed: [UInt32] = []
    var needsSnapshot = true
    var lastAckSent: UInt32 = 0

    init(client: ClientID, radius: Int) {
        self.client = client
        self.radius = radius
    }

    /// Avatars the client knows.
    var knownCount: Int { entries.count(where: \.known) }

    /// Marks the avatar in `slot` as possibly different from what the client knows.
    @inline(__always)
    func markDirty(slot: Int, id: UInt32, tick: UInt32) {
        let index = slot < indexBySlot.count ? Int(indexBySlot[slot]) - 1 : -1
        if index < 0 {
            if slot >= indexBySlot.count { growIndex(to: slot) }
            entries.append(Entry(slot: Int32(truncatingIfNeeded: slot), id: id, pendingSince: tick, pending: true))
            indexBySlot[slot] = Int32(truncatingIfNeeded: entries.count)
            pending.append(Int32(truncatingIfNeeded: slot))
            return
        }
        if entries[index].id != id {
            // Ids only grow, so an older id is a mark for an avatar that already gave up
            // this slot, whose departure this entry has recorded.
            guard Int32(bitPattern: id &- entries[index].id) > 0 else { return }
            reuse(index, for: id)
        }
        if !entries[index].pending {
            entries[index].pending = true
            entries[index].pendingSince = tick
            pending.append(Int32(truncatingIfNeeded: slot))
        }
    }

    /// The slot now holds another avatar: the client learns that the old one left.
    private func reuse(_ index: Int, for id: UInt32) {
        if entries[index].known { departed.append(entries[index].id) }
        let wasPending = entries[index].pending
        entries[index] = Entry(slot: entries[index].slot, id: id, pendingSince: entries[index].pendingSince,
                               pending: wasPending)
    }

    private func growIndex(to slot: Int) {
        let size = max(slot + 1, min(indexBySlot.count * 2, slot + 1024))
        indexBySlot.append(contentsOf: repeatElement(0, count: size - indexBySlot.count))
    }

    /// The entry index of a slot; only for slots in `pending`, which always have one.
    @inline(__always)
    func index(ofSlot slot: Int) -> Int { Int(indexBySlot[slot]) - 1 }

    @inline(__always)
    func withEntry<Result>(at index: Int, _ body: (inout Entry) -> Result) -> Result { body(&entries[index]) }

    @inline(__always)
    func entry(at index: Int) -> Entry { entries[index] }

    /// Drops an entry the client does not (or no longer) know.
    func removeEntry(at index: Int) {
        let slot = Int(entries[index].slot)
        let last = entries.count - 1
        if index != last {
            entries[index] = entries[last]
            indexBySlot[Int(entries[index].slot)] = Int32(truncatingIfNeeded: index + 1)
        }
        entries.removeLast()
        indexBySlot[slot] = 0
    }

    /// Replaces the pending list with what stays pending after a delta.
    func keepPending(_ slots: inout [Int32]) {
        swap(&pending, &slots)
        slots.removeAll(keepingCapacity: true)
    }
}
