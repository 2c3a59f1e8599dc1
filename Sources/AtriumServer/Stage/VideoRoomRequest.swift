/// The VideoRoom requests Atrium makes (`janus_videoroom.c`, "Video Room API"). Rooms are
/// numbered; every room Atrium creates is private, needs signed room tokens to join, and
/// keeps an `allowed` list of publisher tokens.
enum VideoRoomRequest: Equatable, Sendable {
    struct RoomSettings: Equatable, Sendable {
        var description: String
        var secret: String
        var adminKey: String
        var publishers: Int
        var bitrate: Int
        /// Tokens allowed to join as publishers from the start.
        var allowed: [String] = []
    }

    case create(room: UInt64, settings: RoomSettings)
    case exists(room: UInt64)
    case allow(room: UInt64, secret: String, tokens: [String])
    case disallow(room: UInt64, secret: String, tokens: [String])
    case kick(room: UInt64, secret: String, participant: UInt64)
    case listParticipants(room: UInt64)
    /// Joins as a participant that never sends media, so that the handle gets the room's
    /// `publishers`, `unpublished` and `leaving` events.
    case joinToWatch(room: UInt64, participant: UInt64, display: String, token: String)

    /// Whether the plugin answers with an `event` after an `ack` rather than at once.
    var isAsynchronous: Bool {
        if case .joinToWatch = self { return true }
        return false
    }

    var body: Body {
        switch self {
        case .create(let room, let settings):
            return Body(request: "create", room: room, secret: settings.secret, adminKey: settings.adminKey,
                        description: settings.description, isPrivate: true, publishers: settings.publishers,
                        bitrate: settings.bitrate, signedTokens: true, allowed: settings.allowed, firFrequency: 10)
        case .exists(let room):
            return Body(request: "exists", room: room)
        case .allow(let room, let secret, let tokens):
            return Body(request: "allowed", room: room, secret: secret, allowed: tokens, action: "add")
        case .disallow(let room, let secret, let tokens):
            return Body(request: "allowed", room: room, secret: secret, allowed: tokens, action: "remove")
        case .kick(let room, let secret, let participant):
            return Body(request: "kick", room: room, secret: secret, id: participant)
        case .listParticipants(let room):
            return Body(request: "listparticipants", room: room)
        case .joinToWatch(let room, let participant, let display, let token):
            return Body(request: "join", room: room, ptype: "publisher", id: participant, display: display, token: token)
        }
    }

    /// The JSON body; absent fields are left out.
    struct Body: Encodable, Equatable {
        var request: String
        var room: UInt64
        var secret: String?
        var adminKey: String?
        var description: String?
        var isPrivate: Bool?
        var publishers: Int?
        var bitrate: Int?
        var signedTokens: Bool?
        var allowed: [String]?
        var firFrequency: Int?
        var action: String?
        var ptype: String?
        var id: UInt64?
        var display: String?
        var token: String?

        enum CodingKeys: String, CodingKey {
            case request, room, secret, description, publishers, bitrate, allowed, action, ptype, id, display, token
            case adminKey = "admin_key"
            case isPrivate = "is_private"
            case signedTokens = "signed_tokens"
            case firFrequency = "fir_freq"
        }

        init(request: String, room: UInt64, secret: String? = nil, adminKey: String? = nil, description: String? = nil,
             isPrivate: Bool? = nil, publishers: Int? = nil, bitrate: Int? = nil, signedTokens: Bool? = nil,
             allowed: [String]? = nil, firFrequency: Int? = nil, action: String? = nil, ptype: String? = nil,
             id: UInt64? = nil, display: String? = nil, token: String? = nil) {
            self.request = request
            self.room = room
            self.secret = secret
            self.adminKey = adminKey
            self.description = description
            self.isPrivate = isPrivate
            self.publishers = publishers
            self.bitrate = bitrate
            self.signedTokens = signedTokens
            self.allowed = allowed
            self.firFrequency = firFrequency
            self.action = action
            self.ptype = ptype
            self.id = id
            self.display = display
            self.token = token
        }
    }
}
