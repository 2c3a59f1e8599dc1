import AtriumProtocol
import AtriumWorld

/// The O and X fields of a map, and the strip below them where players wait between
/// questions, in tiles.
struct QuizFields: Sendable {
    let o: [TileRect]
    let x: [TileRect]
    /// Walkable tiles well inside each field, where a bot stands to answer: one tile in
    /// from the edge, so a position rounded either way is still on the field.
    let innerO: [(x: Int, y: Int)]
    let innerX: [(x: Int, y: Int)]
    /// Walkable tiles outside both fields, in a strip below them (above when the map ends
    /// there), where bots go back between questions.
    let waiting: [(x: Int, y: Int)]

    init(map: WorldMap) {
        self.init(o: map.zones(.quizO).map(\.rect), x: map.zones(.quizX).map(\.rect)) {
            !map.isBlocked(tileX: $0.x, tileY: $0.y)
        }
    }

    init(o: [TileRect], x: [TileRect], isWalkable walkable: @escaping ((x: Int, y: Int)) -> Bool) {
        self.o = o
        self.x = x
        let inner = { (rects: [TileRect]) in
            rects.flatMap { TileRect(x: $0.x + 1, y: $0.y + 1, width: max(1, $0.width - 2), height: max(1, $0.height - 2)).tiles }
                .filter(walkable)
        }
        innerO = inner(o)
        innerX = inner(x)
        let all = o + x
        let onAField = { (tile: (x: Int, y: Int)) in all.contains { $0.contains(tileX: tile.x, tileY: tile.y) } }
        var strip: [(x: Int, y: Int)] = []
        if let left = all.map(\.x).min(), let right = all.map({ $0.x + $0.width }).max(),
           let top = all.map(\.y).min(), let bottom = all.map({ $0.y + $0.height }).max() {
            // Below the fields, or above them when the map ends below.
            for row in [bottom + 2, top - 6] {
                strip = TileRect(x: left, y: row, width: right - left, height: 4).tiles.filter { walkable($0) && !onAField($0) }
                if !strip.isEmpty { break }
            }
        }
        waiting = strip
    }

    var isPlayable: Bool { !innerO.isEmpty && !innerX.isEmpty && !waiting.isEmpty }

    /// "O", "X" or "none" for a position in 1/64 tile units, judged by the tile under it
    /// as the server judges.
    func field(atX px: Int, y py: Int) -> String {
        let tileX = px >= 0 ? px / WireUnits.perTile : -1
        let tileY = py >= 0 ? py / WireUnits.perTile : -1
        if o.contains(where: { $0.contains(tileX: tileX, tileY: tileY) }) { return "O" }
        if x.contains(where: { $0.contains(tileX: tileX, tileY: tileY) }) { return "X" }
        return "none"
    }
}
