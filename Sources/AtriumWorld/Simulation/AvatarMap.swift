/// A hash map from avatar ids to values, for the per-client bookkeeping the tick does
/// tens of thousands of times: open addressing with linear probing and a multiplicative
/// hash, several times cheaper than `Dictionary`'s seeded SipHash for these small keys.
/// Id 0 is reserved as the empty marker (avatar ids start at 1).
struct AvatarMap<Value> {
    private var keys: [UInt32]
    private var values: [Value?]
    private(set) var count = 0
    private var mask: Int

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt32](repeating: 0, count: size)
        values = [Value?](repeating: nil, count: size)
        mask = size - 1
    }

    @inline(__always)
    private func home(_ key: UInt32) -> Int {
        Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    subscript(key: UInt32) -> Value? {
        get {
            var index = home(key)
            while true {
                let stored = keys[index]
                if stored == key { return values[index] }
                if stored == 0 { return nil }
                index = (index &+ 1) & mask
            }
        }
        set {
            if let newValue { insert(key, newValue) } else { remove(key) }
        }
    }

    mutating func insert(_ key: UInt32, _ value: Value) {
        precondition(key != 0, "avatar id 0 is the empty marker")
        if (count + 1) * 2 > keys.count { grow() }
        var index = home(key)
        while true {
            let stored = keys[index]
            if stored == key {
                values[index] = value
                return
            }
            if stored == 0 {
                keys[index] = key
                values[index] = value
                count += 1
                return
            }
            index = (index &+ 1) & mask
        }
    }

    /// Removes with backward-shift deletion, so probes never need tombstones.
    mutating func remove(_ key: UInt32) {
        var index = home(key)
        while true {
            let stored = keys[index]
            if stored == 0 { return }
            if stored == key { break }
            index = (index &+ 1) & mask
        }
        count -= 1
        var hole = index
        var next = (hole &+ 1) & mask
        while keys[next] != 0 {
            let ideal = home(keys[next])
            // Move the entry back if its ideal slot is not in (hole, next].
            let distanceToNext = (next &- ideal) & mask
            let distanceToHole = (hole &- ideal) & mask
            if distanceToHole <= distanceToNext {
                keys[hole] = keys[next]
                values[hole] = values[next]
                hole = next
            }
            next = (next &+ 1) & mask
        }
        keys[hole] = 0
        values[hole] = nil
    }

    mutating func removeAll() {
        guard count > 0 else { return }
        for index in keys.indices where keys[index] != 0 {
            keys[index] = 0
            values[index] = nil
        }
        count = 0
    }

    var ids: [UInt32] { keys.filter { $0 != 0 } }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        let size = keys.count * 2
        keys = [UInt32](repeating: 0, count: size)
        values = [Value?](repeating: nil, count: size)
        mask = size - 1
        count = 0
        for index in oldKeys.indices where oldKeys[index] != 0 {
            insert(oldKeys[index], oldValues[index]!)
        }
    }
}
