import AtriumNet
import AtriumProtocol
import AtriumWebSocket
import AtriumWorld
import Dispatch
import Logging
import Synchronization

/// One client's WebSocket session: decodes what it sends at the edge (on its I/O
/// queue), enforces the per-connection limits, and feeds typed inputs to its room.
///
/// `@unchecked Sendable`: mutable state lives in `state` behind a mutex; the channel is
/// thread-safe; the rest is immutable.
public final class Session: WebSocketChannelDelegate, @unchecked Sendable {
    public let client: ClientID
    let channel: WebSocketChannel
    let host: RoomHost
    let context: ServerContext
    private let logger: Logger

    private enum Phase: Equatable {
        case awaitingHello
        case joining
        case joined(UInt32)
        case closed
    }

    private struct State {
        var phase = Phase.awaitingHello
        var moves: TokenBucket
        var chats: TokenBucket
        var notes: TokenBucket
        var actions: TokenBucket
        var strikes: [ContinuousClock.Instant] = []
        var registrationID: String?
    }

    private let state: Mutex<State>

    init(channel: WebSocketChannel, host: RoomHost, context: ServerContext) {
        self.channel = channel
        self.host = host
        self.context = context
        client = ClientID(channel.connection.id)
        var logger = context.logger
        logger[metadataKey: "connection"] = "\(channel.connection.id)"
        logger[metadataKey: "room"] = "\(host.id)"
        self.logger = logger
        let now = ContinuousClock.now
        let configuration = context.configuration
        state = Mutex(State(moves: TokenBucket(rate: configuration.moveRate, now: now),
                            chats: TokenBucket(rate: configuration.chatRate, now: now),
                            notes: TokenBucket(rate: configuration.noteRate, now: now),
                            actions: TokenBucket(rate: configuration.actionRate, now: now)))
        channel.connection.ioQueue.queue.asyncAfter(deadline: .now() + configuration.helloTimeout.dispatchInterval) { [weak self] in
            self?.helloDeadlinePassed()
        }
    }

    var registrationID: String? { state.withLock { $0.registrationID } }
    /// The peer's IP address, by which a banned guest is known.
    var address: String? { channel.connection.remoteAddress?.ipString }
    var isCongested: Bool { channel.isCongested }

    // MARK: Sending

    func send(_ message: some ServerMessage) {
        channel.send(text: String(decoding: message.encoded(), as: UTF8.self))
    }

    func send(sharedFrame: [UInt8]) {
        channel.send(sharedFrame: sharedFrame)
    }

    func sendBinary(_ bytes: [UInt8]) {
        channel.send(binary: bytes)
    }

    /// Sends an error that ends the session, then closes with the error's close code.
    func end(with code: ErrorCode, message: String) {
        end(with: .init(code: code, message: message))
    }

    func end(with error: ServerMessages.ErrorMessage) {
        let code = error.code
        context.metrics.error(code.rawValue)
        state.withLock { $0.phase = .closed }
        send(error)
        channel.close(code: WebSocketCloseCode(code.closeCode ?? 1008), reason: code.rawValue)
        logger.info("session ended", metadata: ["code": "\(code.rawValue)"])
    }

    func didJoin(avatarID: UInt32) {
        state.withLock { $0.phase = .joined(avatarID) }
        logger.info("joined", metadata: ["avatar": "\(avatarID)"])
    }

    private func helloDeadlinePassed() {
        guard state.withLock({ $0.phase == .awaitingHello }) else { return }
        end(with: .badMessage, message: "no hello within \(context.configuration.helloTimeout)")
    }

    // MARK: Receiving, on the I/O queue

    public func webSocket(_ channel: WebSocketChannel, didReceive message: WebSocketMessage) {
        context.metrics.messagesIn.increment()
        context.metrics.bytesIn.increment(by: Int64(message.data.count))
        switch message.kind {
        case .binary: receiveBinary(message.data)
        case .text: receiveText(message.data)
        }
    }

