/// An avatar's state as the server decides it.
struct Avatar {
    let id: UInt32
    /// The connection steering it; nil while it waits, away, for its owner to resume.
    var client: ClientID?
    var name: String
    /// The name folded for uniqueness checks ("Mina" and "mina" collide).
    var nameKey: String
    var role: Role
    var registrationID: String?
    var appearance: UInt8
    var emote: UInt8 = 0
    var emoteUntil: UInt32 = 0
    var status = ""
    var spotlight = false
    var resumeToken: String

    var position: Position
    var velocity = Velocity.zero
    var intent = Intent.idle
    var lastSequence: UInt32 = 0
    var cell: Int
    /// Tick at which an away avatar leaves.
    var awayUntil: UInt32?
    /// Bumped whenever anything in the info block changes.
    var infoVersion: UInt32 = 0

    enum Intent: Equatable {
        case idle
        case direction(dx: Int32, dy: Int32)
        /// Waypoints, last is the destination.
        case path([Position], next: Int)
    }

    var info: StateDelta.Info {
        StateDelta.Info(role: role, spotlight: spotlight, away: client == nil, appearance: appearance,
                        emote: emote, name: name, status: status)
    }

    var hasStageVoice: Bool { role.hasStageVoice || spotlight }
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
    var known: [UInt32: KnownAvatar] = [:]
    /// Avatars whose state may differ from what the client knows, with their slot.
    var dirty: [(slot: Int, id: UInt32)] = []
    var dirtyIDs: Set<UInt32> = []
    var needsSnapshot = true
    var lastAckSent: UInt32 = 0

    init(client: ClientID) {
        self.client = client
    }

    func markDirty(slot: Int, id: UInt32) {
        if dirtyIDs.insert(id).inserted { dirty.append((slot, id)) }
    }
}
