/// One JSON message of the wire: its `type` name, its fields and their coding, declared
/// together in one struct. `ServerMessage` and `ClientMessage` say which way it travels;
/// ``ServerMessages/all`` and ``ClientMessages/all`` list them for decoding by `type`.
///
/// Why structs behind a protocol rather than one enum with a case per message: with an
/// enum, every new message is a case, a line in an encoding switch and a line in a
/// decoding switch, all in one shared file that every feature edits. Here a message is
/// one declaration in its feature's file plus one line in the registry list, and the
/// coding comes from `Codable` and `type` alone. Receivers match with casts
/// (`case let chat as ServerMessages.Chat`), and the server's session checks in a test
/// that every registered client message has a rule, which is what an exhaustive switch
/// would have checked.
///
/// How to add a message (see also Protocol/README.md, "Adding a message"):
/// 1. Declare a struct in the feature's file (`ServerMessages+Feature.swift` or
///    `ClientMessages+Feature.swift`) in the namespace of its direction, conforming to
///    `ServerMessage` or `ClientMessage` (or `ServerReply` / `ClientRequest` when it
///    carries a `ref`), with `public static let type = "snake_case_name"`.
/// 2. Add `TheMessage.self` to the direction's `all` list.
/// 3. Document it in Protocol/README.md; the server's routing test then asks for its rule.
public protocol WireMessage: Codable, Sendable, Equatable {
    /// The `type` field that names this message on the wire.
    static var type: String { get }
}

/// A JSON message the server sends to clients.
public protocol ServerMessage: WireMessage {}

/// A JSON message a client sends to the server.
public protocol ClientMessage: WireMessage {}

/// A client message that may carry a `ref`, which the answer or the error echoes.
public protocol ClientRequest: ClientMessage {
    var ref: String? { get set }
}

/// A server message that may answer a request: its `ref` is the request's.
public protocol ServerReply: ServerMessage {
    var ref: String? { get }
}

extension WireMessage {
    /// The message's `type` name.
    public var type: String { Self.type }

    /// `{"type":…, fields…}`, keys sorted, so equal messages give equal bytes.
    public func encoded() -> [UInt8] {
        JSONMessage.encode(Self.type, self)
    }

    /// Whether `other` is this very message: the same type with the same fields. For
    /// comparing messages held as `any ServerMessage` or `any ClientMessage`.
    public func isEqual(to other: (any WireMessage)?) -> Bool {
        (other as? Self) == self
    }
}
