extension Room {
    /// A client's own stage request: raise or lower its hand, or ask to publish.
    mutating func stage<Output: RoomOutput>(_ client: ClientID, _ command: StageCommand, ref: String?, output: inout Output) {
        guard let slot = slotByClient[client] else {
            output.send(.error(.notJoined, ref: ref), to: client)
            return
        }
        let id = ids[slot]
        switch command {
        case .hand(up: true):
            guard !stage.hands.contains(id) else { return }
            guard stage.hands.count < configuration.maxRaisedHands else {
                output.send(.error(.conflict("the queue for questions is full"), ref: ref), to: client)
                return
            }
            stage.hands.append(id)
            stage.changed = true
        case .hand(up: false):
            stage.lowerHand(id)
        case .publish:
            if let refusal = stageRefusal(slot) {
                output.send(.error(.stageRefused(refusal), ref: ref), to: client)
            } else {
                output.stage(.grant(client: client, avatarID: id, ref: ref))
            }
        }
    }

    /// Why the avatar in `slot` may not publish now; nil when it may: stage voice (role or
    /// spotlight), a `stage` tile, no moderator's mute or stop, and its microphone or
    /// camera on over a live connection.
    func stageRefusal(_ slot: Int) -> StageRefusal? {
        guard let avatar = avatars[slot] else { return .mediaOff }
        guard avatar.hasStageVoice else { return .noStageVoice }
        let position = positions[slot]
        guard map.isStage(tileX: position.tileX, tileY: position.tileY) else { return .offStage }
        guard !avatar.muted else { return .muted }
        guard !avatar.stageStopped else { return .stopped }
        guard avatar.isTalker else { return .mediaOff }
        return nil
    }

    /// Decides who is on air this tick, orders the end of every publication that stopped
    /// qualifying (stepped off, spotlight taken, muted, stopped, media off, gone), and
    /// tells the whole room when anything it sees changed. Only talkers can qualify, so
    /// the cost follows them, not the room.
    mutating func updateStage<Output: RoomOutput>(output: inout Output) {
        let talkers = conversation.talkers
        guard !talkers.isEmpty || !stage.onAir.isEmpty || stage.changed else { return }
        var onAir: [UInt32] = []
        for slot in talkers where stageRefusal(slot) == nil { onAir.append(ids[slot]) }
        onAir.sort()
        if onAir != stage.onAir {
            let staying = Set(onAir)
            for id in stage.onAir where !staying.contains(id) { output.stage(.end(avatarID: id)) }
            stage.onAir = onAir
            stage.changed = true
        }
        guard stage.changed else { return }
        stage.changed = false
        output.broadcast(.stage(stageView), to: everyone)
    }

    /// The feeds the media server reports as sending.
    mutating func stageReported(_ feeds: Set<UInt32>) {
        let before = stage.live
        stage.reported = feeds
        if stage.live != before { stage.changed = true }
    }

    /// The stage as clients see it.
    public var stageView: StageView {
        func person(_ id: UInt32) -> StageView.Person? {
            slotByID[id].flatMap { avatars[$0] }.map { StageView.Person(id: id, name: $0.name) }
        }
        return StageView(onAir: stage.onAir.compactMap(person), live: stage.live, hands: stage.hands.compactMap(person))
    }

    /// A newcomer (or a resumed client) sees the running broadcast at once.
    func catchUpOnStage<Output: RoomOutput>(_ client: ClientID, output: inout Output) {
        let view = stageView
        guard !view.isEmpty else { return }
        output.send(.stage(view), to: client)
    }

    /// A moderator's stage action on one avatar.
    mutating func moderateStage(_ slot: Int, _ action: ModeratorAction) {
        guard var avatar = avatars[slot] else { return }
        let id = ids[slot]
        switch action {
        case .spotlight(_, let on):
            avatar.spotlight = on
            avatars[slot] = avatar
            infoChanged(slot)
            // Spotlighting someone answers their raised hand.
            if on { stage.lowerHand(id) }
        case .onAir(_, true):
            avatar.stageStopped = false
            avatars[slot] = avatar
            if !avatar.role.hasStageVoice && !avatar.spotlight { moderateStage(slot, .spotlight(avatarID: id, on: true)) }
            stage.lowerHand(id)
        case .onAir(_, false):
            avatar.stageStopped = true
            avatars[slot] = avatar
        case .lowerHand:
            stage.lowerHand(id)
        default:
            break
        }
    }
}
