import FoundationEssentials

/// A JSON message from the server. Encoded once per event; a broadcast sends the same
/// bytes to every recipient.
public enum ServerMessage: Sendable, Equatable {
    case welcome(Welcome)
    case error(ErrorMessage)
    case chat(ChatMessage)
    case pong(Pong)
    case people(People)
    case exhibit(Exhibit)
    case exhibitState(ExhibitState)
    case exhibitClosed(ExhibitClosed)
    case reacted(Reacted)
    case note(NoteMessage)
    case noteHidden(NoteHidden)
    case notes(Notes)
    case announcement(Announcement)
    case modOK(ModOK)
    case roster(Roster)
    case quiz(QuizStatus)
    case quizQuestion(QuizQuestion)
    case quizResult(QuizResult)
    case quizVerdict(QuizVerdict)
    case quizSkipped(QuizSkipped)
    case quizFinal(QuizFinal)

    public struct Welcome: Codable, Sendable, Equatable {
        public struct You: Codable, Sendable, Equatable {
            public var id: UInt32
            public var name: String
            public var role: String
            public init(id: UInt32, name: String, role: String) {
                self.id = id
                self.name = name
                self.role = role
            }
        }

        public struct Room: Codable, Sendable, Equatable {
            public var id: String
            public var name: String
            public var map: String
            /// Map size in tiles.
            public var width: Int
            public var height: Int
            public var tickRate: Int
            public var viewRadius: Int
            public var chatRadius: Int
            /// Units an avatar walks per tick along one axis; diagonal steps are `diagonalStep`.
            public var step: Int
            public var diagonalStep: Int
            public var unitsPerTile: Int
            public init(id: String, name: String, map: String, width: Int, height: Int, tickRate: Int,
                        viewRadius: Int, chatRadius: Int, step: Int, diagonalStep: Int, unitsPerTile: Int) {
                self.id = id
                self.name = name
                self.map = map
                self.width = width
                self.height = height
                self.tickRate = tickRate
                self.viewRadius = viewRadius
                self.chatRadius = chatRadius
                self.step = step
                self.diagonalStep = diagonalStep
                self.unitsPerTile = unitsPerTile
            }
        }

        public var `protocol`: Int
        public var you: You
        public var room: Room
        /// Present this token in a later `hello` to get the same avatar back.
        public var resume: String
        public var resumed: Bool
        public var tick: UInt32
        /// Server wall-clock time, milliseconds since the Unix epoch.
        public var serverTime: Int64

        public init(protocol: Int = WireUnits.protocolVersion, you: You, room: Room, resume: String, resumed: Bool,
                    tick: UInt32, serverTime: Int64) {
            self.protocol = `protocol`
            self.you = you
            self.room = room
            self.resume = resume
            self.resumed = resumed
            self.tick = tick
            self.serverTime = serverTime
        }
    }

    public struct ErrorMessage: Codable, Sendable, Equatable {
        public var code: ErrorCode
        public var message: String
        /// The `ref` of the request that failed, when it had one.
        public var ref: String?
        /// Seconds to wait after the connection closes before reconnecting, when the server
        /// knows (`server_restarting`): a restart takes a moment, and a room's worth of
        /// clients retrying at once would only meet a closed port.
        public var retryAfter: Int?
        public init(code: ErrorCode, message: String, ref: String? = nil, retryAfter: Int? = nil) {
            self.code = code
            self.message = message
            self.ref = ref
            self.retryAfter = retryAfter
        }
    }

    public struct ChatMessage: Codable, Sendable, Equatable {
        public struct Sender: Codable, Sendable, Equatable {
            public var id: UInt32
            public var name: String
            public init(id: UInt32, name: String) {
                self.id = id
                self.name = name
            }
        }

        public var id: UInt64
        public var from: Sender
        public var scope: ChatScope
        public var text: String
        /// Server time of the message, milliseconds since the Unix epoch.
        public var time: Int64
        /// The recipient, for `dm`.
        public var to: UInt32?
        /// Present only in the sender's own copy: the `ref` it sent, as acknowledgement.
        public var ref: String?

        public init(id: UInt64, from: Sender, scope: ChatScope, text: String, time: Int64, to: UInt32? = nil, ref: String? = nil) {
            self.id = id
            self.from = from
            self.scope = scope
            self.text = text
            self.time = time
            self.to = to
            self.ref = ref
        }
    }

