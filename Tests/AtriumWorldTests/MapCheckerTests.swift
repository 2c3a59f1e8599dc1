import Testing
@testable import AtriumWorld

@Suite struct MapCheckerTests {
    private func issues(_ builder: TestMap, files: Set<String> = []) throws -> [String] {
        MapChecker.check(try builder.load(), contentExists: { files.contains($0) }).map(\.message)
    }

    private func valid() -> TestMap {
        var map = TestMap(width: 30, height: 20)
        map.zone("spawn", x: 1, y: 1, width: 2, height: 2)
        map.zone("quiz-o", x: 10, y: 2, width: 4, height: 4)
        map.zone("quiz-x", x: 16, y: 2, width: 4, height: 4)
        map.zone("stage", x: 2, y: 10, width: 5, height: 3)
        map.zone("exhibit", "gallery photo", x: 20, y: 10, width: 1, height: 1,
                 [("id", "photo-1"), ("kind", "photo"), ("title", "Photo"), ("src", "photos/one.svg")])
        return map
    }

    @Test func acceptsAConsistentMap() throws {
        #expect(try issues(valid(), files: ["photos/one.svg"]) == [])
    }

    @Test func namesASpawnZoneInsideAWall() throws {
        var map = valid()
        map.wall(x: 2, y: 2)
        let found = try issues(map, files: ["photos/one.svg"])
        #expect(found.count == 1)
        #expect(found[0].contains("spawn object 1 at tile (1, 1)"))
        #expect(found[0].contains("(2, 2)"))
    }

    @Test func findsUnreachableQuizZonesAndExhibits() throws {
        var map = valid()
        // A ring of walls around the X field and the exhibit's corner.
        map.wallColumn(x: 15, from: 0, to: 19)
        let found = try issues(map, files: ["photos/one.svg"])
        #expect(found.contains { $0.contains("quiz-x object 3 at tile (16, 2) cannot be reached") })
        #expect(found.contains { $0.contains("exhibit \"photo-1\" cannot be reached within its radius of 3 tiles") })
    }

    @Test func findsOverlappingQuizZonesAndAreas() throws {
        var map = valid()
        map.zone("quiz-x", x: 12, y: 4, width: 2, height: 2)
        map.zone("area", "A", x: 2, y: 15, width: 3, height: 3)
        map.zone("area", "B", x: 4, y: 16, width: 3, height: 3)
        let found = try issues(map, files: ["photos/one.svg"])
        #expect(found.contains { $0.contains("overlaps quiz-x object 6") })
        #expect(found.contains { $0.contains("area \"A\" (object 7) at tile (2, 15) overlaps area \"B\"") })
    }

    @Test func reportsMissingContentAndUnsafePaths() throws {
        var map = valid()
        map.zone("exhibit", x: 22, y: 10, width: 1, height: 1,
                 [("id", "comic-1"), ("kind", "comic"), ("title", "C"), ("src", "comics/p1.svg, ../secret.txt")])
        let found = try issues(map, files: [])
        #expect(found.contains { $0.contains("content file \"photos/one.svg\" of exhibit \"photo-1\" is missing") })
        #expect(found.contains { $0.contains("content file \"comics/p1.svg\"") })
        #expect(found.contains { $0.contains("\"../secret.txt\" must stay inside") })
    }

    @Test func reportsUnknownZoneClassesLayersAndBadExhibits() throws {
        var map = valid()
        map.zone("teleporter", x: 5, y: 5, width: 1, height: 1)
        map.zone("exhibit", x: 24, y: 10, width: 1, height: 1, [("id", "photo-1"), ("kind", "hologram")])
        map.zone("exhibit", x: 25, y: 10, width: 1, height: 1, [("id", "photo-1"), ("kind", "photo"), ("title", "Again"), ("src", "photos/one.svg")])
        let found = try issues(map, files: ["photos/one.svg"])
        #expect(found.contains { $0.contains("zone object 6 at tile (5, 5) has unknown class \"teleporter\"") })
        #expect(found.contains { $0.contains("needs a \"kind\" property") })
        #expect(found.contains { $0.contains("exhibit id \"photo-1\" is also used by object 5") })
    }

    @Test func requiresASpawnAndBothQuizSides() throws {
        var map = TestMap(width: 10, height: 10)
        map.zone("quiz-o", x: 1, y: 1, width: 2, height: 2)
        let found = try issues(map)
        #expect(found.contains { $0.contains("no spawn zone") })
        #expect(found.contains { $0.contains("no quiz-x zone") })
    }

    @Test func followsPortalsWhenDecidingWhatCanBeReached() throws {
        var map = RoomPortalTests.halves()
        // The east half has no door: only the portals reach its stage.
        map.zone("stage", x: 20, y: 1, width: 4, height: 2)
        #expect(try issues(map) == [])
        map.zones.removeAll { $0.properties.contains { $0 == ("id", "west-pad") } }
        #expect(try issues(map).contains { $0.contains("stage object 3 at tile (20, 1) cannot be reached") })
    }

    @Test func reportsPortalsThatLeadNowhereOrCannotBeUsedAndSignpostsWithoutWords() throws {
        var map = valid()
        map.zone("portal", x: 3, y: 3, width: 1, height: 1, [("id", "a"), ("to", "nowhere")])
        map.zone("portal", x: 4, y: 3, width: 1, height: 1, [("id", "a"), ("to", "a")])
        map.zone("portal", x: 5, y: 3, width: 1, height: 1, [("to", "a")])
        map.zone("portal", x: 6, y: 3, width: 1, height: 1, [("id", "walled")])
        map.wall(x: 6, y: 3)
        map.zone("signpost", x: 7, y: 3, width: 1, height: 1)
        // A portal behind a wall nobody can walk to.
        map.wallColumn(x: 26, from: 0, to: 19)
        map.zone("portal", x: 28, y: 3, width: 1, height: 1, [("id", "sealed"), ("to", "walled")])
        let found = try issues(map, files: ["photos/one.svg"])
        #expect(found.contains { $0.contains("portal \"a\" leads to \"nowhere\", which is no portal's id") })
        #expect(found.contains { $0.contains("portal id \"a\" is also used by object 6") })
        #expect(found.contains { $0.contains("portal \"a\" leads to itself") })
        #expect(found.contains { $0.contains("portal object 8 at tile (5, 3) has no \"id\" property") })
        #expect(found.contains { $0.contains("portal \"walled\" has no walkable tile") })
        #expect(found.contains { $0.contains("signpost object 10 at tile (7, 3) has no name") })
        #expect(found.contains { $0.contains("portal \"sealed\" cannot be reached from any spawn zone") })
    }
}
