import AtriumNet
import AtriumProtocol
import AtriumStore
import AtriumWebSocket
import AtriumWorld

/// Delivers a room's results to its sessions, on the room's queue: the wire message of
/// an event comes from ``RoomEventMessages``, durable writes go through ``StoreBridge``,
/// and recipients are found in ``sessions``.
struct HostOutput: RoomOutput {
    var sessions = SessionTable()
    let messages: RoomEventMessages
    let bridge: StoreBridge
    let metrics: ServerMetrics
    /// Server time of the tick being run (ms since the epoch), set by the host.
    var wallTime: Int64 = 0
    /// The tick being run, set by the host.
    var tick: UInt32 = 0
    /// Reused from message to message: state is encoded straight into it.
    private var writer = BinaryWriter(capacity: 4096)
    /// In a cluster, how the room reaches its other instances and the other nodes.
    var relay: HostRelay?
    /// The server's stage (Janus), learned from the sessions that join: every session
    /// carries the server's context. Nil without Janus.
    var stage: JanusStage?
    /// The room's running instances, told to each visitor after its welcome (a room
    /// with overflow instances).
    var instances: ServerMessages.Instances?

    init(messages: RoomEventMessages, bridge: StoreBridge, metrics: ServerMetrics) {
        self.messages = messages
        self.bridge = bridge
        self.metrics = metrics
    }

    mutating func send(_ event: RoomEvent, to client: ClientID) {
        guard let session = sessions[client] else { return }
        switch event {
        case .refused(let error), .evicted(let error):
            sessions[client] = nil
            session.end(with: RoomEventMessages.error(error, ref: nil))
            return
        case .welcome(let welcome):
            session.didJoin(avatarID: welcome.avatarID)
        case .error(let error, _):
            metrics.error(ErrorCode(error).rawValue)
        case .conversation(let peers):
            metrics.avPeersOut.increment()
            session.conversationChanged(to: peers)
        case .signal:
            metrics.signalsRelayed.increment()
        default:
            break
        }
        if let message = messages.message(for: event, wallTime: wallTime, tick: tick) { session.send(message) }
        // What follows the welcome (the ICE servers, the instances) goes out behind it.
        if case .welcome = event {
            session.welcomed()
            if let instances { session.send(instances) }
        }
    }

    /// One encoding for every recipient: announcements, quiz news, exhibit counts, notes.
    mutating func broadcast(_ event: RoomEvent, to clients: [ClientID]) {
        switch event {
        case .welcome, .refused, .evicted:
            // Each of these changes its session too.
            for client in clients { send(event, to: client) }
        default:
            if let relay, relay.broadcast(event) { return }
            guard let message = messages.message(for: event, wallTime: wallTime, tick: tick) else { return }
            let frame = WebSocketChannel.encodeSharedFrame(.text(String(decoding: message.encoded(), as: UTF8.self)))
            for client in clients { sessions[client]?.send(sharedFrame: frame) }
        }
    }

    /// Stores the message, then delivers it: one encoding for every listener, and the
    /// sender's own copy with its ref as the acknowledgement.
    mutating func chat(_ delivery: ChatDelivery) {
        guard let sender = sessions[delivery.senderClient] else { return }
        let recipients = delivery.recipients.compactMap { client -> Session? in
            client == delivery.senderClient ? nil : sessions[client]
        }
        let message = messages.chat(delivery, wallTime: wallTime)
        let own = messages.senderCopy(delivery, wallTime: wallTime)
        let record = ChatRecord(room: bridge.room, messageID: delivery.id, senderID: delivery.senderID,
                                senderName: delivery.senderName, registrationID: sender.registrationID,
                                scope: delivery.scope.rawValue, text: delivery.text,
                                recipients: delivery.recipients.count, time: wallTime)
        let ref = delivery.ref
        let (metrics, logger) = (metrics, bridge.logger)
        bridge.storage.write(.chat(record)) { result in
            switch result {
            case .success:
                metrics.chatMessages.increment()
                let frame = WebSocketChannel.encodeSharedFrame(.text(String(decoding: message.encoded(), as: UTF8.self)))
                for recipient in recipients { recipient.send(sharedFrame: frame) }
                sender.send(own)
            case .failure(let failure):
                logger.error("chat not stored", metadata: ["error": "\(failure)"])
                sender.send(ServerMessages.ErrorMessage(code: .storeUnavailable, message: "the message was not stored; please try again",
                                                        ref: ref))
            }
        }
    }

    mutating func state(_ delta: StateDelta, to client: ClientID) {
        guard let session = sessions[client] else { return }
        StateDeltaEncoder.encode(delta, into: &writer)
        metrics.stateMessagesOut.increment()
        metrics.stateBytesOut.increment(by: Int64(writer.bytes.count))
        session.sendState(writer.bytes)
    }

    /// Hands a durable write to the store; its outcome comes back on the room's queue.
    mutating func store(_ request: StoreRequest, ticket: StoreTicket) {
        var address: String?
        if case .ban(let client?, nil, _, _, _) = request { address = sessions[client]?.address }
        bridge.store(request, ticket: ticket, time: wallTime, address: address)
        if case .ban(_, let registrationID, _, let reason, _) = request { relay?.banned(registrationID, address, reason) }
    }

    /// A grant goes to its session, which fetches it from Janus and answers the client; an
    /// end is a kick in the VideoRoom, so the feed stops for every viewer at once.
    mutating func stage(_ order: StageOrder) {
        switch order {
        case .grant(let client, let avatarID, let ref):
            sessions[client]?.sendStageGrant(publisher: avatarID, ref: ref)
        case .end(let avatarID):
            stage?.endPublication(room: bridge.room, avatar: avatarID)
        }
    }

    func eventQuiz(_ report: EventQuizReport) {
        relay?.quiz(report)
    }

    func isCongested(_ client: ClientID) -> Bool {
        let congested = sessions[client]?.isCongested ?? false
        // The room holds this client's state back now; it catches up when drained.
        if congested { metrics.stateHeldBack.increment() }
        return congested
    }
}
