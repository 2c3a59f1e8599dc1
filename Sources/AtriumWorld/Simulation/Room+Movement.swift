extension Room {
    /// Records a movement intent. Clients send only intents; how far and where an avatar
    /// goes is decided in ``moveAvatars()``, so no input can teleport it, take it through
    /// a wall or make it faster.
    func move(_ client: ClientID, sequence: UInt32, intent: MoveIntent) {
        guard let slot = slotByClient[client], var avatar = slots[slot] else { return }
        avatar.lastSequence = sequence
        switch intent {
        case .stop:
            avatar.intent = .idle
        case .direction(let dx, let dy):
            avatar.intent = .direction(dx: Int32(max(-1, min(1, dx))), dy: Int32(max(-1, min(1, dy))))
        case .target(let target):
            let goal = clampToMap(target)
            let finder = PathFinder(map: map, maxNodes: configuration.maxPathNodes)
            if let tiles = finder.path(from: (avatar.position.tileX, avatar.position.tileY), to: (goal.tileX, goal.tileY)) {
                // First to the centre of the current tile, then corner to corner along
                // tile centres, and last to the exact point inside the goal tile.
                var waypoints = [Position(tileX: avatar.position.tileX, tileY: avatar.position.tileY)]
                waypoints += tiles.map { Position(tileX: $0.x, tileY: $0.y) }
                waypoints.append(goal)
                avatar.intent = .path(waypoints, next: 0)
            } else {
                avatar.intent = .idle
            }
        }
        slots[slot] = avatar
    }

    func moveAvatars() {
        for slot in slots.indices {
            guard let resting = slots[slot] else { continue }
            if case .idle = resting.intent, resting.velocity == .zero { continue }
            var avatar = resting
            let desired = desiredVelocity(&avatar)
            let old = avatar.position
            var position = old
            if desired.dx != 0 { position.x = movedCoordinate(position, by: desired.dx, horizontal: true) }
            if desired.dy != 0 { position.y = movedCoordinate(position, by: desired.dy, horizontal: false) }
            let velocity = Velocity(dx: position.x - old.x, dy: position.y - old.y)
            if velocity != avatar.velocity { changed.append(slot) }
            avatar.velocity = velocity
            avatar.position = position
            let cell = grid.cell(of: position)
            if cell != avatar.cell {
                grid.remove(slot, from: avatar.cell)
                grid.insert(slot, into: cell)
                crossings.append(Crossing(slot: slot, id: avatar.id, from: avatar.cell, to: cell))
                avatar.cell = cell
            }
            slots[slot] = avatar
        }
    }

    /// The step the avatar wants to take this tick; advances along a path.
    private func desiredVelocity(_ avatar: inout Avatar) -> Velocity {
        switch avatar.intent {
        case .idle:
            return .zero
        case .direction(let dx, let dy):
            let size = dx != 0 && dy != 0 ? diagonalStep : step
            return Velocity(dx: dx * size, dy: dy * size)
        case .path(let waypoints, var next):
            while next < waypoints.count && waypoints[next] == avatar.position { next += 1 }
            guard next < waypoints.count else {
                avatar.intent = .idle
                return .zero
            }
            avatar.intent = .path(waypoints, next: next)
            let target = waypoints[next]
            let dx = target.x - avatar.position.x
            let dy = target.y - avatar.position.y
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
