import AtriumNet
import AtriumProtocol
import Foundation
import AtriumStore
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
            let message = ServerMessages.Welcome(
                you: .init(id: welcome.avatarID, name: welcome.name, role: welcome.role.rawValue),
                room: host.welcomeRoom, resume: welcome.resumeToken, resumed: welcome.resumed,
                tick: welcome.tick, serverTime: wallTime)
            session.send(message)
        case .refused(let error):
            host.forget(client)
            session.end(with: .init(code: ErrorCode(rawValue: error.code) ?? .internalError, message: error.message))
        case .evicted(let error):
            host.forget(client)
            session.end(with: .init(code: ErrorCode(rawValue: error.code) ?? .kicked, message: error.message))
        case .error(let error, let ref):
            host.metrics.error(error.code)
            session.send(ServerMessages.ErrorMessage(code: ErrorCode(rawValue: error.code) ?? .internalError, message: error.message, ref: ref))
        case .people(let total, let people):
            session.send(ServerMessages.People(total: total, people: people.map {
                .init(id: $0.id, name: $0.name, role: $0.role.rawValue, status: $0.status, away: $0.away)
            }))
        case .exhibitOpened(let view, let ref):
            session.send(ServerMessages.Exhibit(
                id: view.definition.id, kind: view.definition.kind.rawValue, title: view.definition.title,
                description: view.definition.description, content: view.definition.sources.map { contentURL($0) },
                state: Self.state(view.state), mine: view.mine.map(\.rawValue), notes: view.notes.map(Self.note), ref: ref))
        case .exhibitClosed(let id):
            session.send(ServerMessages.ExhibitClosed(id: id))
        case .exhibitState(let state):
            session.send(Self.state(state))
        case .reacted(let id, let kind, let on, let state, let ref):
            session.send(ServerMessages.Reacted(id: id, reaction: kind.rawValue, on: on, state: Self.state(state), ref: ref))
        case .note(let note, let ref):
            session.send(ServerMessages.NoteMessage(id: note.exhibitID, note: Self.note(note), ref: ref))
        case .noteHidden(let id, let noteID, let ref):
            session.send(ServerMessages.NoteHidden(id: id, note: noteID, ref: ref))
        case .moderated(let action, let ref):
            session.send(ServerMessages.ModOK(action: action, ref: ref))
        case .roster(let entries, let locked, let ref):
            session.send(ServerMessages.Roster(people: entries.map {
                .init(id: $0.id, name: $0.name, role: $0.role.rawValue, registration: $0.registrationID, away: $0.away,
                      muted: $0.muted, spotlight: $0.spotlight)
            }, locked: locked, ref: ref))
        case .announcement, .quiz:
            if let message = message(for: event) { session.send(message) }
        case .conversation, .signal:
            // No wire message yet: clients cannot turn media on before `media` exists.
            break
        }
    }

    /// One encoding for everyone: room-wide announcements, quiz news, exhibit counts.
    mutating func broadcast(_ event: RoomEvent, to clients: [ClientID]) {
        guard let message = message(for: event) else {
            for client in clients { send(event, to: client) }
            return
        }
        let frame = WebSocketChannel.encodeSharedFrame(.text(String(decoding: message.encoded(), as: UTF8.self)))
        for client in clients { host.session(client)?.send(sharedFrame: frame) }
    }

    /// The wire message of an event that reads the same for every recipient.
    private func message(for event: RoomEvent) -> (any ServerMessage)? {
        switch event {
        case .announcement(let text, let from):
            return ServerMessages.Announcement(text: text, from: from, time: wallTime)
        case .exhibitState(let state):
            return Self.state(state)
        case .quiz(let quiz, _):
            switch quiz {
            case .status(let status):
                return ServerMessages.QuizStatus(state: status.phase.rawValue, title: status.title, mode: status.mode.rawValue,
                                   total: status.total, index: status.index, players: status.players, alive: status.alive)
            case .question(let index, let total, let text, let duration, let deadlineTick):
                let millisecondsPerTick = 1000 / Int64(host.map.properties.tickRate)
                let remaining = Int64(Int32(bitPattern: deadlineTick &- host.tick)) - 1
                return ServerMessages.QuizQuestion(index: index, total: total, question: text,
                                           duration: Int64(duration) * millisecondsPerTick,
                                           deadline: wallTime + max(0, remaining) * millisecondsPerTick, deadlineTick: deadlineTick)
            case .result(let index, let answer, let explanation, let o, let x, let none, let alive, let top):
                return ServerMessages.QuizResult(index: index, answer: Self.side(answer), explanation: explanation,
                                         counts: .init(o: o, x: x, none: none), alive: alive, top: top.map(Self.ranked))
            case .verdict(let index, let chose, let correct, let out, let score):
                return ServerMessages.QuizVerdict(index: index, chose: chose.map(Self.side) ?? "none", correct: correct, out: out, score: score)
            case .skipped(let index):
                return ServerMessages.QuizSkipped(index: index)
            case .final(let mode, let ranking, let players):
                return ServerMessages.QuizFinal(mode: mode.rawValue, ranking: ranking.map(Self.ranked), players: players)
            }
        default:
            return nil
        }
    }

    static func side(_ side: WorldMap.QuizSide) -> String { side == .o ? "O" : "X" }

    static func ranked(_ entry: QuizEvent.Ranked) -> ServerMessages.Ranked {
        ServerMessages.Ranked(rank: entry.rank, name: entry.name, score: entry.score)
    }

    /// A content file's URL on this server; web addresses pass through.
    private func contentURL(_ source: String) -> String {
        if ExhibitDefinition.isURL(source) { return source }
        let encoded = source.split(separator: "/").map {
            $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0)
        }.joined(separator: "/")
        return "/maps/\(host.map.id)/\(encoded)"
    }

    static func state(_ state: ExhibitLiveState) -> ServerMessages.ExhibitState {
        ServerMessages.ExhibitState(id: state.exhibitID, viewers: state.viewers,
                                   reactions: Dictionary(uniqueKeysWithValues: state.reactions.map { ($0.key.rawValue, $0.value) }))
    }

    static func note(_ note: Note) -> ServerMessages.Note {
        ServerMessages.Note(id: note.id, author: note.authorName, authorID: note.authorID, text: note.text, time: note.time)
    }

    mutating func chat(_ delivery: ChatDelivery) {
        let host = self.host
        let recipients = delivery.recipients.compactMap { client -> Session? in
            client == delivery.senderClient ? nil : host.session(client)
        }
        guard let sender = host.session(delivery.senderClient) else { return }
        let message = ServerMessages.Chat(
            id: delivery.id, from: .init(id: delivery.senderID, name: delivery.senderName),
            scope: ChatScope(rawValue: delivery.scope.rawValue) ?? .nearby, text: delivery.text, time: wallTime,
            to: delivery.to)
        let record = ChatRecord(room: host.id, messageID: delivery.id, senderID: delivery.senderID,
                                senderName: delivery.senderName, registrationID: sender.registrationID,
                                scope: delivery.scope.rawValue, text: delivery.text,
                                recipients: delivery.recipients.count, time: wallTime)
        let ref = delivery.ref
        host.storage.write(.chat(record)) { result in
            switch result {
            case .success:
                host.metrics.chatMessages.increment()
                // One encoding for every listener; the sender's copy adds its ref.
                let frame = WebSocketChannel.encodeSharedFrame(.text(String(decoding: message.encoded(), as: UTF8.self)))
                for recipient in recipients { recipient.send(sharedFrame: frame) }
                var own = message
                own.ref = ref
                sender.send(own)
            case .failure(let failure):
                host.logger.error("chat not stored", metadata: ["error": "\(failure)"])
                sender.send(ServerMessages.ErrorMessage(code: .storeUnavailable, message: "the message was not stored; please try again", ref: ref))
            }
        }
    }

    mutating func state(_ delta: StateDelta, to client: ClientID) {
        guard let session = host.session(client) else { return }
        StateDeltaEncoder.encode(delta, into: &writer)
        host.metrics.stateMessagesOut.increment()
        host.metrics.stateBytesOut.increment(by: Int64(writer.bytes.count))
        session.sendBinary(writer.bytes)
    }

    /// Hands a durable write to the store; its outcome comes back through the inbox.
    mutating func store(_ request: StoreRequest, ticket: StoreTicket) {
        let host = self.host
        let time = wallTime
        let write: StorageWrite
        switch request {
        case .reaction(let exhibit, let person, let kind, let on):
            write = .reaction(ReactionRecord(room: host.id, exhibit: exhibit, person: person, kind: kind.rawValue, time: time), on: on)
        case .note(let exhibit, let authorID, let authorName, let person, let text):
            write = .note(NoteRecord(id: 0, room: host.id, exhibit: exhibit, authorID: authorID, authorName: authorName,
                                     person: person, text: text, time: time))
        case .hideNote(let exhibit, let noteID, let moderator):
            write = .hideNote(room: host.id, exhibit: exhibit, noteID: noteID, moderator: moderator, time: time)
        case .ban(let client, let registrationID, let name, let reason, let moderator):
            // A guest has no registration; its address is what a later join can be known by.
            let address = registrationID == nil ? client.flatMap { host.session($0)?.address } : nil
            write = .ban(BanRecord(room: host.id, registrationID: registrationID, address: address, name: name, reason: reason,
                                   moderator: moderator, time: time))
        case .audit(let moderator, let moderatorName, let action, let target, let detail):
            host.logger.notice("moderator action", metadata: ["moderator": "\(moderatorName)", "action": "\(action)",
                                                              "target": "\(target ?? "-")"])
            write = .audit(AuditRecord(room: host.id, moderator: moderator, moderatorName: moderatorName, action: action,
                                       target: target, detail: detail, time: time))
        case .quizAnswers(let quiz, let title, let mode, let index, let question, let answer, let answers):
            write = .quizAnswers(answers.map {
                QuizAnswerRecord(room: host.id, quiz: quiz, title: title, mode: mode.rawValue, questionIndex: index,
                                 question: question, answer: Self.side(answer), playerID: $0.playerID, playerName: $0.name,
                                 person: $0.person, chose: $0.chose.map(Self.side) ?? "none", correct: $0.correct, score: $0.score,
                                 time: time)
            })
        case .quizRanking(let quiz, let title, let mode, let ranking):
            write = .quizRanking(ranking.map {
                QuizRankingRecord(room: host.id, quiz: quiz, title: title, mode: mode.rawValue, rank: $0.rank,
                                  playerName: $0.name, person: $0.person, score: $0.score, time: time)
            })
        }
        host.storage.write(write) { result in
            let outcome: StoreOutcome
            switch (request, result) {
            case (_, .failure(let error)):
                host.logger.error("store write failed", metadata: ["error": "\(error)"])
                outcome = .failed("the server could not save it")
            case (.reaction(let exhibit, let person, let kind, let on), .success(.reaction(let changed))):
                outcome = .reaction(exhibitID: exhibit, person: person, kind: kind, on: on, changed: changed)
            case (.note(let exhibit, let authorID, let authorName, _, let text), .success(.note(let id))):
                outcome = .note(Note(id: id, exhibitID: exhibit, authorID: authorID, authorName: authorName, text: text, time: time))
            case (.hideNote(let exhibit, let noteID, _), .success(.hidden(let found))):
                outcome = .noteHidden(exhibitID: exhibit, noteID: noteID, found: found)
            case (.ban, .success), (.audit, .success), (.quizAnswers, .success), (.quizRanking, .success):
                return
            default:
                outcome = .failed("unexpected store result")
            }
            host.complete(ticket, outcome)
        }
    }

    func isCongested(_ client: ClientID) -> Bool {
        let congested = host.session(client)?.isCongested ?? false
        // The room holds this client's state back now; it catches up when drained.
        if congested { host.metrics.stateHeldBack.increment() }
        return congested
    }
}
