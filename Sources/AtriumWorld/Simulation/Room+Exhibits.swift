/// Exhibits as shared state: who has one open, reactions, and the notes of boards.
///
/// Durable changes go through the store: the room checks a request (the visitor is
/// close enough, the text is clean, the person has not reacted yet), asks for the write
/// with ``RoomOutput/store(_:ticket:)``, and changes its state only when the outcome
/// comes back as ``RoomInput/stored(_:_:)``. A visitor is therefore only ever told about,
/// and acknowledged for, what was committed.
extension Room {
    /// What the store held when the room started.
    public struct PersistedExhibits: Sendable {
        /// Exhibit id → reaction → the people who left it.
        public var reactions: [String: [ReactionKind: Set<String>]]
        /// Exhibit id → newest notes first.
        public var recentNotes: [String: [Note]]

        public init(reactions: [String: [ReactionKind: Set<String>]] = [:], recentNotes: [String: [Note]] = [:]) {
            self.reactions = reactions
            self.recentNotes = recentNotes
        }
    }

    struct ExhibitState {
        var viewers: Set<Int> = []
        var reactedBy: [ReactionKind: Set<String>] = [:]
        var notes: [Note] = []
    }

    /// How many notes of a board the room keeps for new viewers; older ones are paged
    /// from the store.
    public static let recentNoteCount = 20
    /// A viewer who walks this many tiles beyond an exhibit's radius closes it.
    static let closeMargin = 2

    /// Tiles between an avatar and an exhibit's rectangle (Chebyshev distance).
    func distance(from slot: Int, to exhibit: ExhibitDefinition) -> Int {
        let position = positions[slot]
        let rect = exhibit.zone.rect
        let dx = max(0, rect.x - position.tileX, position.tileX - (rect.x + rect.width - 1))
        let dy = max(0, rect.y - position.tileY, position.tileY - (rect.y + rect.height - 1))
        return max(dx, dy)
    }

    func liveState(_ index: Int) -> ExhibitLiveState {
        let state = exhibitStates[index]
        var counts: [ReactionKind: Int] = [:]
        for kind in ReactionKind.allCases { counts[kind] = state.reactedBy[kind]?.count ?? 0 }
        return ExhibitLiveState(exhibitID: map.exhibits[index].id, viewers: state.viewers.count, reactions: counts)
    }

    /// The exhibit a client may act on: it exists and the client is within its radius
    /// (or has it open).
    private func exhibit<Output: RoomOutput>(_ id: String, for client: ClientID, ref: String?,
                                             output: inout Output) -> (slot: Int, index: Int)? {
        guard let slot = slotByClient[client] else {
            output.send(.error(.notJoined, ref: ref), to: client)
            return nil
        }
        guard let index = exhibitIndex[id] else {
            output.send(.error(.notFound("no exhibit \"\(id.prefix(64))\""), ref: ref), to: client)
            return nil
        }
        let isViewing = avatars[slot]?.viewing == index
        guard isViewing || distance(from: slot, to: map.exhibits[index]) <= map.exhibits[index].radius else {
            output.send(.error(.tooFar, ref: ref), to: client)
            return nil
        }
        return (slot, index)
    }

    mutating func openExhibit<Output: RoomOutput>(_ client: ClientID, id: String, ref: String?, output: inout Output) {
        guard let (slot, index) = exhibit(id, for: client, ref: ref, output: &output), let avatar = avatars[slot] else { return }
        if avatar.viewing != index {
            closeExhibit(slot)
            avatars[slot]?.viewing = index
            exhibitStates[index].viewers.insert(slot)
            exhibitsChanged.insert(index)
        }
        let state = exhibitStates[index]
        let mine = ReactionKind.allCases.filter { state.reactedBy[$0]?.contains(avatar.person) ?? false }
        output.send(.exhibitOpened(ExhibitView(definition: map.exhibits[index], state: liveState(index), mine: mine,
                                               notes: state.notes), ref: ref), to: client)
    }

    mutating func closeExhibit(_ client: ClientID, output: inout some RoomOutput) {
        guard let slot = slotByClient[client], let index = avatars[slot]?.viewing else { return }
        closeExhibit(slot)
        output.send(.exhibitClosed(exhibitID: map.exhibits[index].id), to: client)
    }

    /// Takes a slot off the exhibit it views, if any.
    mutating func closeExhibit(_ slot: Int) {
        guard let index = avatars[slot]?.viewing else { return }
        avatars[slot]?.viewing = nil
        exhibitStates[index].viewers.remove(slot)
        exhibitsChanged.insert(index)
    }

    mutating func react<Output: RoomOutput>(_ client: ClientID, id: String, kind: ReactionKind, on: Bool, ref: String?,
                                            output: inout Output) {
        guard let (slot, index) = exhibit(id, for: client, ref: ref, output: &output), let avatar = avatars[slot] else { return }
        let already = exhibitStates[index].reactedBy[kind]?.contains(avatar.person) ?? false
        guard already != on else {
            // Already as asked: acknowledge without a write.
            output.send(.reacted(exhibitID: id, kind: kind, on: on, state: liveState(index), ref: ref), to: client)
            return
        }
        output.store(.reaction(exhibitID: id, person: avatar.person, kind: kind, on: on),
                     ticket: StoreTicket(client: client, ref: ref))
    }

