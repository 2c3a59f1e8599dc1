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

/// A registered participant: who may enter registered rooms and with which role.
public struct Registration: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var email: String?
    public var role: String
    public var createdAt: Int64
    public var revokedAt: Int64?

    public init(id: String, name: String, email: String?, role: String, createdAt: Int64, revokedAt: Int64? = nil) {
        self.id = id
        self.name = name
        self.email = email
        self.role = role
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// A ban for the event: by registration, or for a guest by address.
public struct BanRecord: Sendable, Equatable, Codable {
    public var room: String
    public var registrationID: String?
    public var address: String?
    public var name: String
    public var reason: String?
    public var moderator: String
    public var time: Int64

    public init(room: String, registrationID: String?, address: String?, name: String, reason: String?, moderator: String, time: Int64) {
        self.room = room
        self.registrationID = registrationID
        self.address = address
        self.name = name
        self.reason = reason
        self.moderator = moderator
        self.time = time
    }
}

/// One moderator action, kept so organizers can see who did what.
public struct AuditRecord: Sendable, Equatable, Codable {
    public var room: String
    public var moderator: String
    public var moderatorName: String
    public var action: String
    public var target: String?
    public var detail: String?
    public var time: Int64

    public init(room: String, moderator: String, moderatorName: String, action: String, target: String?, detail: String?, time: Int64) {
        self.room = room
        self.moderator = moderator
        self.moderatorName = moderatorName
        self.action = action
        self.target = target
        self.detail = detail
        self.time = time
    }
}

/// How one player answered one quiz question.
public struct QuizAnswerRecord: Sendable, Equatable, Codable {
    public var room: String
    public var quiz: String
    public var title: String
    public var mode: String
    public var questionIndex: Int
    public var question: String
    public var answer: String
    public var playerID: UInt32
    public var playerName: String
    public var person: String
    /// "O", "X" or "none".
    public var chose: String
    public var correct: Bool
    public var score: Int
    public var time: Int64

    public init(room: String, quiz: String, title: String, mode: String, questionIndex: Int, question: String, answer: String,
                playerID: UInt32, playerName: String, person: String, chose: String, correct: Bool, score: Int, time: Int64) {
        self.room = room
        self.quiz = quiz
        self.title = title
        self.mode = mode
        self.questionIndex = questionIndex
        self.question = question
        self.answer = answer
        self.playerID = playerID
        self.playerName = playerName
        self.person = person
        self.chose = chose
        self.correct = correct
        self.score = score
        self.time = time
    }
}

/// A quiz's final ranking, one row per player.
public struct QuizRankingRecord: Sendable, Equatable, Codable {
    public var room: String
    public var quiz: String
    public var title: String
    public var mode: String
    public var rank: Int
    public var playerName: String
    public var person: String
    public var score: Int
    public var time: Int64

    public init(room: String, quiz: String, title: String, mode: String, rank: Int, playerName: String, person: String,
                score: Int, time: Int64) {
        self.room = room
        self.quiz = quiz
        self.title = title
        self.mode = mode
        self.rank = rank
        self.playerName = playerName
        self.person = person
        self.score = score
        self.time = time
    }
}

/// What the store says about someone who wants in.
public struct Admission: Sendable, Equatable {
    /// nil when no registration was asked for or it does not exist.
    public var registration: Registration?
    public var banned: Bool

    public init(registration: Registration?, banned: Bool) {
        self.registration = registration
        self.banned = banned
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
    /// Adds registrations, all or none.
    case register([Registration])
    /// Revokes the registration with this id or e-mail address; the result says how many.
    case revoke(idOrEmail: String, time: Int64)
    case ban(BanRecord)
    case audit(AuditRecord)
    case quizAnswers([QuizAnswerRecord])
    case quizRanking([QuizRankingRecord])
}

public enum StorageWriteResult: Sendable, Equatable {
    case done
    case reaction(changed: Bool)
    case note(id: Int64)
    case hidden(found: Bool)
    case revoked(count: Int)
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
