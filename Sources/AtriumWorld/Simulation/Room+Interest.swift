extension Room {
    /// Works out, for every client, which avatars may look different to it now.
    ///
    /// Visibility is decided per grid cell: a client sees the avatars whose cell is within
    /// ``viewCells`` of its own. So visibility changes only when an avatar changes cell
    /// (a crossing), and motion is news only when a velocity changes (dead reckoning
    /// predicts the rest). The cost per tick follows crossings and changes near each
    /// avatar, not the square of the room. Marking too much is harmless, since
    /// ``emitState(output:)`` checks each marked avatar; marking too little would lose
    /// an update, so pairs in which both avatars crossed are compared exactly.
    mutating func updateInterest() {
        let radius = viewCells
        for crossing in crossings {
            switch (crossing.from, crossing.to) {
            case (let from?, let to?):
                grid.difference(from: to, to: from, radius: radius, into: &cellsA)
                markPairs(crossing, in: cellsA)
                grid.difference(from: from, to: to, radius: radius, into: &cellsA)
                markPairs(crossing, in: cellsA)
            case (nil, let to?):
                grid.neighbourhood(of: to, radius: radius, into: &cellsA)
                markPairs(crossing, in: cellsA)
            case (let from?, nil):
                grid.neighbourhood(of: from, radius: radius, into: &cellsA)
                markPairs(crossing, in: cellsA)
            case (nil, nil):
                break
            }
        }
        markCrossingPairs()
        for slot in changed where ids[slot] != 0 {
            let id = ids[slot]
            grid.neighbourhood(of: cells[slot], radius: radius, into: &cellsA)
            for cell in cellsA {
                for other in grid.cells[cell] {
                    observers[other]?.markDirty(slot: slot, id: id)
                }
            }
        }
    }

    /// Marks the crossing avatar and every avatar in `cells` as news to each other.
    private func markPairs(_ crossing: Crossing, in cells: [Int]) {
        let mover = crossing.slot
        let moverObserver = ids[mover] == crossing.id ? observers[mover] : nil
        for cell in cells {
            for other in grid.cells[cell] where other != mover {
                observers[other]?.markDirty(slot: mover, id: crossing.id)
                moverObserver?.markDirty(slot: other, id: ids[other])
            }
        }
    }

    /// Pairs in which both avatars crossed this tick: a cell difference alone can miss
    /// them (both walk apart at once), so their visibility before and after is compared.
    private mutating func markCrossingPairs() {
        guard crossings.count > 1 else { return }
        let radius = viewCells
        var byOldCell: [Int: [Int]] = [:]
        var byNewCell: [Int: [Int]] = [:]
        for (index, crossing) in crossings.enumerated() {
            if let from = crossing.from { byOldCell[from, default: []].append(index) }
            if let to = crossing.to { byNewCell[to, default: []].append(index) }
        }
        func visible(_ a: Int?, _ b: Int?) -> Bool {
            guard let a, let b else { return false }
            return grid.distance(a, b) <= radius
        }
        var candidates: [Int] = []
        for (index, crossing) in crossings.enumerated() {
            candidates.removeAll(keepingCapacity: true)
            if let from = crossing.from {
                grid.neighbourhood(of: from, radius: radius, into: &cellsB)
                for cell in cellsB { candidates += byOldCell[cell] ?? [] }
            }
            if let to = crossing.to {
                grid.neighbourhood(of: to, radius: radius, into: &cellsB)
                for cell in cellsB { candidates += byNewCell[cell] ?? [] }
            }
            for otherIndex in candidates where otherIndex > index {
                let other = crossings[otherIndex]
                guard other.slot != crossing.slot || other.id != crossing.id else { continue }
                let before = visible(crossing.from, other.from)
                let after = visible(crossing.to, other.to)
                guard before != after else { continue }
                if ids[crossing.slot] == crossing.id { observers[crossing.slot]?.markDirty(slot: other.slot, id: other.id) }
                if ids[other.slot] == other.id { observers[other.slot]?.markDirty(slot: crossing.slot, id: crossing.id) }
            }
        }
    }

    /// Builds each client's delta from its marked avatars and hands it to the output.
    /// A congested client is skipped and keeps its marks, so its next delta carries the
    /// newest state of everything that changed meanwhile.
    mutating func emitState<Output: RoomOutput>(output: inout Output) {
        for slot in observers.indices {
            guard let observer = observers[slot] else { continue }
            let acknowledged = sequences[slot]
            let ackChanged = acknowledged != observer.lastAckSent
            guard !observer.dirty.isEmpty || ackChanged || observer.needsSnapshot else { continue }
            guard !output.isCongested(observer.client) else { continue }

            let myCell = cells[slot]
            delta.reset(tick: tick, ack: acknowledged, snapshot: observer.needsSnapshot)
            for (otherSlot, id) in observer.dirty {
                let present = ids[otherSlot] == id
                let isVisible = present && grid.distance(cells[otherSlot], myCell) <= viewCells
                if let known = observer.known[id] {
                    guard isVisible else {
                        observer.forget(id)
                        delta.left.append(id)
                        continue
                    }
                    let position = positions[otherSlot]
                    let velocity = velocities[otherSlot]
                    let version = infoVersions[otherSlot]
                    var updated = known
                    var modified = false
                    if known.velocity != velocity || known.predicted(at: tick) != position {
                        delta.moved.append(.init(id: id, position: position, velocity: velocity))
                        updated.position = position
                        updated.velocity = velocity
                        updated.tick = tick
                        modified = true
                    }
                    if known.infoVersion != version, let avatar = avatars[otherSlot] {
                        delta.updated.append((id, avatar.info()))
                        updated.infoVersion = version
                        modified = true
                    }
                    if modified { observer.known.insert(id, updated) }
                } else if isVisible, let avatar = avatars[otherSlot] {
                    let position = positions[otherSlot]
                    let velocity = velocities[otherSlot]
                    delta.entered.append((.init(id: id, position: position, velocity: velocity), avatar.info()))
                    observer.known.insert(id, KnownAvatar(position: position, velocity: velocity, tick: tick,
                                                          infoVersion: infoVersions[otherSlot]))
                }
            }
            observer.clearMarks()
            let sendSnapshot = observer.needsSnapshot
            observer.needsSnapshot = false
            observer.lastAckSent = acknowledged
            if !delta.isEmpty || ackChanged || sendSnapshot {
                output.state(delta, to: observer.client)
            }
        }
    }
}
