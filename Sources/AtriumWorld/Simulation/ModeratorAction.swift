/// What a moderator can do to a room. The room checks the role; only moderators act.
public enum ModeratorAction: Sendable, Equatable {
    case announce(String)
    case spotlight(avatarID: UInt32, on: Bool)
    case mute(avatarID: UInt32, on: Bool)
    case kick(avatarID: UInt32, reason: String?)
    case ban(avatarID: UInt32, reason: String?)
    case teleport(avatarID: UInt32, Position)
    case lock(Bool)
    case roster
    /// Starts (`on`: lifts a stop, and spotlights an avatar without stage voice) or stops
    /// one avatar's stage broadcast.
    case onAir(avatarID: UInt32, on: Bool)
    /// Takes one avatar's hand out of the queue for questions.
    case lowerHand(avatarID: UInt32)

    /// The name used in acknowledgements and the audit log.
    public var name: String {
        switch self {
        case .announce: return "announce"
        case .spotlight: return "spotlight"
        case .mute: return "mute"
        case .kick: return "kick"
        case .ban: return "ban"
        case .teleport: return "teleport"
        case .lock: return "lock"
        case .roster: return "roster"
        case .onAir: return "stage_air"
        case .lowerHand: return "stage_dismiss"
        }
    }
}

/// One line of the moderators' roster.
public struct RosterEntry: Sendable, Equatable {
    public var id: UInt32
    public var name: String
    public var role: Role
    public var registrationID: String?
    public var away: Bool
    public var muted: Bool
    public var spotlight: Bool
}
