/// A chat message kept for moderation.
public struct ChatRecord: Sendable, Equatable, Codable {
    public var room: String
    public var messageID: UInt64
    public var senderID: UInt32
    public var senderName: String
    public var registrationID: String?
    public var scope: String
    public var text: String
    public var recipients: Int
    /// Milliseconds since the Unix epoch.
    public var time: Int64

    public init(room: String, messageID: UInt64, senderID: UInt32, senderName: String, registrationID: String?,
                scope: String, text: String, recipients: Int, time: Int64) {
        self.room = room
        self.messageID = messageID
        self.senderID = senderID
        self.senderName = senderName
        self.registrationID = registrationID
        self.scope = scope
        self.text = text
        self.recipients = recipients
        self.time = time
    }
}

/// A note as stored on a board exhibit.
public struct NoteRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var room: String
    public var exhibit: String
    public var authorID: UInt32
    public var authorName: String
    public var person: String
    public var text: String
    public var time: Int64
    public var hidden: Bool

    public init(id: Int64, room: String, exhibit: String, authorID: UInt32, authorName: String, person: String,
                text: String, time: Int64, hidden: Bool = false) {
        self.id = id
        self.room = room
        self.exhibit = exhibit
        self.authorID = authorID
        self.authorName = authorName
        self.person = person
        self.text = text
        self.time = time
        self.hidden = hidden
    }
}

/// A reaction as stored: one row per person, exhibit and kind.
public struct ReactionRecord: Sendable, Equatable, Codable {
    public var room: String
    public var exhibit: String
    public var person: String
    public var kind: String
    public var time: Int64

    public init(room: String, exhibit: String, person: String, kind: String, time: Int64) {
        self.room = room
        self.exhibit = exhibit
        self.person = person
        self.kind = kind
        self.time = time
    }
}

/// A durable write. Each completes only after its transaction committed.
public enum StorageWrite: Sendable, Equatable {
    case chat(ChatRecord)
    /// Adds (`on`) or removes a reaction; the result says whether anything changed.
    case reaction(ReactionRecord, on: Bool)
    /// Stores a note; the result carries its id. The record's id is ignored.
    case note(NoteRecord)
    case hideNote(room: String, exhibit: String, noteID: Int64, moderator: String, time: Int64)
    /// Deletes chat older than the given time (the retention setting).
    case pruneChat(before: Int64)
}

public enum StorageWriteResult: Sendable, Equatable {
    case done
    case reaction(changed: Bool)
    case note(id: Int64)
    case hidden(found: Bool)
}

/// What a room needs from the store when it starts.
public struct StoredExhibits: Sendable, Equatable {
    /// Exhibit → kind → people.
    public var reactions: [String: [String: Set<String>]]
    /// Exhibit → newest visible notes first.
    public var recentNotes: [String: [NoteRecord]]

    public init(reactions: [String: [String: Set<String>]] = [:], recentNotes: [String: [NoteRecord]] = [:]) {
        self.reactions = reactions
        self.recentNotes = recentNotes
    }
}