    private func receiveBinary(_ bytes: [UInt8]) {
        let input: MoveInput
        do {
            input = try MoveInput.decode(bytes)
        } catch {
            reject(.badMessage, "unreadable binary input: \(error)")
            return
        }
        let now = ContinuousClock.now
        let verdict = state.withLock { state -> ErrorCode? in
            guard case .joined = state.phase else { return .notJoined }
            return state.moves.take(now: now) ? nil : .rateLimited
        }
        if let verdict {
            // Excess movement is dropped quietly apart from the strike: answering every
            // dropped intent would double the abuse's traffic.
            if verdict == .notJoined { reject(verdict, "say hello first") } else { strike() }
            return
        }
        context.metrics.input("move")
        host.submit(.move(client, sequence: input.sequence, intent: Self.intent(input.intent)))
    }

    static func intent(_ intent: MoveInput.Intent) -> MoveIntent {
        switch intent {
        case .stop: return .stop
        case .direction(let dx, let dy): return .direction(dx: Int(dx), dy: Int(dy))
        case .target(let x, let y): return .target(Position(x: Int32(x), y: Int32(y)))
        }
    }

    private func receiveText(_ bytes: [UInt8]) {
        guard bytes.count <= context.configuration.maxJSONMessageBytes else {
            reject(.messageTooLarge, "JSON messages are limited to \(context.configuration.maxJSONMessageBytes) bytes")
            return
        }
        let message: any ClientMessage
        do {
            message = try ClientMessages.decode(bytes)
        } catch {
            reject(error.code, error.message)
            return
        }
        let phase = state.withLock { $0.phase }
        if let hello = message as? ClientMessages.Hello {
            guard phase == .awaitingHello else {
                reject(.alreadyJoined, "this connection already said hello")
                return
            }
            join(hello)
            return
        }
        guard case .joined = phase else {
            reject(.notJoined, "say hello first")
            return
        }
        switch message {
        case let chat as ClientMessages.Chat:
            guard take(\.chats, ref: chat.ref) else { return }
            context.metrics.input("chat")
            let scope = AtriumWorld.ChatScope(rawValue: chat.scope.rawValue) ?? .nearby
            host.submit(.chat(client, ChatRequest(scope: scope, text: chat.text, to: chat.to, ref: chat.ref.map { String($0.prefix(64)) })))
        case let emote as ClientMessages.Emote:
            guard take(\.actions, ref: nil) else { return }
            host.submit(.emote(client, code: emote.emote.code))
        case let status as ClientMessages.Status:
            guard take(\.actions, ref: nil) else { return }
            host.submit(.status(client, text: status.text))
        case let who as ClientMessages.Who:
            guard take(\.actions, ref: nil) else { return }
            host.submit(.who(client, limit: min(max(who.limit ?? 200, 0), 1000)))
        case let ping as ClientMessages.Ping:
            send(ServerMessages.Pong(t: ping.t, serverTime: Int64(context.wallClock() * 1000), tick: host.tick))
        case is ClientMessages.Leave:
            state.withLock { $0.phase = .closed }
            host.submit(.leave(client))
            channel.close(code: .normalClosure, reason: "left")
        case let exhibit as ClientMessages.ExhibitOpen:
            guard take(\.actions, ref: nil) else { return }
            host.submit(.openExhibit(client, exhibitID: String(exhibit.id.prefix(128)), ref: exhibit.ref.map { String($0.prefix(64)) }))
        case is ClientMessages.ExhibitClose:
            host.submit(.closeExhibit(client))
        case let react as ClientMessages.React:
            guard take(\.actions, ref: react.ref) else { return }
            guard let kind = ReactionKind(rawValue: react.reaction.rawValue) else { return }
            host.submit(.react(client, exhibitID: String(react.id.prefix(128)), kind: kind, on: react.on ?? true,
                               ref: react.ref.map { String($0.prefix(64)) }))
        case let post as ClientMessages.NotePost:
            guard take(\.notes, ref: post.ref) else { return }
            host.submit(.postNote(client, exhibitID: String(post.id.prefix(128)), text: post.text,
                                  ref: post.ref.map { String($0.prefix(64)) }))
        case let page as ClientMessages.NotesPage:
            guard take(\.actions, ref: nil) else { return }
            sendNotes(page)
        case let hide as ClientMessages.NoteHide:
            guard take(\.actions, ref: hide.ref) else { return }
            host.submit(.hideNote(client, exhibitID: String(hide.id.prefix(128)), noteID: hide.note,
                                  ref: hide.ref.map { String($0.prefix(64)) }))
        case let value as ClientMessages.Announce:
            moderate(.announce(value.text), ref: value.ref)
        case let value as ClientMessages.Spotlight:
            moderate(.spotlight(avatarID: value.avatar, on: value.on), ref: value.ref)
        case let value as ClientMessages.Mute:
            moderate(.mute(avatarID: value.avatar, on: value.on), ref: value.ref)
        case let value as ClientMessages.Kick:
            moderate(.kick(avatarID: value.avatar, reason: value.reason.map { String($0.prefix(200)) }), ref: value.ref)
        case let value as ClientMessages.Ban:
            moderate(.ban(avatarID: value.avatar, reason: value.reason.map { String($0.prefix(200)) }), ref: value.ref)
        case let value as ClientMessages.Teleport:
            moderate(.teleport(avatarID: value.avatar, Position(x: value.x, y: value.y)), ref: value.ref)
        case let value as ClientMessages.Lock:
            moderate(.lock(value.on), ref: value.ref)
        case let value as ClientMessages.Roster:
            moderate(.roster, ref: value.ref)
        case let value as ClientMessages.QuizOpen:
            guard take(\.actions, ref: value.ref) else { return }
            openQuiz(value)
        case let value as ClientMessages.QuizNext: quiz(.next, ref: value.ref)
        case let value as ClientMessages.QuizPause: quiz(.pause, ref: value.ref)
        case let value as ClientMessages.QuizResume: quiz(.resume, ref: value.ref)
        case let value as ClientMessages.QuizSkip: quiz(.skip, ref: value.ref)
        case let value as ClientMessages.QuizEnd: quiz(.end, ref: value.ref)
        default:
            reject(.unknownType, "no rule for \"\(message.type)\"")
        }
    }

