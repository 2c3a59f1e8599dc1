extension Room {
    /// Decides who hears a message, from positions at this tick.
    ///
    /// - `nearby`: connected avatars within `chatRadius` tiles (straight-line distance
    ///   between positions, walls do not matter), and never across the edge of a private
    ///   area: inside an area only its members hear, outside only those outside.
    /// - `area`: everyone in the sender's area; refused outside any area.
    /// - `stage`: the whole room, for a speaker with stage voice on a stage tile.
    /// - `room`: the whole room, moderators only.
    /// - `dm`: one avatar by id, plus the sender's own copy.
    mutating func chat<Output: RoomOutput>(_ client: ClientID, _ request: ChatRequest, output: inout Output) {
        guard let slot = slotByClient[client], let sender = avatars[slot] else {
            output.send(.error(.notJoined, ref: request.ref), to: client)
            return
        }
        guard !sender.muted else {
            output.send(.error(.muted, ref: request.ref), to: client)
            return
        }
        let text: String
        switch TextRules.clean(request.text, maxCharacters: configuration.maxChatLength) {
        case .success(let cleaned): text = cleaned
        case .failure(let error):
            output.send(.error(error, ref: request.ref), to: client)
            return
        }
        let senderPosition = positions[slot]
        let tile = (x: senderPosition.tileX, y: senderPosition.tileY)
        var recipients: [ClientID] = []
        switch request.scope {
        case .nearby:
            let radius = map.properties.chatRadius
            let reach = Int64(radius) * Int64(Position.unitsPerTile)
            let area = map.areaIndex(tileX: tile.x, tileY: tile.y)
            let box = TileRect(x: tile.x - radius, y: tile.y - radius, width: 2 * radius + 1, height: 2 * radius + 1)
            grid.cells(covering: box, into: &cellsA)
            for cell in cellsA {
                for other in grid.cells[cell] {
                    let position = positions[other]
                    guard let recipient = avatars[other]?.client,
                          position.distanceSquared(to: senderPosition) <= reach * reach,
                          map.areaIndex(tileX: position.tileX, tileY: position.tileY) == area else { continue }
                    recipients.append(recipient)
                }
            }
        case .area:
            guard let area = map.area(tileX: tile.x, tileY: tile.y),
                  let areaIndex = map.areaIndex(tileX: tile.x, tileY: tile.y) else {
                output.send(.error(.notInArea, ref: request.ref), to: client)
                return
            }
            grid.cells(covering: area.rect, into: &cellsA)
            for cell in cellsA {
                for other in grid.cells[cell] {
                    let position = positions[other]
                    guard let recipient = avatars[other]?.client,
                          map.areaIndex(tileX: position.tileX, tileY: position.tileY) == areaIndex else { continue }
                    recipients.append(recipient)
                }
            }
        case .stage:
            guard map.isStage(tileX: tile.x, tileY: tile.y), sender.hasStageVoice else {
                output.send(.error(.notOnStage, ref: request.ref), to: client)
                return
            }
            recipients = Array(slotByClient.keys)
        case .room:
            guard sender.role.isModerator else {
                output.send(.error(.forbidden("only moderators speak to the whole room"), ref: request.ref), to: client)
                return
            }
            recipients = Array(slotByClient.keys)
        case .dm:
            guard let target = request.to, let targetSlot = slotByID[target], let recipient = avatars[targetSlot]?.client else {
                output.send(.error(.notFound("no connected avatar with that id"), ref: request.ref), to: client)
                return
            }
            recipients = recipient == client ? [client] : [client, recipient]
        }
        recipients.sort()
        let id = nextMessageID
        nextMessageID &+= 1
        output.chat(ChatDelivery(id: id, senderID: ids[slot], senderName: sender.name, senderClient: client,
                                 scope: request.scope, text: text, to: request.scope == .dm ? request.to : nil,
                                 ref: request.ref, tick: tick, recipients: recipients))
    }
}
