import FoundationEssentials

/// Something that happened on one node and that every node must act on. Each travels as
/// one JSON object with a `type` field, in a durable row and a notification (see
/// ``BusEnvelope``), so a bus other than PostgreSQL (NATS, Redis streams) carries the
/// same bytes.
public enum ClusterEvent: Sendable, Equatable {
    /// A moderator's announcement to every instance of one room, or to every room of the
    /// event when `room` is nil.
    case announcement(text: String, from: String, room: String?)
    /// A registration was revoked: its sessions end on every node, its token is refused.
    case revoked(registration: String)
    /// Someone was banned for the event: by registration, or a guest by address.
    case banned(registration: String?, address: String?, reason: String?)
    /// A step of an event-wide quiz (one room's instances on several nodes).
    case quiz(QuizBusMessage)

    /// How long after it was published the event still means something. A node that
    /// catches up after being down applies revocations and bans whatever their age, but
    /// does not show an hour-old announcement or replay a finished quiz.
    public var freshFor: Duration? {
        switch self {
        case .announcement: return .seconds(60)
        case .quiz: return .seconds(120)
        case .revoked, .banned: return nil
        }
    }
}

extension ClusterEvent: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, text, from, room, registration, address, reason, quiz
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "announcement":
            self = .announcement(text: try container.decode(String.self, forKey: .text),
                                 from: try container.decode(String.self, forKey: .from),
                                 room: try container.decodeIfPresent(String.self, forKey: .room))
        case "revoked":
            self = .revoked(registration: try container.decode(String.self, forKey: .registration))
        case "banned":
            self = .banned(registration: try container.decodeIfPresent(String.self, forKey: .registration),
                           address: try container.decodeIfPresent(String.self, forKey: .address),
                           reason: try container.decodeIfPresent(String.self, forKey: .reason))
        case "quiz":
            self = .quiz(try container.decode(QuizBusMessage.self, forKey: .quiz))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown event \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .announcement(let text, let from, let room):
            try container.encode("announcement", forKey: .type)
            try container.encode(text, forKey: .text)
            try container.encode(from, forKey: .from)
            try container.encodeIfPresent(room, forKey: .room)
        case .revoked(let registration):
            try container.encode("revoked", forKey: .type)
            try container.encode(registration, forKey: .registration)
        case .banned(let registration, let address, let reason):
            try container.encode("banned", forKey: .type)
            try container.encodeIfPresent(registration, forKey: .registration)
            try container.encodeIfPresent(address, forKey: .address)
            try container.encodeIfPresent(reason, forKey: .reason)
        case .quiz(let message):
            try container.encode("quiz", forKey: .type)
            try container.encode(message, forKey: .quiz)
        }
    }
}

/// One published event as every node sees it: the id the bus gave it (rising; the
/// order of commit), when and where it was published.
public struct BusEnvelope: Sendable, Equatable, Codable {
    public var id: Int64
    /// Milliseconds since the Unix epoch, from the publishing node.
    public var time: Int64
    public var origin: String
    public var event: ClusterEvent

    public init(id: Int64, time: Int64, origin: String, event: ClusterEvent) {
        self.id = id
        self.time = time
        self.origin = origin
        self.event = event
    }

    /// Largest encoded event the bus takes: PostgreSQL notifications carry at most
    /// 8000 bytes, and an event travels whole in one.
    public static let maxEventBytes = 7000

    public static func encode(_ event: ClusterEvent) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(event)).map { [UInt8]($0) } ?? []
    }

    public static func decodeEvent(_ bytes: [UInt8]) -> ClusterEvent? {
        guard bytes.count <= maxEventBytes else { return nil }
        return try? JSONDecoder().decode(ClusterEvent.self, from: Data(bytes))
    }

    /// The notification payload: `id time origin json`, so a listener applies the event
    /// without reading the row when nothing was missed.
    public var notificationPayload: String {
        "\(id) \(time) \(origin) " + String(decoding: Self.encode(event), as: UTF8.self)
    }

    public init?(notificationPayload payload: String) {
        let parts = payload.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, let id = Int64(parts[0]), let time = Int64(parts[1]),
              let event = Self.decodeEvent(Array(parts[3].utf8)) else { return nil }
        self.init(id: id, time: time, origin: String(parts[2]), event: event)
    }
}
