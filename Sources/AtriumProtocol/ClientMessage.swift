import FoundationEssentials

/// A JSON control message from a client, decoded once at the edge into a typed value.
public enum ClientMessage: Sendable, Equatable {
    case hello(Hello)
    case chat(Chat)
    case emote(Emote)
    case status(Status)
    case who(Who)
    case ping(Ping)
    case leave
    case exhibitOpen(ExhibitRef)
    case exhibitClose
    case react(React)
    case notePost(NotePost)
    case notesPage(NotesPage)
    case noteHide(NoteHide)
    case announce(Announce)
    case spotlight(Toggle)
    case mute(Toggle)
    case kick(Removal)
    case ban(Removal)
    case teleport(Teleport)
    case lock(Lock)
    case roster(Plain)
    case quizOpen(QuizOpen)
    case quizNext(Plain)
    case quizPause(Plain)
    case quizResume(Plain)
    case quizSkip(Plain)
    case quizEnd(Plain)

    public struct Hello: Codable, Sendable, Equatable {
        public var name: String
        public var token: String?
        public var resume: String?
        public var appearance: Int?

        public init(name: String, token: String? = nil, resume: String? = nil, appearance: Int? = nil) {
            self.name = name
            self.token = token
            self.resume = resume
            self.appearance = appearance
        }
    }

    public struct Chat: Codable, Sendable, Equatable {
        public var scope: ChatScope
        public var text: String
        /// The recipient's avatar id, for `dm`.
        public var to: UInt32?
        /// A client-chosen id echoed in the acknowledgement, so the sender can match it.
        public var ref: String?

        public init(scope: ChatScope, text: String, to: UInt32? = nil, ref: String? = nil) {
            self.scope = scope
            self.text = text
            self.to = to
            self.ref = ref
        }
    }

    public struct Emote: Codable, Sendable, Equatable {
        public var emote: EmoteKind
        public init(emote: EmoteKind) { self.emote = emote }
    }

    public struct Status: Codable, Sendable, Equatable {
        public var text: String
        public init(text: String) { self.text = text }
    }

    public struct Who: Codable, Sendable, Equatable {
        public var limit: Int?
        public init(limit: Int? = nil) { self.limit = limit }
    }

    public struct Ping: Codable, Sendable, Equatable {
        /// Client time, echoed back.
        public var t: Double?
        public init(t: Double? = nil) { self.t = t }
    }

    public struct ExhibitRef: Codable, Sendable, Equatable {
        public var id: String
        /// Echoed in the answer or the error.
        public var ref: String?
        public init(id: String, ref: String? = nil) {
            self.id = id
            self.ref = ref
        }
    }

    public struct React: Codable, Sendable, Equatable {
        public var id: String
        public var reaction: ReactionName
        /// false takes the reaction back; default true.
        public var on: Bool?
        public var ref: String?
        public init(id: String, reaction: ReactionName, on: Bool? = nil, ref: String? = nil) {
            self.id = id
            self.reaction = reaction
            self.on = on
            self.ref = ref
        }
    }

    public struct NotePost: Codable, Sendable, Equatable {
        public var id: String
        public var text: String
        public var ref: String?
        public init(id: String, text: String, ref: String? = nil) {
            self.id = id
            self.text = text
            self.ref = ref
        }
    }

    public struct NotesPage: Codable, Sendable, Equatable {
        public var id: String
        /// Only notes older than this note id; the newest when absent.
        public var before: Int64?
        public var limit: Int?
        public var ref: String?
        public init(id: String, before: Int64? = nil, limit: Int? = nil, ref: String? = nil) {
            self.id = id
            self.before = before
            self.limit = limit
            self.ref = ref
        }
    }

    public struct NoteHide: Codable, Sendable, Equatable {
        public var id: String
        public var note: Int64
        public var ref: String?
        public init(id: String, note: Int64, ref: String? = nil) {
            self.id = id
            self.note = note
            self.ref = ref
        }
    }

    /// A request with nothing but an optional ref.
    public struct Plain: Codable, Sendable, Equatable {
        public var ref: String?
        public init(ref: String? = nil) { self.ref = ref }
    }

    public struct Announce: Codable, Sendable, Equatable {
        public var text: String
        public var ref: String?
        public init(text: String, ref: String? = nil) {
            self.text = text
            self.ref = ref
        }
    }

