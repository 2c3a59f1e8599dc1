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
