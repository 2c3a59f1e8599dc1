import AtriumNet
import AtriumProtocol
import AtriumWebSocket
import AtriumWorld

/// Turns a room's results into bytes for its sessions. Runs on the room's queue; the
/// channels it sends through are safe to call from there.
struct HostOutput: RoomOutput {
    unowned let host: RoomHost
    var wallTime: Int64 = 0
    /// Reused from message to message: state is encoded straight into it.
    private var writer = BinaryWriter(capacity: 4096)

    init(host: RoomHost) {
        self.host = host
    }

    mutating func send(_ event: RoomEvent, to client: ClientID) {
        guard let session = host.session(client) else { return }
        switch event {
        case .welcome(let welcome):
            session.didJoin(avatarID: welcome.avatarID)
            let message = ServerMessage.welcome(.init(
                you: .init(id: welcome.avatarID, name: welcome.name, role: welcome.role.rawValue),
                room: host.welcomeRoom, resume: welcome.resumeToken, resumed: welcome.resumed,
                tick: welcome.tick, serverTime: wallTime))
            session.send(message)
        case .refused(let error):
            host.forget(client)
            session.end(with: ErrorCode(rawValue: error.code) ?? .internalError, message: error.message)
        case .evicted(let error):
            host.forget(client)
            session.end(with: ErrorCode(rawValue: error.code) ?? .kicked, message: error.message)
        case .error(let error, let ref):
            session.send(.error(.init(code: ErrorCode(rawValue: error.code) ?? .internalError, message: error.message, ref: ref)))
        case .people(let total, let people):
            session.send(.people(.init(total: total, people: people.map {
                .init(id: $0.id, name: $0.name, role: $0.role.rawValue, status: $0.status, away: $0.away)
            })))
        }
    }

    mutating func chat(_ delivery: ChatDelivery) {
        let recipients = delivery.recipients.compactMap { client -> Session? in
            client == delivery.senderClient ? nil : host.session(client)
        }
        guard let sender = host.session(delivery.senderClient) else { return }
        let message = ServerMessage.ChatMessage(
            id: delivery.id, from: .init(id: delivery.senderID, name: delivery.senderName),
            scope: ChatScope(rawValue: delivery.scope.rawValue) ?? .nearby, text: delivery.text, time: wallTime,
            to: delivery.to)
        let entry = ChatLogEntry(room: host.id, messageID: delivery.id, senderID: delivery.senderID,
                                 senderName: delivery.senderName, registrationID: sender.registrationID,
                                 scope: delivery.scope.rawValue, text: delivery.text,
                                 recipientCount: delivery.recipients.count, time: wallTime)
        let ref = delivery.ref
        host.chatLog.record(entry) { result in
            switch result {
            case .success:
                // One encoding for every listener; the sender's copy adds its ref.
                let frame = WebSocketChannel.encodeSharedFrame(.text(String(decoding: ServerMessage.chat(message).encoded(), as: UTF8.self)))
                for recipient in recipients { recipient.send(sharedFrame: frame) }
                var own = message
                own.ref = ref
                sender.send(.chat(own))
            case .failure(let failure):
                sender.send(.error(.init(code: .storeUnavailable, message: "the message was not stored: \(failure.message)", ref: ref)))
            }
        }
    }

    mutating func state(_ delta: StateDelta, to client: ClientID) {
        guard let session = host.session(client) else { return }
        StateDeltaEncoder.encode(delta, into: &writer)
        session.sendBinary(writer.bytes)
    }

    func isCongested(_ client: ClientID) -> Bool {
        host.session(client)?.isCongested ?? false
    }
}
