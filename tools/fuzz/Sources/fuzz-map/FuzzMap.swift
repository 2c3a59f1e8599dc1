import AtriumWorld
import FuzzSupport

/// Tiled maps against arbitrary bytes: `MapLoader.load`, with an external-tileset reader
/// that hands back the input itself (so one input is both map and `.tsj`), then
/// `MapChecker.check` on whatever loads. The limits are small so that a hostile map
/// cannot make one run slow by being large, only by being clever.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = inputBytes(data, size)
    let limits = MapLoader.Limits(maxBytes: 1 << 20, maxTiles: 256, maxObjects: 2000)
    guard let map = try? MapLoader.load(bytes, file: "fuzz.tmj", limits: limits, readTileset: { _ in bytes }) else {
        return 0
    }
    require((1...limits.maxTiles).contains(map.width) && (1...limits.maxTiles).contains(map.height),
            "loaded a map of \(map.width)×\(map.height) tiles")
    _ = MapChecker.check(map, contentExists: { _ in false })
    _ = map.spawnTiles
    return 0
}

/// libFuzzer drives the run (see `LibFuzzer.run`).
@main enum FuzzMapMain {
    static func main() {
        LibFuzzer.run { data, size in
            guard let data else { return withUnsafePointer(to: 0 as UInt8) { fuzz($0, 0) } }
            return fuzz(data, size)
        }
    }
}
