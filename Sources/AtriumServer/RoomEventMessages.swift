import AtriumProtocol
import AtriumWorld
import Foundation

/// The wire message of each room event, for one room. Pure: every mapping is tested
/// without a socket, and the output only decides who gets the bytes.
struct RoomEventMessages: Sendable {
    let mapID: String
    let tickRate: Int
    let welcomeRoom: ServerMessages.Welcome.Room

    /// `wallTime` is the server's time (ms since the epoch) and `tick` the room's current
    /// tick, which stamp times and turn quiz deadlines into the client's clock..
    func message(for event: RoomEvent, wallTime: Int64, tick: UInt32) -> (any ServerMessage)? {
        switch event {
        case .welcome(let welcome):
            return ServerMessages.Welcome(
                you: .init(id: welcome.avatarID, name: welcome.name, role: welcome.role.rawValue), room: welcomeRoom,
                resume: welcome.resumeToken, resumed: welcome.resumed, tick: welcome.tick, serverTime: wallTime, near: welcome.near)
        case .refused(let error), .evicted(let error):
            return Self.error(error, ref: nil)
        case .error(let error, let ref):
            return Self.error(error, ref: ref)
        case .people(let total, let people):
            return ServerMessages.People(total: total, people: people.map {
                .init(id: $0.id, name: $0.name, role: $0.role.rawValue, status: $0.status, away: $0.away,
                      x: $0.position.x, y: $0.position.y)
            })
        case .exhibitOpened(let view, let ref):
            let definition = view.definition
            return ServerMessages.Exhibit(
                id: definition.id, kind: definition.kind.rawValue, title: definition.title, description: definition.description,
                content: definition.sources.map(contentURL), state: Self.state(view.state), mine: view.mine.map(\.rawValue),
                notes: view.notes.map(Self.note), ref: ref)
        case .exhibitClosed(let id):
            return ServerMessages.ExhibitClosed(id: id)
        case .exhibitState(let state):
            return Self.state(state)
        case .reacted(let id, let kind, let on, let state, let ref):
            return ServerMessages.Reacted(id: id, reaction: kind.rawValue, on: on, state: Self.state(state), ref: ref)
        case .note(let note, let ref):
            return ServerMessages.NoteMessage(id: note.exhibitID, note: Self.note(note), ref: ref)
        case .noteHidden(let id, let noteID, let ref):
            return ServerMessages.NoteHidden(id: id, note: noteID, ref: ref)
        case .announcement(let text, let from):
            return ServerMessages.Announcement(text: text, from: from, time: wallTime)
        case .moderated(let action, let ref):
            return ServerMessages.ModOK(action: action, ref: ref)
        case .roster(let entries, let locked, let ref):
            return ServerMessages.Roster(people: entries.map {
                .init(id: $0.id, name: $0.name, role: $0.role.rawValue, registration: $0.registrationID, away: $0.away,
                      muted: $0.muted, spotlight: $0.spotlight)
            }, locked: locked, ref: ref)
        case .quiz(let quiz, _):
            return message(for: quiz, wallTime: wallTime, tick: tick)
        case .conversation(let peers):
            return ServerMessages.AVPeers(peers: peers)
        case .signal(let from, let data):
            return ServerMessages.RTCSignal(from: from, data: data)
        case .stage(let view):
            return ServerMessages.Stage(onAir: view.onAir.map { .init(id: $0.id, name: $0.name) }, live: view.live,
                                        hands: view.hands.map { .init(id: $0.id, name: $0.name) })
        }
    }

    private func message(for quiz: QuizEvent, wallTime: Int64, tick: UInt32) -> any ServerMessage {
        switch quiz {
        case .status(let status):
            return ServerMessages.QuizStatus(state: status.phase.rawValue, title: status.title, mode: status.mode.rawValue,
                                             total: status.total, index: status.index, players: status.players, alive: status.alive,
                                             whoPlays: status.whoPlays.rawValue, youPlay: status.youPlay)
        case .question(let index, let total, let text, let duration, let deadlineTick):
            let millisecondsPerTick = 1000 / Int64(tickRate)
            let remaining = Int64(Int32(bitPattern: deadlineTick &- tick)) - 1
            return ServerMessages.QuizQuestion(index: index, total: total, question: text,
                                               duration: Int64(duration) * millisecondsPerTick,
                                               deadline: wallTime + max(0, remaining) * millisecondsPerTick, deadlineTick: deadlineTick)
        case .result(let index, let answer, let explanation, let o, let x, let none, let alive, let top):
            return ServerMessages.QuizResult(index: index, answer: Self.side(answer), explanation: explanation,
                                             counts: .init(o: o, x: x, none: none), alive: alive, top: top.map(Self.ranked))
        case .verdict(let index, let chose, let correct, let out, let score):
            return ServerMessages.QuizVerdict(index: index, chose: chose.map(Self.side) ?? "none", correct: correct, out: out,
                                              score: score)
        case .skipped(let index):
            return ServerMessages.QuizSkipped(index: index)
        case .final(let mode, let ranking, let players):
            return ServerMessages.QuizFinal(mode: mode.rawValue, ranking: ranking.map(Self.ranked), players: players)
        case .split(let index, let o, let x, let none):
            return ServerMessages.QuizSplit(index: index, o: o, x: x, none: none)
        }
    }

    /// A chat message as its listeners get it; the sender's copy adds its `ref`.
    func chat(_ delivery: ChatDelivery, wallTime: Int64) -> ServerMessages.Chat {
        ServerMessages.Chat(id: delivery.id, from: .init(id: delivery.senderID, name: delivery.senderName),
                            scope: AtriumProtocol.ChatScope(delivery.scope), text: delivery.text, time: wallTime, to: delivery.to)
    }

    /// The sender's own copy, its acknowledgement: the `ref` it sent and how many others
    /// heard it.
    func senderCopy(_ delivery: ChatDelivery, wallTime: Int64) -> ServerMessages.Chat {
        var own = chat(delivery, wallTime: wallTime)
        own.ref = delivery.ref
        own.heard = delivery.heardBy
        return own
    }

    /// A content file's URL on this server; web addresses pass through.
    func contentURL(_ source: String) -> String {
        if ExhibitDefinition.isURL(source) { return source }
        let encoded = source.split(separator: "/").map {
            $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0)
        }.joined(separator: "/")
        return "/maps/\(mapID)/\(encoded)"
    }

    static func error(_ error: RoomError, ref: String?) -> ServerMessages.ErrorMessage {
        ServerMessages.ErrorMessage(code: ErrorCode(error), message: error.message, ref: ref)
    }

    static func side(_ side: WorldMap.QuizSide) -> String { side == .o ? "O" : "X" }

    static func ranked(_ entry: QuizEvent.Ranked) -> ServerMessages.Ranked {
        ServerMessages.Ranked(rank: entry.rank, name: entry.name, score: entry.score)
    }

    static func state(_ state: ExhibitLiveState) -> ServerMessages.ExhibitState {
        ServerMessages.ExhibitState(id: state.exhibitID, viewers: state.viewers,
                                    reactions: Dictionary(uniqueKeysWithValues: state.reactions.map { ($0.key.rawValue, $0.value) }))
    }

    static func note(_ note: Note) -> ServerMessages.Note {
        ServerMessages.Note(id: note.id, author: note.authorName, authorID: note.authorID, text: note.text, time: note.time)
    }
}
