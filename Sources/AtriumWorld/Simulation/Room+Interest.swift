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
    func updateInterest() {
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
        for slot in changed {
            guard let avatar = slots[slot] else { continue }
            grid.neighbourhood(of: avatar.cell, radius: radius, into: &cellsA)
            for cell in cellsA {
                for other in grid.cells[cell] where observers[other] != nil {
                    observers[other]?.markDirty(slot: slot, id: avatar.id)
                }
            }
        }
    }

    /// Marks the crossing avatar and every avatar in `cells` as news to each other.
    private func markPairs(_ crossing: Crossing, in cells: [Int]) {
        let mover = crossing.slot
        let moverObserves = observers[mover] != nil && slots[mover]?.id == crossing.id
        for cell in cells {
            for other in grid.cells[cell] where other != mover {
                if observers[other] != nil { observers[other]?.markDirty(slot: mover, id: crossing.id) }
                if moverObserves, let id = slots[other]?.id { observers[mover]?.markDirty(slot: other, id: id) }
            }
        }
    }

    /// Pairs in which both avatars crossed this tick: a cell difference alone can miss
    /// them (both walk apart at once), so their visibility before and after is compared.
    private func markCrossingPairs() {
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
        for (index, crossing) in crossings.enumerated() {
            var candidates: [Int] = []
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
                if observers[crossing.slot] != nil && slots[crossing.slot]?.id == crossing.id {
                    observers[crossing.slot]?.markDirty(slot: other.slot, id: other.id)
                }
                if observers[other.slot] != nil && slots[other.slot]?.id == other.id {
                    observers[other.slot]?.markDirty(slot: crossing.slot, id: crossing.id)
                }
            }
        }
    }

    /// Builds each client's delta from its marked avatars and hands it to the output.
    /// A congested client is skipped and keeps its marks, so its next delta carries the
    /// newest state of everything that changed meanwhile.
    func emitState<Output: RoomOutput>(output: inout Output) {
        for slot in observers.indices {
            guard let observer = observers[slot], let me = slots[slot] else { continue }
            let ackChanged = me.lastSequence != observer.lastAckSent
            guard !observer.dirty.isEmpty || ackChanged || observer.needsSnapshot else { continue }
            guard !output.isCongested(observer.client) else { continue }

            delta.reset(tick: tick, ack: me.lastSequence, snapshot: observer.needsSnapshot)
            for (otherSlot, id) in observer.dirty {
                let current = slots[otherSlot].flatMap { $0.id == id ? $0 : nil }
                let isVisible = current.map { grid.distance($0.cell, me.cell) <= viewCells } ?? false
                if let known = observer.known[id] {
                    guard isVisible, let avatar = current else {
                        observer.known[id] = nil
                        delta.left.append(id)
                        continue
                    }
                    var updated = known
                    if known.predicted(at: tick) != avatar.position || known.velocity != avatar.velocity {
                        delta.moved.append(.init(id: id, position: avatar.position, velocity: avatar.velocity))
                        updated.position = avatar.position
                        updated.velocity = avatar.velocity
                        updated.tick = tick
                    }
                    if known.infoVersion != avatar.infoVersion {
                        delta.updated.append((id, avatar.info))
                        updated.infoVersion = avatar.infoVersion
                    }
                    observer.known[id] = updated
                } else if isVisible, let avatar = current {
                    delta.entered.append((.init(id: id, position: avatar.position, velocity: avatar.velocity), avatar.info))
                    observer.known[id] = KnownAvatar(position: avatar.position, velocity: avatar.velocity, tick: tick,
                                                     infoVersion: avatar.infoVersion)
                }
            }
            observer.dirty.removeAll(keepingCapacity: true)
            observer.dirtyIDs.removeAll(keepingCapacity: true)
            let sendSnapshot = observer.needsSnapshot
            observer.needsSnapshot = false
            observer.lastAckSent = me.lastSequence
            if !delta.isEmpty || ackChanged || sendSnapshot {
                output.state(delta, to: observer.client)
            }
        }
    }
}
