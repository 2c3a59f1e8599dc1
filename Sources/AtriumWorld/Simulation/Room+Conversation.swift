extension Room {
    /// Records what a client says of its microphone, camera and voice activity, shown to
    /// everyone in view through the info block's flags.
    mutating func setMedia<Output: RoomOutput>(_ client: ClientID, _ change: MediaChange, output: inout Output) {
        guard let slot = slotByClient[client], var avatar = avatars[slot] else {
            output.send(.error(.notJoined, ref: nil), to: client)
            return
        }
        let before = avatar.info()
        if let mic = change.mic { avatar.mic = mic }
        if let camera = change.camera { avatar.camera = camera }
        if let speaking = change.speaking { avatar.speaking = speaking }
        if !avatar.hasVoice { avatar.speaking = false }
        avatars[slot] = avatar
        conversation.setTalker(slot, avatar.isTalker)
        if avatar.info() != before { infoChanged(slot) }
    }

    /// A moderator's mute: the voice leaves every peer set it was in for its sake (a muted
    /// avatar with its camera on stays, and its peers play none of its audio).
    mutating func mediaMuted(_ slot: Int, _ muted: Bool) {
        guard var avatar = avatars[slot], avatar.muted != muted else { return }
        avatar.muted = muted
        if muted { avatar.speaking = false }
        avatars[slot] = avatar
        conversation.setTalker(slot, avatar.isTalker)
        infoChanged(slot)
    }

    /// The connection is gone (dropped or replaced): its media went with it, and the
    /// client reports it again after a resume.
    mutating func mediaEnded(_ slot: Int) {
        conversation.setTalker(slot, false)
        guard var avatar = avatars[slot] else { return }
        avatar.mic = false
        avatar.camera = false
        avatar.speaking = false
        avatars[slot] = avatar
    }

    /// The avatar's peers must drop the connections to the old page: it leaves every set
    /// for this tick and may come back at the next.
    mutating func conversationRestarted(_ slot: Int) {
        conversation.restart(ids[slot])
    }

    /// Works out every avatar's conversation peers for this tick and tells each client
    /// whose set changed.
    ///
    /// Who qualifies, looked for only around the talkers (avatars with their voice or
    /// camera on) on the spatial grid, so the cost follows the talkers and the people near
    /// them, not the room:
    /// - both connected, and at least one of them a talker (a listener hears and sees the
    ///   talkers near it without sending anything);
    /// - both in the same private `area`, whatever the distance; or both outside every area
    ///   and at most `avRadius` tiles apart (straight line between positions, walls do not
    ///   matter), or `avRadius + 1` for a pair already connected, so walking along the
    ///   edge does not flap.
    /// ``ConversationPeers`` then applies the cap.
    mutating func updateConversations<Output: RoomOutput>(output: inout Output) {
        guard !conversation.isIdle else { return }
        let radius = map.properties.avRadius
        let units = Int64(Position.unitsPerTile)
        let connect = Int64(radius) * units
        let keep = Int64(radius + 1) * units
        conversation.beginRound()
        for slot in conversation.talkers {
            let id = ids[slot]
            guard !conversation.isRestarted(id) else { continue }
            let position = positions[slot]
            let area = map.areaIndex(tileX: position.tileX, tileY: position.tileY)
            if let area {
                grid.cells(covering: map.zones[area].rect, into: &cellsA)
            } else {
                let reach = radius + 1
                grid.cells(covering: TileRect(x: position.tileX - reach, y: position.tileY - reach,
                                              width: 2 * reach + 1, height: 2 * reach + 1), into: &cellsA)
            }
            for cell in cellsA {
                for other in grid.cells[cell] where other != slot {
                    conversation.examined()
                    guard let peer = avatars[other], peer.client != nil else { continue }
                    let otherID = ids[other]
                    // A pair of talkers is offered once, by the lower id.
                    if peer.isTalker && otherID < id { continue }
                    guard !conversation.isRestarted(otherID) else { continue }
                    let otherPosition = positions[other]
                    guard map.areaIndex(tileX: otherPosition.tileX, tileY: otherPosition.tileY) == area else { continue }
                    let distanceSquared = position.distanceSquared(to: otherPosition)
                    if area == nil {
                        let limit = conversation.arePeers(id, otherID) ? keep : connect
                        guard distanceSquared <= limit * limit else { continue }
                    }
                    conversation.consider(id, otherID, distanceSquared: distanceSquared)
                }
            }
        }
        conversationChanges.removeAll(keepingCapacity: true)
        conversation.finishRound(changes: &conversationChanges)
        for (id, peers) in conversationChanges {
            guard let slot = slotByID[id], let client = avatars[slot]?.client else { continue }
            output.send(.conversation(peers: peers), to: client)
        }
    }

    /// The avatar's current conversation peers, ascending.
    public func conversationPeers(of avatarID: UInt32) -> [UInt32] {
        conversation.peers(of: avatarID)
    }

    /// Relays a WebRTC signal to one of the sender's current peers, with the sender's id;
    /// to anyone else it is refused with `not_a_peer`, so nobody can open a media
    /// connection with someone the room did not put near them. Nothing in it depends on
    /// the tick, so a host may call it as soon as the signal arrives.
    public func relaySignal<Output: RoomOutput>(from client: ClientID, to target: UInt32, data: String, output: inout Output) {
        guard let slot = slotByClient[client] else {
            output.send(.error(.notJoined, ref: nil), to: client)
            return
        }
        let sender = ids[slot]
        guard conversation.arePeers(sender, target), let targetSlot = slotByID[target],
              let recipient = avatars[targetSlot]?.client else {
            output.send(.error(.notAPeer, ref: nil), to: client)
            return
        }
        output.send(.signal(from: sender, data: data), to: recipient)
    }
}
