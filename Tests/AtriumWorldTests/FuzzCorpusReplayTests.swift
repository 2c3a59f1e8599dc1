import FoundationEssentials
import Testing
@testable import AtriumWorld

/// Replays the seed corpus of `tools/fuzz`'s `fuzz-map` (Tests/Fuzz/Corpus/fuzz-map)
/// through the same steps the fuzzer takes: `MapLoader.load` with small limits and a
/// tileset reader that hands back the map itself, then `MapChecker.check` on what loads.
/// A map either loads within the limits, its zones kept near the map, or is refused with
/// a `MapError` that names the file.
@Suite struct FuzzCorpusReplayTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus/fuzz-map")
    static let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? []
    static let limits = MapLoader.Limits(maxBytes: 1 << 20, maxTiles: 256, maxObjects: 2000)

    @Test func theCorpusIsThere() {
        #expect(Self.files.count >= 10, "no fuzz-map seeds in \(Self.folder.path)")
        #expect(Self.files.contains("maps-tests-plaza.tmj"))
    }

    @Test(arguments: files)
    func aMapLoadsWithinTheLimitsOrIsRefusedWithAMapError(file: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(file)))
        let map: WorldMap
        do {
            map = try Self.load(bytes)
        } catch {
            #expect(error.description.hasPrefix("fuzz.tmj: "))
            return
        }
        #expect((1...Self.limits.maxTiles).contains(map.width) && (1...Self.limits.maxTiles).contains(map.height))
        for zone in map.zones {
            Self.expectNearTheMap(zone.rect, map)
        }
        _ = MapChecker.check(map, contentExists: { _ in false })
    }

    // MARK: Regressions found by fuzz-map

    /// A coordinate past Int.max trapped converting to a tile index.
    @Test func aZoneBeyondIntMaxIsClippedInsteadOfTrapping() throws {
        let map = try Self.load(#"{"width":6,"height":6,"tilewidth":3,"tileheight":6,"layers":[{"type":"objectgroup","name":"zones","objects":[{"id":1,"x":6,"y":68888888888888888888}]}]}"#)
        let issue = try #require(map.loadIssues.first)
        #expect(issue.objectID == 1 && issue.message.contains("has no class"))
    }

    /// A zone billions of tiles tall made the world list every one of its tiles.
    @Test func aZoneTallerThanAnyMapCostsNoMoreThanTheMap() throws {
        let map = try Self.load(#"{"width":12,"height":8,"tilewidth":32,"tileheight":32,"layers":[{"type":"objectgroup","name":"zones","objects":[{"id":1,"class":"spawn","x":64,"y":96,"width":32,"height":377777777777}]}]}"#)
        let spawn = try #require(map.zones.first)
        #expect(spawn.rect == TileRect(x: 2, y: 3, width: 1, height: 8 + MapLoader.zoneMargin - 3))
        let issues = MapChecker.check(map, contentExists: { _ in false })
        #expect(issues.contains { $0.message.contains("tile(s) inside walls or outside the map") })
    }

    /// A whole number beyond Int in a map property trapped converting to Int.
    @Test func aPropertyBeyondIntIsReportedInsteadOfTrapping() throws {
        let map = try Self.load(#"{"width":5,"height":6,"tilewidth":3,"tileheight":2,"properties":[{"name":"capacity","value":10922330368547580700}],"layers":[]}"#)
        #expect(map.properties.capacity == MapProperties.defaultCapacity)
        #expect(map.loadIssues.contains { $0.message.hasPrefix("map property \"capacity\"") })
    }

    /// A tile id that puts the global id outside UInt32 trapped; no layer can hold it.
    @Test func aTileIDBeyondUInt32MatchesNoTile() throws {
        let map = try Self.load(#"{"width":2,"height":1,"tilewidth":2,"tileheight":3,"layers":[{"type":"tilelayer","name":"w","data":[1,4294967295]}],"tilesets":[{"firstgid":2,"tiles":[{"id":4294967295,"properties":[{"name":"collides","value":true}]}]},{"firstgid":-5,"tiles":[{"id":1,"properties":[{"name":"collides","value":true}]}]}]}"#)
        #expect(!map.isBlocked(tileX: 0, tileY: 0) && !map.isBlocked(tileX: 1, tileY: 0))
    }

    // MARK: The fuzzer's operations

    static func load(_ text: String) throws(MapError) -> WorldMap {
        try load(Array(text.utf8))
    }

    static func load(_ bytes: [UInt8]) throws(MapError) -> WorldMap {
        try MapLoader.load(bytes, file: "fuzz.tmj", limits: limits, readTileset: { _ in bytes })
    }

    /// Zones keep their tiles up to `MapLoader.zoneMargin` outside the map and no further.
    static func expectNearTheMap(_ rect: TileRect, _ map: WorldMap) {
        let margin = MapLoader.zoneMargin
        #expect(rect.x >= -margin && rect.y >= -margin && rect.width >= 0 && rect.height >= 0)
        #expect(rect.x + rect.width <= map.width + margin && rect.y + rect.height <= map.height + margin)
    }
}