    public struct Pong: Codable, Sendable, Equatable {
        public var t: Double?
        public var serverTime: Int64
        public var tick: UInt32
        public init(t: Double?, serverTime: Int64, tick: UInt32) {
            self.t = t
            self.serverTime = serverTime
            self.tick = tick
        }
    }

    public struct People: Codable, Sendable, Equatable {
        public struct Person: Codable, Sendable, Equatable {
            public var id: UInt32
            public var name: String
            public var role: String
            public var status: String
            public var away: Bool
            public init(id: UInt32, name: String, role: String, status: String, away: Bool) {
                self.id = id
                self.name = name
                self.role = role
                self.status = status
                self.away = away
            }
        }

        /// Everyone in the room, of whom at most `limit` are listed.
        public var total: Int
        public var people: [Person]
        public init(total: Int, people: [Person]) {
            self.total = total
            self.people = people
        }
    }

    /// Live numbers of an exhibit.
    public struct ExhibitState: Codable, Sendable, Equatable {
        public var id: String
        public var viewers: Int
        public var reactions: [String: Int]
        public init(id: String, viewers: Int, reactions: [String: Int]) {
            self.id = id
            self.viewers = viewers
            self.reactions = reactions
        }
    }

    /// The answer to `exhibit_open`.
    public struct Exhibit: Codable, Sendable, Equatable {
        public var id: String
        public var kind: String
        public var title: String
        public var description: String
        /// Content URLs in viewing order: server paths under /maps/ or absolute URLs.
        public var content: [String]
        public var state: ExhibitState
        /// The reactions this visitor already left.
        public var mine: [String]
        /// For boards: the newest notes, newest first.
        public var notes: [Note]
        public var ref: String?
        public init(id: String, kind: String, title: String, description: String, content: [String], state: ExhibitState,
                    mine: [String], notes: [Note], ref: String? = nil) {
            self.ref = ref
            self.id = id
            self.kind = kind
            self.title = title
            self.description = description
            self.content = content
            self.state = state
            self.mine = mine
            self.notes = notes
        }
    }

    public struct Note: Codable, Sendable, Equatable {
        public var id: Int64
        public var author: String
        public var authorID: UInt32
        public var text: String
        public var time: Int64
        public init(id: Int64, author: String, authorID: UInt32, text: String, time: Int64) {
            self.id = id
            self.author = author
            self.authorID = authorID
            self.text = text
            self.time = time
        }
    }

    public struct ExhibitClosed: Codable, Sendable, Equatable {
        public var id: String
        public init(id: String) { self.id = id }
    }

    public struct Reacted: Codable, Sendable, Equatable {
        public var id: String
        public var reaction: String
        public var on: Bool
        public var state: ExhibitState
        public var ref: String?
        public init(id: String, reaction: String, on: Bool, state: ExhibitState, ref: String?) {
            self.id = id
            self.reaction = reaction
            self.on = on
            self.state = state
            self.ref = ref
        }
    }

    /// A new note on a board; with `ref` it is the author's acknowledgement.
    public struct NoteMessage: Codable, Sendable, Equatable {
        public var id: String
        public var note: Note
        public var ref: String?
        public init(id: String, note: Note, ref: String?) {
            self.id = id
            self.note = note
            self.ref = ref
        }
    }

    public struct NoteHidden: Codable, Sendable, Equatable {
        public var id: String
        public var note: Int64
        public var ref: String?
        public init(id: String, note: Int64, ref: String?) {
            self.id = id
            self.note = note
            self.ref = ref
        }
    }

    /// A page of a board's history, newest first; `more` when older notes exist.
    public struct Notes: Codable, Sendable, Equatable {
        public var id: String
        public var notes: [Note]
        public var more: Bool
        public var ref: String?
        public init(id: String, notes: [Note], more: Bool, ref: String? = nil) {
            self.ref = ref
            self.id = id
            self.notes = notes
            self.more = more
        }
    }

    public struct Announcement: Codable, Sendable, Equatable {
        public var text: String
        public var from: String
        public var time: Int64
        public init(text: String, from: String, time: Int64) {
            self.text = text
            self.from = from
            self.time = time
        }
    }

    public struct ModOK: Codable, Sendable, Equatable {
        public var action: String
        public var ref: String?
        public init(action: String, ref: String?) {
            self.action = action
            self.ref = ref
        }
    }

