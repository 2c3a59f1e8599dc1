extension Room {
    mutating func join<Output: RoomOutput>(_ request: JoinRequest, output: inout Output) {
        guard slotByClient[request.client] == nil else {
            output.send(.error(.alreadyJoined, ref: nil), to: request.client)
            return
        }
        if let token = request.resumeToken, slotByResumeToken[token] != nil || !request.rejoinsIfUnknown {
            resume(token: token, client: request.client, output: &output)
            return
        }
        guard !locked || request.role.isModerator else {
            output.send(.refused(.roomLocked), to: request.client)
            return
        }
        guard slotByID.count < capacity else {
            output.send(.refused(.roomFull), to: request.client)
            return
        }
        let (name, key) = uniqueName(request.name)
        var spawn = spawnTiles[Int(random.next() % UInt64(spawnTiles.count))]
        var near: UInt32?
        if let friend = request.near, let friendSlot = slotByID[friend], avatars[friendSlot]?.client != nil {
            spawn = freeTile(near: (positions[friendSlot].tileX, positions[friendSlot].tileY), for: nil)
            near = friend
        }
        let position = Position(tileX: spawn.x, tileY: spawn.y)
        let cell = grid.cell(of: position)
        let id = nextAvatarID
        nextAvatarID &+= 1
        let avatar = Avatar(client: request.client, name: name, nameKey: key, role: request.role,
                            registrationID: request.registrationID, person: request.person,
                            appearance: request.appearance, resumeToken: request.newResumeToken)
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            ids[slot] = id
            positions[slot] = position
            velocities[slot] = .zero
            cells[slot] = cell
            infoVersions[slot] = 0
            sequences[slot] = 0
            intents[slot] = .idle
            pathGoals[slot] = nil
            avatars[slot] = avatar
            observers[slot] = Observer(client: request.client, radius: viewCells)
            viewRadii[slot] = viewCells
        } else {
            slot = ids.count
            ids.append(id)
            positions.append(position)
            velocities.append(.zero)
            cells.append(cell)
            infoVersions.append(0)
            sequences.append(0)
            intents.append(.idle)
            pathGoals.append(nil)
            pathQueued.append(false)
            avatars.append(avatar)
            observers.append(Observer(client: request.client, radius: viewCells))
            viewRadii.append(viewCells)
        }
        slotByID[id] = slot
        slotByClient[request.client] = slot
        slotByResumeToken[request.newResumeToken] = slot
        takenNames.insert(key)
        grid.insert(slot, into: cell)
        crossings.append(Crossing(slot: slot, id: id, from: nil, to: cell))
        observers[slot]?.markDirty(slot: slot, id: id, tick: tick)
        output.send(.welcome(.init(avatarID: id, name: name, role: request.role, resumeToken: request.newResumeToken,
                                   resumed: false, tick: tick, near: near)), to: request.client)
        catchUpOnQuiz(request.client, output: &output)
        catchUpOnStage(request.client, output: &output)
    }

    /// Binds an existing avatar to a new connection. If another connection still holds
    /// it (a half-dead socket the server has not noticed yet), that one is evicted.
    private mutating func resume<Output: RoomOutput>(token: String, client: ClientID, output: inout Output) {
        guard let slot = slotByResumeToken[token], var avatar = avatars[slot] else {
            output.send(.refused(.resumeUnknown), to: client)
            return
        }
        if let previous = avatar.client {
            slotByClient[previous] = nil
            output.send(.evicted(.replaced), to: previous)
        }
        avatar.client = client
        avatar.awayUntil = nil
        avatars[slot] = avatar
        mediaEnded(slot)
        conversationRestarted(slot)
        slotByClient[client] = slot
        observers[slot] = Observer(client: client, radius: viewCells)
        viewRadii[slot] = viewCells
        infoChanged(slot)
        refreshObserver(slot)
        output.send(.welcome(.init(avatarID: ids[slot], name: avatar.name, role: avatar.role,
                                   resumeToken: avatar.resumeToken, resumed: true, tick: tick)), to: client)
        catchUpOnQuiz(client, output: &output)
        catchUpOnStage(client, output: &output)
    }

    /// Marks everything in an observer's view as unknown, for a full snapshot.
    mutating func refreshObserver(_ slot: Int) {
        guard let observer = observers[slot] else { return }
        grid.neighbourhood(of: cells[slot], radius: viewCells, into: &cellsA)
        for cell in cellsA {
            for other in grid.cells[cell] { observer.markDirty(slot: other, id: ids[other], tick: tick) }
        }
    }

    mutating func disconnect(_ client: ClientID) {
        guard let slot = slotByClient[client] else { return }
        closeExhibit(slot)
        slotByClient[client] = nil
        mediaEnded(slot)
        avatars[slot]?.client = nil
        avatars[slot]?.awayUntil = tick &+ graceTicks
        intents[slot] = .idle
        pathGoals[slot] = nil
        observers[slot] = nil
        viewRadii[slot] = -1
        infoChanged(slot)
    }

    mutating func leave(_ client: ClientID) {
        guard let slot = slotByClient[client] else { return }
        remove(slot)
    }

    mutating func remove(_ slot: Int) {
        closeExhibit(slot)
        guard let avatar = avatars[slot] else { return }
        let id = ids[slot]
        mediaEnded(slot)
        stage.lowerHand(id)
        if let client = avatar.client { slotByClient[client] = nil }
        slotByID[id] = nil
        slotByResumeToken[avatar.resumeToken] = nil
        takenNames.remove(avatar.nameKey)
        grid.remove(slot, from: cells[slot])
        crossings.append(Crossing(slot: slot, id: id, from: cells[slot], to: nil))
        ids[slot] = 0
        intents[slot] = .idle
        pathGoals[slot] = nil
        avatars[slot] = nil
        observers[slot] = nil
        viewRadii[slot] = -1
        freeSlots.append(slot)
    }

    /// Away avatars whose grace ran out leave; emotes wear off.
    mutating func expireTimers() {
        for slot in avatars.indices {
            guard let avatar = avatars[slot] else { continue }
            if let deadline = avatar.awayUntil, tick >= deadline {
                remove(slot)
            } else if avatar.emote != 0 && tick >= avatar.emoteUntil {
                avatars[slot]?.emote = 0
                infoChanged(slot)
            }
        }
    }

    /// The name itself if free (compared case-insensitively), else with the first free
    /// " (n)" suffix, shortened so the result stays within 32 characters.
    func uniqueName(_ name: String) -> (name: String, key: String) {
        let taken = takenNames
        let key = name.lowercased()
        if !taken.contains(key) { return (name, key) }
        var number = 2
        while true {
            let suffix = " (\(number))"
            let candidate = String(name.prefix(32 - suffix.count)) + suffix
            if !taken.contains(candidate.lowercased()) { return (candidate, candidate.lowercased()) }
            number += 1
        }
    }

    mutating func emote(_ client: ClientID, code: UInt8) {
        guard let slot = slotByClient[client] else { return }
        avatars[slot]?.emote = code
        avatars[slot]?.emoteUntil = tick &+ emoteTicks
        infoChanged(slot)
    }

    mutating func status<Output: RoomOutput>(_ client: ClientID, text: String, output: inout Output) {
        guard let slot = slotByClient[client] else {
            output.send(.error(.notJoined, ref: nil), to: client)
            return
        }
        // An empty status clears it.
        var cleaned = ""
        if !text.allSatisfy(\.isWhitespace) {
            switch TextRules.clean(text, maxCharacters: configuration.maxStatusLength, maxBytes: TextRules.maxFieldBytes) {
            case .success(let value): cleaned = value
            case .failure(let error):
                output.send(.error(error, ref: nil), to: client)
                return
            }
        }
        avatars[slot]?.status = cleaned
        infoChanged(slot)
    }

    func who<Output: RoomOutput>(_ client: ClientID, limit: Int, output: inout Output) {
        guard slotByClient[client] != nil else {
            output.send(.error(.notJoined, ref: nil), to: client)
            return
        }
        guard limit > 0 else {
            // Just the total, asked often by clients to keep their count right: no list, no sort.
            output.send(.people(total: population, []), to: client)
            return
        }
        let everyone = avatars.indices.compactMap { slot -> (id: UInt32, avatar: Avatar, position: Position)? in
            avatars[slot].map { (ids[slot], $0, positions[slot]) }
        }.sorted { ($0.avatar.nameKey, $0.id) < ($1.avatar.nameKey, $1.id) }
        let listed = everyone.prefix(max(0, min(limit, configuration.maxPeopleListed))).map { entry in
            RoomEvent.Person(id: entry.id, name: entry.avatar.name, role: entry.avatar.role, status: entry.avatar.status,
                             away: entry.avatar.client == nil, registrationID: entry.avatar.registrationID,
                             position: entry.position)
        }
        output.send(.people(total: everyone.count, Array(listed)), to: client)
    }
}