    mutating func postNote<Output: RoomOutput>(_ client: ClientID, id: String, text: String, ref: String?,
                                               output: inout Output) {
        guard let (slot, index) = exhibit(id, for: client, ref: ref, output: &output), let avatar = avatars[slot] else { return }
        guard map.exhibits[index].kind == .board else {
            output.send(.error(.forbidden("notes go on boards such as the cheer wall"), ref: ref), to: client)
            return
        }
        switch TextRules.clean(text, maxCharacters: configuration.maxNoteLength) {
        case .failure(let error):
            output.send(.error(error, ref: ref), to: client)
        case .success(let cleaned):
            output.store(.note(exhibitID: id, authorID: ids[slot], authorName: avatar.name, person: avatar.person, text: cleaned),
                         ticket: StoreTicket(client: client, ref: ref))
        }
    }

    mutating func hideNote<Output: RoomOutput>(_ client: ClientID, id: String, noteID: Int64, ref: String?,
                                               output: inout Output) {
        guard let slot = slotByClient[client], let avatar = avatars[slot] else {
            output.send(.error(.notJoined, ref: ref), to: client)
            return
        }
        guard avatar.role.isModerator else {
            output.send(.error(.forbidden("only moderators hide notes"), ref: ref), to: client)
            return
        }
        guard exhibitIndex[id] != nil else {
            output.send(.error(.notFound("no exhibit \"\(id.prefix(64))\""), ref: ref), to: client)
            return
        }
        output.store(.hideNote(exhibitID: id, noteID: noteID, moderator: avatar.person), ticket: StoreTicket(client: client, ref: ref))
    }

    /// Applies a committed write and tells those who care.
    mutating func stored<Output: RoomOutput>(_ ticket: StoreTicket, _ outcome: StoreOutcome, output: inout Output) {
        switch outcome {
        case .failed(let reason):
            output.send(.error(.storeUnavailable(reason), ref: ticket.ref), to: ticket.client)
        case .reaction(let id, let person, let kind, let on, _):
            guard let index = exhibitIndex[id] else { return }
            if on {
                exhibitStates[index].reactedBy[kind, default: []].insert(person)
            } else {
                exhibitStates[index].reactedBy[kind]?.remove(person)
            }
            exhibitsChanged.insert(index)
            output.send(.reacted(exhibitID: id, kind: kind, on: on, state: liveState(index), ref: ticket.ref), to: ticket.client)
        case .note(let note):
            guard let index = exhibitIndex[note.exhibitID] else { return }
            exhibitStates[index].notes.insert(note, at: 0)
            if exhibitStates[index].notes.count > Self.recentNoteCount { exhibitStates[index].notes.removeLast() }
            // One encoding for every other viewer: a busy cheer wall takes hundreds of notes
            // a minute, each to everyone reading it.
            output.broadcast(.note(note, ref: nil), to: otherViewers(of: index, than: ticket.client))
            output.send(.note(note, ref: ticket.ref), to: ticket.client)
        case .done:
            break
        case .noteHidden(let id, let noteID, let found):
            guard let index = exhibitIndex[id] else { return }
            guard found else {
                output.send(.error(.notFound("no note \(noteID) on \(id.prefix(64))"), ref: ticket.ref), to: ticket.client)
                return
            }
            exhibitStates[index].notes.removeAll { $0.id == noteID }
            output.broadcast(.noteHidden(exhibitID: id, noteID: noteID, ref: nil), to: otherViewers(of: index, than: ticket.client))
            output.send(.noteHidden(exhibitID: id, noteID: noteID, ref: ticket.ref), to: ticket.client)
        }
    }

    private func otherViewers(of index: Int, than client: ClientID) -> [ClientID] {
        exhibitStates[index].viewers.compactMap { viewer in
            avatars[viewer]?.client.flatMap { $0 == client ? nil : $0 }
        }
    }

    /// Closes exhibits for viewers who walked away.
    mutating func closeExhibitsLeftBehind() {
        for index in exhibitStates.indices where !exhibitStates[index].viewers.isEmpty {
            let limit = map.exhibits[index].radius + Self.closeMargin
            for slot in exhibitStates[index].viewers where distance(from: slot, to: map.exhibits[index]) > limit {
                closeExhibit(slot)
                pendingCloses.append((slot, index))
            }
        }
    }

    /// Sends the new live state of every exhibit that changed this tick to its viewers
    /// and to everyone who can see the exhibit.
    mutating func broadcastExhibitStates<Output: RoomOutput>(output: inout Output) {
        for (slot, index) in pendingCloses {
            if let client = avatars[slot]?.client { output.send(.exhibitClosed(exhibitID: map.exhibits[index].id), to: client) }
        }
        pendingCloses.removeAll(keepingCapacity: true)
        guard !exhibitsChanged.isEmpty else { return }
        for index in exhibitsChanged.sorted() {
            let state = liveState(index)
            let rect = map.exhibits[index].zone.rect
            let reach = map.properties.viewRadius
            let area = TileRect(x: rect.x - reach, y: rect.y - reach, width: rect.width + 2 * reach, height: rect.height + 2 * reach)
            var recipients = Set(exhibitStates[index].viewers.compactMap { avatars[$0]?.client })
            grid.cells(covering: area, into: &cellsA)
            for cell in cellsA {
                for slot in grid.cells[cell] {
                    if let client = avatars[slot]?.client { recipients.insert(client) }
                }
            }
            output.broadcast(.exhibitState(state), to: recipients.sorted())
        }
        exhibitsChanged.removeAll(keepingCapacity: true)
    }
}
