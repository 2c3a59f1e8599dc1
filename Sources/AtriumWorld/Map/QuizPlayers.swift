/// Who plays the OX quiz when a moderator opens it: a room setting (the map property
/// `quizPlayers`), because an event that does not pre-register still runs its quiz.
public enum QuizPlayers: String, Sendable, Equatable, CaseIterable {
    /// Everyone in the room but moderators: guests, participants and presenters.
    case everyone
    /// Only holders of a join token: participants and presenters; guests watch.
    case registered

    /// The default for a room: everyone plays in an open room, where all are guests;
    /// registered people in a registered room.
    public static func defaultFor(_ access: MapProperties.Access) -> QuizPlayers {
        access == .open ? .everyone : .registered
    }

    /// Whether an avatar with `role` plays. Moderators run the quiz and never play.
    public func admits(_ role: Role) -> Bool {
        switch role {
        case .participant, .presenter: return true
        case .guest: return self == .everyone
        case .moderator: return false
        }
    }
}
