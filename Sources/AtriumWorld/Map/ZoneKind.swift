/// The classes an object in the `zones` layer may have (its Tiled "class" or "type").
public enum ZoneKind: String, Sendable, CaseIterable {
    /// Where new avatars appear.
    case spawn
    /// A private table or room: `area` chat stays inside, and nearby chat does not cross its edge.
    case area
    /// Speakers with stage voice standing here reach the whole room.
    case stage
    case quizO = "quiz-o"
    case quizX = "quiz-x"
    /// An exhibit: photo, comic, webtoon, video, card news or board.
    case exhibit
    /// A pad that takes whoever steps onto it to another portal (see ``PortalDefinition``).
    case portal
    /// A sign drawn on the map with its name, pointing the way; it changes nothing else.
    case signpost
}
