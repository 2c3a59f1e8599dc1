/// One object of a map's `zones` layer, turned into whole tiles.
///
/// A tile belongs to a zone when the tile's centre lies inside the object's rectangle.
/// The same rule decides the quiz: an avatar counts as standing in the O field when the
/// tile under its position belongs to a `quiz-o` zone.
public struct Zone: Sendable, Equatable {
    /// Tiled's object id, unique within the map.
    public var objectID: Int
    public var kind: ZoneKind
    public var name: String
    public var rect: TileRect
    public var properties: [String: PropertyValue]

    public init(objectID: Int, kind: ZoneKind, name: String = "", rect: TileRect, properties: [String: PropertyValue] = [:]) {
        self.objectID = objectID
        self.kind = kind
        self.name = name
        self.rect = rect
        self.properties = properties
    }

    /// How the object is named in error messages: its name or id and its tile position.
    public var label: String {
        let title = name.isEmpty ? "object \(objectID)" : "\"\(name)\" (object \(objectID))"
        return "\(kind.rawValue) \(title) at tile (\(rect.x), \(rect.y))"
    }
}
