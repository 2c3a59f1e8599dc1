/// A* over walkable tiles with edge-adjacent steps, the moves the collision rule allows,
/// with a node budget so that one walk-to-target input has a bounded cost. A walk goes
/// around portals other than the ones it starts or ends on, where it can: stepping onto
/// one would take the walker somewhere else.
struct PathFinder {
    let map: WorldMap
    let maxNodes: Int

    /// What stepping onto a portal tile on the way costs, in steps.
    static let portalDetour = 64

    /// Tile waypoints from `start` to `goal`, where the direction changes, excluding the
    /// start; nil if the goal is blocked or not found within the budget.
    func path(from start: (x: Int, y: Int), to goal: (x: Int, y: Int)) -> [(x: Int, y: Int)]? {
        guard !map.isBlocked(tileX: goal.x, tileY: goal.y) else { return nil }
        if start == goal { return [] }
        let width = map.width
        let startIndex = start.y * width + start.x
        let goalIndex = goal.y * width + goal.x
        var cameFrom: [Int: Int] = [startIndex: -1]
        var cost: [Int: Int] = [startIndex: 0]
        var open = MinHeap()
        open.push(priority: heuristic(start, goal), value: startIndex)
        var expanded = 0
        let ends = [map.portalIndex(tileX: start.x, tileY: start.y), map.portalIndex(tileX: goal.x, tileY: goal.y)]
        while let current = open.pop() {
            if current == goalIndex { break }
            expanded += 1
            guard expanded <= maxNodes else { return nil }
            let x = current % width
            let y = current / width
            let currentCost = cost[current]!
            for (nx, ny) in [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)] where !map.isBlocked(tileX: nx, tileY: ny) {
                let next = ny * width + nx
                let portal = map.portalIndex(tileX: nx, tileY: ny)
                let nextCost = currentCost + (portal == nil || ends.contains(portal) ? 1 : Self.portalDetour)
                if let known = cost[next], known <= nextCost { continue }
                cost[next] = nextCost
                cameFrom[next] = current
                open.push(priority: nextCost + heuristic((nx, ny), goal), value: next)
            }
        }
        guard cameFrom[goalIndex] != nil else { return nil }
        var tiles: [Int] = []
        var node = goalIndex
        while node != startIndex {
            tiles.append(node)
            node = cameFrom[node]!
        }
        tiles.reverse()
        // Keep only the corners: where the step direction changes, and the goal.
        var waypoints: [(x: Int, y: Int)] = []
        var previous = startIndex
        for (index, tile) in tiles.enumerated() {
            let isLast = index == tiles.count - 1
            if !isLast {
                let following = tiles[index + 1]
                if tile - previous == following - tile {
                    previous = tile
                    continue
                }
            }
            waypoints.append((tile % width, tile / width))
            previous = tile
        }
        return waypoints
    }

    private func heuristic(_ a: (x: Int, y: Int), _ b: (x: Int, y: Int)) -> Int {
        abs(a.x - b.x) + abs(a.y - b.y)
    }
}

/// A binary min-heap of (priority, value).
struct MinHeap {
    private var items: [(priority: Int, value: Int)] = []

    mutating func push(priority: Int, value: Int) {
        items.append((priority, value))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].priority < items[parent].priority else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Int? {
        guard !items.isEmpty else { return nil }
        let top = items[0].value
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < items.count && items[left].priority < items[smallest].priority { smallest = left }
                if right < items.count && items[right].priority < items[smallest].priority { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
