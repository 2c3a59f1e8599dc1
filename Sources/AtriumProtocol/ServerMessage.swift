import FoundationEssentials

/// A JSON message from the server. Encoded once per event; a broadcast sends the same
/// bytes to every recipient.
public enum ServerMessage: Sendable, Equatable {
    case welcome(Welcome)
    case error(ErrorMessage)
    case chat(ChatMessage)
    case pong(Pong)
    case people(People)

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
        public init(code: ErrorCode, message: String, ref: String? = nil) {
            self.code = code
            self.message = message
            self.ref = ref
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

    public var type: String {
        switch self {
        case .welcome: return "welcome"
        case .error: return "error"
        case .chat: return "chat"
        case .pong: return "pong"
        case .people: return "people"
        }
    }

    public func encoded() -> [UInt8] {
        switch self {
        case .welcome(let value): return JSONMessage.encode(type, value)
        case .error(let value): return JSONMessage.encode(type, value)
        case .chat(let value): return JSONMessage.encode(type, value)
        case .pong(let value): return JSONMessage.encode(type, value)
        case .people(let value): return JSONMessage.encode(type, value)
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
