extension Room {
    /// Works out, for every client, which avatars may look different to it now.
    ///
    /// Visibility is decided per grid cell: a client sees the avatars whose cell is within
    /// its view radius (``viewCells``, or less in a crowd) of its own. So visibility changes
    /// only when an avatar changes cell (a crossing), and motion is news only when a
    /// velocity changes (dead reckoning predicts the rest). The cost per tick follows
    /// crossings and changes near each avatar, not the square of the room. Marking too much
    /// is harmless, since ``emitState(output:)`` checks each marked avatar; marking too
    /// little would lose an update, so pairs in which both avatars crossed are compared
    /// exactly.
    mutating func updateInterest() {
        let radius = viewCells
        // With every view at full radius, a cell within reach of both the old and the new
        // cell sees no change, so only the two differences need a look.
        let anyNarrowView = viewRadii.contains { $0 >= 0 && $0 < radius }
        for crossing in crossings {
            guard crossing.from != nil || crossing.to != nil else { continue }
            if !anyNarrowView, let from = crossing.from, let to = crossing.to {
                grid.difference(from: to, to: from, radius: radius, into: &cellsA)
                markVisibilityChanges(crossing, in: cellsA)
                grid.difference(from: from, to: to, radius: radius, into: &cellsA)
                markVisibilityChanges(crossing, in: cellsA)
            } else if let to = crossing.to {
                // Every cell that could see the mover before or after: the neighbourhood of
                // its new cell, plus the ring of the old one that the new one does not cover.
                grid.neighbourhood(of: to, radius: radius, into: &cellsA)
                markVisibilityChanges(crossing, in: cellsA)
                if let from = crossing.from {
                    grid.difference(from: from, to: to, radius: radius, into: &cellsA)
                    markVisibilityChanges(crossing, in: cellsA)
                }
            } else if let from = crossing.from {
                grid.neighbourhood(of: from, radius: radius, into: &cellsA)
                markVisibilityChanges(crossing, in: cellsA)
            }
        }
        markCrossingPairs()
        for slot in changed where ids[slot] != 0 {
            let id = ids[slot]
            let own = cells[slot]
            grid.neighbourhood(of: own, radius: radius, into: &cellsA)
            for cell in cellsA {
                let distance = grid.distance(cell, own)
                for other in grid.cells[cell] where viewRadii[other] >= distance {
                    observers[other]?.markDirty(slot: slot, id: id, tick: tick)
                }
            }
        }
    }

    /// For the avatars in `cells` (which did not cross this tick, or which
    /// ``markCrossingPairs()`` also compares), marks the crossing avatar and each of them
    /// as news to each other wherever the crossing changed whether one sees the other.
    private func markVisibilityChanges(_ crossing: Crossing, in cells: [Int]) {
        let mover = crossing.slot
        let moverPresent = ids[mover] == crossing.id
        let moverRadius = moverPresent ? viewRadii[mover] : -1
        let moverObserver = moverRadius >= 0 ? observers[mover] : nil
        for cell in cells {
            let before = crossing.from.map { grid.distance(cell, $0) } ?? Int.max
            let after = crossing.to.map { grid.distance(cell, $0) } ?? Int.max
            // Nobody in a cell as far from the old cell as from the new one sees a change,
            // whatever their radius: in a crowd that is most of the neighbourhood.
            guard before != after else { continue }
            for other in grid.cells[cell] where other != mover {
                let otherRadius = viewRadii[other]
                if (before <= otherRadius) != (after <= otherRadius) {
                    observers[other]?.markDirty(slot: mover, id: crossing.id, tick: tick)
                }
                if let moverObserver, (before <= moverRadius) != (after <= moverRadius) {
                    moverObserver.markDirty(slot: other, id: ids[other], tick: tick)
                }
            }
        }
    }

    /// Pairs in which both avatars crossed this tick: a cell difference alone can miss
    /// them (both walk apart at once), so their visibility before and after is compared,
    /// each with its own view radius.
    private mutating func markCrossingPairs() {
        guard crossings.count > 1 else { return }
        let radius = viewCells
        var byOldCell: [Int: [Int]] = [:]
        var byNewCell: [Int: [Int]] = [:]
        for (index, crossing) in crossings.enumerated() {
            if let from = crossing.from { byOldCell[from, default: []].append(index) }
            if let to = crossing.to { byNewCell[to, default: []].append(index) }
        }
        func distance(_ a: Int?, _ b: Int?) -> Int {
            guard let a, let b else { return Int.max }
            return grid.distance(a, b)
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
                let before = distance(crossing.from, other.from)
                let after = distance(crossing.to, other.to)
                guard before != after else { continue }
                if ids[crossing.slot] == crossing.id {
                    let seeing = viewRadii[crossing.slot]
                    if (before <= seeing) != (after <= seeing) {
                        observers[crossing.slot]?.markDirty(slot: other.slot, id: other.id, tick: tick)
                    }
                }
                if ids[other.slot] == other.id {
                    let seeing = viewRadii[other.slot]
                    if (before <= seeing) != (after <= seeing) {
                        observers[other.slot]?.markDirty(slot: crossing.slot, id: crossing.id, tick: tick)
                    }
                }
            }
        }
    }

    /// Fits each client's view to the crowd around it, for a tenth of the clients per tick:
    /// the widest radius (in cells, up to ``viewCells``) that holds at most
    /// ``RoomConfiguration/maxVisible`` avatars, and never less than the client's own cell.
    /// It widens again only when the next ring would fit with a quarter to spare, so a
    /// crowd at the edge does not make it flap. When the radius changes, everything within
    /// the full view radius is marked, and the next delta says who entered and who left.
    mutating func fitViews() {
        guard population > maxVisible else {
            // Fewer avatars than the cap: every view is the full one.
            for slot in viewRadii.indices where viewRadii[slot] >= 0 && viewRadii[slot] != viewCells {
                observers[slot]?.radius = viewCells
                viewRadii[slot] = viewCells
                refreshObserver(slot)
            }
            return
        }
        var counts = [Int](repeating: 0, count: viewCells + 1)
        for slot in observers.indices where slot % Self.fitPeriod == Int(tick % UInt32(Self.fitPeriod)) {
            guard let observer = observers[slot] else { continue }
            let own = cells[slot]
            for index in counts.indices { counts[index] = 0 }
            grid.neighbourhood(of: own, radius: viewCells, into: &cellsB)
            for cell in cellsB { counts[grid.distance(cell, own)] += grid.cells[cell].count }
            for index in counts.indices.dropFirst() { counts[index] += counts[index - 1] }
            var radius = observer.radius
            while radius > 0 && counts[radius] > maxVisible { radius -= 1 }
            while radius < viewCells && counts[radius + 1] * 4 <= maxVisible * 3 { radius += 1 }
            if radius != observer.radius {
                observer.radius = radius
                viewRadii[slot] = radius
                refreshObserver(slot)
            }
        }
    }
}
