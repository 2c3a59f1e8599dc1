extension Room {
    /// Everyone connected, in a stable order, for room-wide messages.
    var everyone: [ClientID] { slotByClient.keys.sorted() }

    /// Applies a moderator's action. Every action is checked here, on the server: a
    /// participant who sends one gets `forbidden` whatever its client shows. Effects are
    /// immediate (removing an abuser must not wait for a disk); the audit line follows.
    mutating func moderate<Output: RoomOutput>(_ client: ClientID, _ action: ModeratorAction, ref: String?, output: inout Output) {
        guard let slot = slotByClient[client], let moderator = avatars[slot] else {
            output.send(.error(.notJoined, ref: ref), to: client)
            return
        }
        guard moderator.role.isModerator else {
            output.send(.error(.forbidden("only moderators can \(action.name)"), ref: ref), to: client)
            return
        }
        var target: String?
        var detail: String?
        switch action {
        case .announce(let text):
            switch TextRules.clean(text, maxCharacters: configuration.maxNoteLength) {
            case .failure(let error):
                output.send(.error(error, ref: ref), to: client)
                return
            case .success(let cleaned):
                output.broadcast(.announcement(text: cleaned, from: moderator.name), to: everyone)
                detail = cleaned
            }
        case .spotlight(let avatarID, let on), .mute(let avatarID, let on), .onAir(let avatarID, let on):
            guard let targetSlot = targetSlot(avatarID, client: client, ref: ref, output: &output) else { return }
            if case .mute = action {
                mediaMuted(targetSlot, on)
            } else {
                moderateStage(targetSlot, action)
            }
            target = avatars[targetSlot]?.name
            detail = on ? "on" : "off"
        case .lowerHand(let avatarID):
            guard let targetSlot = targetSlot(avatarID, client: client, ref: ref, output: &output) else { return }
            moderateStage(targetSlot, action)
            target = avatars[targetSlot]?.name
        case .kick(let avatarID, let reason), .ban(let avatarID, let reason):
            guard let targetSlot = targetSlot(avatarID, client: client, ref: ref, output: &output),
                  let victim = avatars[targetSlot] else { return }
            target = victim.name
            detail = reason
            if case .ban = action {
                output.store(.ban(client: victim.client, registrationID: victim.registrationID, name: victim.name, reason: reason,
                                  moderator: moderator.person), ticket: StoreTicket(client: client, ref: nil))
            }
            if let victimClient = victim.client {
                output.send(.evicted(.kicked(reason ?? "")), to: victimClient)
            }
            remove(targetSlot)
        case .teleport(let avatarID, let position):
            guard let targetSlot = targetSlot(avatarID, client: client, ref: ref, output: &output) else { return }
            let clamped = clampToMap(position)
            guard !map.isBlocked(tileX: clamped.tileX, tileY: clamped.tileY) else {
                output.send(.error(.forbidden("that spot is inside a wall"), ref: ref), to: client)
                return
            }
            place(avatarID, at: clamped)
            target = avatars[targetSlot]?.name
            detail = "(\(clamped.tileX), \(clamped.tileY))"
        case .lock(let on):
            locked = on
            detail = on ? "locked" : "unlocked"
        case .roster:
            let entries = avatars.indices.compactMap { index -> RosterEntry? in
                guard let avatar = avatars[index] else { return nil }
                return RosterEntry(id: ids[index], name: avatar.name, role: avatar.role, registrationID: avatar.registrationID,
                                   away: avatar.client == nil, muted: avatar.muted, spotlight: avatar.spotlight)
            }.sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }
            output.send(.roster(entries, locked: locked, ref: ref), to: client)
            return
        }
        output.send(.moderated(action: action.name, ref: ref), to: client)
        output.store(.audit(moderator: moderator.person, moderatorName: moderator.name, action: action.name, target: target,
                            detail: detail), ticket: StoreTicket(client: client, ref: nil))
    }

    private func targetSlot<Output: RoomOutput>(_ avatarID: UInt32, client: ClientID, ref: String?, output: inout Output) -> Int? {
        guard let slot = slotByID[avatarID] else {
            output.send(.error(.notFound("no avatar \(avatarID)"), ref: ref), to: client)
            return nil
        }
        return slot
    }
}
