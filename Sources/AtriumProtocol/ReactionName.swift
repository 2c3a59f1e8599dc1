/// The reactions a visitor can leave on an exhibit.
public enum ReactionName: String, Codable, Sendable, CaseIterable {
    case cheer, like, empathy
}
