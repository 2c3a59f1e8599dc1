extension Room {
    /// One pending change that may go into this tick's delta, with its wire size and
    /// its priority.
    struct StateCandidate {
        var slot: Int32
        var cost: Int32
        var priority: Int
    }

    /// Builds each client's delta from its pending avatars and hands it to the output.
    ///
    /// Each client spends its bytes where they matter, as game servers do: changes of the
    /// avatars within ``RoomConfiguration/nearStateCells`` of it go out every tick; the
    /// motion of those farther away at most every ``RoomConfiguration/farStateInterval``
    /// ticks, which folds several turns of a far avatar into one update; and one message carries at most
    /// ``RoomConfiguration/stateBudgetBytes``. When more is pending than the budget holds,
    /// the highest priorities go first: a pending change's priority is its age in ticks
    /// times a weight (4 near, 1 far), so near avatars win among equals and anything left
    /// behind climbs until it goes, and no avatar starves. What stays pending is sent later
    /// with the newest state, so every client converges to the truth. Avatars leaving the
    /// view are always told at once and cost the budget nothing: a client must never keep
    /// a ghost.
    ///
    /// A congested client is skipped and keeps its pending changes, so its next delta
    /// carries the newest state of everything that changed meanwhile.
    mutating func emitState<Output: RoomOutput>(output: inout Output) {
        let near = configuration.nearStateCells
        let farInterval = UInt32(configuration.farStateInterval)
        let budget = configuration.stateBudgetBytes
        for slot in observers.indices {
            guard let observer = observers[slot] else { continue }
            let acknowledged = sequences[slot]
            let ackChanged = acknowledged != observer.lastAckSent
            guard !observer.pending.isEmpty || !observer.departed.isEmpty || ackChanged || observer.needsSnapshot else { continue }
            guard !output.isCongested(observer.client) else { continue }

            let myCell = cells[slot]
            delta.reset(tick: tick, ack: acknowledged, snapshot: observer.needsSnapshot)
            delta.left.append(contentsOf: observer.departed)
            observer.departed.removeAll(keepingCapacity: true)
            stateCandidates.removeAll(keepingCapacity: true)
            stillPending.removeAll(keepingCapacity: true)
            var total = StateDelta.headerSize
            for pendingSlot in observer.pending {
                let otherSlot = Int(pendingSlot)
                let index = observer.index(ofSlot: otherSlot)
                let entry = observer.entry(at: index)
                let present = ids[otherSlot] == entry.id
                let distance = present ? grid.distance(cells[otherSlot], myCell) : Int.max
                guard distance <= observer.radius else {
                    if entry.known { delta.left.append(entry.id) }
                    observer.removeEntry(at: index)
                    continue
                }
                var cost = 0
                if entry.known {
                    var infoCost = 0
                    if entry.velocity != velocities[otherSlot] || entry.predicted(at: tick) != positions[otherSlot] {
                        cost += StateDelta.moveSize(id: entry.id)
                    }
                    if entry.infoVersion != infoVersions[otherSlot], let avatar = avatars[otherSlot] {
                        infoCost = StateDelta.varintSize(entry.id) + StateDelta.infoSize(name: avatar.name, status: avatar.status)
                    }
                    guard cost + infoCost > 0 else {
                        observer.withEntry(at: index) { $0.pending = false }
                        continue
                    }
                    // Only motion waits for the interval: a name block changes seldom, and
                    // a microphone or an emote should show wherever its avatar stands.
                    if infoCost == 0 && distance > near && tick &- entry.sentTick < farInterval {
                        stillPending.append(pendingSlot)
                        continue
                    }
                    cost += infoCost
                } else if let avatar = avatars[otherSlot] {
                    cost = StateDelta.moveSize(id: entry.id) + StateDelta.infoSize(name: avatar.name, status: avatar.status)
                }
                // The client's own avatar first: its acknowledgements and position anchor
                // everything else it draws.
                let age = Int(tick &- entry.pendingSince) + 1
                let priority = otherSlot == slot ? Int.max : distance <= near ? age * 4 : age
                stateCandidates.append(StateCandidate(slot: pendingSlot, cost: Int32(cost), priority: priority))
                total += cost
            }
            if total > budget { chooseWithinBudget(budget) }
            for candidate in stateCandidates { send(Int(candidate.slot), to: observer) }
            observer.keepPending(&stillPending)
            let sendSnapshot = observer.needsSnapshot
            observer.needsSnapshot = false
            observer.lastAckSent = acknowledged
            if !delta.isEmpty || ackChanged || sendSnapshot {
                output.state(delta, to: observer.client)
            }
        }
    }

    /// Keeps the candidates with the highest priority that fit in `budget` bytes (always
    /// at least one, so a tiny budget still makes progress) and puts the rest back to
    /// pending.
    private mutating func chooseWithinBudget(_ budget: Int) {
        stateCandidates.sort { $0.priority > $1.priority }
        var used = StateDelta.headerSize
        var kept = 0
        for candidate in stateCandidates {
            if kept > 0 && used + Int(candidate.cost) > budget {
                stillPending.append(candidate.slot)
                continue
            }
            used += Int(candidate.cost)
            stateCandidates[kept] = candidate
            kept += 1
        }
        stateCandidates.removeLast(stateCandidates.count - kept)
    }

    /// Adds the avatar in `slot` to the delta and records what the client now knows.
    private mutating func send(_ otherSlot: Int, to observer: Observer) {
        let index = observer.index(ofSlot: otherSlot)
        let position = positions[otherSlot]
        let velocity = velocities[otherSlot]
        let version = infoVersions[otherSlot]
        let tick = tick
        let entry = observer.entry(at: index)
        if !entry.known {
            guard let avatar = avatars[otherSlot] else {
                observer.removeEntry(at: index)
                return
            }
            delta.entered.append((.init(id: entry.id, position: position, velocity: velocity), avatar.info()))
        } else {
            if entry.velocity != velocity || entry.predicted(at: tick) != position {
                delta.moved.append(.init(id: entry.id, position: position, velocity: velocity))
            }
            if entry.infoVersion != version, let avatar = avatars[otherSlot] {
                delta.updated.append((entry.id, avatar.info()))
            }
        }
        observer.withEntry(at: index) { entry in
            entry.known = true
            entry.pending = false
            entry.position = position
            entry.velocity = velocity
            entry.tick = tick
            entry.infoVersion = version
            entry.sentTick = tick
        }
    }
}
