/// Why an avatar may not publish on the stage now, checked in this order.
public enum StageRefusal: String, Sendable, Equatable, CaseIterable {
    /// Neither presenter nor moderator, and no moderator's spotlight.
    case noStageVoice = "no_stage_voice"
    /// Not standing on a `stage` tile.
    case offStage = "off_stage"
    /// A moderator muted it.
    case muted
    /// A moderator stopped its broadcast.
    case stopped
    /// Neither microphone nor camera is on (or the connection is away).
    case mediaOff = "media_off"

    public var message: String {
        switch self {
        case .noStageVoice: return "only presenters, moderators and people a moderator spotlights speak from the stage"
        case .offStage: return "step onto the stage first"
        case .muted: return "a moderator muted you"
        case .stopped: return "a moderator stopped your broadcast"
        case .mediaOff: return "turn your microphone or camera on first"
        }
    }
}