    /// Spotlight or mute one avatar.
    public struct Toggle: Codable, Sendable, Equatable {
        public var avatar: UInt32
        public var on: Bool
        public var ref: String?
        public init(avatar: UInt32, on: Bool, ref: String? = nil) {
            self.avatar = avatar
            self.on = on
            self.ref = ref
        }
    }

    /// Kick or ban one avatar.
    public struct Removal: Codable, Sendable, Equatable {
        public var avatar: UInt32
        public var reason: String?
        public var ref: String?
        public init(avatar: UInt32, reason: String? = nil, ref: String? = nil) {
            self.avatar = avatar
            self.reason = reason
            self.ref = ref
        }
    }

    public struct Teleport: Codable, Sendable, Equatable {
        public var avatar: UInt32
        public var x: Int32
        public var y: Int32
        public var ref: String?
        public init(avatar: UInt32, x: Int32, y: Int32, ref: String? = nil) {
            self.avatar = avatar
            self.x = x
            self.y = y
            self.ref = ref
        }
    }

    public struct Lock: Codable, Sendable, Equatable {
        public var on: Bool
        public var ref: String?
        public init(on: Bool, ref: String? = nil) {
            self.on = on
            self.ref = ref
        }
    }

    public struct QuizQuestion: Codable, Sendable, Equatable {
        public var id: String?
        public var question: String
        public var answer: String
        public var explanation: String?
        public var timeLimit: Int
        public init(id: String? = nil, question: String, answer: String, explanation: String? = nil, timeLimit: Int) {
            self.id = id
            self.question = question
            self.answer = answer
            self.explanation = explanation
            self.timeLimit = timeLimit
        }
    }

    /// A question set: the file's shape, and the inline form of `quiz_open`.
    public struct QuizSetFile: Codable, Sendable, Equatable {
        public var title: String?
        public var questions: [QuizQuestion]
        public init(title: String? = nil, questions: [QuizQuestion]) {
            self.title = title
            self.questions = questions
        }
    }

    public struct QuizOpen: Codable, Sendable, Equatable {
        /// A file name under the map's `quiz/` folder, without `.json`.
        public var set: String?
        public var title: String?
        public var questions: [QuizQuestion]?
        public var mode: String
        public var ref: String?
        public init(set: String? = nil, title: String? = nil, questions: [QuizQuestion]? = nil, mode: String, ref: String? = nil) {
            self.set = set
            self.title = title
            self.questions = questions
            self.mode = mode
            self.ref = ref
        }
    }

    private struct Envelope: Decodable {
        var type: String
    }

    public enum DecodingError: Error, Sendable, Equatable {
        case malformed(String)
        case unknownType(String)

        public var code: ErrorCode {
            switch self {
            case .malformed: return .badMessage
            case .unknownType: return .unknownType
            }
        }

        public var message: String {
            switch self {
            case .malformed(let detail): return "malformed message: \(detail)"
            case .unknownType(let type): return "unknown message type \"\(type.prefix(40))\""
            }
        }
    }

    /// Decodes one text frame. The caller has already bounded its size.
    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> ClientMessage {
        let data = Data(bytes)
        let decoder = JSONDecoder()
        let type: String
        do {
            type = try decoder.decode(Envelope.self, from: data).type
        } catch {
            throw .malformed("expected a JSON object with a \"type\" string")
        }
        do {
            switch type {
            case "hello": return .hello(try decoder.decode(Hello.self, from: data))
            case "chat": return .chat(try decoder.decode(Chat.self, from: data))
            case "emote": return .emote(try decoder.decode(Emote.self, from: data))
            case "status": return .status(try decoder.decode(Status.self, from: data))
            case "who": return .who(try decoder.decode(Who.self, from: data))
            case "ping": return .ping(try decoder.decode(Ping.self, from: data))
            case "leave": return .leave
            case "exhibit_open": return .exhibitOpen(try decoder.decode(ExhibitRef.self, from: data))
            case "exhibit_close": return .exhibitClose
            case "react": return .react(try decoder.decode(React.self, from: data))
            case "note_post": return .notePost(try decoder.decode(NotePost.self, from: data))
            case "notes_page": return .notesPage(try decoder.decode(NotesPage.self, from: data))
            case "note_hide": return .noteHide(try decoder.decode(NoteHide.self, from: data))
            case "announce": return .announce(try decoder.decode(Announce.self, from: data))
            case "spotlight": return .spotlight(try decoder.decode(Toggle.self, from: data))
            case "mute": return .mute(try decoder.decode(Toggle.self, from: data))
            case "kick": return .kick(try decoder.decode(Removal.self, from: data))
            case "ban": return .ban(try decoder.decode(Removal.self, from: data))
            case "teleport": return .teleport(try decoder.decode(Teleport.self, from: data))
            case "lock": return .lock(try decoder.decode(Lock.self, from: data))
            case "roster": return .roster(try decoder.decode(Plain.self, from: data))
            case "quiz_open": return .quizOpen(try decoder.decode(QuizOpen.self, from: data))
            case "quiz_next": return .quizNext(try decoder.decode(Plain.self, from: data))
            case "quiz_pause": return .quizPause(try decoder.decode(Plain.self, from: data))
            case "quiz_resume": return .quizResume(try decoder.decode(Plain.self, from: data))
            case "quiz_skip": return .quizSkip(try decoder.decode(Plain.self, from: data))
            case "quiz_end": return .quizEnd(try decoder.decode(Plain.self, from: data))
            default: throw DecodingError.unknownType(type)
            }
        } catch let error as DecodingError {
            throw error
        } catch {
            throw .malformed("fields of \"\(type)\" are missing or of the wrong type")
        }
    }

