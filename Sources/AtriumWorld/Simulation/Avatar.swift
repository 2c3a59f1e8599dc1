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

/// What a client was last told about one avatar, to compute the next delta from.
struct KnownAvatar {
    var position: Position
    var velocity: Velocity
    var tick: UInt32
    var infoVersion: UInt32

    /// Where the client now believes the avatar is, by dead reckoning.
    func predicted(at tick: UInt32) -> Position {
        let elapsed = Int32(truncatingIfNeeded: tick &- self.tick)
        return Position(x: position.x &+ velocity.dx &* elapsed, y: position.y &+ velocity.dy &* elapsed)
    }
}

/// The view of one connected client: what it knows and what may have changed for it.
/// A class so the per-tick updates mutate its collections in place.
final class Observer {
    let client: ClientID
    /// How far this client sees, in cells: the room's view radius, or less in a crowd
    /// (see ``RoomConfiguration/maxVisible``).
    var radius: Int
    var known = AvatarMap<KnownAvatar>()
    /// Avatars whose state may differ from what the client knows, with their slot.
    var dirty: [(slot: Int, id: UInt32)] = []
    /// The generation in which each avatar was last marked: marked this round when equal
    /// to `generation`, so clearing all marks is one increment.
    private var markedIn = AvatarMap<UInt32>()
    private var generation: UInt32 = 1
    var needsSnapshot = true
    var lastAckSent: UInt32 = 0

    init(client: ClientID, radius: Int) {
        self.client = client
        self.radius = radius
    }

    @inline(__always)
    func markDirty(slot: Int, id: UInt32) {
        if markedIn[id] != generation {
            markedIn.insert(id, generation)
            dirty.append((slot, id))
        }
    }

    /// Starts a new round of marks.
    func clearMarks() {
        dirty.removeAll(keepingCapacity: true)
        // Old marks are dead weight (their generation is past) but would let the map grow
        // towards every avatar that ever passed nearby; dropping them all once in a while
        // costs less than removing each mark.
        if markedIn.count > max(256, 4 * known.count) { markedIn = AvatarMap(capacity: known.count) }
        generation &+= 1
        if generation == 0 { generation = 1 }
    }

    /// Forgets an avatar that left this client's view for good.
    func forget(_ id: UInt32) {
        known.remove(id)
        markedIn.remove(id)
    }
}
