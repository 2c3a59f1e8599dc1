/// The slowly changing part of an avatar: who it is and how it looks. Its motion lives
/// in the room's per-slot arrays, which the tick walks without touching these strings.
struct Avatar {
    /// The connection steering it; nil while it waits, away, for its owner to resume.
    var client: ClientID?
    var name: String
    /// The name folded for uniqueness checks ("Mina" and "mina" collide).
    var nameKey: String
    var role: Role
    var registrationID: String?
    var person: String
    /// The exhibit this avatar has open, by index in the map's exhibits.
    var viewing: Int?
    var appearance: UInt8
    var emote: UInt8 = 0
    var emoteUntil: UInt32 = 0
    var status = ""
    var spotlight = false
    var muted = false
    /// A moderator stopped this avatar's stage broadcast (until they start it again).
    var stageStopped = false
    /// Media switched on by the client (see ``MediaChange``).
    var mic = false
    var camera = false
    var speaking = false
    var resumeToken: String
    /// Tick at which an away avatar leaves.
    var awayUntil: UInt32?

    var hasStageVoice: Bool { role.hasStageVoice || spotlight }

    /// A voice its peers may hear: the microphone is on and no moderator muted it.
    var hasVoice: Bool { mic && !muted }

    /// Sends media, so it gets conversation peers of its own; everyone else connected is
    /// only a listener, reached from the talkers near it.
    var isTalker: Bool { client != nil && (hasVoice || camera) }

    func info() -> StateDelta.Info {
        StateDelta.Info(role: role, spotlight: spotlight, away: client == nil, mic: mic, camera: camera,
                        speaking: speaking && hasVoice, muted: muted, appearance: appearance, emote: emote, name: name,
                        status: status)
    }
}

/// Where an avatar is heading.
enum Intent: Equatable {
    case idle
    case direction(dx: Int32, dy: Int32)
    /// Waypoints, last is the destination.
    case path([Position], next: Int)
}