    /// Encodes a message as a client sends it (used by the Swift client and tests).
    public func encoded() -> [UInt8] {
        switch self {
        case .hello(let value): return JSONMessage.encode("hello", value)
        case .chat(let value): return JSONMessage.encode("chat", value)
        case .emote(let value): return JSONMessage.encode("emote", value)
        case .status(let value): return JSONMessage.encode("status", value)
        case .who(let value): return JSONMessage.encode("who", value)
        case .ping(let value): return JSONMessage.encode("ping", value)
        case .leave: return Array(#"{"type":"leave"}"#.utf8)
        case .exhibitOpen(let value): return JSONMessage.encode("exhibit_open", value)
        case .exhibitClose: return Array(#"{"type":"exhibit_close"}"#.utf8)
        case .react(let value): return JSONMessage.encode("react", value)
        case .notePost(let value): return JSONMessage.encode("note_post", value)
        case .notesPage(let value): return JSONMessage.encode("notes_page", value)
        case .noteHide(let value): return JSONMessage.encode("note_hide", value)
        case .announce(let value): return JSONMessage.encode("announce", value)
        case .spotlight(let value): return JSONMessage.encode("spotlight", value)
        case .mute(let value): return JSONMessage.encode("mute", value)
        case .kick(let value): return JSONMessage.encode("kick", value)
        case .ban(let value): return JSONMessage.encode("ban", value)
        case .teleport(let value): return JSONMessage.encode("teleport", value)
        case .lock(let value): return JSONMessage.encode("lock", value)
        case .roster(let value): return JSONMessage.encode("roster", value)
        case .quizOpen(let value): return JSONMessage.encode("quiz_open", value)
        case .quizNext(let value): return JSONMessage.encode("quiz_next", value)
        case .quizPause(let value): return JSONMessage.encode("quiz_pause", value)
        case .quizResume(let value): return JSONMessage.encode("quiz_resume", value)
        case .quizSkip(let value): return JSONMessage.encode("quiz_skip", value)
        case .quizEnd(let value): return JSONMessage.encode("quiz_end", value)
        }
    }
}

/// Who hears a chat message.
public enum ChatScope: String, Codable, Sendable, CaseIterable {
    /// Avatars within the map's `chatRadius` tiles of the sender.
    case nearby
    /// Everyone in the same `area` zone as the sender, nobody outside it.
    case area
    /// The whole room, from a speaker with stage voice standing in a `stage` zone.
    case stage
    /// The whole room; moderators only.
    case room
    /// One avatar, by id.
    case dm
}

/// The reactions a visitor can leave on an exhibit.
public enum ReactionName: String, Codable, Sendable, CaseIterable {
    case cheer, like, empathy
}

/// The fixed set of emotes; the wire carries the code.
public enum EmoteKind: String, Codable, Sendable, CaseIterable {
    case wave, clap, heart, laugh, thumbsUp = "thumbs_up", raiseHand = "raise_hand", party, think

    public var code: UInt8 { UInt8(Self.allCases.firstIndex(of: self)! + 1) }

    public init?(code: UInt8) {
        guard code >= 1, Int(code) <= Self.allCases.count else { return nil }
        self = Self.allCases[Int(code) - 1]
    }
}
