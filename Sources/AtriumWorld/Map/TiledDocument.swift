import FoundationEssentials

/// The subset of Tiled's JSON map format (https://doc.mapeditor.org/en/stable/reference/json-map-format/)
/// that Atrium reads. Unknown fields are ignored; known ones are checked by ``MapLoader``.
struct TiledDocument: Decodable {
    var width: Int
    var height: Int
    var tilewidth: Int
    var tileheight: Int
    var orientation: String?
    var infinite: Bool?
    var layers: [TiledLayer]
    var tilesets: [TiledTileset]?
    var properties: [TiledProperty]?
}

struct TiledLayer: Decodable {
    var type: String
    var name: String
    var id: Int?
    var data: TiledLayerData?
    var encoding: String?
    var compression: String?
    var width: Int?
    var height: Int?
    var objects: [TiledObject]?
    var layers: [TiledLayer]?
    var visible: Bool?
    var properties: [TiledProperty]?
}

/// Tile layer data: a JSON array of global tile ids, or a base64 string of them.
enum TiledLayerData: Decodable {
    case array([UInt32])
    case base64(String)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let array = try? container.decode([UInt32].self) {
            self = .array(array)
        } else {
            self = .base64(try container.decode(String.self))
        }
    }
}

struct TiledObject: Decodable {
    var id: Int
    var name: String?
    /// The object's class; Tiled 1.9 wrote it as `class`, other versions as `type`.
    var type: String?
    var `class`: String?
    var x: Double
    var y: Double
    var width: Double?
    var height: Double?
    var point: Bool?
    var properties: [TiledProperty]?

    var kind: String { (type?.isEmpty == false ? type : `class`) ?? "" }
}

struct TiledTileset: Decodable {
    var firstgid: Int
    var source: String?
    var name: String?
    var tilecount: Int?
    var tiles: [TiledTile]?
    var image: String?
}

/// A `.tsj` file: a tileset without the map-specific `firstgid`.
struct TiledExternalTileset: Decodable {
    var tiles: [TiledTile]?
}

struct TiledTile: Decodable {
    var id: Int
    var properties: [TiledProperty]?
}

struct TiledProperty: Decodable {
    var name: String
    var type: String?
    var value: PropertyValue
}

/// A custom property's value as Tiled stores it.
public enum PropertyValue: Decodable, Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public var stringValue: String? {
        switch self {
        case .string(let value): return value
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .bool(let value): return String(value)
        }
    }

    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        // Whole and within Int's range: a map may write any JSON number here.
        case .double(let value): return Int(exactly: value)
        case .string(let value): return Int(value)
        default: return nil
        }
    }

    public var boolValue: Bool? {
        switch self {
        case .bool(let value): return value
        case .string(let value): return value == "true" ? true : value == "false" ? false : nil
        default: return nil
        }
    }

    public var description: String { stringValue ?? "" }
}

extension Array where Element == TiledProperty {
    var dictionary: [String: PropertyValue] {
        var result: [String: PropertyValue] = [:]
        for property in self { result[property.name] = property.value }
        return result
    }
}
