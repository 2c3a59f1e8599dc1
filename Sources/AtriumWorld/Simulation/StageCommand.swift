/// What a client asks of the stage for itself.
public enum StageCommand: Sendable, Equatable {
    /// Raises (`true`) or lowers its hand in the queue for questions.
    case hand(up: Bool)
    /// Asks to publish its voice and video to the whole room; granted only while it may
    /// (see ``StageRefusal``).
    case publish
}
