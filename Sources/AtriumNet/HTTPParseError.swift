/// Why a request head was refused, each with the status that answers it.
public enum HTTPParseError: Error, Sendable, Equatable {
    case headTooLarge
    case tooManyHeaders
    case malformedRequestLine
    case malformedStatusLine
    case malformedHeader
    case unsupportedVersion
    case bodyNotAllowed
    case invalidContentLength

    public var status: Int {
        switch self {
        case .headTooLarge, .tooManyHeaders: return 431
        case .unsupportedVersion: return 505
        case .bodyNotAllowed: return 413
        default: return 400
        }
    }
}
