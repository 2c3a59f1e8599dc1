extension Room {
    func join<Output: RoomOutput>(_ request: JoinRequest, output: inout Output) {
        guard slotByClient[request.client] == nil else {
            output.send(.error(.alreadyJoined, ref: nil), to: request.client)
            return
        }
        if let token = request.resumeToken {
            resume(token: token, client: request.client, output: &output)
            return
        }
        guard slotByID.count < capacity else {
            output.send(.refused(.roomFull), to: request.client)
            return
        }
        let (name, key) = uniqueName(request.name)
        let spawn = spawnTiles[Int(random.next() % UInt64(spawnTiles.count))]
        let position = Position(tileX: spawn.x, tileY: spawn.y)
        let cell = grid.cell(of: position)
        let id = nextAvatarID
        nextAvatarID &+= 1
        let avatar = Avatar(id: id, client: request.client, name: name, nameKey: key, role: request.role,
                            registrationID: request.registrationID, appearance: request.appearance,
                            resumeToken: request.newResumeToken, position: position, cell: cell)
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = avatar
            observers[slot] = Observer(client: request.client)
        } else {
            slot = slots.count
            slots.append(avatar)
            observers.append(Observer(client: request.client))
        }
        slotByID[id] = slot
        slotByClient[request.client] = slot
        slotByResumeToken[request.newResumeToken] = slot
        grid.insert(slot, into: cell)
        crossings.append(Crossing(slot: slot, id: id, from: nil, to: cell))
        observers[slot]?.markDirty(slot: slot, id: id)
        output.send(.welcome(.init(avatarID: id, name: name, role: request.role, resumeToken: request.newResumeToken,
                                   resumed: false, tick: tick)), to: request.client)
    }

    /// Binds an existing avatar to a new connection. If another connection still holds
    /// it (a half-dead socket the server has not noticed yet), that one is evicted.
    private func resume<Output: RoomOutput>(token: String, client: ClientID, output: inout Output) {
        guard let slot = slotByResumeToken[token], var avatar = slots[slot] else {
            output.send(.refused(.resumeUnknown), to: client)
            return
        }
        if let previous = avatar.client {
            slotByClient[previous] = nil
            output.send(.evicted(.replaced), to: previous)
        }
        avatar.client = client
        avatar.awayUntil = nil
        avatar.infoVersion &+= 1
        slots[slot] = avatar
        slotByClient[client] = slot
        observers[slot] = Observer(client: client)
        changed.append(slot)
        refreshObserver(slot)
        output.send(.welcome(.init(avatarID: avatar.id, name: avatar.name, role: avatar.role,
                                   resumeToken: avatar.resumeToken, resumed: true, tick: tick)), to: client)
    }

    /// Marks everything in an observer's view as unknown, for a full snapshot.
    func refreshObserver(_ slot: Int) {
        guard let avatar = slots[slot] else { return }
        grid.neighbourhood(of: avatar.cell, radius: viewCells, into: &cellsA)
        for cell in cellsA {
            for other in grid.cells[cell] {
                if let id = slots[other]?.id { observers[slot]?.markDirty(slot: other, id: id) }
            }
        }
    }

    func disconnect(_ client: ClientID) {
        guard let slot = slotByClient.removeValue(forKey: client), var avatar = slots[slot] else { return }
        avatar.client = nil
        avatar.awayUntil = tick &+ graceTicks
        avatar.intent = .idle
        avatar.infoVersion &+= 1
        slots[slot] = avatar
        observers[slot] = nil
        changed.append(slot)
    }

    func leave(_ client: ClientID) {
        guard let slot = slotByClient[client] else { return }
        remove(slot)
    }

    func remove(_ slot: Int) {
        guard let avatar = slots[slot] else { return }
        if let client = avatar.client { slotByClient[client] = nil }
        slotByID[avatar.id] = nil
        slotByResumeToken[avatar.resumeToken] = nil
        grid.remove(slot, from: avatar.cell)
        crossings.append(Crossing(slot: slot, id: avatar.id, from: avatar.cell, to: nil))
        slots[slot] = nil
        observers[slot] = nil
        freeSlots.append(slot)
    }

    /// Away avatars whose grace ran out leave; emotes wear off.
    func expireTimers() {
        for slot in slots.indices {
            guard let avatar = slots[slot] else { continue }
            if let deadline = avatar.awayUntil, tick >= deadline {
                remove(slot)
            } else if avatar.emote != 0 && tick >= avatar.emoteUntil {
                slots[slot]?.emote = 0
                slots[slot]?.infoVersion &+= 1
                changed.append(slot)
            }
        }
    }

    /// The name itself if free (compared case-insensitively), else with the first free
    /// " (n)" suffix, shortened so the result stays within 32 characters.
    func uniqueName(_ name: String) -> (name: String, key: String) {
        let taken = Set(slots.compactMap { $0?.nameKey })
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

    func emote(_ client: ClientID, code: UInt8) {
        guard let slot = slotByClient[client] else { return }
        slots[slot]?.emote = code
        slots[slot]?.emoteUntil = tick &+ emoteTicks
        slots[slot]?.infoVersion &+= 1
        changed.append(slot)
    }

    func status<Output: RoomOutput>(_ client: ClientID, text: String, output: inout Output) {
        guard let slot = slotByClient[client] else {
            output.send(.error(.notJoined, ref: nil), to: client)
            return
        }
        // An empty status clears it.
        var cleaned = ""
        if !text.allSatisfy(\.isWhitespace) {
            switch TextRules.clean(text, maxCharacters: configuration.maxStatusLength) {
            case .success(let value): cleaned = value
            case .failure(let error):
                output.send(.error(error, ref: nil), to: client)
                return
            }
        }
        slots[slot]?.status = cleaned
        slots[slot]?.infoVersion &+= 1
        changed.append(slot)
    }

    func who<Output: RoomOutput>(_ client: ClientID, limit: Int, output: inout Output) {
        guard slotByClient[client] != nil else {
            output.send(.error(.notJoined, ref: nil), to: client)
            return
        }
        let everyone = slots.compactMap { $0 }.sorted { ($0.nameKey, $0.id) < ($1.nameKey, $1.id) }
        let listed = everyone.prefix(max(0, min(limit, configuration.maxPeopleListed))).map { avatar in
            RoomEvent.Person(id: avatar.id, name: avatar.name, role: avatar.role, status: avatar.status,
                             away: avatar.client == nil, registrationID: avatar.registrationID)
        }
        output.send(.people(total: everyone.count, Array(listed)), to: client)
    }
}
