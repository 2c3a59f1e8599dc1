/// The fixed set of reactions a visitor can leave on an exhibit, one of each kind per
/// person.
public enum ReactionKind: String, Sendable, CaseIterable, Codable {
    case cheer
    case like
    case empathy
}

/// A note on a board exhibit, as stored.
public struct Note: Sendable, Equatable {
    public var id: Int64
    public var exhibitID: String
    public var authorID: UInt32
    public var authorName: String
    public var text: String
    /// Milliseconds since the Unix epoch.
    public var time: Int64

    public init(id: Int64, exhibitID: String, authorID: UInt32, authorName: String, text: String, time: Int64) {
        self.id = id
        self.exhibitID = exhibitID
        self.authorID = authorID
        self.authorName = authorName
        self.text = text
        self.time = time
    }
}

/// What an exhibit shows its visitors right now.
public struct ExhibitLiveState: Sendable, Equatable {
    public var exhibitID: String
    public var viewers: Int
    public var reactions: [ReactionKind: Int]

    public init(exhibitID: String, viewers: Int, reactions: [ReactionKind: Int]) {
        self.exhibitID = exhibitID
        self.viewers = viewers
        self.reactions = reactions
    }
}

/// The answer to opening an exhibit: what it is and its live state.
public struct ExhibitView: Sendable, Equatable {
    public var definition: ExhibitDefinition
    public var state: ExhibitLiveState
    /// The reactions this visitor already left.
    public var mine: [ReactionKind]
    /// The newest notes of a board, newest first.
    public var notes: [Note]
}

/// A durable write the room asks for. The room changes its own state only when the
/// write's result comes back as an input, so what clients see was committed.
public enum StoreRequest: Sendable, Equatable {
    case reaction(exhibitID: String, person: String, kind: ReactionKind, on: Bool)
    case note(exhibitID: String, authorID: UInt32, authorName: String, person: String, text: String)
    case hideNote(exhibitID: String, noteID: Int64, moderator: String)
    /// A ban of an avatar's person; the host adds the address for guests.
    case ban(client: ClientID?, registrationID: String?, name: String, reason: String?, moderator: String)
    case audit(moderator: String, moderatorName: String, action: String, target: String?, detail: String?)
    case quizAnswers(quiz: String, title: String, mode: QuizMode, index: Int, question: String,
                     answer: WorldMap.QuizSide, answers: [QuizAnswer])
    case quizRanking(quiz: String, title: String, mode: QuizMode, ranking: [QuizAnswer])
}

/// One player's line in a quiz record.
public struct QuizAnswer: Sendable, Equatable {
    public var playerID: UInt32
    public var name: String
    public var person: String
    public var chose: WorldMap.QuizSide?
    public var correct: Bool
    public var score: Int
    public var rank: Int
}

/// Who asked for a store request, so its result can be routed back.
public struct StoreTicket: Sendable, Equatable {
    public var client: ClientID
    public var ref: String?

    public init(client: ClientID, ref: String?) {
        self.client = client
        self.ref = ref
    }
}

/// The outcome of a store request, fed back to the room as an input.
public enum StoreOutcome: Sendable, Equatable {
    /// `changed` is false when the reaction was already in the wanted state.
    case reaction(exhibitID: String, person: String, kind: ReactionKind, on: Bool, changed: Bool)
    case note(Note)
    case noteHidden(exhibitID: String, noteID: Int64, found: Bool)
    /// A write whose only answer is "done" (bans, audit lines, quiz records).
    case done(action: String)
    /// The write failed (full disk, unwritable database): nothing changed.
    case failed(String)
}
