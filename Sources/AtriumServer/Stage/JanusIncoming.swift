import Foundation

/// A message from Janus's core (`janus.c`): a reply to a transaction (`success`, `error`,
/// `ack`), or something that happened (`event` from a plugin, `timeout` of the session,
/// `webrtcup`, `hangup`, …). Only the fields Atrium acts on are read.
struct JanusIncoming: Decodable, Equatable, Sendable {
    var janus: String
    var transaction: String?
    var sessionID: UInt64?
    /// The handle a plugin answer or event comes from.
    var sender: UInt64?
    var data: Created?
    var error: Failure?
    var pluginData: PluginData?

    struct Created: Decodable, Equatable, Sendable {
        var id: UInt64?
    }

    struct Failure: Decodable, Equatable, Sendable {
        var code: Int
        var reason: String?
    }

    struct PluginData: Decodable, Equatable, Sendable {
        var plugin: String?
        var data: VideoRoomReply?
    }

    enum CodingKeys: String, CodingKey {
        case janus, transaction, sender, data, error
        case sessionID = "session_id"
        case pluginData = "plugindata"
    }

    init(janus: String, transaction: String? = nil, sessionID: UInt64? = nil, sender: UInt64? = nil, data: Created? = nil,
         error: Failure? = nil, pluginData: PluginData? = nil) {
        self.janus = janus
        self.transaction = transaction
        self.sessionID = sessionID
        self.sender = sender
        self.data = data
        self.error = error
        self.pluginData = pluginData
    }

    /// Decodes one WebSocket text message; nil for anything that is not a Janus message.
    static func decode(_ bytes: [UInt8]) -> JanusIncoming? {
        try? JSONDecoder().decode(JanusIncoming.self, from: Data(bytes))
    }
}

/// What the VideoRoom plugin says (`plugindata.data`): an answer, an error, or news of the
/// room's publishers.
struct VideoRoomReply: Decodable, Equatable, Sendable {
    var videoroom: String?
    var room: UInt64?
    var errorCode: Int?
    var error: String?
    var exists: Bool?
    var participants: [Participant]?
    /// Publishers now sending media (in `joined` and in `event`s when one starts).
    var publishers: [Participant]?
    /// A feed that stopped sending (a number; "ok" when it is the handle's own, read as nil).
    var unpublished: UInt64?
    /// A participant that left (a number; "ok" for the handle's own, read as nil).
    var leaving: UInt64?
    var kicked: UInt64?

    struct Participant: Decodable, Equatable, Sendable {
        var id: UInt64
        var display: String?
        /// In `listparticipants`: whether it sends media now.
        var publisher: Bool?

        init(id: UInt64, display: String? = nil, publisher: Bool? = nil) {
            self.id = id
            self.display = display
            self.publisher = publisher
        }
    }

    enum CodingKeys: String, CodingKey {
        case videoroom, room, error, exists, participants, publishers, unpublished, leaving, kicked
        case errorCode = "error_code"
    }

    init(videoroom: String? = nil, room: UInt64? = nil, errorCode: Int? = nil, error: String? = nil, exists: Bool? = nil,
         participants: [Participant]? = nil, publishers: [Participant]? = nil, unpublished: UInt64? = nil,
         leaving: UInt64? = nil, kicked: UInt64? = nil) {
        self.videoroom = videoroom
        self.room = room
        self.errorCode = errorCode
        self.error = error
        self.exists = exists
        self.participants = participants
        self.publishers = publishers
        self.unpublished = unpublished
        self.leaving = leaving
        self.kicked = kicked
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        videoroom = try? container.decodeIfPresent(String.self, forKey: .videoroom)
        room = try? container.decodeIfPresent(UInt64.self, forKey: .room)
        errorCode = try? container.decodeIfPresent(Int.self, forKey: .errorCode)
        error = try? container.decodeIfPresent(String.self, forKey: .error)
        exists = try? container.decodeIfPresent(Bool.self, forKey: .exists)
        participants = try? container.decodeIfPresent([Participant].self, forKey: .participants)
        publishers = try? container.decodeIfPresent([Participant].self, forKey: .publishers)
        unpublished = try? container.decodeIfPresent(UInt64.self, forKey: .unpublished)
        leaving = try? container.decodeIfPresent(UInt64.self, forKey: .leaving)
        kicked = try? container.decodeIfPresent(UInt64.self, forKey: .kicked)
    }
}
