/// Arriving somewhere other than by walking: through a portal, or next to the friend
/// whose "come find me" link a visitor opened. Both land on a free walkable tile near a
/// point, found by walking from it, so nobody lands behind a wall or on someone else.
extension Room {
    /// How many steps from the point a landing tile may be; beyond that the point itself
    /// is used, even if someone stands on it.
    static let landingSteps = 4

    /// After a step that changed the avatar's tile: when the step went onto a portal from
    /// outside it, the avatar is taken to the portal it leads to.
    mutating func takePortal(_ slot: Int, from old: Position) {
        let position = positions[slot]
        guard let portal = map.portalIndex(tileX: position.tileX, tileY: position.tileY),
              portal != map.portalIndex(tileX: old.tileX, tileY: old.tileY),
              let destination = map.portalDestination(of: portal),
              let landing = map.portalLanding(destination) else { return }
        let tile = freeTile(near: landing, for: slot)
        jump(slot, to: Position(tileX: tile.x, tileY: tile.y))
    }

    /// Moves an avatar at once. A walk along a path ends (its waypoints are on the other
    /// side); a walk in a direction goes on from the new place, as the client predicts it.
    mutating func jump(_ slot: Int, to position: Position) {
        if case .path = intents[slot] {
            intents[slot] = .idle
            velocities[slot] = .zero
        }
        positions[slot] = position
        relocate(slot, to: grid.cell(of: position))
        // A jump is a change that dead reckoning cannot predict.
        if changed.last != slot { changed.append(slot) }
    }

    /// The tile nearest `point` by walking (edge-adjacent walkable steps, at most
    /// ``landingSteps``) on which no other avatar stands, in the same private area as the
    /// point or outside all of them like it; `point` itself when there is none.
    func freeTile(near point: (x: Int, y: Int), for slot: Int?) -> (x: Int, y: Int) {
        let width = map.width
        var occupied = Set<Int>()
        var cells: [Int] = []
        let radius = (Self.landingSteps + grid.cellTiles - 1) / grid.cellTiles
        grid.neighbourhood(of: grid.cell(of: Position(tileX: point.x, tileY: point.y)), radius: radius, into: &cells)
        for cell in cells {
            for other in grid.cells[cell] where other != slot {
                occupied.insert(positions[other].tileY * width + positions[other].tileX)
            }
        }
        let area = map.areaIndex(tileX: point.x, tileY: point.y)
        var seen: Set<Int> = [point.y * width + point.x]
        var frontier = [point]
        for _ in 0...Self.landingSteps {
            var next: [(x: Int, y: Int)] = []
            for tile in frontier {
                if !occupied.contains(tile.y * width + tile.x) && !map.isBlocked(tileX: tile.x, tileY: tile.y) { return tile }
                for neighbour in [(tile.x, tile.y - 1), (tile.x - 1, tile.y), (tile.x + 1, tile.y), (tile.x, tile.y + 1)]
                    where !map.isBlocked(tileX: neighbour.0, tileY: neighbour.1)
                    && map.areaIndex(tileX: neighbour.0, tileY: neighbour.1) == area
                    && seen.insert(neighbour.1 * width + neighbour.0).inserted {
                    next.append(neighbour)
                }
            }
            frontier = next
        }
        return point
    }
}
