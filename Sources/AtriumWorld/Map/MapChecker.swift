/// Finds what would make a map misbehave during an event: zones nobody can reach, spawn
/// points in walls, overlapping quiz fields, exhibits whose files are missing. Run by
/// `atrium-server map check`, at server start, and by the tests on every shipped map.
public enum MapChecker {
    /// - Parameter contentExists: whether a content path (relative to the map's content
    ///   folder) names an existing file.
    public static func check(_ map: WorldMap, contentExists: (String) -> Bool) -> [MapIssue] {
        var issues = map.loadIssues
        let spawns = map.zones(.spawn)
        if spawns.isEmpty { issues.append(MapIssue("the map has no spawn zone; add a \"spawn\" object to the \"zones\" layer")) }
        for zone in spawns {
            let walls = zone.rect.tiles.filter { map.isBlocked(tileX: $0.x, tileY: $0.y) }
            if let wall = walls.first {
                issues.append(MapIssue("\(zone.label) has \(walls.count) tile(s) inside walls or outside the map, first at (\(wall.x), \(wall.y))",
                                       objectID: zone.objectID))
            }
        }

        let reachable = reachableTiles(map)
        func anyReachable(_ rect: TileRect, margin: Int = 0) -> Bool {
            for y in (rect.y - margin)..<(rect.y + rect.height + margin) {
                for x in (rect.x - margin)..<(rect.x + rect.width + margin)
                    where x >= 0 && y >= 0 && x < map.width && y < map.height && reachable[y * map.width + x] {
                    return true
                }
            }
            return false
        }
        if !spawns.isEmpty {
            for zone in map.zones where [.quizO, .quizX, .stage, .area].contains(zone.kind) && !zone.rect.isEmpty {
                if !anyReachable(zone.rect) {
                    issues.append(MapIssue("\(zone.label) cannot be reached from any spawn zone", objectID: zone.objectID))
                }
            }
            for portal in map.portals where portal.destinationID != nil && !anyReachable(portal.zone.rect) {
                issues.append(MapIssue("\(portal.zone.label): portal \"\(portal.id)\" cannot be reached from any spawn zone",
                                       objectID: portal.zone.objectID))
            }
            for exhibit in map.exhibits where !anyReachable(exhibit.zone.rect, margin: exhibit.radius) {
                issues.append(MapIssue("\(exhibit.zone.label): exhibit \"\(exhibit.id)\" cannot be reached within its radius of \(exhibit.radius) tiles",
                                       objectID: exhibit.zone.objectID))
            }
        }

        let oZones = map.zones(.quizO)
        let xZones = map.zones(.quizX)
        if oZones.isEmpty != xZones.isEmpty {
            issues.append(MapIssue("the map has \(oZones.isEmpty ? "no quiz-o" : "no quiz-x") zone; an OX quiz needs both"))
        }
        for o in oZones {
            for x in xZones where o.rect.intersects(x.rect) {
                issues.append(MapIssue("\(o.label) overlaps \(x.label): a tile cannot be both O and X", objectID: o.objectID))
            }
        }
        let areas = map.zones(.area)
        for (index, first) in areas.enumerated() {
            for second in areas[(index + 1)...] where first.rect.intersects(second.rect) {
                issues.append(MapIssue("\(first.label) overlaps \(second.label): a private area must have one edge", objectID: first.objectID))
            }
        }

        issues += portalIssues(map)
        for signpost in map.zones(.signpost) where signpost.name.trimmingWhitespace.isEmpty {
            issues.append(MapIssue("\(signpost.label) has no name: a signpost shows its name on the map", objectID: signpost.objectID))
        }

        var seen: [String: Int] = [:]
        for exhibit in map.exhibits {
            if let earlier = seen[exhibit.id] {
                issues.append(MapIssue("\(exhibit.zone.label): exhibit id \"\(exhibit.id)\" is also used by object \(earlier)",
                                       objectID: exhibit.zone.objectID))
            }
            seen[exhibit.id] = exhibit.zone.objectID
            if exhibit.sources.isEmpty && exhibit.kind != .board {
                issues.append(MapIssue("\(exhibit.zone.label): exhibit \"\(exhibit.id)\" has no \"src\"", objectID: exhibit.zone.objectID))
            }
            for source in exhibit.sources where !ExhibitDefinition.isURL(source) {
                if !ContentPath.isSafe(source) {
                    issues.append(MapIssue("\(exhibit.zone.label): content path \"\(source)\" must stay inside the map's folder",
                                           objectID: exhibit.zone.objectID))
                } else if !contentExists(source) {
                    issues.append(MapIssue("\(exhibit.zone.label): content file \"\(source)\" of exhibit \"\(exhibit.id)\" is missing",
                                           objectID: exhibit.zone.objectID))
                }
            }
        }
        return issues
    }

    /// Ids used twice, destinations that do not exist, and portals with no walkable tile
    /// (nobody can step onto them or land on them).
    private static func portalIssues(_ map: WorldMap) -> [MapIssue] {
        var issues: [MapIssue] = []
        var seen: [String: Int] = [:]
        for portal in map.portals {
            if let earlier = seen[portal.id] {
                issues.append(MapIssue("\(portal.zone.label): portal id \"\(portal.id)\" is also used by object \(earlier)",
                                       objectID: portal.zone.objectID))
            }
            seen[portal.id] = seen[portal.id] ?? portal.zone.objectID
        }
        for (index, portal) in map.portals.enumerated() {
            if map.portalLanding(index) == nil {
                issues.append(MapIssue("\(portal.zone.label): portal \"\(portal.id)\" has no walkable tile", objectID: portal.zone.objectID))
            }
            guard let destination = portal.destinationID else { continue }
            if destination == portal.id {
                issues.append(MapIssue("\(portal.zone.label): portal \"\(portal.id)\" leads to itself", objectID: portal.zone.objectID))
            } else if seen[destination] == nil {
                issues.append(MapIssue("\(portal.zone.label): portal \"\(portal.id)\" leads to \"\(destination)\", which is no portal's id",
                                       objectID: portal.zone.objectID))
            }
        }
        return issues
    }

    /// Walkable tiles connected to a spawn tile by steps between edge-adjacent walkable
    /// tiles, which is how avatars move: the collision rule lets no one squeeze between
    /// two walls that touch only at a corner. A portal reached takes the walk on from
    /// where its destination lands visitors.
    static func reachableTiles(_ map: WorldMap) -> [Bool] {
        var reachable = [Bool](repeating: false, count: map.width * map.height)
        var stack: [Int] = []
        func reach(_ x: Int, _ y: Int) {
            let index = y * map.width + x
            if !reachable[index] {
                reachable[index] = true
                stack.append(index)
            }
        }
        for tile in map.spawnTiles { reach(tile.x, tile.y) }
        while let index = stack.popLast() {
            let x = index % map.width
            let y = index / map.width
            for (nx, ny) in [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)] where !map.isBlocked(tileX: nx, tileY: ny) {
                reach(nx, ny)
            }
            if let portal = map.portalIndex(tileX: x, tileY: y), let destination = map.portalDestination(of: portal),
               let landing = map.portalLanding(destination) {
                reach(landing.x, landing.y)
            }
        }
        return reachable
    }
}

/// Rules for content paths named by a map.
public enum ContentPath {
    /// Relative, no `..` segment, no backslash or NUL: a path that cannot leave the folder.
    public static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0") else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0.isEmpty }
    }
}
