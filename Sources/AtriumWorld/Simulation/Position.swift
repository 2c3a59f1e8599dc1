/// A point in the room in 1/64 tile units, the wire's resolution, so the server's
/// positions and what clients are told are the same numbers.
public struct Position: Sendable, Hashable, CustomStringConvertible {
    public var x: Int32
    public var y: Int32

    public static let unitsPerTile: Int32 = 64

    public init(x: Int32, y: Int32) {
        self.x = x
        self.y = y
    }

    /// The centre of a tile.
    public init(tileX: Int, tileY: Int) {
        x = Int32(tileX) * Self.unitsPerTile + Self.unitsPerTile / 2
        y = Int32(tileY) * Self.unitsPerTile + Self.unitsPerTile / 2
    }

    /// The tile under the position; this decides zone membership.
    @inline(__always) public var tileX: Int { Int(x >> 6) }
    @inline(__always) public var tileY: Int { Int(y >> 6) }

    public func distanceSquared(to other: Position) -> Int64 {
        let dx = Int64(x - other.x)
        let dy = Int64(y - other.y)
        return dx * dx + dy * dy
    }

    public var description: String { "(\(x), \(y))" }
}

/// Movement per tick in the same units.
public struct Velocity: Sendable, Hashable {
    public var dx: Int32
    public var dy: Int32

    public static let zero = Velocity(dx: 0, dy: 0)

    public init(dx: Int32, dy: Int32) {
        self.dx = dx
        self.dy = dy
    }
}
