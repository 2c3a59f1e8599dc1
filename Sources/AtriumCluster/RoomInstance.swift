/// One running copy of a room's map, the unit a node leases. Instance 1 is the room
/// itself; 2, 3, … are the overflow instances opened when it fills up. Its key in the
/// directory, in seats and in URLs is the room id for instance 1 and `room~N` for the
/// others, so a room that never overflows looks the same as in a single server.
public struct RoomInstance: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var room: String
    public var number: Int

    /// The most instances of one room any setting can ask for; bounds what a key may name.
    public static let maxNumber = 999

    public init(room: String, number: Int = 1) {
        self.room = room
        self.number = number
    }

    public var key: String { number == 1 ? room : "\(room)~\(number)" }

    /// Reads a key; nil for a malformed one (empty room, a number outside 2…999, or
    /// `~1`, which would be a second name for instance 1).
    public init?(key: String) {
        guard let tilde = key.lastIndex(of: "~") else {
            guard !key.isEmpty else { return nil }
            self.init(room: key)
            return
        }
        let room = String(key[..<tilde])
        let digits = key[key.index(after: tilde)...]
        guard !room.isEmpty, digits.count <= 3, digits.first != "0", let number = Int(digits),
              (2...Self.maxNumber).contains(number) else { return nil }
        self.init(room: room, number: number)
    }

    public var description: String { key }

    public static func < (lhs: RoomInstance, rhs: RoomInstance) -> Bool {
        (lhs.room, lhs.number) < (rhs.room, rhs.number)
    }
}
