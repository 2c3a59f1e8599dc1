/// A loaded map: walls, zones and settings, with per-tile lookups for what the tick
/// asks most often (is this tile blocked, which area or quiz field is it in).
public struct WorldMap: Sendable {
    /// The map's id: its file name without `.tmj`.
    public let id: String
    public let properties: MapProperties
    public let width: Int
    public let height: Int
    /// Pixel size of a tile, for renderers.
    public let tileWidth: Int
    public let tileHeight: Int
    public let zones: [Zone]
    public let exhibits: [ExhibitDefinition]
    public let portals: [PortalDefinition]
    /// Problems noticed while loading that do not stop the map from loading, e.g. an
    /// object of an unknown class; ``MapChecker`` reports them with its own findings.
    public let loadIssues: [MapIssue]

    private let blocked: [Bool]
    /// Index into `zones` of the area covering each tile, or -1.
    private let areaByTile: [Int32]
    private let stageTiles: [Bool]
    /// 0 outside the quiz, 1 on an O tile, 2 on an X tile.
    private let quizByTile: [UInt8]
    /// Index into `portals` of the portal covering each tile, or -1.
    private let portalByTile: [Int32]
    /// Index into `portals` of each portal's destination, or -1 (none, or an unknown id).
    private let portalDestinations: [Int]

    public init(id: String, properties: MapProperties, width: Int, height: Int, tileWidth: Int = 32, tileHeight: Int = 32,
                blocked: [Bool], zones: [Zone], exhibits: [ExhibitDefinition] = [], portals: [PortalDefinition] = [],
                loadIssues: [MapIssue] = []) {
        precondition(blocked.count == width * height, "one blocked flag per tile")
        self.id = id
        self.properties = properties
        self.width = width
        self.height = height
        self.tileWidth = tileWidth
        self.tileHeight = tileHeight
        self.blocked = blocked
        self.zones = zones
        self.exhibits = exhibits
        self.portals = portals
        self.loadIssues = loadIssues
        var areas = [Int32](repeating: -1, count: width * height)
        var stages = [Bool](repeating: false, count: width * height)
        var quiz = [UInt8](repeating: 0, count: width * height)
        for (index, zone) in zones.enumerated() {
            for tile in zone.rect.tiles where tile.x >= 0 && tile.y >= 0 && tile.x < width && tile.y < height {
                let cell = tile.y * width + tile.x
                switch zone.kind {
                case .area where areas[cell] < 0: areas[cell] = Int32(index)
                case .stage: stages[cell] = true
                case .quizO where quiz[cell] == 0: quiz[cell] = 1
                case .quizX where quiz[cell] == 0: quiz[cell] = 2
                default: break
                }
            }
        }
        areaByTile = areas
        stageTiles = stages
        quizByTile = quiz
        var portalTiles = [Int32](repeating: -1, count: width * height)
        for (index, portal) in portals.enumerated() {
            for tile in portal.zone.rect.tiles where tile.x >= 0 && tile.y >= 0 && tile.x < width && tile.y < height {
                let cell = tile.y * width + tile.x
                if portalTiles[cell] < 0 { portalTiles[cell] = Int32(index) }
            }
        }
        portalByTile = portalTiles
        let portalIndex = Dictionary(portals.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        portalDestinations = portals.map { portal in portal.destinationID.flatMap { portalIndex[$0] } ?? -1 }
    }

    /// Tiles outside the map count as blocked.
    @inline(__always)
    public func isBlocked(tileX: Int, tileY: Int) -> Bool {
        guard tileX >= 0, tileY >= 0, tileX < width, tileY < height else { return true }
        return blocked[tileY * width + tileX]
    }

    /// The area zone covering a tile.
    public func area(tileX: Int, tileY: Int) -> Zone? {
        guard let index = areaIndex(tileX: tileX, tileY: tileY) else { return nil }
        return zones[index]
    }

    /// The index in `zones` of the area covering a tile; cheap enough for the tick.
    @inline(__always)
    public func areaIndex(tileX: Int, tileY: Int) -> Int? {
        guard tileX >= 0, tileY >= 0, tileX < width, tileY < height else { return nil }
        let index = areaByTile[tileY * width + tileX]
        return index >= 0 ? Int(index) : nil
    }

    public func isStage(tileX: Int, tileY: Int) -> Bool {
        guard tileX >= 0, tileY >= 0, tileX < width, tileY < height else { return false }
        return stageTiles[tileY * width + tileX]
    }

    public enum QuizSide: Sendable, Equatable {
        case o
        case x
    }

    public func quizSide(tileX: Int, tileY: Int) -> QuizSide? {
        guard tileX >= 0, tileY >= 0, tileX < width, tileY < height else { return nil }
        switch quizByTile[tileY * width + tileX] {
        case 1: return .o
        case 2: return .x
        default: return nil
        }
    }

    /// The index in `portals` of the portal covering a tile; cheap enough for the tick.
    @inline(__always)
    public func portalIndex(tileX: Int, tileY: Int) -> Int? {
        guard tileX >= 0, tileY >= 0, tileX < width, tileY < height else { return nil }
        let index = portalByTile[tileY * width + tileX]
        return index >= 0 ? Int(index) : nil
    }

    /// The index in `portals` of the portal that portal `index` leads to, if it leads to one.
    public func portalDestination(of index: Int) -> Int? {
        let destination = portalDestinations[index]
        return destination >= 0 ? destination : nil
    }

    /// Where an avatar taken to portal `index` lands first: the walkable tile of the
    /// portal nearest its centre (the upper left of the middle when it has two), or nil
    /// when none of its tiles is walkable.
    public func portalLanding(_ index: Int) -> (x: Int, y: Int)? {
        let rect = portals[index].zone.rect
        // Twice the centre, so that the comparison stays in whole numbers.
        let centreX = 2 * rect.x + rect.width - 1
        let centreY = 2 * rect.y + rect.height - 1
        return rect.tiles.filter { !isBlocked(tileX: $0.x, tileY: $0.y) }
            .min { a, b in
                let da = abs(2 * a.x - centreX) + abs(2 * a.y - centreY)
                let db = abs(2 * b.x - centreX) + abs(2 * b.y - centreY)
                return (da, a.y, a.x) < (db, b.y, b.x)
            }
    }

    public func zones(_ kind: ZoneKind) -> [Zone] {
        zones.filter { $0.kind == kind }
    }

    /// Walkable tiles of the spawn zones, in row order; new avatars appear on one of them.
    public var spawnTiles: [(x: Int, y: Int)] {
        zones(.spawn).flatMap { $0.rect.tiles }.filter { !isBlocked(tileX: $0.x, tileY: $0.y) }
    }
}
