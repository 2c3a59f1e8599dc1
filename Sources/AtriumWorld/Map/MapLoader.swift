import FoundationEssentials

/// Turns Tiled JSON into a ``WorldMap``. Pure: file access for external tilesets is
/// passed in, so the loader runs the same in tests, the checker and the server.
public enum MapLoader {
    public struct Limits: Sendable {
        /// Largest map file accepted.
        public var maxBytes: Int
        /// Largest side in tiles; 1023 keeps positions within the wire's u16 at 1/64 tile.
        public var maxTiles: Int
        public var maxObjects: Int

        public init(maxBytes: Int = 16 << 20, maxTiles: Int = 1023, maxObjects: Int = 10_000) {
            self.maxBytes = maxBytes
            self.maxTiles = maxTiles
            self.maxObjects = maxObjects
        }
    }

    /// Loads a map.
    /// - Parameters:
    ///   - file: the file name, used as the map id (without `.tmj`) and in messages.
    ///   - readTileset: reads an external tileset (`.tsj`) by the path the map gives.
    public static func load(
        _ bytes: [UInt8], file: String, limits: Limits = .init(),
        readTileset: (String) throws -> [UInt8] = { _ in throw MapError.malformedJSON(file: "", detail: "no tileset reader") }
    ) throws(MapError) -> WorldMap {
        guard bytes.count <= limits.maxBytes else { throw .tooLarge(file: file, bytes: bytes.count, limit: limits.maxBytes) }
        let document: TiledDocument
        do {
            document = try JSONDecoder().decode(TiledDocument.self, from: Data(bytes))
        } catch {
            throw .malformedJSON(file: file, detail: describe(error))
        }
        if let orientation = document.orientation, orientation != "orthogonal" {
            throw .unsupportedOrientation(file: file, orientation)
        }
        if document.infinite == true { throw .infiniteMap(file: file) }
        guard (1...limits.maxTiles).contains(document.width), (1...limits.maxTiles).contains(document.height) else {
            throw .invalidSize(file: file, width: document.width, height: document.height, limit: limits.maxTiles)
        }
        guard document.tilewidth > 0, document.tileheight > 0 else { throw .invalidTileSize(file: file) }

        let collidingTiles = try collidingGlobalIDs(document.tilesets ?? [], file: file, readTileset: readTileset)
        let width = document.width
        let height = document.height
        var blocked = [Bool](repeating: false, count: width * height)
        var issues: [MapIssue] = []
        var zoneObjects: [TiledObject] = []
        var objectCount = 0

        func visit(_ layers: [TiledLayer]) throws(MapError) {
            for layer in layers {
                switch layer.type {
                case "tilelayer":
                    let gids = try tileData(layer, width: width, height: height, file: file)
                    let isCollisionLayer = layer.name == "collisions"
                    for (index, raw) in gids.enumerated() {
                        // The top four bits are Tiled's flip and rotation flags.
                        let gid = raw & 0x0FFF_FFFF
                        guard gid != 0 else { continue }
                        if isCollisionLayer || collidingTiles.contains(gid) { blocked[index] = true }
                    }
                case "objectgroup":
                    let objects = layer.objects ?? []
                    objectCount += objects.count
                    guard objectCount <= limits.maxObjects else { throw .tooManyObjects(file: file, limit: limits.maxObjects) }
                    if layer.name == "zones" {
                        zoneObjects.append(contentsOf: objects)
                    } else {
                        issues.append(MapIssue("unknown object layer \"\(layer.name)\": zones belong in a layer named \"zones\""))
                    }
                case "group":
                    try visit(layer.layers ?? [])
                case "imagelayer":
                    break
                default:
                    issues.append(MapIssue("unknown layer type \"\(layer.type)\" of layer \"\(layer.name)\""))
                }
            }
        }
        try visit(document.layers)

        var zones: [Zone] = []
        for object in zoneObjects {
            let rect = clip(tileRect(object, tileWidth: document.tilewidth, tileHeight: document.tileheight),
                            width: width, height: height)
            guard let kind = ZoneKind(rawValue: object.kind) else {
                let shown = object.kind.isEmpty ? "no class" : "unknown class \"\(object.kind)\""
                issues.append(MapIssue("zone object \(object.id) at tile (\(rect.x), \(rect.y)) has \(shown); "
                    + "expected one of \(ZoneKind.allCases.map(\.rawValue).joined(separator: ", "))", objectID: object.id))
                continue
            }
            let zone = Zone(objectID: object.id, kind: kind, name: object.name ?? "", rect: rect,
                            properties: (object.properties ?? []).dictionary)
            if rect.isEmpty {
                issues.append(MapIssue("\(zone.label) covers no tile centre; draw it over at least one whole tile", objectID: object.id))
            }
            zones.append(zone)
        }

        let exhibits = zones.filter { $0.kind == .exhibit }.compactMap { zone -> ExhibitDefinition? in
            exhibit(from: zone, issues: &issues)
        }
        let portals = zones.filter { $0.kind == .portal }.compactMap { zone -> PortalDefinition? in
            portal(from: zone, issues: &issues)
        }
        let properties = mapProperties((document.properties ?? []).dictionary, id: mapID(file), issues: &issues)
        return WorldMap(id: mapID(file), properties: properties, width: width, height: height,
                        tileWidth: document.tilewidth, tileHeight: document.tileheight,
                        blocked: blocked, zones: zones, exhibits: exhibits, portals: portals, loadIssues: issues)
    }

