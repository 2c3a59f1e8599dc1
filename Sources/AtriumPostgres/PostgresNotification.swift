/// A `NOTIFY` that arrived on a channel the connection listens on.
public struct PostgresNotification: Sendable, Equatable {
    public var channel: String
    public var payload: String
    /// The process id of the server backend that sent it.
    public var senderPID: Int32

    public init(channel: String, payload: String, senderPID: Int32) {
        self.channel = channel
        self.payload = payload
        self.senderPID = senderPID
    }

    /// Channel names are SQL identifiers that `LISTEN` takes literally, so they are
    /// limited to lower-case letters, digits and underscores (and 63 bytes, PostgreSQL's
    /// identifier length); anything else is refused rather than quoted.
    public static func isValidChannel(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else {
            return false
        }
        return name.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }
}
