extension Room {
    /// Records a movement intent. Clients send only intents; how far and where an avatar
    /// goes is decided in ``moveAvatars()``, so no input can teleport it, take it through
    /// a wall or make it faster.
    mutating func move(_ client: ClientID, sequence: UInt32, intent: MoveIntent) {
        guard let slot = slotByClient[client] else { return }
        sequences[slot] = sequence
        switch intent {
        case .stop:
            intents[slot] = .idle
        case .direction(let dx, let dy):
            intents[slot] = .direction(dx: Int32(max(-1, min(1, dx))), dy: Int32(max(-1, min(1, dy))))
        case .target(let target):
            intents[slot] = .idle
            pathGoals[slot] = clampToMap(target)
            if !pathQueued[slot] {
                pathQueued[slot] = true
                pathQueue.append(Int32(truncatingIfNeeded: slot))
            }
            return
        }
        pathGoals[slot] = nil
    }

    /// Runs the waiting path searches, oldest first, until this tick has expanded
    /// ``RoomConfiguration/pathNodesPerTick`` nodes (at least one search a tick). When the
    /// whole quiz crowd asks for a path in the same tick, the searches spread over the
    /// next ticks instead of making one tick take hundreds of milliseconds for everyone;
    /// a walker whose search waits stands still until it runs. A direction or a stop sent
    /// meanwhile cancels the search.
    mutating func planPaths() {
        var nodes = 0
        defer { pathNodesThisTick = nodes }
        while pathQueueHead < pathQueue.count && (nodes < configuration.pathNodesPerTick || nodes == 0) {
            let slot = Int(pathQueue[pathQueueHead])
            pathQueueHead += 1
            pathQueued[slot] = false
            guard let goal = pathGoals[slot] else { continue }
            pathGoals[slot] = nil
            nodes += planPath(slot, to: goal)
        }
        if pathQueueHead == pathQueue.count {
            pathQueue.removeAll(keepingCapacity: true)
            pathQueueHead = 0
        }
    }

    /// Finds the way for one walker and sets it walking; returns the nodes the search expanded.
    private mutating func planPath(_ slot: Int, to goal: Position) -> Int {
        let position = positions[slot]
        let finder = PathFinder(map: map, maxNodes: configuration.maxPathNodes)
        let tiles = finder.path(from: (position.tileX, position.tileY), to: (goal.tileX, goal.tileY), scratch: &pathScratch)
        guard let tiles else {
            intents[slot] = .idle
            return max(1, pathScratch.expanded)
        }
        // First to the centre of the current tile, then corner to corner along
        // tile centres, and last to the exact point inside the goal tile.
        var waypoints = [Position(tileX: position.tileX, tileY: position.tileY)]
        waypoints.reserveCapacity(tiles.count + 2)
        waypoints += tiles.map { Position(tileX: $0.x, tileY: $0.y) }
        waypoints.append(goal)
        intents[slot] = .path(waypoints, next: 0)
        return max(1, pathScratch.expanded)
    }

    mutating func moveAvatars() {
        for slot in ids.indices where ids[slot] != 0 {
            if case .idle = intents[slot], velocities[slot] == .zero { continue }
            let desired = desiredVelocity(slot)
            let old = positions[slot]
            var position = old
            if desired.dx != 0 { position.x = movedCoordinate(position, by: desired.dx, horizontal: true) }
            if desired.dy != 0 { position.y = movedCoordinate(position, by: desired.dy, horizontal: false) }
            let velocity = Velocity(dx: position.x - old.x, dy: position.y - old.y)
            if velocity != velocities[slot] {
                velocities[slot] = velocity
                changed.append(slot)
            }
            if position != old {
                positions[slot] = position
                relocate(slot, to: grid.cell(of: position))
                if position.tileX != old.tileX || position.tileY != old.tileY { takePortal(slot, from: old) }
            }
        }
    }

    /// The step the avatar wants to take this tick; advances along a path.
    private mutating func desiredVelocity(_ slot: Int) -> Velocity {
        switch intents[slot] {
        case .idle:
            return .zero
        case .direction(let dx, let dy):
            let size = dx != 0 && dy != 0 ? diagonalStep : step
            return Velocity(dx: dx * size, dy: dy * size)
        case .path(let waypoints, let start):
            let position = positions[slot]
            var next = start
            while next < waypoints.count && waypoints[next] == position { next += 1 }
            guard next < waypoints.count else {
                intents[slot] = .idle
                return .zero
            }
            if next != start { intents[slot] = .path(waypoints, next: next) }
            let target = waypoints[next]
            let dx = target.x - position.x
            let dy = target.y - position.y
            let size = dx != 0 && dy != 0 ? diagonalStep : step
            return Velocity(dx: max(-size, min(size, dx)), dy: max(-size, min(size, dy)))
        }
    }

    /// Moves one coordinate, stopping at the edge of a blocked tile or of the map.
    /// Steps are under a tile long, so checking the destination tile is enough.
    private func movedCoordinate(_ position: Position, by delta: Int32, horizontal: Bool) -> Int32 {
        let unit = Position.unitsPerTile
        let limit = Int32(horizontal ? map.width : map.height) * unit - 1
        let current = horizontal ? position.x : position.y
        let target = min(max(current + delta, 0), limit)
        let tile = Int(target / unit)
        let blocked = horizontal
            ? map.isBlocked(tileX: tile, tileY: position.tileY)
            : map.isBlocked(tileX: position.tileX, tileY: tile)
        guard blocked else { return target }
        // Stop on the last unit before the blocked tile.
        return delta > 0 ? Int32(tile) * unit - 1 : Int32(tile + 1) * unit
    }
}
