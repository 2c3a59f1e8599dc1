/// Why a map could not be loaded. Each message names the file and, where there is one,
/// the layer, so an organizer can fix it in Tiled.
public enum MapError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooLarge(file: String, bytes: Int, limit: Int)
    case malformedJSON(file: String, detail: String)
    case unsupportedOrientation(file: String, String)
    case infiniteMap(file: String)
    case invalidSize(file: String, width: Int, height: Int, limit: Int)
    case invalidTileSize(file: String)
    case layerDataMissing(file: String, layer: String)
    case layerDataCompressed(file: String, layer: String, compression: String)
    case layerDataMalformed(file: String, layer: String)
    case layerSizeMismatch(file: String, layer: String)
    case tooManyObjects(file: String, limit: Int)
    case tilesetUnreadable(file: String, source: String, detail: String)

    public var description: String {
        switch self {
        case .tooLarge(let file, let bytes, let limit):
            return "\(file): \(bytes) bytes is over the map size limit of \(limit) bytes"
        case .malformedJSON(let file, let detail):
            return "\(file): not a valid Tiled JSON map (\(detail))"
        case .unsupportedOrientation(let file, let orientation):
            return "\(file): orientation \"\(orientation)\" is not supported; use orthogonal"
        case .infiniteMap(let file):
            return "\(file): infinite maps are not supported; uncheck \"Infinite\" in Tiled's map properties"
        case .invalidSize(let file, let width, let height, let limit):
            return "\(file): map size \(width)×\(height) tiles is outside 1…\(limit) per side"
        case .invalidTileSize(let file):
            return "\(file): tile width and height must be positive"
        case .layerDataMissing(let file, let layer):
            return "\(file): tile layer \"\(layer)\" has no data"
        case .layerDataCompressed(let file, let layer, let compression):
            return "\(file): tile layer \"\(layer)\" is \(compression)-compressed; save layer data as CSV or uncompressed Base64"
        case .layerDataMalformed(let file, let layer):
            return "\(file): tile layer \"\(layer)\" has malformed data"
        case .layerSizeMismatch(let file, let layer):
            return "\(file): tile layer \"\(layer)\" does not match the map's size"
        case .tooManyObjects(let file, let limit):
            return "\(file): more than \(limit) objects"
        case .tilesetUnreadable(let file, let source, let detail):
            return "\(file): tileset \"\(source)\" cannot be read (\(detail))"
        }
    }
}