    static func mapID(_ file: String) -> String {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        return name.hasSuffix(".tmj") ? String(name.dropLast(4)) : name
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context): return "wrong type at \(path(context))"
        case DecodingError.valueNotFound(_, let context): return "missing value at \(path(context))"
        case DecodingError.dataCorrupted(let context): return context.codingPath.isEmpty ? "not JSON" : "bad value at \(path(context))"
        default: return "unreadable"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    private static func tileData(_ layer: TiledLayer, width: Int, height: Int, file: String) throws(MapError) -> [UInt32] {
        guard let data = layer.data else { throw .layerDataMissing(file: file, layer: layer.name) }
        if let compression = layer.compression, !compression.isEmpty {
            throw .layerDataCompressed(file: file, layer: layer.name, compression: compression)
        }
        let gids: [UInt32]
        switch data {
        case .array(let array):
            gids = array
        case .base64(let text):
            guard let decoded = Data(base64Encoded: text), decoded.count % 4 == 0 else {
                throw .layerDataMalformed(file: file, layer: layer.name)
            }
            let bytes = [UInt8](decoded)
            gids = stride(from: 0, to: bytes.count, by: 4).map { offset -> UInt32 in
                let low = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
                let high = UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
                return low | high
            }
        }
        guard gids.count == width * height else { throw .layerSizeMismatch(file: file, layer: layer.name) }
        return gids
    }

    /// Global tile ids whose tileset tile has `collides = true`.
    private static func collidingGlobalIDs(
        _ tilesets: [TiledTileset], file: String, readTileset: (String) throws -> [UInt8]
    ) throws(MapError) -> Set<UInt32> {
        var result: Set<UInt32> = []
        for tileset in tilesets {
            var tiles = tileset.tiles ?? []
            if let source = tileset.source {
                let bytes: [UInt8]
                do {
                    bytes = try readTileset(source)
                } catch {
                    throw .tilesetUnreadable(file: file, source: source, detail: "\(error)")
                }
                do {
                    tiles = try JSONDecoder().decode(TiledExternalTileset.self, from: Data(bytes)).tiles ?? []
                } catch {
                    throw .tilesetUnreadable(file: file, source: source, detail: describe(error))
                }
            }
            for tile in tiles where (tile.properties ?? []).dictionary["collides"]?.boolValue == true {
                // An id outside UInt32 names no tile that layer data could hold.
                let (gid, overflow) = tileset.firstgid.addingReportingOverflow(tile.id)
                if !overflow, let gid = UInt32(exactly: gid) { result.insert(gid) }
            }
        }
        return result
    }

    /// The tiles whose centres lie inside the object's rectangle (see ``Zone``).
    static func tileRect(_ object: TiledObject, tileWidth: Int, tileHeight: Int) -> TileRect {
        let width = object.width ?? 0
        let height = object.height ?? 0
        let tw = Double(tileWidth)
        let th = Double(tileHeight)
        // First tile whose centre is at or right of the left edge, last one left of the right edge.
        let firstColumn = tileIndex((object.x / tw - 0.5).rounded(.up))
        let endColumn = tileIndex(((object.x + width) / tw - 0.5).rounded(.up))
        let firstRow = tileIndex((object.y / th - 0.5).rounded(.up))
        let endRow = tileIndex(((object.y + height) / th - 0.5).rounded(.up))
        return TileRect(x: firstColumn, y: firstRow, width: max(0, endColumn - firstColumn), height: max(0, endRow - firstRow))
    }

    /// A tile index from a coordinate in tiles, which a map can put anywhere a JSON number
    /// reaches: bounded far beyond any map, so the conversion and the sums over the
    /// rectangle's edges cannot overflow.
    private static func tileIndex(_ tiles: Double) -> Int {
        guard !tiles.isNaN else { return 0 }
        return Int(min(max(tiles, -0x1p40), 0x1p40))
    }

    /// How far outside the map a zone keeps its tiles: one more than the largest exhibit
    /// radius, so that clipping changes no distance a visitor can reach across.
    static let zoneMargin = 33

