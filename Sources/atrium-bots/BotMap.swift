import AtriumWorld
import Foundation

/// What bots know of the map: which tiles are walkable (to wander without walking into
/// walls) and where the crowd and quiz destinations are. Read from the same map file.
struct BotMap: Sendable {
    let map: WorldMap
    let crowdTargets: [(x: Int, y: Int)]
    let quiz: QuizFields

    init(file: String) throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw BotError("cannot read map \(file)")
        }
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        do {
            map = try MapLoader.load([UInt8](data), file: URL(fileURLWithPath: file).lastPathComponent) { source in
                guard let bytes = FileManager.default.contents(atPath: directory.appendingPathComponent(source).path) else {
                    throw BotError("missing tileset \(source)")
                }
                return [UInt8](bytes)
            }
        } catch {
            throw BotError("map \(file): \(error)")
        }
        let walkable: ((x: Int, y: Int)) -> Bool = { [map] in !map.isBlocked(tileX: $0.x, tileY: $0.y) }
        var targets: [(x: Int, y: Int)] = []
        for exhibit in map.exhibits {
            let rect = exhibit.zone.rect
            let around = TileRect(x: rect.x - 2, y: rect.y - 2, width: rect.width + 4, height: rect.height + 4)
            targets += around.tiles.filter(walkable).prefix(8)
        }
        for stage in map.zones(.stage) { targets += stage.rect.tiles.filter(walkable) }
        crowdTargets = targets.isEmpty ? map.spawnTiles : targets
        quiz = QuizFields(map: map)
    }

    /// Directions whose next two tiles from `tile` are walkable.
    func openDirections(fromTileX x: Int, y: Int) -> [(dx: Int, dy: Int)] {
        var result: [(dx: Int, dy: Int)] = []
        for dy in -1...1 {
            for dx in -1...1 where dx != 0 || dy != 0 {
                if !map.isBlocked(tileX: x + dx, tileY: y + dy) && !map.isBlocked(tileX: x + 2 * dx, tileY: y + 2 * dy)
                    && !map.isBlocked(tileX: x + dx, tileY: y) && !map.isBlocked(tileX: x, tileY: y + dy) {
                    result.append((dx, dy))
                }
            }
        }
        return result
    }
}

struct BotError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
