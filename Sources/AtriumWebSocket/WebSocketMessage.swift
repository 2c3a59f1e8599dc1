/// A complete data message: reassembled from its fragments, decompressed, and for text
/// validated as UTF-8.
public struct WebSocketMessage: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case text
        case binary
    }

    public var kind: Kind
    public var data: [UInt8]

    public init(kind: Kind, data: [UInt8]) {
        self.kind = kind
        self.data = data
    }

    public static func text(_ string: String) -> WebSocketMessage {
        WebSocketMessage(kind: .text, data: Array(string.utf8))
    }

    public static func binary(_ bytes: [UInt8]) -> WebSocketMessage {
        WebSocketMessage(kind: .binary, data: bytes)
    }

    /// The text of a text message; the bytes were validated when the message arrived.
    public var text: String { String(decoding: data, as: UTF8.self) }
}
