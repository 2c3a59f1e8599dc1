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
