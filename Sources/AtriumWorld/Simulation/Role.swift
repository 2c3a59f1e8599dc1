/// What an avatar may do. Guests exist only in rooms whose map says `access: open`.
public enum Role: String, Sendable, CaseIterable, Codable {
    case guest
    case participant
    case presenter
    case moderator

    /// The code carried in state messages.
    public var wireCode: UInt8 {
        switch self {
        case .guest: return 0
        case .participant: return 1
        case .presenter: return 2
        case .moderator: return 3
        }
    }

    /// Presenters and moderators speak from the stage to the whole room; others need a
    /// moderator's spotlight.
    public var hasStageVoice: Bool { self == .presenter || self == .moderator }

    public var isModerator: Bool { self == .moderator }
}
