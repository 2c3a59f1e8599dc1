import AtriumWorld

/// Where chat messages are kept for moderation. A message is delivered and
/// acknowledged only after `record` succeeds, so what a sender saw acknowledged is kept.
public protocol ChatLog: Sendable {
    /// Stores one message and calls `completion` once, on any queue.
    func record(_ entry: ChatLogEntry, completion: @escaping @Sendable (Result<Void, StoreFailure>) -> Void)
}

public struct ChatLogEntry: Sendable, Equatable {
    public var room: String
    public var messageID: UInt64
    public var senderID: UInt32
    public var senderName: String
    public var registrationID: String?
    public var scope: String
    public var text: String
    public var recipientCount: Int
    /// Milliseconds since the Unix epoch.
    public var time: Int64

    public init(room: String, messageID: UInt64, senderID: UInt32, senderName: String, registrationID: String?,
                scope: String, text: String, recipientCount: Int, time: Int64) {
        self.room = room
        self.messageID = messageID
        self.senderID = senderID
        self.senderName = senderName
        self.registrationID = registrationID
        self.scope = scope
        self.text = text
        self.recipientCount = recipientCount
        self.time = time
    }
}

/// A write that could not be committed; reported to the client as `store_unavailable`.
public struct StoreFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Keeps chat in memory only; for tests and for running without a data directory.
public final class InMemoryChatLog: ChatLog {
    private let entries = LockedArray<ChatLogEntry>()

    public init() {}

    public func record(_ entry: ChatLogEntry, completion: @escaping @Sendable (Result<Void, StoreFailure>) -> Void) {
        entries.append(entry)
        completion(.success(()))
    }

    public var all: [ChatLogEntry] { entries.all }
}
