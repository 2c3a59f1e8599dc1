/// A rectangle of whole tiles: columns `x..<x+width`, rows `y..<y+height`.
public struct TileRect: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public func contains(tileX: Int, tileY: Int) -> Bool {
        tileX >= x && tileX < x + width && tileY >= y && tileY < y + height
    }

    public func intersects(_ other: TileRect) -> Bool {
        x < other.x + other.width && other.x < x + width && y < other.y + other.height && other.y < y + height
    }

    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// Every tile of the rectangle, row by row.
    public var tiles: [(x: Int, y: Int)] {
        var result: [(x: Int, y: Int)] = []
        result.reserveCapacity(max(0, width * height))
        for row in y..<(y + max(height, 0)) {
            for column in x..<(x + max(width, 0)) { result.append((column, row)) }
        }
        return result
    }

    public var description: String { "(\(x), \(y)) \(width)×\(height)" }
}
