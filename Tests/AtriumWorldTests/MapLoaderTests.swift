import Testing
@testable import AtriumWorld

@Suite struct MapLoaderTests {
    @Test func readsSizeWallsZonesAndProperties() throws {
        var builder = TestMap(width: 10, height: 8)
        builder.wall(x: 3, y: 2)
        builder.zone("spawn", x: 1, y: 1, width: 2, height: 2)
        builder.zone("area", "Table 1", x: 5, y: 5, width: 3, height: 2)
        builder.properties = [("name", "Test Hall"), ("capacity", "50"), ("tickRate", "10"), ("access", "registered")]
        let map = try builder.load(file: "Maps/test-hall.tmj")
        #expect(map.id == "test-hall")
        #expect(map.width == 10 && map.height == 8)
        #expect(map.isBlocked(tileX: 3, tileY: 2))
        #expect(!map.isBlocked(tileX: 2, tileY: 2))
        #expect(map.isBlocked(tileX: -1, tileY: 0) && map.isBlocked(tileX: 10, tileY: 0))
        #expect(map.properties == MapProperties(name: "Test Hall", capacity: 50, access: .registered, tickRate: 10))
        #expect(map.area(tileX: 7, tileY: 6)?.name == "Table 1")
        #expect(map.area(tileX: 8, tileY: 6) == nil)
        #expect(map.loadIssues.isEmpty)
    }

    @Test func readsTheVoiceRadiusAndReportsOneOutOfRange() throws {
        var builder = TestMap.open(width: 10, height: 8)
        #expect(try builder.load().properties.avRadius == MapProperties.defaultAVRadius)
        builder.properties = [("avRadius", "6")]
        #expect(try builder.load().properties.avRadius == 6)
        builder.properties = [("avRadius", "33")]
        let map = try builder.load()
        #expect(map.properties.avRadius == MapProperties.defaultAVRadius)
        #expect(map.loadIssues.map(\.message) == [#"map property "avRadius" is "33"; expected 1…32"#])
    }

    @Test func readsTheStreamURLAndReportsOneThatIsNotHTTP() throws {
        var builder = TestMap.open(width: 10, height: 8)
        #expect(try builder.load().properties.streamURL == nil)
        builder.properties = [("streamUrl", "https://live.example.org/stage")]
        #expect(try builder.load().properties.streamURL == "https://live.example.org/stage")
        builder.properties = [("streamUrl", "javascript:alert(1)")]
        let map = try builder.load()
        #expect(map.properties.streamURL == nil)
        #expect(map.loadIssues.map(\.message) == [#"map property "streamUrl" must be an http(s) URL of at most 2048 bytes"#])
    }

    @Test func treatsEveryTileOnACollisionsLayerAsAWall() throws {
        let json = #"""
        {"width":3,"height":1,"tilewidth":16,"tileheight":16,
         "layers":[{"type":"tilelayer","name":"collisions","data":[0,5,0]}]}
        """#
        let map = try MapLoader.load(Array(json.utf8), file: "c.tmj")
        #expect(!map.isBlocked(tileX: 0, tileY: 0) && map.isBlocked(tileX: 1, tileY: 0))
    }

    @Test func readsBase64LayerDataAndIgnoresFlipFlags() throws {
        // gid 2 with the horizontal-flip bit: 0x80000002, little-endian.
        let json = #"""
        {"width":2,"height":1,"tilewidth":32,"tileheight":32,
         "tilesets":[{"firstgid":1,"tiles":[{"id":1,"properties":[{"name":"collides","type":"bool","value":true}]}]}],
         "layers":[{"type":"tilelayer","name":"w","encoding":"base64","data":"AQAAAAIAAIA="}]}
        """#
        let map = try MapLoader.load(Array(json.utf8), file: "b.tmj")
        #expect(!map.isBlocked(tileX: 0, tileY: 0) && map.isBlocked(tileX: 1, tileY: 0))
    }

    /// A tile is in a zone when its centre is inside the rectangle: a rectangle from
    /// pixel 40 to 100 (tiles of 32) covers the tiles centred at 48 and 80.
    @Test func assignsTilesToZonesByTheirCentres() {
        let object = TiledObject(id: 1, x: 40, y: 0, width: 60, height: 16)
        #expect(MapLoader.tileRect(object, tileWidth: 32, tileHeight: 32) == TileRect(x: 1, y: 0, width: 2, height: 0))
        let aligned = TiledObject(id: 2, x: 64, y: 32, width: 64, height: 32)
        #expect(MapLoader.tileRect(aligned, tileWidth: 32, tileHeight: 32) == TileRect(x: 2, y: 1, width: 2, height: 1))
    }

    @Test func readsAnExternalTileset() throws {
        let json = #"""
        {"width":2,"height":1,"tilewidth":32,"tileheight":32,
         "tilesets":[{"firstgid":10,"source":"walls.tsj"}],
         "layers":[{"type":"tilelayer","name":"w","data":[10,13]}]}
        """#
        let tileset = #"{"tiles":[{"id":3,"properties":[{"name":"collides","type":"bool","value":true}]}]}"#
        let map = try MapLoader.load(Array(json.utf8), file: "e.tmj") { source in
            #expect(source == "walls.tsj")
            return Array(tileset.utf8)
        }
        #expect(!map.isBlocked(tileX: 0, tileY: 0) && map.isBlocked(tileX: 1, tileY: 0))
    }

    @Test(arguments: [
        (#"{"width":2"#, "not a valid Tiled JSON map"),
        (#"[1,2,3]"#, "not a valid Tiled JSON map"),
        (#"{"width":2,"height":1,"tilewidth":32,"tileheight":32}"#, "missing \"layers\""),
        (#"{"width":0,"height":1,"tilewidth":32,"tileheight":32,"layers":[]}"#, "outside 1…1023"),
        (#"{"width":2000,"height":1,"tilewidth":32,"tileheight":32,"layers":[]}"#, "outside 1…1023"),
        (#"{"width":2,"height":1,"tilewidth":32,"tileheight":32,"infinite":true,"layers":[]}"#, "infinite maps"),
        (#"{"width":2,"height":1,"tilewidth":32,"tileheight":32,"orientation":"isometric","layers":[]}"#, "orthogonal"),
        (#"{"width":2,"height":1,"tilewidth":32,"tileheight":32,"layers":[{"type":"tilelayer","name":"f","data":[1]}]}"#, "does not match"),
        (#"{"width":2,"height":1,"tilewidth":32,"tileheight":32,"layers":[{"type":"tilelayer","name":"f","encoding":"base64","compression":"zlib","data":"eJw="}]}"#, "zlib-compressed"),
        (#"{"width":2,"height":1,"tilewidth":32,"tileheight":32,"tilesets":[{"firstgid":1,"source":"gone.tsj"}],"layers":[]}"#, "gone.tsj"),
    ])
    func refusesABrokenMapWithAMessage(json: String, fragment: String) {
        do {
            _ = try MapLoader.load(Array(json.utf8), file: "broken.tmj") { _ in throw MapError.malformedJSON(file: "x", detail: "missing") }
            Issue.record("expected a MapError")
        } catch {
            #expect(error.description.contains("broken.tmj"))
            #expect(error.description.contains(fragment), "\(error.description)")
        }
    }

    @Test func refusesAMapOverTheSizeLimit() {
        let bytes = [UInt8](repeating: 0x20, count: 2048)
        #expect(throws: MapError.tooLarge(file: "big.tmj", bytes: 2048, limit: 1024)) {
            _ = try MapLoader.load(bytes, file: "big.tmj", limits: .init(maxBytes: 1024))
        }
    }
}
