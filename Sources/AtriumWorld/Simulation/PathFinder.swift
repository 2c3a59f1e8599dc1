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
    func path(from start: (x: Int, y: Int), to goal: (x: Int, y: Int), scratch: inout PathScratch) -> [(x: Int, y: Int)]? {
        var expanded = 0
        guard !map.isBlocked(tileX: goal.x, tileY: goal.y) else {
            scratch.expanded = 0
            return nil
        }
        if start == goal {
            scratch.expanded = 0
            return []
        }
        let width = map.width
        let startIndex = start.y * width + start.x
        let goalIndex = goal.y * width + goal.x
        scratch.begin()
        defer { scratch.expanded = expanded }
        scratch.reach(startIndex, cost: 0, from: -1)
        scratch.open.push(priority: heuristic(start, goal), value: startIndex)
        let startPortal = map.portalIndex(tileX: start.x, tileY: start.y)
        let goalPortal = map.portalIndex(tileX: goal.x, tileY: goal.y)
        var found = false
        while let current = scratch.open.pop() {
            if current == goalIndex {
                found = true
                break
            }
            expanded += 1
            guard expanded <= maxNodes else { return nil }
            let x = current % width
            let y = current / width
            let currentCost = Int(scratch.cost[current])
            for direction in 0..<4 {
                let nx = direction == 0 ? x + 1 : direction == 1 ? x - 1 : x
                let ny = direction == 2 ? y + 1 : direction == 3 ? y - 1 : y
                guard !map.isBlocked(tileX: nx, tileY: ny) else { continue }
                let next = ny * width + nx
                let portal = map.portalIndex(tileX: nx, tileY: ny)
                let free = portal == nil || portal == startPortal || portal == goalPortal
                let nextCost = currentCost + (free ? 1 : Self.portalDetour)
                if scratch.reached(next), Int(scratch.cost[next]) <= nextCost { continue }
                scratch.reach(next, cost: nextCost, from: current)
                scratch.open.push(priority: nextCost + heuristic((nx, ny), goal), value: next)
            }
        }
        guard found else { return nil }
        var node = goalIndex
        while node != startIndex {
            scratch.tiles.append(node)
            node = Int(scratch.cameFrom[node])
        }
        scratch.tiles.reverse()
        let tiles = scratch.tiles
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

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

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