    public struct Roster: Codable, Sendable, Equatable {
        public struct Entry: Codable, Sendable, Equatable {
            public var id: UInt32
            public var name: String
            public var role: String
            public var registration: String?
            public var away: Bool
            public var muted: Bool
            public var spotlight: Bool
            public init(id: UInt32, name: String, role: String, registration: String?, away: Bool, muted: Bool, spotlight: Bool) {
                self.id = id
                self.name = name
                self.role = role
                self.registration = registration
                self.away = away
                self.muted = muted
                self.spotlight = spotlight
            }
        }
        public var people: [Entry]
        public var locked: Bool
        public var ref: String?
        public init(people: [Entry], locked: Bool, ref: String?) {
            self.people = people
            self.locked = locked
            self.ref = ref
        }
    }

    public struct QuizStatus: Codable, Sendable, Equatable {
        public var state: String
        public var title: String
        public var mode: String
        public var total: Int
        public var index: Int
        public var players: Int
        public var alive: Int
        public init(state: String, title: String, mode: String, total: Int, index: Int, players: Int, alive: Int) {
            self.state = state
            self.title = title
            self.mode = mode
            self.total = total
            self.index = index
            self.players = players
            self.alive = alive
        }
    }

    public struct QuizQuestion: Codable, Sendable, Equatable {
        public var index: Int
        public var total: Int
        public var question: String
        /// Milliseconds to answer.
        public var duration: Int64
        /// Server time of the deadline, milliseconds since the epoch.
        public var deadline: Int64
        public var deadlineTick: UInt32
        public init(index: Int, total: Int, question: String, duration: Int64, deadline: Int64, deadlineTick: UInt32) {
            self.index = index
            self.total = total
            self.question = question
            self.duration = duration
            self.deadline = deadline
            self.deadlineTick = deadlineTick
        }
    }

    public struct Ranked: Codable, Sendable, Equatable {
        public var rank: Int
        public var name: String
        public var score: Int
        public init(rank: Int, name: String, score: Int) {
            self.rank = rank
            self.name = name
            self.score = score
        }
    }

    public struct QuizResult: Codable, Sendable, Equatable {
        public struct Counts: Codable, Sendable, Equatable {
            public var o: Int
            public var x: Int
            public var none: Int
            public init(o: Int, x: Int, none: Int) {
                self.o = o
                self.x = x
                self.none = none
            }
        }
        public var index: Int
        public var answer: String
        public var explanation: String
        public var counts: Counts
        public var alive: Int
        public var top: [Ranked]
        public init(index: Int, answer: String, explanation: String, counts: Counts, alive: Int, top: [Ranked]) {
            self.index = index
            self.answer = answer
            self.explanation = explanation
            self.counts = counts
            self.alive = alive
            self.top = top
        }
    }

    public struct QuizVerdict: Codable, Sendable, Equatable {
        public var index: Int
        public var chose: String
        public var correct: Bool
        public var out: Bool
        public var score: Int
        public init(index: Int, chose: String, correct: Bool, out: Bool, score: Int) {
            self.index = index
            self.chose = chose
            self.correct = correct
            self.out = out
            self.score = score
        }
    }

    public struct QuizSkipped: Codable, Sendable, Equatable {
        public var index: Int
        public init(index: Int) { self.index = index }
    }

    public struct QuizFinal: Codable, Sendable, Equatable {
        public var mode: String
        public var ranking: [Ranked]
        public var players: Int
        public init(mode: String, ranking: [Ranked], players: Int) {
            self.mode = mode
            self.ranking = ranking
            self.players = players
        }
    }

    public var type: String {
        switch self {
        case .welcome: return "welcome"
        case .error: return "error"
        case .chat: return "chat"
        case .pong: return "pong"
        case .people: return "people"
        case .exhibit: return "exhibit"
        case .exhibitState: return "exhibit_state"
        case .exhibitClosed: return "exhibit_closed"
        case .reacted: return "reacted"
        case .note: return "note"
        case .noteHidden: return "note_hidden"
        case .notes: return "notes"
        case .announcement: return "announcement"
        case .modOK: return "mod_ok"
        case .roster: return "roster"
        case .quiz: return "quiz"
        case .quizQuestion: return "quiz_question"
        case .quizResult: return "quiz_result"
        case .quizVerdict: return "quiz_verdict"
        case .quizSkipped: return "quiz_skipped"
        case .quizFinal: return "quiz_final"
        }
    }

