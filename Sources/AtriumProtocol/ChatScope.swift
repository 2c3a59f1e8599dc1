/// Who hears a chat message.
public enum ChatScope: String, Codable, Sendable, CaseIterable {
    /// Avatars within the map's `chatRadius` tiles of the sender.
    case nearby
    /// Everyone in the same `area` zone as the sender, nobody outside it.
    case area
    /// The whole room, from a speaker with stage voice standing in a `stage` zone.
    case stage
    /// The whole room; moderators only.
    case room
    /// One avatar, by id.
    case dm
}
