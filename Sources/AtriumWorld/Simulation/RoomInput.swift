/// Everything that can change a room, applied at the next tick in arrival order.
/// Values arrive already decoded and validated at the edge (names normalized, sizes
/// bounded); the room enforces what depends on its state.
public enum RoomInput: Sendable, Equatable {
    case join(JoinRequest)
    /// The connection dropped: the avatar stays, away, for the reconnect grace.
    case disconnect(ClientID)
    /// The client said goodbye: the avatar leaves at once.
    case leave(ClientID)
    case move(ClientID, sequence: UInt32, intent: MoveIntent)
    case chat(ClientID, ChatRequest)
    case emote(ClientID, code: UInt8)
    case status(ClientID, text: String)
    case who(ClientID, limit: Int)
    /// Puts an avatar on a spot (a moderator's move tool); ignored for blocked tiles.
    case place(avatarID: UInt32, Position)
    case openExhibit(ClientID, exhibitID: String, ref: String?)
    case closeExhibit(ClientID)
    case react(ClientID, exhibitID: String, kind: ReactionKind, on: Bool, ref: String?)
    case postNote(ClientID, exhibitID: String, text: String, ref: String?)
    case hideNote(ClientID, exhibitID: String, noteID: Int64, ref: String?)
    /// The result of a ``StoreRequest`` the room asked for.
    case stored(StoreTicket, StoreOutcome)
    case moderate(ClientID, ModeratorAction, ref: String?)
    case quiz(ClientID, QuizCommand, ref: String?)
    /// A step of the event-wide quiz from its lead (rooms with ``RoomConfiguration/eventQuiz``).
    case eventQuiz(EventQuizStep)
    /// The client's microphone, camera or speaking state changed.
    case media(ClientID, MediaChange)
    /// A WebRTC signal (offer, answer, candidate) for one peer; `data` is opaque to the
    /// room and already bounded at the edge.
    case signal(ClientID, to: UInt32, data: String)
    case stage(ClientID, StageCommand, ref: String?)
    /// The feeds the stage's media server reports as sending now (feed id = avatar id).
    case stageReported(Set<UInt32>)
}

public struct JoinRequest: Sendable, Equatable {
    public var client: ClientID
    /// Normalized and validated by the caller; the room only makes it unique.
    public var name: String
    public var role: Role
    /// The registration behind a token, when there is one.
    public var registrationID: String?
    /// Who this is for one-per-person rules such as reactions: the registration id, or a
    /// random guest key made at the edge.
    public var person: String
    public var appearance: UInt8
    /// A token from an earlier `welcome`, to take the same avatar back.
    public var resumeToken: String?
    /// The token this avatar gets if it is new; made by the caller from a secure source.
    public var newResumeToken: String
    /// The avatar whose "come find me" link brought this visitor (checked by the caller):
    /// a new avatar starts on the free tile nearest to it while it is connected.
    public var near: UInt32?
    /// When the room does not know `resumeToken`, join afresh (with `newResumeToken`)
    /// instead of refusing: the caller checked a ticket from another node of a cluster.
    public var rejoinsIfUnknown = false

    public init(client: ClientID, name: String, role: Role = .guest, registrationID: String? = nil, person: String? = nil,
                appearance: UInt8 = 0, resumeToken: String? = nil, newResumeToken: String, near: UInt32? = nil) {
        self.client = client
        self.name = name
        self.role = role
        self.registrationID = registrationID
        self.person = person ?? registrationID ?? "guest-\(client.rawValue)"
        self.appearance = appearance
        self.resumeToken = resumeToken
        self.newResumeToken = newResumeToken
        self.near = near
    }
}

public enum MoveIntent: Sendable, Equatable {
    case stop
    /// Each of dx, dy in −1…1.
    case direction(dx: Int, dy: Int)
    /// Walk to a point along a path around walls.
    case target(Position)
}

/// Who hears a chat message; the same names as on the wire.
public enum ChatScope: String, Sendable, CaseIterable {
    case nearby, area, stage, room, dm
}

public struct ChatRequest: Sendable, Equatable {
    public var scope: ChatScope
    public var text: String
    /// The recipient's avatar id, for `dm`.
    public var to: UInt32?
    public var ref: String?

    public init(scope: ChatScope, text: String, to: UInt32? = nil, ref: String? = nil) {
        self.scope = scope
        self.text = text
        self.to = to
        self.ref = ref
    }
}
