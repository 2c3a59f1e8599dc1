/// An exhibit as placed on the map: an `exhibit` zone with its properties read.
public struct ExhibitDefinition: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case photo, comic, webtoon, video, cardnews, board
    }

    public var id: String
    public var kind: Kind
    public var title: String
    public var description: String
    /// Content files relative to the map's content folder, or absolute http(s) URLs, in
    /// viewing order (the pages of a comic, the cards of a card news set).
    public var sources: [String]
    /// How close, in tiles from the zone's edge, a visitor must stand to open it.
    public var radius: Int
    public var zone: Zone

    public static let defaultRadius = 3

    public init(id: String, kind: Kind, title: String, description: String = "", sources: [String] = [],
                radius: Int = defaultRadius, zone: Zone) {
        self.id = id
        self.kind = kind
        self.title = title
        self.description = description
        self.sources = sources
        self.radius = radius
        self.zone = zone
    }

    /// Whether a source names a web address rather than a file beside the map.
    public static func isURL(_ source: String) -> Bool {
        source.hasPrefix("https://") || source.hasPrefix("http://")
    }
}
