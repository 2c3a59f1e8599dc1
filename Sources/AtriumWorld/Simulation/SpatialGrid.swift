/// A uniform grid over the map: each cell lists the avatar slots inside it. Visibility
/// and nearby chat look only at the cells around a point, so their cost follows how many
/// avatars are near, not how many are in the room.
struct SpatialGrid {
    let cellTiles: Int
    let columns: Int
    let rows: Int
    private(set) var cells: [[Int]]

    init(mapWidth: Int, mapHeight: Int, cellTiles: Int) {
        self.cellTiles = cellTiles
        columns = (mapWidth + cellTiles - 1) / cellTiles
        rows = (mapHeight + cellTiles - 1) / cellTiles
        cells = Array(repeating: [], count: columns * rows)
    }

    @inline(__always)
    func cell(of position: Position) -> Int {
        let column = min(max(position.tileX / cellTiles, 0), columns - 1)
        let row = min(max(position.tileY / cellTiles, 0), rows - 1)
        return row * columns + column
    }

    mutating func insert(_ slot: Int, into cell: Int) {
        cells[cell].append(slot)
    }

    mutating func remove(_ slot: Int, from cell: Int) {
        guard let index = cells[cell].firstIndex(of: slot) else { return }
        cells[cell].swapAt(index, cells[cell].count - 1)
        cells[cell].removeLast()
    }

    /// Chebyshev distance between two cells, in cells.
    @inline(__always)
    func distance(_ a: Int, _ b: Int) -> Int {
        max(abs(a % columns - b % columns), abs(a / columns - b / columns))
    }

    /// Cells within `radius` cells of `cell`, row by row.
    func neighbourhood(of cell: Int, radius: Int, into result: inout [Int]) {
        result.removeAll(keepingCapacity: true)
        let column = cell % columns
        let row = cell / columns
        for r in max(0, row - radius)...min(rows - 1, row + radius) {
            for c in max(0, column - radius)...min(columns - 1, column + radius) {
                result.append(r * columns + c)
            }
        }
    }

    /// Cells within `radius` of `from` but not of `to` (what an avatar moving from one
    /// cell to the other stops seeing), row by row.
    func difference(from: Int, to: Int, radius: Int, into result: inout [Int]) {
        result.removeAll(keepingCapacity: true)
        let column = from % columns
        let row = from / columns
        for r in max(0, row - radius)...min(rows - 1, row + radius) {
            for c in max(0, column - radius)...min(columns - 1, column + radius) {
                let candidate = r * columns + c
                if distance(candidate, to) > radius { result.append(candidate) }
            }
        }
    }

    /// Cells overlapping a tile rectangle.
    func cells(covering rect: TileRect, into result: inout [Int]) {
        result.removeAll(keepingCapacity: true)
        guard !rect.isEmpty else { return }
        let firstColumn = max(0, rect.x / cellTiles)
        let lastColumn = min(columns - 1, (rect.x + rect.width - 1) / cellTiles)
        let firstRow = max(0, rect.y / cellTiles)
        let lastRow = min(rows - 1, (rect.y + rect.height - 1) / cellTiles)
        guard firstColumn <= lastColumn, firstRow <= lastRow else { return }
        for r in firstRow...lastRow {
            for c in firstColumn...lastColumn { result.append(r * columns + c) }
        }
    }
}
