/// What a room tells one client, apart from per-tick state.
public enum RoomEvent: Sendable, Equatable {
    case welcome(Welcome)
    /// The join was refused before any avatar existed; the session ends.
    case refused(RoomError)
    case error(RoomError, ref: String?)
    case people(total: Int, [Person])
    /// The avatar was taken over by another connection (a resume) or removed; the
    /// session ends.
    case evicted(RoomError)
    case exhibitOpened(ExhibitView, ref: String?)
    case exhibitClosed(exhibitID: String)
    /// Viewers or reaction counts changed; sent to viewers and those near the exhibit.
    case exhibitState(ExhibitLiveState)
    /// Acknowledges a reaction once stored.
    case reacted(exhibitID: String, kind: ReactionKind, on: Bool, state: ExhibitLiveState, ref: String?)
    /// A new note on a board: to its viewers, and with `ref` to its author as acknowledgement.
    case note(Note, ref: String?)
    case noteHidden(exhibitID: String, noteID: Int64, ref: String?)
    case announcement(text: String, from: String)
    /// A moderator's action took effect.
    case moderated(action: String, ref: String?)
    case roster([RosterEntry], locked: Bool, ref: String?)
    case quiz(QuizEvent, ref: String?)
    /// The avatar's conversation peers changed: the full new set, ascending ids, empty
    /// when it lost every peer. Sent only on a change.
    case conversation(peers: [UInt32])
    /// A WebRTC signal from a peer, relayed as it came.
    case signal(from: UInt32, data: String)
    /// Who is on the stage changed (to everyone), or a newcomer arrived while it is busy.
    case stage(StageView)

    public struct Welcome: Sendable, Equatable {
        public var avatarID: UInt32
        public var name: String
        public var role: Role
        public var resumeToken: String
        public var resumed: Bool
        public var tick: UInt32
        /// The friend whose "come find me" link put this new avatar next to them.
        public var near: UInt32? = nil
    }

    public struct Person: Sendable, Equatable {
        public var id: UInt32
        public var name: String
        public var role: Role
        public var status: String
        public var away: Bool
        public var registrationID: String?
        /// Where the avatar stands, so a visitor can find someone out of view.
        public var position: Position
    }
}

/// A room's refusals and errors, one case per rule broken.
public enum RoomError: Error, Sendable, Equatable {
    case roomFull
    case notJoined
    case alreadyJoined
    case resumeUnknown
    case replaced
    case textInvalid
    case textTooLong(limit: Int)
    case notInArea
    case notOnStage
    case forbidden(String)
    case notFound(String)
    case tooFar
    case storeUnavailable(String)
    case kicked(String)
    case banned
    case roomLocked
    case muted
    case conflict(String)
    /// A signal to an avatar that is not in the sender's conversation peers.
    case notAPeer
    /// A request to publish on the stage from an avatar that may not now.
    case stageRefused(StageRefusal)

    /// The rule broken, without its details: what a client is told as its error code.
    /// The server maps each to the wire's `ErrorCode` in one exhaustive switch; the raw
    /// values are the wire's names, which the shared rule vectors (Protocol/rules.json)
    /// compare with, and a server test checks the two agree.
    public enum Code: String, Sendable, CaseIterable {
        case roomFull = "room_full"
        case notJoined = "not_joined"
        case alreadyJoined = "already_joined"
        case badToken = "bad_token"
        case kicked
        case textInvalid = "text_invalid"
        case textTooLong = "text_too_long"
        case notInArea = "not_in_area"
        case notOnStage = "not_on_stage"
        case forbidden
        case notFound = "not_found"
        case tooFar = "too_far"
        case storeUnavailable = "store_unavailable"
        case banned
        case roomLocked = "room_locked"
        case muted
        case conflict
        case notAPeer = "not_a_peer"
        case stageRefused = "stage_refused"
    }

    public var code: Code {
        switch self {
        case .roomFull: return .roomFull
        case .notJoined: return .notJoined
        case .alreadyJoined: return .alreadyJoined
        case .resumeUnknown: return .badToken
        case .replaced: return .kicked
        case .textInvalid: return .textInvalid
        case .textTooLong: return .textTooLong
        case .notInArea: return .notInArea
        case .notOnStage: return .notOnStage
        case .forbidden: return .forbidden
        case .notFound: return .notFound
        case .tooFar: return .tooFar
        case .storeUnavailable: return .storeUnavailable
        case .kicked: return .kicked
        case .banned: return .banned
        case .roomLocked: return .roomLocked
        case .muted: return .muted
        case .conflict: return .conflict
        case .notAPeer: return .notAPeer
        case .stageRefused: return .stageRefused
        }
    }

    public var message: String {
        switch self {
        case .roomFull: return "the room is full"
        case .notJoined: return "say hello first"
        case .alreadyJoined: return "this connection already has an avatar"
        case .resumeUnknown: return "the resume token is unknown or expired"
        case .replaced: return "your avatar was resumed from another connection"
        case .textInvalid: return "the text is empty after removing control characters"
        case .textTooLong(let limit): return "the text is longer than \(limit) characters"
        case .notInArea: return "area chat needs you to stand in a private area"
        case .notOnStage: return "stage chat needs you on the stage with stage voice"
        case .forbidden(let detail): return detail
        case .notFound(let detail): return detail
        case .tooFar: return "walk closer to the exhibit first"
        case .storeUnavailable(let detail): return "not saved, please try again: \(detail)"
        case .kicked(let reason): return reason.isEmpty ? "a moderator removed you from the room" : "a moderator removed you: \(reason)"
        case .banned: return "you are banned from this event"
        case .roomLocked: return "the room is locked by the moderators"
        case .muted: return "a moderator muted you"
        case .conflict(let detail): return detail
        case .notAPeer: return "that avatar is not among your conversation peers"
        case .stageRefused(let refusal): return refusal.message
        }
    }
}

/// A chat message as the room decided it: who said it and who hears it.
public struct ChatDelivery: Sendable, Equatable {
    public var id: UInt64
    public var senderID: UInt32
    public var senderName: String
    public var senderClient: ClientID
    public var scope: ChatScope
    public var text: String
    public var to: UInt32?
    public var ref: String?
    public var tick: UInt32
    /// Every connected client that hears it, the sender included, in ascending order.
    public var recipients: [ClientID]

    /// How many others hear it: what the sender is told, so "nobody heard this" is the
    /// room's decision and not a guess from the sender's view.
    public var heardBy: Int {
        recipients.count - (recipients.contains(senderClient) ? 1 : 0)
    }
}