    private func moderate(_ action: ModeratorAction, ref: String?) {
        guard take(\.actions, ref: ref) else { return }
        host.submit(.moderate(client, action, ref: ref.map { String($0.prefix(64)) }))
    }

    private func quiz(_ command: QuizCommand, ref: String?) {
        guard take(\.actions, ref: ref) else { return }
        host.submit(.quiz(client, command, ref: ref.map { String($0.prefix(64)) }))
    }

    /// Reads the question set (from the map's `quiz/` folder or inline) and checks it
    /// here, at the edge, before the room sees it.
    private func openQuiz(_ request: ClientMessages.QuizOpen) {
        let ref = request.ref.map { String($0.prefix(64)) }
        guard let mode = QuizMode(rawValue: request.mode) else {
            send(ServerMessages.ErrorMessage(code: .badMessage, message: "mode is survival or points", ref: ref))
            return
        }
        let set: QuizSet
        switch QuizSetLoader.load(request, mapsDirectory: context.configuration.mapsDirectory, mapID: host.map.id) {
        case .success(let loaded): set = loaded
        case .failure(let problem):
            send(ServerMessages.ErrorMessage(code: problem.code, message: problem.message, ref: ref))
            return
        }
        host.submit(.quiz(client, .open(set, mode), ref: ref))
    }

    /// A page of a board's history, read from the store off the room's queue.
    private func sendNotes(_ page: ClientMessages.NotesPage) {
        guard host.map.exhibits.contains(where: { $0.id == page.id && $0.kind == .board }) else {
            send(ServerMessages.ErrorMessage(code: .notFound, message: "no board \"\(page.id.prefix(64))\"", ref: page.ref))
            return
        }
        let limit = min(max(page.limit ?? 20, 1), 100)
        host.storage.notes(room: host.id, exhibit: page.id, before: page.before, limit: limit + 1) { [self] result in
            switch result {
            case .success(let records):
                let notes = records.prefix(limit).map {
                    ServerMessages.Note(id: $0.id, author: $0.authorName, authorID: $0.authorID, text: $0.text, time: $0.time)
                }
                send(ServerMessages.Notes(id: page.id, notes: Array(notes), more: records.count > limit, ref: page.ref))
            case .failure(let error):
                logger.error("notes page failed", metadata: ["error": "\(error)"])
                send(ServerMessages.ErrorMessage(code: .storeUnavailable, message: "the notes could not be read; try again", ref: page.ref))
            }
        }
    }

