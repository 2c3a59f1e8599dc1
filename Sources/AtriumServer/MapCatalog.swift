import AtriumWorld
import Foundation

/// Loads and checks map files from disk: the I/O around the pure ``MapLoader`` and
/// ``MapChecker``.
public enum MapCatalog {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var problems: [String]

        public var description: String {
            "\(file):\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        }
    }

    /// Loads one map and runs the checker; content paths resolve against the folder
    /// named like the map beside it (`Maps/expo-hall.tmj` → `Maps/expo-hall/`).
    public static func load(file path: String, limits: MapLoader.Limits = .init()) -> Result<WorldMap, Failure> {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size else { return .failure(Failure(file: path, problems: ["cannot read the file"])) }
        guard size <= limits.maxBytes else {
            return .failure(Failure(file: path, problems: ["\(size) bytes is over the map size limit of \(limits.maxBytes) bytes"]))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(Failure(file: path, problems: ["cannot read the file"]))
        }
        let map: WorldMap
        do {
            map = try MapLoader.load([UInt8](data), file: url.lastPathComponent, limits: limits) { source in
                guard ContentPath.isSafe(source) else { throw CocoaError(.fileReadNoPermission) }
                let tilesetPath = directory.appendingPathComponent(source).path
                guard let bytes = FileManager.default.contents(atPath: tilesetPath), bytes.count <= limits.maxBytes else {
                    throw CocoaError(.fileReadNoSuchFile)
                }
                return [UInt8](bytes)
            }
        } catch {
            return .failure(Failure(file: path, problems: [error.description]))
        }
        let contentFolder = directory.appendingPathComponent(map.id)
        let issues = MapChecker.check(map) { relative in
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: contentFolder.appendingPathComponent(relative).path,
                                                        isDirectory: &isDirectory)
            return exists && !isDirectory.boolValue
        }
        guard issues.isEmpty else { return .failure(Failure(file: path, problems: issues.map(\.message))) }
        return .success(map)
    }

    /// The `.tmj` files directly inside a folder, sorted.
    public static func mapFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".tmj") }.sorted().map { directory + "/" + $0 }
    }
}