    public func encoded() -> [UInt8] {
        switch self {
        case .welcome(let value): return JSONMessage.encode(type, value)
        case .error(let value): return JSONMessage.encode(type, value)
        case .chat(let value): return JSONMessage.encode(type, value)
        case .pong(let value): return JSONMessage.encode(type, value)
        case .people(let value): return JSONMessage.encode(type, value)
        case .exhibit(let value): return JSONMessage.encode(type, value)
        case .exhibitState(let value): return JSONMessage.encode(type, value)
        case .exhibitClosed(let value): return JSONMessage.encode(type, value)
        case .reacted(let value): return JSONMessage.encode(type, value)
        case .note(let value): return JSONMessage.encode(type, value)
        case .noteHidden(let value): return JSONMessage.encode(type, value)
        case .notes(let value): return JSONMessage.encode(type, value)
        case .announcement(let value): return JSONMessage.encode(type, value)
        case .modOK(let value): return JSONMessage.encode(type, value)
        case .roster(let value): return JSONMessage.encode(type, value)
        case .quiz(let value): return JSONMessage.encode(type, value)
        case .quizQuestion(let value): return JSONMessage.encode(type, value)
        case .quizResult(let value): return JSONMessage.encode(type, value)
        case .quizVerdict(let value): return JSONMessage.encode(type, value)
        case .quizSkipped(let value): return JSONMessage.encode(type, value)
        case .quizFinal(let value): return JSONMessage.encode(type, value)
        }
    }

    public enum DecodingError: Error, Sendable, Equatable {
        case malformed
        case unknownType(String)
    }

    /// Decodes a server message (clients and tests).
    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> ServerMessage {
        guard let type = JSONMessage.type(of: bytes) else { throw .malformed }
        do {
            switch type {
            case "welcome": return .welcome(try JSONMessage.decode(Welcome.self, bytes))
            case "error": return .error(try JSONMessage.decode(ErrorMessage.self, bytes))
            case "chat": return .chat(try JSONMessage.decode(ChatMessage.self, bytes))
            case "pong": return .pong(try JSONMessage.decode(Pong.self, bytes))
            case "people": return .people(try JSONMessage.decode(People.self, bytes))
            case "exhibit": return .exhibit(try JSONMessage.decode(Exhibit.self, bytes))
            case "exhibit_state": return .exhibitState(try JSONMessage.decode(ExhibitState.self, bytes))
            case "exhibit_closed": return .exhibitClosed(try JSONMessage.decode(ExhibitClosed.self, bytes))
            case "reacted": return .reacted(try JSONMessage.decode(Reacted.self, bytes))
            case "note": return .note(try JSONMessage.decode(NoteMessage.self, bytes))
            case "note_hidden": return .noteHidden(try JSONMessage.decode(NoteHidden.self, bytes))
            case "notes": return .notes(try JSONMessage.decode(Notes.self, bytes))
            case "announcement": return .announcement(try JSONMessage.decode(Announcement.self, bytes))
            case "mod_ok": return .modOK(try JSONMessage.decode(ModOK.self, bytes))
            case "roster": return .roster(try JSONMessage.decode(Roster.self, bytes))
            case "quiz": return .quiz(try JSONMessage.decode(QuizStatus.self, bytes))
            case "quiz_question": return .quizQuestion(try JSONMessage.decode(QuizQuestion.self, bytes))
            case "quiz_result": return .quizResult(try JSONMessage.decode(QuizResult.self, bytes))
            case "quiz_verdict": return .quizVerdict(try JSONMessage.decode(QuizVerdict.self, bytes))
            case "quiz_skipped": return .quizSkipped(try JSONMessage.decode(QuizSkipped.self, bytes))
            case "quiz_final": return .quizFinal(try JSONMessage.decode(QuizFinal.self, bytes))
            default: throw DecodingError.unknownType(type)
            }
        } catch let error as DecodingError {
            throw error
        } catch {
            throw .malformed
        }
    }
}

/// The `{"type": …, fields…}` shape shared by every JSON message.
public enum JSONMessage {
    private struct Envelope: Decodable {
        var type: String
    }

    /// Encodes `value`'s fields with `type` added, keys sorted for stable bytes.
    public static func encode(_ type: String, _ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var bytes = Array(#"{"type":"\#(type)""#.utf8)
        if body.count > 2 {
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: body.dropFirst())
        } else {
            bytes.append(UInt8(ascii: "}"))
        }
        return bytes
    }

    public static func type(of bytes: [UInt8]) -> String? {
        try? JSONDecoder().decode(Envelope.self, from: Data(bytes)).type
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}