    private func join(_ hello: ClientMessages.Hello) {
        guard !context.isDraining() else {
            end(with: context.configuration.restartNotice)
            return
        }
        let name: String
        switch NameRules.validate(hello.name) {
        case .success(let valid): name = valid
        case .failure(let violation):
            end(with: .nameInvalid, message: violation.message)
            return
        }
        state.withLock { $0.phase = .joining }
        let resume = hello.resume.map { String($0.prefix(64)) }
        let appearance = UInt8(clamping: hello.appearance ?? 0)
        context.admit(token: hello.token, room: host, address: address) { [self] result in
            switch result {
            case .failure(let refusal):
                state.withLock { $0.phase = .closed }
                end(with: refusal.code, message: refusal.message)
            case .success(let admitted):
                let stillJoining = state.withLock { state -> Bool in
                    guard state.phase == .joining else { return false }
                    state.registrationID = admitted.registrationID
                    return true
                }
                // The connection closed while the store was asked; nothing to join.
                guard stillJoining else { return }
                host.submit(.join(JoinRequest(client: client, name: name, role: admitted.role,
                                              registrationID: admitted.registrationID,
                                              person: admitted.registrationID ?? "guest-" + SecureToken.make(),
                                              appearance: appearance, resumeToken: resume,
                                              newResumeToken: SecureToken.make())), from: self)
            }
        }
    }

    private func take(_ bucket: WritableKeyPath<State, TokenBucket>, ref: String?) -> Bool {
        let now = ContinuousClock.now
        let allowed = state.withLock { $0[keyPath: bucket].take(now: now) }
        if !allowed { reject(.rateLimited, "too many messages; slow down", ref: ref) }
        return allowed
    }

    /// Answers a bad message with its error and counts a strike.
    private func reject(_ code: ErrorCode, _ message: String, ref: String? = nil) {
        context.metrics.error(code.rawValue)
        send(ServerMessages.ErrorMessage(code: code, message: message, ref: ref))
        strike()
    }

    /// Repeated violations within ten seconds close the connection with 1008; a single
    /// bad message never does.
    private func strike() {
        let now = ContinuousClock.now
        let limit = context.configuration.maxStrikes
        let exceeded = state.withLock { state -> Bool in
            state.strikes.removeAll { $0.duration(to: now) > .seconds(10) }
            state.strikes.append(now)
            return state.strikes.count > limit
        }
        if exceeded {
            logger.warning("closing after repeated protocol violations")
            channel.close(code: .policyViolation, reason: "too many invalid messages")
        }
    }

    public func webSocketDidClose(_ channel: WebSocketChannel, report: WebSocketCloseReport) {
        let previous = state.withLock { state -> Phase in
            defer { state.phase = .closed }
            return state.phase
        }
        switch previous {
        case .joined:
            // The avatar waits for a resume; an explicit leave was handled already.
            host.submit(.disconnect(client))
        case .joining:
            // The welcome with the resume token may never have arrived, so nobody could
            // resume this avatar.
            host.submit(.leave(client))
        case .awaitingHello, .closed:
            break
        }
        if report.code == .policyViolation && report.reason.hasPrefix("client too slow") {
            context.metrics.slowClientClosed()
            logger.warning("closed a slow client", metadata: ["reason": "\(report.reason)"])
        }
        logger.info("closed", metadata: ["code": "\(report.code.rawValue)", "origin": "\(report.origin)"])
    }
}

extension Duration {
    var dispatchInterval: DispatchTimeInterval {
        .nanoseconds(Int(components.seconds) * 1_000_000_000 + Int(components.attoseconds / 1_000_000_000))
    }
}