    /// Clips a zone to ``zoneMargin`` tiles around the map, so that a zone drawn
    /// absurdly large costs the world and the checker no more than the map itself.
    private static func clip(_ rect: TileRect, width: Int, height: Int) -> TileRect {
        func clamp(_ value: Int, _ size: Int) -> Int { min(max(value, -zoneMargin), size + zoneMargin) }
        let x = clamp(rect.x, width)
        let y = clamp(rect.y, height)
        return TileRect(x: x, y: y, width: clamp(rect.x + rect.width, width) - x, height: clamp(rect.y + rect.height, height) - y)
    }

    private static func exhibit(from zone: Zone, issues: inout [MapIssue]) -> ExhibitDefinition? {
        let properties = zone.properties
        guard let id = properties["id"]?.stringValue, !id.isEmpty else {
            issues.append(MapIssue("\(zone.label) has no \"id\" property", objectID: zone.objectID))
            return nil
        }
        guard let kindText = properties["kind"]?.stringValue, let kind = ExhibitDefinition.Kind(rawValue: kindText) else {
            let kinds = ExhibitDefinition.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            issues.append(MapIssue("\(zone.label) needs a \"kind\" property: one of \(kinds)", objectID: zone.objectID))
            return nil
        }
        let title = properties["title"]?.stringValue ?? ""
        if title.isEmpty { issues.append(MapIssue("\(zone.label) has no \"title\" property", objectID: zone.objectID)) }
        let sources = (properties["src"]?.stringValue ?? "").split(separator: ",")
            .map { $0.trimmingWhitespace }.filter { !$0.isEmpty }
        var radius = ExhibitDefinition.defaultRadius
        if let value = properties["radius"] {
            if let parsed = value.intValue, (0...32).contains(parsed) {
                radius = parsed
            } else {
                issues.append(MapIssue("\(zone.label) has radius \"\(value)\"; expected 0…32 tiles", objectID: zone.objectID))
            }
        }
        return ExhibitDefinition(id: id, kind: kind, title: title, description: properties["description"]?.stringValue ?? "",
                                 sources: sources, radius: radius, zone: zone)
    }

    private static func portal(from zone: Zone, issues: inout [MapIssue]) -> PortalDefinition? {
        guard let id = zone.properties["id"]?.stringValue, !id.isEmpty else {
            issues.append(MapIssue("\(zone.label) has no \"id\" property", objectID: zone.objectID))
            return nil
        }
        var destination: String?
        if let value = zone.properties["to"] {
            if let text = value.stringValue, !text.isEmpty {
                destination = text
            } else {
                issues.append(MapIssue("\(zone.label) has \"to\" \"\(value)\"; expected the id of another portal", objectID: zone.objectID))
            }
        }
        return PortalDefinition(id: id, destinationID: destination, zone: zone)
    }

    private static func mapProperties(_ properties: [String: PropertyValue], id: String, issues: inout [MapIssue]) -> MapProperties {
        var result = MapProperties(name: properties["name"]?.stringValue ?? id)
        func integer(_ key: String, _ range: ClosedRange<Int>, into value: inout Int) {
            guard let raw = properties[key] else { return }
            if let parsed = raw.intValue, range.contains(parsed) {
                value = parsed
            } else {
                issues.append(MapIssue("map property \"\(key)\" is \"\(raw)\"; expected \(range.lowerBound)…\(range.upperBound)"))
            }
        }
        integer("capacity", 1...100_000, into: &result.capacity)
        integer("tickRate", MapProperties.tickRates, into: &result.tickRate)
        integer("viewRadius", 1...64, into: &result.viewRadius)
        integer("chatRadius", 1...64, into: &result.chatRadius)
        integer("avRadius", 1...32, into: &result.avRadius)
        if let raw = properties["access"] {
            if let text = raw.stringValue, let access = MapProperties.Access(rawValue: text) {
                result.access = access
            } else {
                issues.append(MapIssue("map property \"access\" is \"\(raw)\"; expected open or registered"))
            }
        }
        if let raw = properties["streamUrl"] {
            if let text = raw.stringValue, text.utf8.count <= MapProperties.maxStreamURLBytes,
               text.hasPrefix("https://") || text.hasPrefix("http://") {
                result.streamURL = text
            } else {
                issues.append(MapIssue("map property \"streamUrl\" must be an http(s) URL of at most \(MapProperties.maxStreamURLBytes) bytes"))
            }
        }
        result.quizPlayers = .defaultFor(result.access)
        if let raw = properties["quizPlayers"] {
            if let text = raw.stringValue, let players = QuizPlayers(rawValue: text) {
                result.quizPlayers = players
            } else {
                issues.append(MapIssue("map property \"quizPlayers\" is \"\(raw)\"; expected everyone or registered"))
            }
        }
        return result
    }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
